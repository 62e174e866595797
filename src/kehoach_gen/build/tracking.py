"""The pipeline after a plan is issued: returned trackers in (``kehoach collect``), Báo cáo out
(``kehoach report``). Both read the plan as :mod:`pipeline` does, and write under the same rules:
the build lock, the manifest, hand edits kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from .manifest import inputs_key
from .pipeline import Outcome, amended_trackers, check, input_files, recording, write_one, write_trackers
from ..workspace import Target, Workspace


@dataclass
class Collected:
    """The outcome of one returned file: accepted ("mới", "trùng", "cũ hơn") or refused with problems.

    ``notes``: for a newly kept tracker of an earlier revision, its rows changed or removed since, and
    the tasks it does not have (:class:`kehoach_gen.excel.revisions.RowNote`)."""

    file: Path
    unit: str | None = None
    status: str | None = None
    saved: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)


def collect(ws: Workspace, target: Target, files: list[Path]) -> tuple[list[Collected], list[Outcome]]:
    """Read returned trackers (untrusted), keep every accepted one, refresh the consolidated workbook."""
    from ..excel.collect import read_return
    from ..followup.progress import DUPLICATE, accept, store_dir

    merged = check(ws, target)
    store = store_dir(ws.output, target.agency, target.year)
    outcomes: list[Collected] = []
    with recording(ws) as manifest:
        amended = amended_trackers(merged, store)
        for file in files:
            try:
                submission = read_return(file, merged, str(file), amended)
            except InputError as exc:
                outcomes.append(Collected(file, problems=exc.problems))
                continue
            status = accept(store, submission)
            notes = [] if status == DUPLICATE else list(submission.notes)
            outcomes.append(Collected(file, submission.unit, status, submission.saved_text, notes=notes))
        key = inputs_key(input_files(ws, target), ws.root)
        written = write_trackers(ws, merged, manifest, key) if any(c.status for c in outcomes) else []
    return outcomes, written


def report(ws: Workspace, target: Target, code: str, *, force: bool = False) -> list[Outcome]:
    """Write the Báo cáo of a period from the facts at its cut-off, computed from the whole history, and
    beside it the consolidated workbook of the same cut-off (its figures, for checking and attaching)."""
    from ..excel.render_office import write_office
    from ..excel.trackers import build_trackers
    from ..followup.facts import period_facts
    from ..followup.office import office_facts, period_note
    from ..followup.periods import grace, period
    from ..followup.progress import history, store_dir
    from ..followup.report import report_context
    from ..word.render_docx import render_plan

    merged = check(ws, target)
    cal = merged.master.reporting
    when = period(code, target.year, cal)
    records = history(store_dir(ws.output, target.agency, target.year))
    facts = period_facts(merged, records, when.start, when.end, grace(target.year, cal))
    context = report_context(merged, when, facts)
    figures = office_facts(merged, facts, period_note(when))
    trackers = build_trackers(merged)
    out = ws.output / str(target.year) / target.agency / f"BC-{target.agency}-{target.year}-{when.code}.docx"
    book = out.with_name(f"{out.stem}-tong-hop.xlsx")
    base = inputs_key(input_files(ws, target), ws.root)
    key = {**base, "<tien-do>": _history_digest(records), "<ky>": when.code}
    with recording(ws) as manifest:
        outcome = write_one(ws, manifest, out, key, force, lambda tmp: render_plan(context, ws.template(), tmp))
        figures_outcome = write_one(ws, manifest, book, key, force, lambda tmp: write_office(trackers, figures, tmp))
        refreshed = [o for o in write_trackers(ws, merged, manifest, base, force) if o.action != "unchanged"]
        return [outcome, figures_outcome, *refreshed]


def _history_digest(records: list[dict[str, Any]]) -> str:
    from ..excel.trackers import digest

    return digest(sorted(r["hash"] for r in records))[:16]
