"""The straight line of a build: read and check everything, then render, then write.

    inputs.resolve (load -> parse -> merge -> validate)  ->  context  ->  render  ->  output

Nothing is written until the whole input of a plan has validated. Each output is rendered
only when the inputs that made it changed (see manifest.py); an output edited by hand is
left alone unless ``force`` is given, and then a backup is kept first. The CLI and tests
call these functions; they return what happened and never print.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, KehoachError, OutputError, Problem
from .manifest import Manifest, State, inputs_key
from ..heap import settled
from ..output import Family, staged
from ..workspace import Target, Workspace, check_code
from .writing import Action, Outcome, recording, write_one  # noqa: F401 (re-exported: the commands write through them)

if TYPE_CHECKING:
    from ..excel.revisions import Amended
    from ..spec.merge import Merged

# The stages that read specs (inputs, merge, context: pydantic models) are imported where a
# plan is really read: a no-op build only hashes files, and starts faster without them.


@dataclass
class BuildResult:
    """What one plan's build produced."""

    target: Target
    outcomes: list[Outcome] = field(default_factory=list)
    uncovered: tuple[str, ...] = ()
    error: KehoachError | None = None  # set by a batch build, which goes on with the other plans

    @property
    def written(self) -> list[Path]:
        return [o.path for o in self.outcomes if o.action in ("created", "updated", "replaced")]


@dataclass
class NewResult:
    spec: Path
    created: bool
    previous: Path | None
    build: BuildResult | None
    error: KehoachError | None = None  # the build failed after the spec was created (the spec stays)


