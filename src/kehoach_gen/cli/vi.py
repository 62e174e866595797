"""Vietnamese for the words Click prints around our own help and error texts.

Click looks its strings up through ``gettext`` at call time: pointing its modules' ``_`` at this table
gives office users "Cách dùng:", "Tùy chọn", "Lệnh", "[bắt buộc]". The usage lines' "[TÙY CHỌN]" and
"LỆNH [THAM_SỐ]..." are the commands' own (:mod:`.common`); usage errors are reworded here from the
exception (:func:`usage_message`). Strings not in the table pass through unchanged.
"""

from __future__ import annotations

import re

VI = {  # the strings Click looks up through gettext that reach a user of `kehoach`
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
    "Got unexpected extra argument ({args})": "thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "thừa tham số ({args})",
    "Option {name!r} requires an argument.": "tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "tùy chọn {name!r} cần {nargs} giá trị.",
}


def vi(message: str) -> str:
    return VI.get(message, message)


def vi_plural(singular: str, plural: str, count: int) -> str:
    return vi(singular if count == 1 else plural)


def install() -> None:
    """Point Click's message lookups at the Vietnamese table."""
    import sys

    import click  # noqa: F401  (loads click.*)

    for name, module in list(sys.modules.items()):
        if name != "click" and not name.startswith("click.") or module is None:
            continue
        if callable(getattr(module, "_", None)):
            module._ = vi  # type: ignore[attr-defined]
        if callable(getattr(module, "ngettext", None)):
            module.ngettext = vi_plural  # type: ignore[attr-defined]


def range_text(shown: str) -> str:
    """Click's description of a number range ("x>=1", "0<=x<=9") in Vietnamese."""
    low = re.search(r"(-?[\d.]+)<=?x|x>=?(-?[\d.]+)", shown)
    high = re.search(r"x<=?(-?[\d.]+)|(-?[\d.]+)>=?x", shown)
    low_value = (low[1] or low[2]) if low else None
    high_value = (high[1] or high[2]) if high else None
    if low_value and high_value:
        return f"từ {low_value} đến {high_value}"
    return f"từ {low_value} trở lên" if low_value else f"không quá {high_value}" if high_value else shown


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
        bound = re.search(r"not in the range (\S+)\.$", message)
        detail = f"cần một số {range_text(bound[1])}" if bound else "cần một số nguyên" if "integer" in message \
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
