"""What a long-running process (``kehoach watch``) keeps between builds, and how it warms up.

A build in a fresh process reads everything; a watch rebuilds one plan many times in one process,
so what does not change between two saves is read once:

- the registry and the master plans are already kept per process by their bytes (spec/inputs.py),
  so an edited one is always read again; hashing them again costs well under a millisecond;
- the revision records of a plan (``tien-do/phien-ban/*.json``, one more each time the trackers of
  a new revision are written, never changed afterwards) are parsed once per file here, keyed by
  the file's size, modification time and inode: a record replaced from a backup is read again.

- in the process that called :func:`enable` (the watch's own, not its batch workers), a workbook whose
  rendering inputs (the plan's trackers with their marks, the unit's accepted values, the office's facts:
  their pickled bytes) are those of the file in place, as rendered by this process, is not rendered
  again: its bytes are copied (an edit of the plan's text outside its tasks writes no workbook).

Input hashes are not cached by modification time: over a network share or on FAT the time has a
granularity of a second or two, and an edit of the same length within it would go unnoticed.

:func:`warm_up` loads the heavy libraries and renders one plan into a scratch folder, so that the
first save after ``watch`` starts is as fast as the next ones.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

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


_enabled_in: int | None = None  # the process whose renderings are remembered
_RENDERED: dict[str, tuple[str, str]] = {}  # output -> (fingerprint of its rendering inputs, sha256 of the bytes)


def enable() -> None:
    """Remember the renderings of this process (the watch's): see :func:`remembered`."""
    global _enabled_in
    _enabled_in = os.getpid()


def fingerprint(*inputs: Any) -> str | None:
    """A digest of ``inputs`` (plain data), or None when renderings are not remembered in this process."""
    if _enabled_in != os.getpid():
        return None
    try:
        return hashlib.sha256(pickle.dumps(inputs, protocol=5)).hexdigest()
    except Exception:  # noqa: BLE001 - something that does not pickle: rendered as always
        return None


def remembered(out: Path, render: Callable[[Path], None], base: str | None, *inputs: Any) -> Callable[[Path], None]:
    """``render``, or a copy of ``out`` when it holds what this process rendered from the same inputs.

    ``base`` is the :func:`fingerprint` of the inputs shared by several outputs (None: nothing is remembered)."""
    key = fingerprint(base, *inputs) if base is not None else None
    if key is None:
        return render

    def write(tmp: Path) -> None:
        known = _RENDERED.get(str(out))
        if known is not None and known[0] == key and _sha(out) == known[1]:
            shutil.copyfile(out, tmp)
            return
        render(tmp)
        _RENDERED[str(out)] = (key, _sha(tmp))

    return write


def _sha(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


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
