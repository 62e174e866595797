"""What a long-running process (``kehoach watch``) keeps between builds, and how it warms up.

A build in a fresh process reads everything; a watch rebuilds one plan many times in one process,
so what does not change between two saves is read once:

- the registry and the master plans are already kept per process by their bytes (spec/inputs.py),
  so an edited one is always read again; hashing them again costs well under a millisecond;
- the revision records of a plan (``tien-do/phien-ban/*.json``, one more each time the trackers of
  a new revision are written, never changed afterwards) are parsed once per file here, keyed by
  the file's size, modification time and inode: a record replaced from a backup is read again.

Input hashes are not cached by modification time: over a network share or on FAT the time has a
granularity of a second or two, and an edit of the same length within it would go unnoticed.

:func:`warm_up` loads the heavy libraries and renders one plan into a scratch folder, so that the
first save after ``watch`` starts is as fast as the next ones.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import KehoachError
from ..workspace import Target, Workspace

if TYPE_CHECKING:
    from ..excel.revisions import Revision

_REVISIONS: dict[str, tuple[tuple[int, int, int], Revision]] = {}
_REVISIONS_MAX = 4096  # records kept (a few kB each); past it the cache starts again


def revisions(store: Path) -> list[Revision]:
    """Every recorded revision of a plan (as followup.progress.revisions), each file parsed once while unchanged."""
    from ..followup.progress import read_revision, revision_files

    found = []
    for path in revision_files(store):
        try:
            stat = os.stat(path)
        except OSError:
            found.append(read_revision(path))  # gone since it was listed: its own message
            continue
        key, cached = (stat.st_size, stat.st_mtime_ns, stat.st_ino), _REVISIONS.get(str(path))
        if cached is None or cached[0] != key:
            if len(_REVISIONS) >= _REVISIONS_MAX:
                _REVISIONS.clear()
            cached = _REVISIONS[str(path)] = (key, read_revision(path))
        found.append(cached[1])
    return found


def warm_up(ws: Workspace, targets: list[Target]) -> None:
    """Import the renderers, read the registry and master plans, render the first plan into a scratch folder.

    Nothing is written in the workspace; a plan that does not validate is passed over (its error is
    reported when it is saved)."""
    import tempfile

    from ..excel.render_office import write_office
    from ..excel.render_xlsx import write_unit
    from ..excel.trackers import build_trackers
    from ..followup.office import live_facts
    from ..spec.context import plan_context
    from ..spec.inputs import read_master, read_registry, resolve
    from ..word.render_docx import render_plan

    for province, year in sorted({(t.province, t.year) for t in targets}):
        try:
            read_registry(ws, province)
            read_master(ws, province, year)
        except KehoachError:
            pass
    with tempfile.TemporaryDirectory(prefix="kehoach-warm-") as folder:
        for target in targets:
            try:
                merged = resolve(ws, target)
                render_plan(plan_context(merged), ws.template(), Path(folder) / "plan.docx")
                trackers = build_trackers(merged)
                if trackers.units:
                    write_unit(trackers, trackers.units[0], Path(folder) / "unit.xlsx")
                write_office(trackers, live_facts(merged, []), Path(folder) / "office.xlsx")
            except KehoachError:
                continue
            return
