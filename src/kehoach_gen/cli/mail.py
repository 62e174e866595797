"""The mail commands: each unit its tracker (`send`), a reminder to the units that owe a report (`remind`).

Plain functions over :mod:`kehoach_gen.build.sending`; :mod:`kehoach_gen.cli.app` registers them. What
they print: one line per unit (sent, written to the outbox, gone before, skipped and why), a summary
that says what to do next, then any delivery fault (exit status 3; the lines above say which units
got their message).
"""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

from ..errors import InputError, KehoachError
from .common import agency, fail, flag, open_workspace, option, province, say, year

units_option = option("--units", "-u", "units", help="Chỉ các đơn vị này, ví dụ VP,HCTP.")
dry_run_flag = flag("--dry-run", "dry_run", help="Chỉ liệt kê thư sẽ gửi tới đâu; không gửi, không ghi gì.")
resend_flag = flag("--resend", help="Gửi lại cả cho đơn vị đã nhận thư của kỳ này.")
KIND_TEXT = {"phieu": "Gửi phiếu theo dõi", "nhac": "Nhắc báo cáo"}


@agency()
@year()
@option("--period", "-p", "period", help=(
    "Kỳ báo cáo nêu trong thư (Q1…Q4, 6T, 9T, NAM, T01…T12) và hạn gửi lại theo lịch của tỉnh."))
@units_option
@dry_run_flag
@resend_flag
@province
def send(agency: str, year: int, period: str | None, units: str | None, dry_run: bool, resend: bool,
         province: str | None) -> None:
    """Gửi mỗi đơn vị phiếu theo dõi của mình qua thư (máy chủ thư trong [mail], hoặc tệp .eml để gửi từ Outlook)."""
    try:
        from ..build import sending
        from ..workspace import Target

        ws, prov = open_workspace(province)
        result = sending.send(ws, Target(prov, agency, year), units=_units(units), period_code=period,
                              dry_run=dry_run, resend=resend, ask_password=_asker())
    except KehoachError as exc:
        fail(exc)
        return
    _report(ws, result, dry_run)


@agency()
@year()
@option("--period", "-p", "period", required=True, help="Kỳ báo cáo: Q1…Q4, 6T, 9T, NAM, T01…T12.")
@option("--date", "date", help="Tính nhiệm vụ quá hạn và phiếu chưa gửi đến ngày này (dd/mm/yyyy); mặc định hôm nay.")
@units_option
@dry_run_flag
@resend_flag
@province
def remind(agency: str, year: int, period: str, date: str | None, units: str | None, dry_run: bool, resend: bool,
           province: str | None) -> None:
    """Nhắc các đơn vị chưa gửi báo cáo của kỳ hoặc có nhiệm vụ quá hạn (thư liệt kê các nhiệm vụ đó)."""
    try:
        from ..build import sending
        from ..workspace import Target

        ws, prov = open_workspace(province)
        result = sending.remind(ws, Target(prov, agency, year), period_code=period, day=_date(date),
                                units=_units(units), dry_run=dry_run, resend=resend, ask_password=_asker())
    except KehoachError as exc:
        fail(exc)
        return
    _report(ws, result, dry_run)


def _units(text: str | None) -> list[str] | None:
    return [code.strip().upper() for code in text.split(",") if code.strip()] if text else None


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    from ..spec.dates import read_date  # the one way every date is read

    try:
        return read_date(text)
    except ValueError as exc:
        raise InputError.single(str(exc), field="--date") from None


def _asker() -> Any:
    """Ask for the SMTP password on a terminal (never echoed); None when there is no one to ask."""
    if not sys.stdin.isatty():
        return None
    import click

    return lambda prompt: click.prompt(prompt, hide_input=True)


def _report(ws: Any, result: Any, dry_run: bool) -> None:
    for outcome in result.trackers:  # refreshed before sending: the plan changed since they were written
        if outcome.action in ("created", "updated"):
            say(f"Đã {'tạo' if outcome.action == 'created' else 'cập nhật'} {ws.shown(outcome.path)}")
    for line in mail_lines(ws, result, dry_run):
        say(line)
    if result.error is not None:
        fail(result.error)


