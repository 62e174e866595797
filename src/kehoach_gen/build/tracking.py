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
from .pipeline import Outcome, check, input_files, recording, write_one, write_trackers
from ..workspace import Target, Workspace


@dataclass
class Collected:
    """The outcome of one returned file: accepted ("mới", "trùng", "cũ hơn"), refused with problems,
    or skipped (a mail attachment or message that holds no tracker)."""

    file: Path | str
    unit: str | None = None
    status: str | None = None
    saved: str | None = None
    problems: list[Problem] = field(default_factory=list)
    hint: str | None = None
    skipped: str | None = None


def collect(ws: Workspace, target: Target, files: list[Path], *,
            any_sender: bool = False) -> tuple[list[Collected], list[Outcome]]:
    """Read returned trackers (untrusted; files or mail, see :mod:`receiving`), keep every accepted one,
    refresh the consolidated workbook."""
    from ..followup.progress import accept, store_dir
    from .outbox import outbox_dir
    from .receiving import incoming

    merged = check(ws, target)
    store = store_dir(ws.output, target.agency, target.year)
    outcomes: list[Collected] = []
    with recording(ws) as manifest:
        own = _sent_ids(outbox_dir(ws.output, target.agency, target.year), target)
        for item in incoming(files, merged, any_sender=any_sender, own=own):
            got = item.submission
            outcomes.append(Collected(item.file, got.unit, accept(store, got), got.saved_text) if got else
                            Collected(item.file, problems=item.problems, hint=item.hint, skipped=item.skipped))
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
    """Write the Báo cáo of a period, prefilled from the progress collected so far."""
    from ..followup.progress import current, store_dir
    from ..word.render_docx import render_plan
    from ..followup.report import period, report_context

    merged = check(ws, target)
    when = period(code, target.year, merged)
    progress = current(store_dir(ws.output, target.agency, target.year))
    context = report_context(merged, when, progress)
    out = ws.output / str(target.year) / target.agency / f"BC-{target.agency}-{target.year}-{when.code}.docx"
    base = inputs_key(input_files(ws, target), ws.root)
    key = {**base, "<tien-do>": _progress_digest(progress), "<ky>": when.code}
    with recording(ws) as manifest:
        outcome = write_one(ws, manifest, out, key, force, lambda tmp: render_plan(context, ws.template(), tmp))
        refreshed = [o for o in write_trackers(ws, merged, manifest, base, force) if o.action != "unchanged"]
        return [outcome, *refreshed]


def _progress_digest(progress: dict[str, Any]) -> str:
    from ..excel.trackers import digest

    return digest(progress)[:16]
