"""The `kehoach` command: a thin Click layer over the library.

This module holds the app, the entry point and the commands that make and check plans (exit status
1 when a check fails under --strict). The commands that follow a plan through its year are in
:mod:`kehoach_gen.cli.followup`, the mail commands (send, remind) in :mod:`kehoach_gen.cli.mail`; what all
commands share, including the one translation of a :class:`KehoachError` into a message and an exit status
(2 input, 3 output), is in :mod:`kehoach_gen.cli.common`. Only these modules and :mod:`kehoach_gen.cli.show` print. Unexpected
exceptions keep their traceback, without local variables (plan data stays out).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import (
    Group,
    agency,
    all_plans,
    all_provinces,
    argument,
    fail,
    flag,
    open_workspace,
    option,
    overrides_from,
    province,
    report_build,
    say,
    set_values,
    stop,
    warn,
    year,
)
from .assign import assign
from .followup import collect, lint, pdf, pdf_session, report
from .importing import import_
from .mail import remind, send
from ..errors import KehoachError

app = Group(
    name="kehoach",
    help="Soạn Kế hoạch (và phiếu theo dõi, báo cáo) của cơ quan theo Nghị định 30/2020/NĐ-CP.",
    no_args_is_help=True,
)


@agency()
@year()
@province
@set_values
def new(agency: str, year: int, province: str | None, set_: tuple[str, ...]) -> None:
    """Tạo kế hoạch của cơ quan (nếu chưa có) từ Kế hoạch tỉnh và kế hoạch năm trước, rồi xuất văn bản."""
    try:
        from ..build import pipeline
        from ..workspace import Target

        ws, prov = open_workspace(province)
        result = pipeline.new(ws, Target(prov, agency, year), overrides_from(set_))
    except KehoachError as exc:
        fail(exc)
        return
    if result.created:
        origin = f" (mang sang lựa chọn của {ws.shown(result.previous)})" if result.previous else ""
        say(f"Đã tạo kế hoạch mới: {ws.shown(result.spec)}{origin}")
    else:
        say(f"Đã có kế hoạch {ws.shown(result.spec)}: giữ nguyên, không ghi đè.")
    if result.error is not None:  # the spec is on disk; only the documents were not written
        fail(result.error, written=f"Chưa xuất văn bản nào; kế hoạch {ws.shown(result.spec)} đã được tạo: sửa "
                                   f"tệp này rồi chạy kehoach build --agency {agency} --year {year}.")
        return
    report_build(ws, result.build)


@agency(required=False)
@year(required=False)
@all_plans
@province
@all_provinces
@set_values
@flag("--force", help="Xuất đè cả văn bản đã sửa tay (bản sửa tay được lưu lại bên cạnh) và văn bản không đổi.")
@flag("--pdf", help="Xuất thêm PDF (Word nếu có, nếu không LibreOffice).")
@option("--jobs", "-j", kind=int, type=click.IntRange(min=1), help="Số kế hoạch xuất cùng lúc (mặc định: số nhân CPU).")
def build(agency: str | None, year: int | None, all_: bool, province: str | None, all_provinces: bool,
          set_: tuple[str, ...], force: bool, pdf: bool, jobs: int | None) -> None:
    """Xuất lại văn bản từ kế hoạch đã sửa: chỉ những gì thay đổi (một cơ quan, hoặc --all)."""
    from ..build.batch import build_many
    from .show import BatchDisplay, summary

    try:
        from ..build import pipeline

        ws, prov = open_workspace(province)
        chosen = pipeline.targets_in(ws, pipeline.provinces(ws, prov, all_provinces), agency, year, all_)
        overrides = overrides_from(set_)
        with pdf_session(ws, pdf), BatchDisplay(ws, len(chosen)) as display:  # each plan's PDF is part of its family
            results = build_many(ws, chosen, overrides, force=force, jobs=jobs, pdf=pdf,
                                 on_done=display.done, on_result=display.result if len(chosen) > 1 else None)
        if len(results) == 1 and results[0].error:
            raise results[0].error
        if len(results) == 1:
            report_build(ws, results[0])
        else:
            say(summary(results, display.elapsed()))
    except KehoachError as exc:
        fail(exc)
        return
    failed = [r.error.exit_code for r in results if r.error]
    if failed:
        stop(max(failed))


@agency()
@year()
@province
@flag("--force", help="Xuất đè cả phiếu đã sửa tay (có lưu bản cũ).")
def trackers(agency: str, year: int, province: str | None, force: bool) -> None:
    """Xuất phiếu theo dõi Excel cho từng đơn vị và bảng tổng hợp của Văn phòng (new và build cũng làm việc này)."""
    try:
        from ..build import pipeline
        from ..workspace import Target

        ws, prov = open_workspace(province)
        outcomes = pipeline.trackers_only(ws, Target(prov, agency, year), force=force)
    except KehoachError as exc:
        fail(exc)
        return
    report_build(ws, pipeline.BuildResult(Target(prov, agency, year), outcomes))


@agency(required=False)
@year(required=False)
@province
def status(agency: str | None, year: int | None, province: str | None) -> None:
    """Liệt kê văn bản chưa có, cần xuất lại, hoặc đã sửa tay (không ghi tệp)."""
    try:
        from ..build import pipeline
        from ..build.manifest import STATE_TEXT
        from ..build.pdf import pdf_state as plan_pdf_state

        ws, prov = open_workspace(province)
        states = pipeline.status(ws, pipeline.targets(ws, prov, agency, year, True))
    except KehoachError as exc:
        fail(exc)
        return
    for target, path, state in states:
        say(f"{ws.shown(path)}: {STATE_TEXT[state]}")
        if state == "edited":  # its trackers follow the spec, not the hand edits
            say(f"  Phiếu theo dõi được xuất theo tệp kế hoạch, không theo bản sửa tay: ghi các sửa đổi vào tệp kế "
                f"hoạch, hoặc xuất đè: kehoach build --agency {target.agency} --year {target.year} --force "
                "(bản sửa tay được lưu lại bên cạnh).")
        if (pdf_state := plan_pdf_state(path, state)) is not None:
            redo = "build --pdf" if state == "stale" else "pdf"
            say(f"{ws.shown(path.with_suffix('.pdf'))}: {pdf_state}"
                + ("" if pdf_state == "mới nhất" else f"; tạo lại: kehoach {redo} --agency {target.agency} --year {target.year}"))


@agency(required=False)
@year(required=False)
@all_plans
@province
@all_provinces
@flag("--strict", help="Coi nhiệm vụ của tỉnh chưa dùng, chưa bỏ là lỗi.")
def check(agency: str | None, year: int | None, all_: bool, province: str | None, all_provinces: bool,
          strict: bool) -> None:
    """Kiểm tra kế hoạch (không ghi tệp) và báo nhiệm vụ của tỉnh chưa được dùng hay bỏ."""
    try:
        from ..build import pipeline

        ws, prov = open_workspace(province)
        chosen = pipeline.targets_in(ws, pipeline.provinces(ws, prov, all_provinces), agency, year, all_, "check")
        checked = [(t, pipeline.check(ws, t)) for t in chosen]
    except KehoachError as exc:
        fail(exc)
        return
    from .show import checked_lines

    for line in checked_lines(checked):
        say(line)
    if strict and any(merged.uncovered for _, merged in checked):
        stop(1)


@province
@flag("--pdf", help="Chuyển thêm văn bản vừa xuất sang PDF (ngay sau khi văn bản .docx đã ghi xong).")
def watch(province: str | None, pdf: bool) -> None:
    """Theo dõi plan_specs/ và templates/: lưu tệp là xuất lại văn bản liên quan (Ctrl-C để dừng)."""
    from dataclasses import replace

    from ..build.watch import Report
    from ..build.watch import watch as run_watch

    try:
        ws, prov = open_workspace(province)
    except KehoachError as exc:
        fail(exc)
        return

    def failed(exc: KehoachError) -> None:
        warn("Lỗi (vẫn tiếp tục theo dõi; sửa rồi lưu lại tệp):")
        for problem in exc.problems:
            warn(f"  {problem.render()}")

    def built(result) -> None:  # noqa: ANN001
        report_build(ws, replace(result, outcomes=[o for o in result.outcomes if o.action != "unchanged"]))

    with pdf_session(ws, pdf):  # the warm converters are kept for the watch's whole session
        run_watch(ws, prov, Report(
            ready=lambda: say(f"Đang theo dõi {ws.shown(ws.specs)}/ và {ws.shown(ws.templates)}/ (Ctrl-C để dừng)..."),
            built=built, failed=failed,
            fixed=lambda t: say(f"Kế hoạch {t.agency} năm {t.year} đã hết lỗi."),
            pdf=lambda path: say(f"Đã ghi {ws.shown(path)}")), pdf=pdf)
    say("Đã dừng theo dõi.")


@argument("directory", metavar="THƯ_MỤC", help="Thư mục vùng làm việc mới.")
def init(directory: Path) -> None:
    """Tạo vùng làm việc mới (plan_specs/, templates/, output/, kehoach.toml) từ dữ liệu mẫu."""
    from ..workspace import init_workspace

    try:
        created = init_workspace(directory)
    except KehoachError as exc:
        fail(exc)
        return
    say(f"Đã tạo vùng làm việc {directory}:")
    for path in created:
        say(f"  {path}")
    say(f"Tiếp theo: cd {directory} && kehoach new --agency STP --year 2025")


# Registered in the order of `kehoach --help` (and of the command list in a usage error).
for _command in (new, build, assign, trackers, send, remind, collect, report, status, pdf, check, watch, lint, init):
    app.command()(_command)
app.command("import")(import_)  # after init: a keyword, so registered by name


# A build keeps every task of a plan alive until it ends: with Python's default thresholds the full
# collections walk that growing heap again and again (a third of the time of a 10,000-task plan).
# Young collections every 10,000 allocations instead of 700, full ones every 5,000,000 (BENCHMARKS.md).
GC_THRESHOLDS = (10_000, 50, 10)


def main() -> None:
    """Console-script entry point."""
    import gc

    from .vi import install, usage_message

    gc.set_threshold(*GC_THRESHOLDS)

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    install()
    from ..output import on_notice

    on_notice(warn)  # news from the library (a killed command's lock taken over)
    try:
        status = app.main(standalone_mode=False)
    except click.Abort as exc:
        if not isinstance(exc.__cause__, KeyboardInterrupt):  # (Click's Ctrl-C: an Abort from KeyboardInterrupt)
            warn("Đã dừng.")
            raise SystemExit(1) from None
        status = INTERRUPTED
    except KeyboardInterrupt:
        status = INTERRUPTED
    except click.ClickException as exc:  # usage errors
        if isinstance(exc, click.exceptions.NoArgsIsHelpError):
            say(exc.format_message())
            raise SystemExit(0) from None
        warn(f"Lỗi: {usage_message(exc, list(app.commands))}")
        warn(f"Xem hướng dẫn: {_command_path(exc)} --help")
        raise SystemExit(2) from None
    if status == INTERRUPTED:  # Ctrl-C: what was written is recorded
        warn("Đã dừng (Ctrl-C). Những tệp đã xuất xong được giữ và ghi sổ; chạy lại lệnh để làm tiếp.")
    raise SystemExit(status if isinstance(status, int) else 0)


INTERRUPTED = 130


def _command_path(exc: click.ClickException) -> str:
    """The command a usage error is about: its context's, else (an option's value missing: Click's parser gives no
    context) the command named first on the command line."""
    if (ctx := getattr(exc, "ctx", None)) is not None:
        return ctx.command_path
    named = next((arg for arg in sys.argv[1:] if not arg.startswith("-")), None)
    return f"kehoach {named}" if named in app.commands else "kehoach"
