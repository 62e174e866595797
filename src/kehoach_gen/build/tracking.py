"""The pipeline after a plan is issued: returned trackers in (``kehoach collect``), Báo cáo out
(``kehoach report``). Both read the plan as :mod:`pipeline` does, and write under the same rules:
the build lock, the manifest, hand edits kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import Problem
from .manifest import inputs_key
from .pipeline import Outcome, amended_trackers, check, input_files, recording, write_one, write_trackers
from ..workspace import Target, Workspace


@dataclass
class Collected:
    """The outcome of one returned file: accepted ("mới", "trùng", "cũ hơn"), refused with problems,
    or skipped (a mail attachment or message that holds no tracker).

    ``notes``: for a newly kept tracker of an earlier revision, its rows changed or removed since, and
    the tasks it does not have (:class:`kehoach_gen.excel.returned_rows.RowNote`)."""

    file: Path | str
    unit: str | None = None
    status: str | None = None
    saved: str | None = None
    problems: list[Problem] = field(default_factory=list)
    notes: list[Any] = field(default_factory=list)
    hint: str | None = None
    skipped: str | None = None


def collect(ws: Workspace, target: Target, files: list[Path], *,
            any_sender: bool = False) -> tuple[list[Collected], list[Outcome]]:
    """Read returned trackers (untrusted; files or mail, see :mod:`receiving`), keep every accepted one,
    refresh the trackers and the consolidated workbook."""
    from ..followup.progress import DUPLICATE, accept, store_dir
    from .outbox import outbox_dir
    from .receiving import incoming

    merged = check(ws, target)
    store = store_dir(ws.output_for(target.province), target.agency, target.year)
    outcomes: list[Collected] = []
    with recording(ws) as manifest:
        amended = amended_trackers(merged, store)
        own = _sent_ids(outbox_dir(ws.output_for(target.province), target.agency, target.year), target)
        for item in incoming(files, merged, amended, any_sender=any_sender, own=own):
            got = item.submission
            if got is None:
                outcomes.append(Collected(item.file, problems=item.problems, hint=item.hint, skipped=item.skipped))
                continue
            status = accept(store, got)
            notes = [] if status == DUPLICATE else list(got.notes)
            outcomes.append(Collected(item.file, got.unit, status, got.saved_text, notes=notes))
        key = inputs_key(input_files(ws, target), ws.root)
        written = write_trackers(ws, merged, manifest, key) if any(c.status for c in outcomes) else []
    return outcomes, written


def _sent_ids(folder: Path, target: Target) -> frozenset[str]:
    """The Message-IDs send and remind recorded (none when the record cannot be read: collect goes on without)."""
    from ..errors import OutputError
    from .outbox import SendRecord

    try:
        return frozenset(e["message_id"] for e in SendRecord.load(folder, target.agency, target.year).entries)
    except OutputError:
        return frozenset()


def report(ws: Workspace, target: Target, code: str, *, force: bool = False) -> list[Outcome]:
    """Write the Báo cáo of a period from the facts at its cut-off, computed from the whole history, and
    beside it the consolidated workbook of the same cut-off (its figures, for checking and attaching)."""
    from ..excel.render_office import write_office
    from ..excel.trackers import build_trackers
    from ..followup.facts import period_facts
    from ..followup.office import office_facts, period_note
    from ..followup.periods import asked_period, grace
    from ..followup.progress import history, store_dir
    from ..followup.report import report_context
    from ..word.render_docx import render_plan

    merged = check(ws, target)
    cal = merged.master.reporting
    when = asked_period(code, target.year, cal)
    records = history(store_dir(ws.output_for(target.province), target.agency, target.year))
    facts = period_facts(merged, records, when.start, when.end, grace(target.year, cal))
    context = report_context(merged, when, facts)
    figures = office_facts(merged, facts, period_note(when))
    trackers = build_trackers(merged)
    out = ws.output_for(target.province) / str(target.year) / target.agency / f"BC-{target.agency}-{target.year}-{when.code}.docx"
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
