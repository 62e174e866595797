"""The `kehoach` command: a thin Typer layer over the library.

This is the only module that prints, and the only place where a :class:`KehoachError`
becomes a message and an exit status (2 input, 3 output, 1 check failed under --strict).
Unexpected exceptions keep their traceback, without local variables (plan data stays out).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import KehoachError

app = typer.Typer(
    name="kehoach",
    help="Soạn Kế hoạch (và phiếu theo dõi, báo cáo) của cơ quan theo Nghị định 30/2020/NĐ-CP.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)

AgencyOpt = Annotated[str | None, typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.")]
YearOpt = Annotated[int | None, typer.Option("--year", "-y", help="Năm của kế hoạch, ví dụ 2025.")]
ProvinceOpt = Annotated[str | None, typer.Option(
    "--province", help="Mã tỉnh (thư mục trong plan_specs/); mặc định theo kehoach.toml.")]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Ghi đè một giá trị, ví dụ --set number=3 hoặc --set layout.kind=appendix.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Mọi kế hoạch của tỉnh (lọc thêm bằng --agency/--year).")]


def _say(text: str) -> None:
    typer.echo(text)


def _fail(exc: KehoachError) -> None:
    typer.echo("Lỗi:" if len(exc.problems) <= 1 else f"Có {len(exc.problems)} lỗi:", err=True)
    for problem in exc.problems:
        typer.echo(f"  {problem.render()}", err=True)
    if exc.hint:
        typer.echo(exc.hint, err=True)
    if exc.exit_code == 2:
        typer.echo("Chưa ghi tệp nào.", err=True)
    raise typer.Exit(exc.exit_code)


def _workspace(province: str | None):
    from .workspace import check_slug, find_workspace

    ws = find_workspace()
    return ws, check_slug(province) if province else ws.province


def _overrides(pairs: list[str] | None) -> dict | None:
    if not pairs:
        return None
    from .inputs import parse_overrides

    return parse_overrides(pairs)


@app.command()
def new(agency: Annotated[str, typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.")],
        year: Annotated[int, typer.Option("--year", "-y", help="Năm của kế hoạch, ví dụ 2025.")],
        province: ProvinceOpt = None, set_: SetOpt = None) -> None:
    """Tạo kế hoạch của cơ quan (nếu chưa có) từ Kế hoạch tỉnh và kế hoạch năm trước, rồi xuất văn bản."""
    try:
        from . import pipeline
        from .workspace import Target

        ws, prov = _workspace(province)
        result = pipeline.new(ws, Target(prov, agency, year), _overrides(set_))
    except KehoachError as exc:
        _fail(exc)
        return
    if result.created:
        origin = f" (mang sang lựa chọn của {ws.shown(result.previous)})" if result.previous else ""
        _say(f"Đã tạo kế hoạch mới: {ws.shown(result.spec)}{origin}")
    else:
        _say(f"Đã có kế hoạch {ws.shown(result.spec)}: giữ nguyên, không ghi đè.")
    _report_build(ws, result.build)


@app.command()
def build(agency: AgencyOpt = None, year: YearOpt = None, all_: AllOpt = False,
          province: ProvinceOpt = None, set_: SetOpt = None,
          force: Annotated[bool, typer.Option("--force", help=(
              "Xuất đè cả văn bản đã sửa tay (bản sửa tay được lưu lại bên cạnh) và văn bản không đổi."))] = False,
          pdf: Annotated[bool, typer.Option("--pdf", help="Xuất thêm PDF (Word nếu có, nếu không LibreOffice).")]
          = False,
          jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help=(
              "Số kế hoạch xuất cùng lúc (mặc định: số nhân CPU)."))] = None) -> None:
    """Xuất lại văn bản từ kế hoạch đã sửa: chỉ những gì thay đổi (một cơ quan, hoặc --all)."""
    from .batch import build_many
    from .cli_show import BatchDisplay, summary

    try:
        from . import pipeline

        ws, prov = _workspace(province)
        chosen = pipeline.targets(ws, prov, agency, year, all_)
        overrides = _overrides(set_)
        with BatchDisplay(ws, len(chosen)) as display:
            results = build_many(ws, chosen, overrides, force=force, jobs=jobs,
                                 on_done=display.done, on_result=display.result if len(chosen) > 1 else None)
        if len(results) == 1 and results[0].error:
            raise results[0].error
        if len(results) == 1:
            _report_build(ws, results[0])
        else:
            _say(summary(results, display.elapsed()))
        # the documents written this time (not those kept as edited by hand), in one converter run
        made = pipeline.to_pdf(ws, [o.path for r in results for o in r.outcomes
                                    if o.action != "kept" and o.path.suffix == ".docx"]) if pdf else []
    except KehoachError as exc:
        _fail(exc)
        return
    for path in made:
        _say(f"Đã ghi {ws.shown(path)}")
    failed = [r.error.exit_code for r in results if r.error]
    if failed:
        raise typer.Exit(max(failed))


@app.command()
def trackers(agency: Annotated[str, typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.")],
             year: Annotated[int, typer.Option("--year", "-y", help="Năm của kế hoạch.")],
             province: ProvinceOpt = None,
             force: Annotated[bool, typer.Option("--force", help="Xuất đè cả phiếu đã sửa tay (có lưu bản cũ).")]
             = False) -> None:
    """Xuất phiếu theo dõi Excel cho từng đơn vị và bảng tổng hợp của Văn phòng (new và build cũng làm việc này)."""
    try:
        from . import pipeline
        from .workspace import Target

        ws, prov = _workspace(province)
        outcomes = pipeline.trackers_only(ws, Target(prov, agency, year), force=force)
    except KehoachError as exc:
        _fail(exc)
        return
    _report_build(ws, pipeline.BuildResult(Target(prov, agency, year), outcomes))


@app.command()
def collect(files: Annotated[list[Path], typer.Argument(help="Các phiếu theo dõi đơn vị gửi lại (.xlsx).")],
            agency: Annotated[str, typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.")],
            year: Annotated[int, typer.Option("--year", "-y", help="Năm của kế hoạch.")],
            province: ProvinceOpt = None) -> None:
    """Nhận phiếu theo dõi các đơn vị gửi lại: kiểm tra, lưu lịch sử, cập nhật bảng tổng hợp."""
    try:
        from . import pipeline
        from .workspace import Target

        ws, prov = _workspace(province)
        results, written = pipeline.collect(ws, Target(prov, agency, year), files)
    except KehoachError as exc:
        _fail(exc)
        return
    from .cli_show import collected_lines

    for line, refused in collected_lines(results):
        typer.echo(line, err=refused)
    for outcome in written:
        if outcome.action in ("created", "updated"):
            _say(f"Đã cập nhật {ws.shown(outcome.path)}")
    if any(not r.status for r in results):
        raise typer.Exit(2)


@app.command()
def report(agency: Annotated[str, typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.")],
           year: Annotated[int, typer.Option("--year", "-y", help="Năm của kế hoạch.")],
           period: Annotated[str, typer.Option("--period", "-p", help="Kỳ: Q1…Q4, 6T, 9T, NAM, T01…T12.")],
           province: ProvinceOpt = None,
           force: Annotated[bool, typer.Option("--force", help="Xuất đè báo cáo đã sửa tay (có lưu bản cũ).")]
           = False) -> None:
    """Soạn khung Báo cáo của một kỳ, điền sẵn tình trạng, kết quả các đơn vị đã gửi."""
    try:
        from . import pipeline
        from .workspace import Target

        ws, prov = _workspace(province)
        target = Target(prov, agency, year)
        outcomes = pipeline.report(ws, target, period, force=force)
    except KehoachError as exc:
        _fail(exc)
        return
    _report_build(ws, pipeline.BuildResult(target, outcomes))


@app.command()
def status(agency: AgencyOpt = None, year: YearOpt = None, province: ProvinceOpt = None) -> None:
    """Liệt kê văn bản chưa có, cần xuất lại, hoặc đã sửa tay (không ghi tệp)."""
    try:
        from . import pipeline
        from .manifest import STATE_TEXT

        ws, prov = _workspace(province)
        states = pipeline.status(ws, pipeline.targets(ws, prov, agency, year, True))
    except KehoachError as exc:
        _fail(exc)
        return
    for _target, path, state in states:
        _say(f"{ws.shown(path)}: {STATE_TEXT[state]}")


@app.command()
def pdf(agency: AgencyOpt = None, year: YearOpt = None, all_: AllOpt = False,
        province: ProvinceOpt = None) -> None:
    """Chuyển văn bản đã xuất sang PDF (một lần gọi LibreOffice cho cả lô)."""
    try:
        from . import pipeline

        ws, prov = _workspace(province)
        chosen = pipeline.targets(ws, prov, agency, year, all_)
        made = pipeline.to_pdf(ws, [ws.plan_output(t.agency, t.year) for t in chosen])
    except KehoachError as exc:
        _fail(exc)
        return
    for path in made:
        _say(f"Đã ghi {ws.shown(path)}")
    if not made:
        _say("Không có PDF nào cần tạo (PDF đã mới hơn văn bản, hoặc chưa xuất văn bản: chạy kehoach build).")


@app.command()
def check(agency: AgencyOpt = None, year: YearOpt = None, all_: AllOpt = False,
          province: ProvinceOpt = None, strict: Annotated[bool, typer.Option(
              "--strict", help="Coi nhiệm vụ của tỉnh chưa dùng, chưa bỏ là lỗi.")] = False) -> None:
    """Kiểm tra kế hoạch (không ghi tệp) và báo nhiệm vụ của tỉnh chưa được dùng hay bỏ."""
    try:
        from . import pipeline

        ws, prov = _workspace(province)
        checked = [(t, pipeline.check(ws, t)) for t in pipeline.targets(ws, prov, agency, year, all_)]
    except KehoachError as exc:
        _fail(exc)
        return
    from .cli_show import checked_lines

    for line in checked_lines(checked):
        _say(line)
    if strict and any(merged.uncovered for _, merged in checked):
        raise typer.Exit(1)


@app.command()
def watch(province: ProvinceOpt = None) -> None:
    """Theo dõi plan_specs/ và templates/: lưu tệp là xuất lại văn bản liên quan (Ctrl-C để dừng)."""
    from .watch import watch as run_watch

    try:
        ws, prov = _workspace(province)
    except KehoachError as exc:
        _fail(exc)
        return

    def built(results) -> None:  # noqa: ANN001
        for result in results:
            _report_build(ws, result)

    def failed(exc: KehoachError) -> None:
        typer.echo("Lỗi (vẫn tiếp tục theo dõi; sửa rồi lưu lại tệp):", err=True)
        for problem in exc.problems:
            typer.echo(f"  {problem.render()}", err=True)

    run_watch(ws, prov, built, failed,
              on_ready=lambda: _say(f"Đang theo dõi {ws.shown(ws.specs)}/ và {ws.shown(ws.templates)}/ "
                                    "(Ctrl-C để dừng)..."))
    _say("Đã dừng theo dõi.")


@app.command()
def lint(files: Annotated[list[Path], typer.Argument(help="Các tệp Word (.docx) cần kiểm tra.")],
         format_: Annotated[str, typer.Option("--format", help="text hoặc json.")] = "text") -> None:
    """Kiểm tra văn bản Word theo thể thức Nghị định 30/2020/NĐ-CP, từng quy tắc (mã quy tắc trong nd30)."""
    from .lint import as_json
    from .lint import lint as lint_file

    try:
        results = {str(f): lint_file(f) for f in files}
    except KehoachError as exc:
        _fail(exc)
        return
    if format_ == "json":
        _say(as_json(results))
    else:
        for file, findings in results.items():
            for finding in findings:
                _say(finding.render(file))
            _say(f"{file}: {'đạt' if not findings else f'{len(findings)} lỗi thể thức'}")
    if any(results.values()):
        raise typer.Exit(1)


@app.command()
def init(directory: Annotated[Path, typer.Argument(help="Thư mục vùng làm việc mới.")]) -> None:
    """Tạo vùng làm việc mới (plan_specs/, templates/, output/, kehoach.toml) từ dữ liệu mẫu."""
    from .workspace import init_workspace

    try:
        created = init_workspace(directory)
    except KehoachError as exc:
        _fail(exc)
        return
    _say(f"Đã tạo vùng làm việc {directory}:")
    for path in created:
        _say(f"  {path}")
    _say(f"Tiếp theo: cd {directory} && kehoach new --agency STP --year 2025")


def _report_build(ws, result) -> None:  # noqa: ANN001
    from .cli_show import outcome_lines

    for line in outcome_lines(ws, result):
        _say(line)


def main() -> None:
    """Console-script entry point."""
    from .cli_vi import install, usage_message

    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(encoding="utf-8")
        sys.stderr.reconfigure(encoding="utf-8")
    install()
    try:
        status = app(standalone_mode=False)
    except typer.Abort:
        typer.echo("Đã dừng.", err=True)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        status = INTERRUPTED
    except typer.TyperException as exc:  # usage errors of the vendored Click
        if type(exc).__name__ == "NoArgsIsHelpError":
            typer.echo(exc.format_message())
            raise SystemExit(0) from None
        typer.echo(f"Lỗi: {usage_message(exc, [c.name or '' for c in app.registered_commands])}", err=True)
        command = getattr(getattr(exc, "ctx", None), "command_path", "kehoach")
        typer.echo(f"Xem hướng dẫn: {command} --help", err=True)
        raise SystemExit(2) from None
    if status == INTERRUPTED:  # Ctrl-C (Typer turns it into this status): what was written is recorded
        typer.echo("Đã dừng (Ctrl-C). Những tệp đã xuất xong được giữ và ghi sổ; chạy lại lệnh để làm tiếp.", err=True)
    raise SystemExit(status if isinstance(status, int) else 0)


INTERRUPTED = 130