def check(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> Merged:
    """Validate one plan completely; return the merged plan (with its coverage)."""
    from ..spec.inputs import resolve

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
    return manifest.state(ws.plan_output(target.agency, target.year, target.province), ws.root, key), key


def unchanged(ws: Workspace, target: Target, manifest: Manifest,
              overrides: dict[str, Any] | None = None, pdf: bool = False) -> BuildResult | None:
    """The result of a plan whose outputs are all current (nothing to do), else None.

    With ``pdf`` the plan's PDF must be there and newer than its document too."""
    return _unchanged(ws, target, manifest, *plan_state(ws, target, manifest, overrides), pdf=pdf)


def _unchanged(ws: Workspace, target: Target, manifest: Manifest, state: State,
               key: dict[str, str] | None, pdf: bool = False) -> BuildResult | None:
    out = ws.plan_output(target.agency, target.year, target.province)
    family = manifest.family(out, ws.root)
    if state != "current" or key is None or not family or _progress_collected(ws, target):
        return None  # with progress collected, the consolidated workbook's key holds it: look at everything
    if pdf and (not out.with_suffix(".pdf").is_file() or out.with_suffix(".pdf").stat().st_mtime < out.stat().st_mtime):
        return None
    if all(manifest.state(ws.root / rel, ws.root, key) == "current" for rel in family):
        return BuildResult(target, [Outcome(out, "unchanged")])
    return None


def build(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None, *, force: bool = False,
          manifest: Manifest, pdf: bool = False) -> BuildResult:
    """Render the Kế hoạch of one agency and year, and its trackers, if their inputs changed.

    With ``pdf`` the document's PDF is made from the rendered document and joins the family (written with
    it or not at all). Records what it wrote in ``manifest`` (the caller saves it: see :func:`recording`)."""
    state, key = plan_state(ws, target, manifest, overrides)
    if not force and (done := _unchanged(ws, target, manifest, state, key, pdf=pdf)):
        return done
    from ..spec.context import plan_context
    from ..spec.inputs import resolve

    out = ws.plan_output(target.agency, target.year, target.province)
    merged = resolve(ws, target, overrides)
    template = ws.template()
    if not template.is_file():
        raise OutputError.single("không tìm thấy mẫu Word", file=ws.shown(template), exit_code=3,
                                 hint="Chép lại thư mục templates/ từ một vùng làm việc mới (kehoach init).")
    context = plan_context(merged)
    from ..word.render_docx import render_plan  # heavy: docxtpl, python-docx, lxml

    key = key or inputs_key(input_files(ws, target), ws.root, overrides)
    result = BuildResult(target, uncovered=merged.uncovered)
    # the document and its trackers: all rendered, then all moved into place, or none; the plan's inputs, alive
    # to the end, left out of the collector's walks meanwhile (heap.py)
    with settled(), staged() as family:
        result.outcomes.append(write_one(ws, manifest, out, key, force, lambda tmp: render_plan(context, template, tmp),
                                         family))
        trackers = write_trackers(ws, merged, manifest, key, force, family)
        result.outcomes.extend(trackers)
        if pdf and result.outcomes[0].action != "kept":
            from .pdf import stage_pdf

            if (made := stage_pdf(family, out, ws.shown(out.with_suffix(".pdf")))) is not None:
                result.outcomes.append(Outcome(made[0], "updated" if made[1] else "created"))
    # only a plan built to the end names its workbooks: an interrupted one is looked at again next time
    manifest.note_family(out, ws.root, [o.path for o in trackers])
    return result


def write_trackers(ws: Workspace, merged: Merged, manifest: Manifest, key: dict[str, str],
                   force: bool = False, family: Family | None = None) -> list[Outcome]:
    """One workbook per unit and the consolidated one, under the same rules as the plan.

    The first time a revision of the plan is written its record is kept, before any workbook
    (see excel/revisions.py): rows new or changed since the previous revision are marked. Each
    unit's workbook holds the values already accepted from the unit (its key holds them too, so
    a newly accepted value writes the workbook again). The consolidated workbook shows the facts
    of everything collected so far (its key holds the history)."""
    from functools import partial

    from ..excel.render_office import write_office
    from ..excel.render_xlsx import write_unit  # heavy: xlsxwriter
    from ..excel.revisions import CHANGED_MARK, NEW_MARK
    from ..excel.trackers import KIND_OFFICE, digest, tracker_paths
    from ..followup.office import live_facts
    from ..followup.progress import current, history, save_revision, store_dir
    from .reuse import fingerprint, remembered

    plan = merged.plan
    store = store_dir(ws.output_for(merged.master.province), plan.agency, plan.year)
    amended = amended_trackers(merged, store)
    trackers = amended.trackers
    paths = tracker_paths(ws.output_for(merged.master.province), plan.agency, plan.year, [u.unit for u in trackers.units])
    state = current(store)
    records = history(store)
    facts = live_facts(merged, records)
    keys, writers = {}, {}
    shown = fingerprint(trackers)  # in a watch: a workbook rendered from the same data is not rendered again
    for unit in trackers.units:
        rows = state["units"].get(unit.unit, {}).get("rows", {})
        values = {r.key: rows[r.key] for r in unit.rows if r.key in rows}
        marks = {k: m.text for k, m in amended.marks.get(unit.unit, {}).items()}
        keys[unit.unit] = {**key, **({"<tien-do>": digest(values)[:16]} if values else {}),
                           **({"<sua-doi>": digest(marks)[:16]} if marks else {})}
        writers[unit.unit] = remembered(paths[unit.unit], partial(write_unit, trackers, unit, values=values),
                                        shown, unit.unit, values)
    writers[KIND_OFFICE] = remembered(paths[KIND_OFFICE], lambda tmp: write_office(trackers, facts, tmp), shown, facts)
    keys[KIND_OFFICE] = {**key, "<tien-do>": digest(sorted(r["hash"] for r in records))} if records else key
    with staged(family) as members:
        if amended.new:  # the revision's record is kept before any of its workbooks is in place
            members.before_all(lambda: save_revision(store, amended.record()))
        outcomes = [write_one(ws, manifest, path, keys[name], force, writers[name], members)
                    for name, path in paths.items()]
    if amended.new:  # say which trackers the amendment changed, so the office sends them again
        for outcome, unit in zip(outcomes, trackers.units, strict=False):
            fresh = [m.kind for m in amended.marks.get(unit.unit, {}).values() if m.date == amended.written.date()]
            outcome.amended = (fresh.count(NEW_MARK), fresh.count(CHANGED_MARK))
    return outcomes


def amended_trackers(merged: Merged, store: Path) -> Amended:
    """The plan's trackers marked against the recorded revisions (read from the progress store)."""
    from ..excel.revisions import amend
    from ..excel.trackers import build_trackers
    from .reuse import revisions  # each record parsed once per process (a watch writes one more per revision)

    return amend(build_trackers(merged), revisions(store), now())


def now() -> dt.datetime:
    """The clock a new revision record is dated by (local time, to the second)."""
    return dt.datetime.now().replace(microsecond=0)


def _progress_collected(ws: Workspace, target: Target) -> bool:
    from ..followup.progress import CURRENT, store_dir

    return (store_dir(ws.output_for(target.province), target.agency, target.year) / CURRENT).is_file()


def to_pdf(ws: Workspace, documents: list[Path]) -> list[Path]:
    """Convert the documents whose PDF is missing or older than the document."""
    from .pdf import convert

    todo = [d for d in documents if d.is_file() and (not d.with_suffix(".pdf").is_file()
                                                     or d.with_suffix(".pdf").stat().st_mtime < d.stat().st_mtime)]
    return convert(todo)


def trackers_only(ws: Workspace, target: Target, *, force: bool = False) -> list[Outcome]:
    """Write the plan's trackers (the plan itself is left as it is)."""
    merged = check(ws, target)
    with recording(ws) as manifest:
        key = inputs_key(input_files(ws, target), ws.root)
        return write_trackers(ws, merged, manifest, key, force)


def new(ws: Workspace, target: Target, overrides: dict[str, Any] | None = None) -> NewResult:
    """Create the spec when it is missing (never overwrite), then build."""
    from ..spec.newspec import create_spec

    spec, created, previous = create_spec(ws, target)
    try:
        with recording(ws) as manifest:
            built = build(ws, target, overrides, manifest=manifest)
    except KehoachError as exc:
        if not created:
            raise
        return NewResult(spec=spec, created=created, previous=previous, build=None, error=exc)
    return NewResult(spec=spec, created=created, previous=previous, build=built)


def status(ws: Workspace, targets_: list[Target]) -> list[tuple[Target, Path, State]]:
    """The state of every plan output: missing, stale, edited by hand, current."""
    manifest = Manifest.load(ws.output)
    return [(t, ws.plan_output(t.agency, t.year, t.province), plan_state(ws, t, manifest)[0]) for t in targets_]


def provinces(ws: Workspace, province: str, every: bool) -> list[str]:
    """The provinces a command covers: the one asked for, or with ``every`` each of the workspace."""
    return (ws.provinces() or [province]) if every else [province]


def targets_in(ws: Workspace, chosen: list[str], agency: str | None, year: int | None, everything: bool,
               command: str = "build") -> list[Target]:
    """:func:`targets` over several provinces (``--all-provinces``): those without a matching plan are passed over."""
    if len(chosen) == 1:
        return targets(ws, chosen[0], agency, year, everything, command)
    found: list[Target] = []
    last: InputError | None = None
    for province in chosen:
        try:
            found += targets(ws, province, agency, year, True, command)
        except InputError as exc:
            last = exc
    if not found and last is not None:
        raise last
    return found


def targets(ws: Workspace, province: str, agency: str | None, year: int | None, everything: bool,
            command: str = "build") -> list[Target]:
    """The plans a command covers: one (--agency/--year) or every spec of the province (--all).

    ``command`` names the command in the advice printed when neither is given."""
    if agency is not None and year is not None and not everything:
        return [Target(province, check_code(agency), year)]
    agency = check_code(agency) if agency is not None else None
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
                         hint=f"Ví dụ: kehoach {command} --agency STP --year 2025, hoặc kehoach {command} --all")
    if not found:
        raise InputError.single("không có kế hoạch nào phù hợp", file=ws.shown(root),
                                hint="Tạo kế hoạch bằng: kehoach new --agency MÃ --year NĂM")
    return found
