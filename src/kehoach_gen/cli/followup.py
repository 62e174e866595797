"""The commands that follow a plan through its year: take back the units' trackers (`collect`), draft
a period's report (`report`), convert the written documents to PDF (`pdf`), check Word files against
the decree (`lint`).

They are plain functions; :mod:`kehoach_gen.cli.app` registers them on the app, in the order of the help.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .common import (
    agency,
    all_plans,
    argument,
    fail,
    flag,
    open_workspace,
    option,
    province,
    report_build,
    say,
    stop,
    warn,
    year,
)
from ..errors import KehoachError


@argument("files", metavar="TỆP...", many=True, help=(
    "Phiếu theo dõi đơn vị gửi lại (.xlsx), thư đã lưu (.eml), thư mục chứa chúng, hộp thư Maildir hoặc tệp mbox."))
@agency()
@year()
@province
@flag("--any-sender", help="Nhận cả phiếu gửi từ địa chỉ khác địa chỉ của đơn vị trong danh mục.")
def collect(files: tuple[Path, ...], agency: str, year: int, province: str | None, any_sender: bool) -> None:
    """Nhận phiếu theo dõi các đơn vị gửi lại (tệp hoặc thư): kiểm tra, lưu lịch sử, cập nhật bảng tổng hợp."""
    try:
        from ..build import tracking
        from ..workspace import Target

        ws, prov = open_workspace(province)
        results, written = tracking.collect(ws, Target(prov, agency, year), list(files), any_sender=any_sender)
    except KehoachError as exc:
        fail(exc)
        return
    from .show import collected_lines

    for line, refused in collected_lines(results):
        (warn if refused else say)(line)
    for outcome in written:
        if outcome.action in ("created", "updated"):
            say(f"Đã cập nhật {ws.shown(outcome.path)}")
    if any(r.problems for r in results):
        stop(2)


@agency()
@year()
@option("--period", "-p", "period", required=True, help="Kỳ: Q1…Q4, 6T, 9T, NAM, T01…T12.")
@province
@flag("--force", help="Xuất đè báo cáo đã sửa tay (có lưu bản cũ).")
def report(agency: str, year: int, period: str, province: str | None, force: bool) -> None:
    """Soạn khung Báo cáo của một kỳ, điền sẵn tình trạng, kết quả các đơn vị đã gửi."""
    try:
        from ..build import tracking
        from ..build import pipeline
        from ..workspace import Target

        ws, prov = open_workspace(province)
        target = Target(prov, agency, year)
        outcomes = tracking.report(ws, target, period, force=force)
    except KehoachError as exc:
        fail(exc)
        return
    report_build(ws, pipeline.BuildResult(target, outcomes))


@agency(required=False)
@year(required=False)
@all_plans
@province
@flag("--dong", "close", help=(
    "Đóng ngay các LibreOffice đang chạy sẵn để chuyển PDF (bình thường chúng tự đóng sau keep_minutes phút không "
    "dùng, xem [pdf] trong kehoach.toml)."))
def pdf(agency: str | None, year: int | None, all_: bool, province: str | None, close: bool) -> None:
    """Chuyển văn bản đã xuất sang PDF (LibreOffice chạy sẵn, mỗi nhân CPU một bộ, cho cả lô)."""
    if close:
        from ..build.pdf_warm import close_all

        closed = close_all()
        say(f"Đã đóng {closed} LibreOffice chạy sẵn." if closed else "Không có LibreOffice nào đang chạy sẵn.")
        return
    try:
        from ..build import pipeline

        ws, prov = open_workspace(province)
        chosen = pipeline.targets(ws, prov, agency, year, all_, "pdf")
        with pdf_session(ws):
            made = pipeline.to_pdf(ws, [ws.plan_output(t.agency, t.year, t.province) for t in chosen])
    except KehoachError as exc:
        fail(exc)
        return
    for path in made:
        say(f"Đã ghi {ws.shown(path)}")
    if not made:
        say("Không có PDF nào cần tạo (PDF đã mới hơn văn bản, hoặc chưa xuất văn bản: chạy kehoach build).")


@contextmanager
def pdf_session(ws, wanted: bool = True) -> Iterator[None]:  # noqa: ANN001
    """The warm PDF converters' session of a command; why conversions went the slow way is printed on stderr."""
    if not wanted:
        yield
        return
    import logging

    from ..build.pdf import converter_session

    class _Say(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            warn(record.getMessage())

    logger, handler = logging.getLogger("kehoach_gen.pdf"), _Say(logging.WARNING)
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with converter_session(ws.root):
            yield
    finally:
        logger.removeHandler(handler)


@argument("files", metavar="TỆP.docx...", many=True, help=(
    "Các tệp Word (.docx) cần kiểm tra; với --fix: TỆP_GỐC TỆP_MỚI."))
@option("--format", "format_", default="text", show_default=True, help="text hoặc json.")
@flag("--fix", help="Sửa những gì sửa an toàn được (lề, khổ giấy, phông, cỡ chữ, số 0 của số và ngày), ghi ra tệp mới.")
def lint(files: tuple[Path, ...], format_: str, fix: bool) -> None:
    """Kiểm tra văn bản Word mọi loại theo thể thức Nghị định 30/2020/NĐ-CP (mã quy tắc trong nd30); --fix sửa ra tệp mới."""
    from ..word.lint import as_json, lint_files

    if fix:
        _lint_fix(list(files))
        return
    if format_ not in ("text", "json"):
        fail(KehoachError.single(f"--format không hợp lệ: {format_!r}", expected="text hoặc json"))
    reports = lint_files(list(files))
    if format_ == "json":
        say(as_json(reports))
    else:
        for report in reports:
            for line in report.lines():
                say(line)
    if any(r.error for r in reports):
        stop(2)
    if any(r.findings for r in reports):
        stop(1)


def _lint_fix(files: list[Path]) -> None:
    from ..word.fix import fix_document

    if len(files) != 2:
        fail(KehoachError.single("--fix cần đúng hai tệp: văn bản gốc và tệp mới sẽ ghi",
                                 expected="kehoach lint --fix GỐC.docx MỚI.docx", found=f"{len(files)} tệp"))
    try:
        result = fix_document(files[0], files[1])
    except KehoachError as exc:
        fail(exc)
        return
    done = "; ".join(result.repairs) if result.repairs else "không có gì sửa tự động được"
    say(f"Đã ghi {result.written}: {done}.")
    for finding in result.remaining:
        say(finding.render(str(result.written)))
    say(f"{result.written}: " + ("đạt" if not result.remaining else f"còn {len(result.remaining)} lỗi thể thức cần sửa tay"))
    if result.remaining:
        stop(1)
