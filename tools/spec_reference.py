"""Generate the README's spec reference from the pydantic models (the schema is the documentation).

    python tools/spec_reference.py          # print the reference
    python tools/spec_reference.py --write  # replace it in README.md between the markers

tests/test_docs.py fails when README.md and the models disagree.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel

from kehoach_gen.spec import agencies, specs
from kehoach_gen.spec import text as spec_text
from kehoach_gen.spec.deadlines import Deadline

BEGIN = "<!-- spec-reference:begin -->"
END = "<!-- spec-reference:end -->"
README = Path(__file__).resolve().parents[1] / "README.md"

DOCUMENTS = [
    ("Danh mục cơ quan: `plan_specs/<tỉnh>/registry.yaml`", agencies.Registry),
    ("Kế hoạch tỉnh: `plan_specs/<tỉnh>/master-<năm>.yaml`", specs.MasterPlan),
    ("Kế hoạch của cơ quan: `plan_specs/<tỉnh>/<CƠ QUAN>/<năm>.yaml`", specs.AgencySpec),
]


def _type_name(annotation: typing.Any) -> str:
    """A short Vietnamese name for a field's type."""
    import datetime as dt
    import types

    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        pattern = any(getattr(m, "pattern", None) for m in annotation.__metadata__)
        mailbox = any(getattr(m, "func", None) is spec_text._mailbox for m in annotation.__metadata__)
        return "mã" if pattern else "địa chỉ thư" if mailbox else _type_name(args[0])
    if origin in (typing.Union, types.UnionType):
        rest = [a for a in args if a is not type(None)]
        text = " hoặc ".join(_type_name(a) for a in rest)
        return text + (" (tùy chọn)" if len(rest) < len(args) else "")
    if origin is tuple:
        return "danh sách " + _type_name(args[0])
    if origin is dict:
        return f"bảng {_type_name(args[0])} → {_type_name(args[1])}"
    if origin is typing.Literal:
        return "một trong: " + ", ".join(str(a) for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"**{annotation.__name__}**"
    names = {str: "văn bản", int: "số nguyên", float: "số", bool: "true/false", dt.date: "ngày (2025-01-31)"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _nested(annotation: typing.Any) -> list[type[BaseModel]]:
    found = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    for arg in typing.get_args(annotation):
        found += _nested(arg)
    return found


def reference() -> str:
    out = []
    seen: set[type[BaseModel]] = set()
    for title, root in DOCUMENTS:
        out.append(f"### {title}\n")
        queue = [root]
        while queue:
            model = queue.pop(0)
            if model in seen:
                continue
            seen.add(model)
            doc = (model.__doc__ or "").strip().splitlines()[0]
            out.append(f"**{model.__name__}**: {doc}\n")
            out.append("| trường | kiểu | mặc định | ý nghĩa |\n|---|---|---|---|")
            for name, field in model.model_fields.items():
                default = "bắt buộc" if field.is_required() else f"`{field.default!r}`"
                if isinstance(field.default, tuple) and len(repr(field.default)) > 30:
                    default = "(xem mô tả)"
                kind = "mã" if any(getattr(m, "pattern", None) for m in field.metadata) else _type_name(field.annotation)
                out.append(f"| `{name}` | {kind} | {default} | {field.description or ''} |")
                queue += [m for m in _nested(field.annotation) if m not in seen and m is not Deadline]
            out.append("")
    out.append("**Deadline** (thời hạn): " + (Deadline.__doc__ or "").strip() + "\n")
    out.append("| trường | kiểu | mặc định | ý nghĩa |\n|---|---|---|---|")
    for name, field in Deadline.model_fields.items():
        default = "bắt buộc" if field.is_required() else f"`{field.default!r}`"
        out.append(f"| `{name}` | {_type_name(field.annotation)} | {default} | {field.description or ''} |")
    return "\n".join(out) + "\n"


def write() -> None:
    text = README.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{reference()}{END}{tail}", encoding="utf-8")


if __name__ == "__main__":
    write() if "--write" in sys.argv else print(reference())
