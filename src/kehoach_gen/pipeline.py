"""The straight line of a build: read and check everything, then render, then write.

    inputs.resolve (load -> parse -> merge -> validate)  ->  context  ->  render  ->  output

Nothing is written until the whole input of a plan has validated. The CLI and tests call
these functions; they return what happened and never print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .context import plan_context
from .errors import InputError, OutputError, Problem
from .inputs import Target, resolve
from .merge import Merged
from .newspec import create_spec
from .output import write_atomic
from .workspace import Workspace, check_code


@dataclass
class BuildResult:
    """What one plan's build produced."""

    target: Target
    written: list[Path] = field(default_factory=list)
    uncovered: tuple[str, ...] = ()


@dataclass
class NewResult:
    spec: Path
    created: bool
    previous: Path | None
    build: BuildResult


def check(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> Merged:
    """Validate one plan completely; return the merged plan (with its coverage)."""
    return resolve(ws, target, overrides)


def build(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> BuildResult:
    """Render the Kế hoạch of one agency and year."""
    merged = resolve(ws, target, overrides)
    context = plan_context(merged)
    template = ws.template()
    if not template.is_file():
        raise OutputError.single("không tìm thấy mẫu Word", file=ws.shown(template), exit_code=3,
                                 hint="Chép lại thư mục templates/ từ một vùng làm việc mới (kehoach init).")
    from .render_docx import render_plan  # heavy: docxtpl, python-docx, lxml

    out = ws.plan_output(target.agency, target.year)
    write_atomic(out, lambda tmp: render_plan(context, template, tmp), ws.shown(out))
    return BuildResult(target=target, written=[out], uncovered=merged.uncovered)


def new(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> NewResult:
    """Create the spec when it is missing (never overwrite), then build."""
    spec, created, previous = create_spec(ws, target)
    return NewResult(spec=spec, created=created, previous=previous, build=build(ws, target, overrides))


def targets(ws: Workspace, province: str, agency: str | None, year: int | None, everything: bool) -> list[Target]:
    """The plans a build covers: one (--agency/--year) or every spec of the province (--all)."""
    if agency is not None and year is not None and not everything:
        return [Target(province, check_code(agency), year)]
    root = ws.province_dir(province)
    found = []
    for spec in sorted(root.glob("*/*.yaml")) if root.is_dir() else []:
        if not spec.stem.isdigit():
            continue
        code, spec_year = spec.parent.name, int(spec.stem)
        if (agency is None or code == agency) and (year is None or spec_year == year):
            found.append(Target(province, code, spec_year))
    if not everything and (agency is None or year is None):
        raise InputError([Problem("cần chỉ rõ --agency và --year, hoặc dùng --all")],
                         hint="Ví dụ: kehoach build --agency STP --year 2025")
    if not found:
        where = ws.shown(root)
        raise InputError.single("không có kế hoạch nào phù hợp", file=where,
                                hint="Tạo kế hoạch bằng: kehoach new --agency MÃ --year NĂM")
    return found
