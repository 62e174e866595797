"""The straight line of a build: read and check everything, then render, then write.

    inputs.resolve (load -> parse -> merge -> validate)  ->  context  ->  render  ->  output

Nothing is written until the whole input of a plan has validated. Each output is rendered
only when the inputs that made it changed (see manifest.py); an output edited by hand is
left alone unless ``force`` is given, and then a backup is kept first. The CLI and tests
call these functions; they return what happened and never print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from .context import plan_context
from .errors import InputError, OutputError, Problem
from .inputs import Target, resolve
from .manifest import Manifest, State, build_lock, inputs_key
from .merge import Merged
from .newspec import create_spec
from .output import write_atomic
from .workspace import Workspace, check_code

Action = Literal["created", "updated", "unchanged", "kept", "replaced"]


@dataclass
class Outcome:
    """What happened to one output file."""

    path: Path
    action: Action
    backup: Path | None = None


@dataclass
class BuildResult:
    """What one plan's build produced."""

    target: Target
    outcomes: list[Outcome] = field(default_factory=list)
    uncovered: tuple[str, ...] = ()

    @property
    def written(self) -> list[Path]:
        return [o.path for o in self.outcomes if o.action in ("created", "updated", "replaced")]


@dataclass
class NewResult:
    spec: Path
    created: bool
    previous: Path | None
    build: BuildResult


def check(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> Merged:
    """Validate one plan completely; return the merged plan (with its coverage)."""
    return resolve(ws, target, overrides)


def input_files(ws: Workspace, target: Target) -> list[Path]:
    return [ws.spec_file(target.province, target.agency, target.year), ws.master_file(target.province, target.year),
            ws.registry_file(target.province), ws.template()]


def plan_state(ws: Workspace, target: Target, manifest: Manifest,
               overrides: dict[str, Any] | None = None) -> tuple[State, dict[str, str] | None]:
    files = input_files(ws, target)
    if not all(f.is_file() for f in files):
        return "stale", None
    key = inputs_key(files, ws.root, overrides)
    return manifest.state(ws.plan_output(target.agency, target.year), ws.root, key), key


def build(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None, *, force: bool = False,
          manifest: Manifest | None = None) -> BuildResult:
    """Render the Kế hoạch of one agency and year if its inputs changed."""
    manifest = manifest or Manifest.load(ws.output)
    out = ws.plan_output(target.agency, target.year)
    state, key = plan_state(ws, target, manifest, overrides)
    if state == "current" and not force:
        return BuildResult(target, [Outcome(out, "unchanged")])
    merged = resolve(ws, target, overrides)
    template = ws.template()
    if not template.is_file():
        raise OutputError.single("không tìm thấy mẫu Word", file=ws.shown(template), exit_code=3,
                                 hint="Chép lại thư mục templates/ từ một vùng làm việc mới (kehoach init).")
    context = plan_context(merged)
    from .render_docx import render_plan  # heavy: docxtpl, python-docx, lxml

    key = key or inputs_key(input_files(ws, target), ws.root, overrides)
    result = BuildResult(target, uncovered=merged.uncovered)
    if state in ("edited", "unknown") and not force:
        if state == "unknown" and _same_as_rendered(out, lambda tmp: render_plan(context, template, tmp)):
            manifest.record(out, ws.root, key)  # an identical file from before the manifest: adopt it
            result.outcomes.append(Outcome(out, "unchanged"))
        else:
            result.outcomes.append(Outcome(out, "kept"))
        return result
    from .manifest import backup

    saved = backup(out) if state in ("edited", "unknown") else None
    changed = write_atomic(out, lambda tmp: render_plan(context, template, tmp), ws.shown(out))
    manifest.record(out, ws.root, key)
    action: Action = "replaced" if saved else "created" if state == "missing" else "updated" if changed \
        else "unchanged"
    result.outcomes.append(Outcome(out, action, saved))
    return result


def _same_as_rendered(out: Path, render: Any) -> bool:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe = Path(folder) / out.name
        render(probe)
        return probe.read_bytes() == out.read_bytes()


def build_many(ws: Workspace, targets_: list[Target], overrides: dict[str, Any] | None = None, *,
               force: bool = False, pdf: bool = False) -> list[BuildResult]:
    """Build several plans under the workspace lock, then (optionally) convert to PDF in one batch."""
    with build_lock(ws.output):
        manifest = Manifest.load(ws.output)
        results = [build(ws, t, overrides, force=force, manifest=manifest) for t in targets_]
        if pdf:
            to_pdf(ws, [o.path for r in results for o in r.outcomes if o.action != "kept"])
    return results


def to_pdf(ws: Workspace, documents: list[Path]) -> list[Path]:
    """Convert the documents whose PDF is missing or older than the document."""
    from .pdf import convert

    todo = [d for d in documents if d.is_file() and (not d.with_suffix(".pdf").is_file()
                                                     or d.with_suffix(".pdf").stat().st_mtime < d.stat().st_mtime)]
    return convert(todo)


def new(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> NewResult:
    """Create the spec when it is missing (never overwrite), then build."""
    spec, created, previous = create_spec(ws, target)
    built = build_many(ws, [target], overrides)[0]
    return NewResult(spec=spec, created=created, previous=previous, build=built)


def status(ws: Workspace, targets_: list[Target]) -> list[tuple[Target, Path, State]]:
    """The state of every plan output: missing, stale, edited by hand, current."""
    manifest = Manifest.load(ws.output)
    return [(t, ws.plan_output(t.agency, t.year), plan_state(ws, t, manifest)[0]) for t in targets_]


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
        raise InputError.single("không có kế hoạch nào phù hợp", file=ws.shown(root),
                                hint="Tạo kế hoạch bằng: kehoach new --agency MÃ --year NĂM")
    return found
