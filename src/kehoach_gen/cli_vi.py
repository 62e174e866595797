"""Vietnamese for the words Click and Typer print around our own help and error texts.

Click looks every such string up through ``gettext`` at call time; pointing its modules'
``_`` at this table gives office users "Cách dùng:", "Tùy chọn:", "Thiếu tùy chọn …" instead of
the English defaults. Strings not in the table pass through unchanged.
"""

from __future__ import annotations

VI = {
    "Usage:": "Cách dùng:",
    "Options": "Tùy chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Tham số",
    "Show this message and exit.": "Xem hướng dẫn này rồi thoát.",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Missing argument": "Thiếu tham số",
    "Missing option": "Thiếu tùy chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "No such option {name!r}.": "Không có tùy chọn {name!r}.",
    "No such option: {name}": "Không có tùy chọn: {name}",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải là số nguyên hợp lệ.",
    "Option {name!r} requires an argument.": "Tùy chọn {name!r} cần một giá trị.",
    "Option {name!r} does not take a value.": "Tùy chọn {name!r} không nhận giá trị.",
    "Got unexpected extra argument ({args})": "Thừa tham số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các tham số ({args})",
    "Missing command.": "Thiếu lệnh.",
    "Aborted!": "Đã dừng.",
    "required": "bắt buộc",
    "default: {default}": "mặc định: {default}",
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
        detail = "cần một số nguyên" if "integer" in str(exc.message) else exc.message
        return f"giá trị của {hint} không hợp lệ ({detail})"
    if kind == "NoSuchCommand" or "No such command" in str(exc):
        return f"không có lệnh này ({exc}); các lệnh: {', '.join(commands)}"
    return str(exc)
