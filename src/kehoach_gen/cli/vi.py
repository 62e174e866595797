"""Vietnamese for the words Click and Typer print around our own help and error texts.

Typer looks some of its strings up through ``gettext`` at call time; pointing its modules'
``_`` at this table gives office users "Tùy chọn", "Lệnh", "[bắt buộc]". Its vendored Click prints
"Usage:" without gettext, so usage errors are reworded here from the exception instead
(:func:`usage_message`). Strings not in the table pass through unchanged.
"""

from __future__ import annotations

import re

VI = {  # only strings Typer actually looks up through gettext (its vendored Click has none)
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Arguments": "Tham số",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Aborted!": "Đã dừng.",
    "Aborted.": "Đã dừng.",
    "Error": "Lỗi",
    "required": "bắt buộc",
    "[required]": "[bắt buộc]",
    "default: {default}": "mặc định: {default}",
    "[default: {}]": "[mặc định: {}]",
}


def vi(message: str) -> str:
    return VI.get(message, message)


def vi_plural(singular: str, plural: str, count: int) -> str:
    return vi(singular if count == 1 else plural)


def install() -> None:
    """Point Click's (and Typer's vendored Click's) message lookups at the Vietnamese table."""
    import sys

    import typer.core  # noqa: F401  (loads typer._click.*)

    for name, module in list(sys.modules.items()):
        if not name.startswith(("typer", "click")) or module is None:
            continue
        if callable(getattr(module, "_", None)):
            module._ = vi  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = vi_plural  # type: ignore[attr-defined]
    _vi_help_text()


HELP_OPTION = "Hiện hướng dẫn này rồi thoát."
TYPE_NAMES = {"str": "chữ", "int": "số", "int range": "số", "list[str]": "chữ", "list[Path]": "tệp", "path": "tệp",
              "Path": "tệp", "float": "số", "datetime": "ngày", "bool": "có/không"}


def _vi_help_text() -> None:
    """Vietnamese for what Typer's vendored Click prints in help pages without gettext."""
    from typer import core
    from typer._click import core as click_core
    from typer._click import formatting

    if getattr(formatting.HelpFormatter, "_kehoach_vi", False):  # once per process
        return
    formatting.HelpFormatter._kehoach_vi = True  # type: ignore[attr-defined]
    write_usage = formatting.HelpFormatter.write_usage

    def usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:  # noqa: ANN001
        write_usage(self, prog, args.replace("[OPTIONS]", "[TÙY CHỌN]").replace("COMMAND [ARGS]", "LỆNH [THAM_SỐ]"), "Cách dùng: " if prefix is None else prefix)

    get_help_option = click_core.Command.get_help_option

    def help_option(self, ctx):  # noqa: ANN001, ANN202
        option = get_help_option(self, ctx)
        if option is not None:
            option.help = HELP_OPTION
        return option

    display_type = core._TyperParameter.display_type

    def vi_type(self, ctx):  # noqa: ANN001, ANN202
        shown = display_type(self, ctx)
        return f"<{TYPE_NAMES.get(shown[1:-1], shown[1:-1])}>" if shown.startswith("<") else shown

    def usage_name(self) -> str:  # noqa: ANN001
        name = self.display_name_raw  # {files}... -> TỆP...
        name = name if self.required else f"[{name}]"
        return name + ("..." if self.nargs != 1 and not name.rstrip("]").endswith("...") else "")

    formatting.HelpFormatter.write_usage = usage  # type: ignore[method-assign]
    click_core.Command.get_help_option = help_option  # type: ignore[method-assign]
    core._TyperParameter.display_type = vi_type  # type: ignore[method-assign]
    core.TyperArgument._usage_display_name = usage_name  # type: ignore[method-assign]
    for cls in (core.TyperArgument, core.TyperOption):
        cls._get_number_range_help_str = _range_text(cls._get_number_range_help_str)  # type: ignore[method-assign]


def _range_text(original):  # noqa: ANN001, ANN202
    def text(self):  # noqa: ANN001, ANN202
        shown = original(self)
        if not shown:
            return shown
        low = re.search(r"(-?[\d.]+)<=?x|x>=?(-?[\d.]+)", shown)
        high = re.search(r"x<=?(-?[\d.]+)|(-?[\d.]+)>=?x", shown)
        low_value = (low[1] or low[2]) if low else None
        high_value = (high[1] or high[2]) if high else None
        if low_value and high_value:
            return f"từ {low_value} đến {high_value}"
        return f"từ {low_value} trở lên" if low_value else f"không quá {high_value}" if high_value else shown
    return text


def usage_message(exc: Exception, commands: list[str]) -> str:
    """The Vietnamese wording of a command-line usage error."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    hint = " / ".join(getattr(param, "opts", []) or []) or getattr(param, "name", "") or ""
    if getattr(param, "param_type_name", "") == "argument":  # "TỆP...", as the usage line names it
        hint = f"tham số {getattr(param, 'metavar', None) or hint.upper()}"
    if kind == "MissingParameter":
        return f"thiếu {hint} (bắt buộc)"
    if kind == "NoSuchOption":
        near = sorted(getattr(exc, "possibilities", None) or [])
        return f"không có tùy chọn {exc.option_name}" + (f" (có phải: {', '.join(near)}?)" if near else "")
    if kind == "BadParameter":
        message = str(exc.message)
        bound = re.search(r"greater than or equal to (-?\d+)", message)
        detail = f"cần một số từ {bound[1]} trở lên" if bound else "cần một số nguyên" if "integer" in message \
            else message
        return f"giá trị của {hint} không hợp lệ ({detail})"
    if kind == "NoSuchCommand" or "No such command" in str(exc) or "Không có lệnh" in str(exc):
        import difflib

        name = re.search(r"'([^']*)'", str(exc))
        typed = name[1] if name else ""
        near = difflib.get_close_matches(typed, commands, n=2)
        return f"không có lệnh \"{typed}\"" + (f" (có phải: {', '.join(near)}?)" if near else "") \
            + f"; các lệnh: {', '.join(commands)}"
    return str(exc)
