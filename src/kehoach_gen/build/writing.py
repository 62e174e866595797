"""Writing one output under the workspace's rules: the lock, the manifest and its journal, hand edits kept.

Every command that writes into ``output/`` does so inside :func:`recording`: it takes the build
lock (clearing what a killed command left), checks that ``output/`` takes new files before anything
is replaced, and saves the manifest at the end, even when a step failed. A refusal of the system
(disk full, read-only folder) anywhere inside becomes a message naming the folder (exit 3).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import KehoachError
from .manifest import Manifest, build_lock, file_hash
from ..output import Family, probe, staged, writing
from ..workspace import Workspace

Action = Literal["created", "updated", "unchanged", "kept", "replaced"]
ROOM = 1 << 20  # free space a command needs in output/ before it starts (more is checked per batch)


@dataclass
class Outcome:
    """What happened to one output file."""

    path: Path
    action: Action
    backup: Path | None = None
    amended: tuple[int, int] = (0, 0)  # a unit's tracker of a new revision: rows added, rows changed that day


@contextmanager
def recording(ws: Workspace, room: int = ROOM) -> Iterator[Manifest]:
    """Hold the workspace's build lock and its manifest; what was recorded is saved even if a step fails."""
    with build_lock(ws.output):
        probe(ws.output, room)
        manifest = Manifest.load(ws.output)
        failed = False
        try:
            with writing(ws.output):
                yield manifest
        except BaseException:
            failed = True
            raise
        finally:
            try:
                manifest.save()
            except KehoachError:
                if not failed:  # the journal keeps what was written: the next command saves it
                    raise


def write_one(ws: Workspace, manifest: Manifest, out: Path, key: dict[str, str], force: bool,
              render: Any, family: Family | None = None) -> Outcome:
    """Write one output unless it is current, or was edited by hand (then keep it, or back it up with force).

    With ``family`` the output is only rendered now; it is moved into place (and recorded) when the family
    commits, after the journal names it with the hash of its new bytes."""
    state = manifest.state(out, ws.root, key)
    if state == "current" and not force:
        return Outcome(out, "unchanged")
    if state in ("edited", "unknown") and not force:
        if state == "unknown" and _same_as_rendered(out, render):
            manifest.record(out, ws.root, key)  # an identical file from before the manifest: adopt it
            return Outcome(out, "unchanged")
        return Outcome(out, "kept")
    from .manifest import backup

    outcome = Outcome(out, "replaced" if state in ("edited", "unknown") else "created" if state == "missing"
                      else "updated")

    def keep_hand_edit() -> None:
        outcome.backup = backup(out)

    digest: list[str] = []
    with staged(family) as members:
        changed = members.stage(out, render, ws.shown(out), after=lambda: manifest.record(out, ws.root, key, *digest),
                                before=keep_hand_edit if outcome.action == "replaced" else None)
        new = members.rendered(out)
        digest.append(file_hash(new if new is not None else out))
        if changed:
            manifest.intend(out, ws.root, key, digest[0])
            members.before_all(manifest.flush)
    if not changed and outcome.action == "updated":
        outcome.action = "unchanged"
    return outcome


def _same_as_rendered(out: Path, render: Any) -> bool:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        probe_file = Path(folder) / out.name
        render(probe_file)
        return probe_file.read_bytes() == out.read_bytes()
