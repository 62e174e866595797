"""Turn loaded YAML into models, translating every schema error into a Vietnamese problem.

Each pydantic error becomes ``file:line: field: message (cần …, gặp …)``. Field paths use
ids instead of list positions where the item has one (``tasks.cong-bo.quy-trinh.lead``),
and 1-based positions otherwise (``sections[2].items[1]``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..errors import InputError, Problem
from .loading import Loaded, Path_

M = TypeVar("M", bound=BaseModel)

# pydantic error type -> (message, expected); ``{…}`` fields come from the error's ctx.
_MESSAGES: dict[str, tuple[str, str | None]] = {
    "missing": ("thiếu trường bắt buộc", None),
    "extra_forbidden": ("trường không có trong mẫu (có thể gõ sai tên)", None),
    "string_type": ("sai kiểu dữ liệu", "một đoạn văn bản"),
    "int_type": ("sai kiểu dữ liệu", "một số nguyên"),
    "int_parsing": ("sai kiểu dữ liệu", "một số nguyên"),
    "int_from_float": ("sai kiểu dữ liệu", "một số nguyên"),
    "float_type": ("sai kiểu dữ liệu", "một số"),
    "float_parsing": ("sai kiểu dữ liệu", "một số"),
    "bool_type": ("sai kiểu dữ liệu", "true hoặc false"),
    "bool_parsing": ("sai kiểu dữ liệu", "true hoặc false"),
    "list_type": ("sai kiểu dữ liệu", "một danh sách (các dòng bắt đầu bằng \"- \")"),
    "tuple_type": ("sai kiểu dữ liệu", "một danh sách (các dòng bắt đầu bằng \"- \")"),
    "dict_type": ("sai kiểu dữ liệu", "một mục gồm các khóa"),
    "model_type": ("sai kiểu dữ liệu", "một mục gồm các khóa"),
    "model_attributes_type": ("sai kiểu dữ liệu", "một mục gồm các khóa"),
    "date_type": ("sai kiểu dữ liệu", "một ngày dạng 2025-01-31"),
    "date_parsing": ("ngày không hợp lệ", "một ngày dạng 2025-01-31"),
    "date_from_datetime_parsing": ("ngày không hợp lệ", "một ngày dạng 2025-01-31"),
    "date_from_datetime_inexact": ("ngày không hợp lệ", "một ngày dạng 2025-01-31"),
    "literal_error": ("giá trị không hợp lệ", "một trong: {expected}"),
    "enum": ("giá trị không hợp lệ", "một trong: {expected}"),
    "greater_than_equal": ("giá trị quá nhỏ", "từ {ge} trở lên"),
    "greater_than": ("giá trị quá nhỏ", "lớn hơn {gt}"),
    "less_than_equal": ("giá trị quá lớn", "không quá {le}"),
    "less_than": ("giá trị quá lớn", "nhỏ hơn {lt}"),
    "too_short": ("danh sách trống hoặc quá ngắn", "ít nhất {min_length} mục"),
    "too_long": ("quá dài", "tối đa {max_length}"),
    "string_pattern_mismatch": ("sai định dạng mã", None),
    "string_too_long": ("quá dài", "tối đa {max_length} ký tự"),
    "union_tag_invalid": ("giá trị không hợp lệ", None),
    "block_type": ("giá trị không hợp lệ", "một đoạn văn bản hoặc mục heading/numbered/lettered"),
    "lettered_type": ("giá trị không hợp lệ", "lead, coordinate, deadline, results, items, {para: …} hoặc {role/text, label}"),
}

_PATTERN_HELP = {
    r"^[A-ZĐ][A-ZĐ0-9_]{0,19}$": "chữ in hoa, số, dấu _ (ví dụ STP, VP)",
    r"^[a-z0-9][a-z0-9-]{0,39}$": "chữ thường không dấu, số, dấu - (ví dụ soc-trang)",
}


def parse(loaded: Loaded, model: type[M], shown: str) -> M:
    """Validate ``loaded.data`` against ``model``; raise one :class:`InputError` with every problem."""
    try:
        return model.model_validate(loaded.data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, loaded.data, lambda path: (shown, loaded.line_of(_source_path(loaded, path))),
                                       model)) from None


def problems_from(exc: ValidationError, data: Any, locate: Callable[[Path_], tuple[str | None, int | None]],
                  model: type[BaseModel] | None = None) -> list[Problem]:
    """Translate a ValidationError; ``locate`` maps a data path to (file, line)."""
    errors = [e for e in exc.errors(include_url=False) if e["type"] != "too_short" or not _has_child_error(exc, e)]
    problems = []
    for err in errors:
        loc = err["loc"]
        path = tuple(p for i, p in enumerate(loc) if not _is_union_tag(p, loc[i - 1] if i else None))
        file, line = locate(path)
        message, expected = _translate(err)
        found = _found(err)
        if err["type"] == "extra_forbidden" and model is not None:
            message, expected, found = _unknown_key(model, path)
        problems.append(Problem(message, file=file, line=line, field=label(data, path) or None,
                                expected=expected, found=found))
    return _unique(problems)


def _unknown_key(model: type[BaseModel], path: Path_) -> tuple[str, str | None, str | None]:
    """Message for a key the schema does not have, with the valid keys and a likely intended one."""
    import difflib

    allowed = _fields_at(model, path[:-1])
    key = str(path[-1])
    if not allowed:
        return "trường không có trong mẫu", None, f"\"{key}\""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    message = f"trường không có trong mẫu (có phải \"{close[0]}\"?)" if close else "trường không có trong mẫu"
    if not key.isascii() or " " in key:
        # "{name: Phòng A, B}" splits at the comma: the tail becomes a key
        message += "; văn bản có dấu phẩy đặt trong {…} phải để trong ngoặc kép"
    return message, "một trong: " + ", ".join(allowed), f"\"{key}\""


def _fields_at(model: type[BaseModel], path: Path_) -> list[str]:
    """Field names of the model found at ``path`` inside ``model`` (lists and optionals unwrapped)."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        fields = getattr(_model_in(current), "model_fields", None)
        if not fields or part not in fields:
            return []
        current = fields[part].annotation
    found = _model_in(current)
    return list(found.model_fields) if found is not None else []