def mail_lines(ws: Any, result: Any, dry_run: bool) -> list[str]:
    """The heading, one line per unit, and the summary with what to do next."""
    smtp = result.channel == "smtp"
    when = f", {result.when.label} (hạn báo cáo {result.when.due:%d/%m/%Y})" if result.when else ""
    day = f", tính đến ngày {result.day:%d/%m/%Y}" if result.day else ""
    how = f"qua máy chủ thư {result.server}" if smtp else f"ghi thư vào {ws.shown(result.outbox)}/"
    lines = [("Chạy thử (không gửi, không ghi gì): " if dry_run else "")
             + f"{KIND_TEXT[result.kind]} {result.target.agency} {result.target.year}{when}{day}, {how}:"]
    lines += [f"  {u.unit} ({u.name}): {_unit_text(ws, u, smtp)}" for u in result.units]
    return lines + _summary(ws, result, dry_run)


def _unit_text(ws: Any, u: Any, smtp: bool) -> str:
    files = ", ".join(u.files)
    if u.action == "would":
        return f"sẽ {'gửi' if smtp else 'ghi thư'} tới {u.address}, đính kèm {files}"
    if u.action == "delivered":
        return f"đã gửi tới {u.address}, đính kèm {files}"
    if u.action == "written":
        return f"đã ghi {ws.shown(u.eml)}, gửi tới {u.address}, đính kèm {files}"
    if u.action == "gone":
        at = dt.datetime.fromisoformat(u.previous["at"])
        how = "đã gửi" if u.previous["result"] == "delivered" else "đã ghi vào hộp thư đi"
        changed = "; phiếu đã thay đổi sau lần đó: gửi lại bằng --resend" if u.changed else ""
        return f"{how} lúc {at:%H:%M} ngày {at:%d/%m/%Y} tới {u.previous['to']}, không gửi lại{changed}"
    if u.action == "no-contact":
        return "chưa có địa chỉ thư (contact) trong danh mục, không gửi"
    if u.action == "kept":
        return "phiếu theo dõi đã bị sửa tay sau lần xuất, không gửi (xuất lại bằng kehoach trackers … --force)"
    if u.action == "failed":
        return f"chưa gửi: {u.reason}"
    return "chưa gửi (đã dừng vì lỗi bên dưới)"


def _summary(ws: Any, result: Any, dry_run: bool) -> list[str]:
    count = {a: sum(1 for u in result.units if u.action == a) for a in
             ("would", "delivered", "written", "gone", "no-contact", "kept", "failed", "not-sent")}
    gone = "đã gửi trước đó" if result.channel == "smtp" else "đã ghi trước đó"
    names = {"would": "sẽ gửi", "delivered": "đã gửi", "written": "đã ghi thư", "gone": gone,
             "no-contact": "chưa có địa chỉ", "kept": "phiếu sửa tay", "failed": "bị từ chối", "not-sent": "chưa gửi"}
    if not result.units:
        return ["Không đơn vị nào cần nhắc: các đơn vị đã gửi phiếu của kỳ và không có nhiệm vụ quá hạn."
                if result.kind == "nhac" else "Không có đơn vị nào để gửi."]
    lines = ["Tổng cộng: " + ", ".join(f"{names[a]} {n}" for a, n in count.items() if n) + "."]
    if count["no-contact"]:
        lines.append(f"Để gửi cho đơn vị chưa có địa chỉ: thêm contact của đơn vị trong {ws.shown(result.registry)}.")
    if result.stale_pdf is not None:
        lines.append(f"Lưu ý: {ws.shown(result.stale_pdf)} cũ hơn văn bản nên không đính kèm; chạy kehoach pdf để "
                     "cập nhật.")
    if count["written"]:
        lines.append(f"Tiếp theo: mở từng tệp .eml trong {ws.shown(result.outbox)}/ bằng Outlook (thư mở sẵn để gửi) "
                     "hoặc Thunderbird (Ctrl+E: sửa thành thư mới) rồi bấm Gửi; hoặc cấu hình [mail] trong kehoach.toml "
                     "để gửi thẳng.")
    if count["gone"] and not (count["would"] or count["delivered"] or count["written"]) and not dry_run:
        lines.append("Không có thư mới để gửi. Gửi lại cho các đơn vị đã nhận: thêm --resend.")
    if not dry_run and (count["delivered"] or count["written"] or count["failed"]):
        lines.append(f"Sổ gửi: {ws.shown(result.record)}")
    return lines
