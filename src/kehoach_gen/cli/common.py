"""What every `kehoach` command shares: its common options, opening the workspace it names, and its output.

:func:`fail` is the one place where a :class:`KehoachError` becomes a message and an exit status
(2 input, 3 output); the commands in :mod:`kehoach_gen.cli.app` and :mod:`kehoach_gen.cli.followup` call it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from click.exceptions import Exit

from ..errors import KehoachError
from .vi import range_text


class Command(click.Command):
    """A command whose usage line reads "[TÙY CHỌN]" for its options."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)


class Group(click.Group):
    """The `kehoach` command and its commands: "kehoach [TÙY CHỌN] LỆNH [THAM_SỐ]..."."""

    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM_SỐ]...")
        super().__init__(*args, **kwargs)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(self.commands)  # in the order they were added (the order of the work), not A to Z


class Option(click.Option):
    """An option whose range reads in Vietnamese in the help ("[từ 1 trở lên]")."""

    def get_help_extra(self, ctx: click.Context) -> Any:
        extra = super().get_help_extra(ctx)
        if "range" in extra:
            extra["range"] = range_text(extra["range"])
        return extra


KINDS = {str: "chữ", int: "số", Path: "tệp"}  # what the help calls each kind of value: "--year <số>"
_TYPES = {str: click.STRING, int: click.INT, Path: click.Path(path_type=Path)}


def option(*decls: str, kind: type = str, **attrs: Any) -> Any:
    """A value option (``click.option``) whose value is of ``kind``, shown as ``<chữ>``, ``<số>`` or ``<tệp>``."""
    attrs.setdefault("metavar", f"<{KINDS[kind]}>")
    attrs.setdefault("type", _TYPES[kind])
    return click.option(*decls, cls=Option, **attrs)


def flag(*decls: str, help: str) -> Any:  # noqa: A002 (click's own name for it)
    """An on/off option, off unless given."""
    return click.option(*decls, cls=Option, is_flag=True, default=False, help=help)


def argument(*decls: str, metavar: str, help: str, many: bool = False) -> Any:  # noqa: A002
    """A file argument (one, or one or more), named as the usage line shows it."""
    return click.argument(*decls, metavar=metavar, help=help, type=_TYPES[Path], nargs=-1 if many else 1,
                          required=True)


def _agency_code(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """``stp`` is read as STP (codes are upper case); anything else is checked where it is used."""
    from ..errors import InputError
    from ..workspace import check_code

    if value is None:
        return None
    try:
        return check_code(value)
    except InputError:
        return value


def agency(required: bool = True) -> Any:
    """--agency: required, or a filter of --all."""
    return option("--agency", "-a", "agency", required=required, callback=_agency_code,
                  help="Mã cơ quan, ví dụ STP.")


def year(required: bool = True) -> Any:
    return option("--year", "-y", "year", kind=int, required=required, help="Năm của kế hoạch, ví dụ 2025.")


province = option("--province", "province", help="Mã tỉnh (thư mục trong plan_specs/); mặc định theo kehoach.toml.")
set_values = option("--set", "set_", multiple=True, help=(
    "Ghi đè một giá trị, ví dụ --set number=3 hoặc --set layout.kind=appendix."))
all_plans = flag("--all", "all_", help="Mọi kế hoạch của tỉnh (lọc thêm bằng --agency/--year).")
all_provinces = flag("--all-provinces", "all_provinces", help=(
    "Mọi tỉnh của vùng làm việc (mọi thư mục trong plan_specs/ có registry.yaml), thay cho --province."))


def say(text: str) -> None:
    click.echo(text)


def warn(text: str) -> None:
    click.echo(text, err=True)


def fail(exc: KehoachError, written: str | None = None) -> None:
    """Print the problems and exit; ``written`` replaces "Chưa ghi tệp nào." when something was written."""
    warn("Lỗi:" if len(exc.problems) <= 1 else f"Có {len(exc.problems)} lỗi:")
    for problem in exc.problems:
        warn(f"  {problem.render()}")
    if exc.hint:
        warn(exc.hint)
    if written is not None:
        warn(written)
    elif exc.exit_code == 2:
        warn("Chưa ghi tệp nào.")
    raise Exit(exc.exit_code)


def stop(status: int) -> None:
    """End the command with this exit status."""
    raise Exit(status)


def open_workspace(province: str | None):
    """The workspace around the current folder, and the province asked for (default: the workspace's)."""
    from ..workspace import check_slug, find_workspace

    ws = find_workspace()
    return ws, check_slug(province) if province else ws.province


def overrides_from(pairs: tuple[str, ...] | list[str] | None) -> dict | None:
    """The values given with ``--set`` (None when there are none)."""
    if not pairs:
        return None
    from ..spec.inputs import parse_overrides

    return parse_overrides(list(pairs))


def report_build(ws, result) -> None:  # noqa: ANN001
    from .show import outcome_lines

    for line in outcome_lines(ws, result):
        say(line)