def _model_in(annotation: Any) -> Any:
    import typing

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        hit = _model_in(arg)
        if hit is not None:
            return hit
    return None


def _is_union_tag(part: Any, before: Any = None) -> bool:
    """A union member's tag in an error location, not a field: the body blocks' tags follow a list
    position ("lettered" is also a field of layouts, groups and tasks)."""
    if not isinstance(part, str):
        return False
    if part in {"para", "heading", "numbered", "lettered"}:
        return isinstance(before, int)
    return part in {"str", "PersonRef"} or part.startswith(("function-", "tagged-union[", "constrained-str",
                                                            "lettered-"))


def _has_child_error(exc: ValidationError, err: Any) -> bool:
    loc = err["loc"]
    return any(o is not err and tuple(o["loc"][: len(loc)]) == tuple(loc) and len(o["loc"]) > len(loc)
               for o in exc.errors(include_url=False))


def _source_path(loaded: Loaded, path: Path_) -> Path_:
    """Undo the folding of task-level shorthand into ``parts[0]`` when the file had no parts."""
    out: list[str | int] = []
    items = list(path)
    node: Any = loaded.data
    while items:
        part = items.pop(0)
        if part == "parts" and isinstance(node, dict) and "parts" not in node and items and items[0] == 0:
            items.pop(0)
            continue
        out.append(part)
        node = node[part] if isinstance(node, dict) and part in node else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return tuple(out)


def _translate(err: Any) -> tuple[str, str | None]:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])), None
    if kind == "string_pattern_mismatch":
        return "sai định dạng", _PATTERN_HELP.get(str(ctx.get("pattern")), f"khớp mẫu {ctx.get('pattern')}")
    message, expected = _MESSAGES.get(kind, ("giá trị không hợp lệ", None))
    if expected:
        expected = expected.format(**{k: str(v).replace("'", "").replace(" or ", " hoặc ") for k, v in ctx.items()})
    return message, expected


def _found(err: Any) -> str | None:
    if err["type"] in {"missing", "value_error"}:
        return None
    value = err.get("input")
    if isinstance(value, dict | list | tuple):
        if not value:
            return "để trống"
        return "một mục gồm các khóa" if isinstance(value, dict) else "một danh sách"
    text = repr(value) if not isinstance(value, str) else f"\"{value}\""
    return text if len(text) <= 60 else text[:57] + "…\""


def label(data: Any, path: Path_) -> str:
    """``tasks.cong-bo.quy-trinh.lead`` for ids, ``sections[2]`` (1-based) otherwise."""
    out = ""
    node = data
    for part in path:
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and part < len(node) else None
            ident = (item.get("id") or item.get("code")) if isinstance(item, dict) else None
            out += f".{ident}" if isinstance(ident, str) and ident else f"[{part + 1}]"
            node = item
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out.lstrip(".")


def _unique(problems: list[Problem]) -> list[Problem]:
    seen: set[Problem] = set()
    return [p for p in problems if not (p in seen or seen.add(p))]
