"""What every `kehoach` command shares: its common options, opening the workspace it names, and its output.

:func:`fail` is the one place where a :class:`KehoachError` becomes a message and an exit status
(2 input, 3 output); the commands in :mod:`kehoach_gen.cli.app` and :mod:`kehoach_gen.cli.followup` call it.
"""

from __future__ import annotations

from typing import Annotated

import typer

from ..errors import KehoachError

def _agency_code(value: str | None) -> str | None:
    """``stp`` is read as STP (codes are upper case); anything else is checked where it is used."""
    from ..errors import InputError
    from ..workspace import check_code

    if value is None:
        return None
    try:
        return check_code(value)
    except InputError:
        return value


_AGENCY = typer.Option("--agency", "-a", help="Mã cơ quan, ví dụ STP.", callback=_agency_code)
_YEAR = typer.Option("--year", "-y", help="Năm của kế hoạch, ví dụ 2025.")
AgencyArg, AgencyOpt = Annotated[str, _AGENCY], Annotated[str | None, _AGENCY]  # required / a filter
YearArg, YearOpt = Annotated[int, _YEAR], Annotated[int | None, _YEAR]
ProvinceOpt = Annotated[str | None, typer.Option(
    "--province", help="Mã tỉnh (thư mục trong plan_specs/); mặc định theo kehoach.toml.")]
SetOpt = Annotated[list[str] | None, typer.Option(
    "--set", help="Ghi đè một giá trị, ví dụ --set number=3 hoặc --set layout.kind=appendix.")]
AllOpt = Annotated[bool, typer.Option("--all", help="Mọi kế hoạch của tỉnh (lọc thêm bằng --agency/--year).")]
ProvincesOpt = Annotated[bool, typer.Option("--all-provinces", help=(
    "Mọi tỉnh của vùng làm việc (mọi thư mục trong plan_specs/ có registry.yaml), thay cho --province."))]


def say(text: str) -> None:
    typer.echo(text)


def fail(exc: KehoachError, written: str | None = None) -> None:
    """Print the problems and exit; ``written`` replaces "Chưa ghi tệp nào." when something was written."""
    typer.echo("Lỗi:" if len(exc.problems) <= 1 else f"Có {len(exc.problems)} lỗi:", err=True)
    for problem in exc.problems:
        typer.echo(f"  {problem.render()}", err=True)
    if exc.hint:
        typer.echo(exc.hint, err=True)
    if written is not None:
        typer.echo(written, err=True)
    elif exc.exit_code == 2:
        typer.echo("Chưa ghi tệp nào.", err=True)
    raise typer.Exit(exc.exit_code)


def open_workspace(province: str | None):
    """The workspace around the current folder, and the province asked for (default: the workspace's)."""
    from ..workspace import check_slug, find_workspace

    ws = find_workspace()
    return ws, check_slug(province) if province else ws.province


def overrides_from(pairs: list[str] | None) -> dict | None:
    """The values given with ``--set`` (None when there are none)."""
    if not pairs:
        return None
    from ..spec.inputs import parse_overrides

    return parse_overrides(pairs)


def report_build(ws, result) -> None:  # noqa: ANN001
    from .show import outcome_lines

    for line in outcome_lines(ws, result):
        say(line)
