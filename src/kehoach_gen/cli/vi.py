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


def usage_message(exc: Exception, commands: list[str]) -> str:
    """The Vietnamese wording of a command-line usage error."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    hint = " / ".join(getattr(param, "opts", []) or []) or getattr(param, "name", "") or ""
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
    if kind == "NoSuchCommand" or "No such command" in str(exc):
        return f"không có lệnh này ({exc}); các lệnh: {', '.join(commands)}"
    return str(exc)
