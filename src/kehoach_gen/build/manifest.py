"""What made each output: input hashes, tool hash and the output's own hash.

The manifest (``output/.kehoach-manifest.json``) lets ``kehoach build`` render only what changed
and recognise a document edited by hand since it was generated (its bytes no longer match the
recorded hash), so that it is never overwritten silently. Outputs are deterministic, so hashes
are meaningful. Builds hold an exclusive lock (a file in the temp folder named after the workspace) so two
cannot interleave.

What is written is recorded as it is written, in a journal beside the manifest
(``output/.kehoach-journal.jsonl``): before a family of outputs is moved into place, one line per
output names it with its inputs and the hash of its new bytes (one append, flushed to disk). The
manifest itself is saved at the end of the command and the journal then removed. After a command
was killed (or could not save the manifest: disk full, read-only folder) the next load replays the
journal: a line whose hash is the file's own is the tool's (the file was moved into place), a line
whose hash is not (killed before the move) is ignored, so the file keeps its previous record and is
rebuilt when stale. Nothing the tool wrote is ever taken for a hand edit.

A lock left by a command that was killed is released by the system; the command that takes it over
says so (:func:`build_lock`), and clears the temporary files the dead one left.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import OutputError
from ..output import notice, sweep, temp_beside, write_atomic, writing

MANIFEST = ".kehoach-manifest.json"
JOURNAL = ".kehoach-journal.jsonl"
LOCK_TIMEOUT = 60

State = Literal["missing", "stale", "edited", "current", "unknown"]
STATE_TEXT = {"missing": "chưa có", "stale": "cần xuất lại", "edited": "đã sửa tay", "current": "mới nhất",
              "unknown": "không rõ nguồn gốc (không có trong sổ ghi)"}


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def tool_hash() -> str:
    """A hash of the package's own code: a new tool version re-renders everything."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def inputs_key(files: list[Path], root: Path, extra: Any = None) -> dict[str, str]:
    """The recorded inputs of an output: each file's hash, the tool hash, command-line overrides."""
    key = {path.relative_to(root).as_posix(): file_hash(path) for path in files}
    key["<tool>"] = tool_hash()
    if extra:
        key["<set>"] = hashlib.sha256(json.dumps(extra, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return key


@dataclass
class Manifest:
    """The record of the outputs of one workspace."""

    path: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    recorded: dict[str, dict[str, Any]] = field(default_factory=dict)  # by this process, not saved yet
    pending: list[dict[str, Any]] = field(default_factory=list)  # lines for the journal, not written yet

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        path = output_dir / MANIFEST
        manifest = cls(path)
        if path.is_file():
            try:
                manifest.entries = json.loads(path.read_text(encoding="utf-8")).get("outputs", {})
            except (ValueError, UnicodeDecodeError, AttributeError):
                raise OutputError.single("sổ ghi kết quả bị hỏng", file=str(path), exit_code=3,
                                         hint="Xóa tệp này rồi chạy `kehoach build --force` để tạo lại.") from None
        manifest.replay()
        return manifest

    @property
    def journal(self) -> Path:
        return self.path.with_name(JOURNAL)

    def replay(self) -> None:
        """Take in what the journal says was written by a command that did not save the manifest."""
        try:
            lines = self.journal.read_bytes().splitlines()
        except OSError:
            return
        root, hashes = self.path.parent.parent, {}
        for line in lines:
            try:
                item = json.loads(line)
                rel, digest = item["path"], item["output"]
            except (ValueError, UnicodeDecodeError, KeyError, TypeError):
                continue  # a line cut short by a full disk or a kill: its files were not moved into place
            if rel not in hashes:
                hashes[rel] = file_hash(root / rel) if (root / rel).is_file() else None
            if hashes[rel] != digest:
                continue  # killed before the move: the file keeps its previous record
            if "family" in item:
                if self.entries.get(rel, {}).get("output") == digest:
                    self.entries[rel] = self.recorded[rel] = {**self.entries[rel], "family": item["family"]}
            else:
                self.entries[rel] = self.recorded[rel] = {"inputs": item["inputs"], "output": digest}

    def state(self, output: Path, root: Path, inputs: dict[str, str]) -> State:
        rel = output.relative_to(root).as_posix()
        entry = self.entries.get(rel)
        if not output.exists():
            return "missing"
        if entry is None:
            return "unknown"
        if file_hash(output) != entry["output"]:
            return "edited"
        return "current" if entry["inputs"] == inputs else "stale"

    def record(self, output: Path, root: Path, inputs: dict[str, str], digest: str | None = None) -> None:
        """Note what made ``output`` (its bytes hash to ``digest``); written to disk by :meth:`save`."""
        entry = {"inputs": inputs, "output": digest or file_hash(output)}
        self.entries[output.relative_to(root).as_posix()] = entry
        self.recorded[output.relative_to(root).as_posix()] = entry

    def intend(self, output: Path, root: Path, inputs: dict[str, str], digest: str) -> None:
        """Note that ``output`` is about to get bytes hashing to ``digest``: journalled by :meth:`flush`."""
        self.pending.append({"path": output.relative_to(root).as_posix(), "inputs": inputs, "output": digest})

    def flush(self) -> None:
        """Append the pending lines to the journal, on disk before any of their files is moved into place."""
        if not self.pending:
            return
        data = b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in self.pending)
        with writing(self.journal.parent):
            fd = os.open(self.journal, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
            try:
                if os.write(fd, data) != len(data):
                    raise OSError(28, "short write", str(self.journal))
                os.fsync(fd)
            finally:
                os.close(fd)
        self.pending = []

    def note_family(self, output: Path, root: Path, members: list[Path]) -> None:
        """Note the other outputs made with ``output`` (a plan's workbooks), once all were written.

        A build may skip a plan only when the plan and every member are current; a plan whose
        build stopped half-way has no family noted, so it is looked at again."""
        rel = output.relative_to(root).as_posix()
        entry = self.entries.get(rel)
        family = sorted(m.relative_to(root).as_posix() for m in members)
        if entry is None or entry.get("family") == family:
            return  # a file of unknown origin has no entry; an unchanged family is not written again
        self.entries[rel] = self.recorded[rel] = {**entry, "family": family}
        self.pending.append({"path": rel, "output": entry["output"], "family": family})
        self.flush()

    def family(self, output: Path, root: Path) -> list[str]:
        """The members noted by :meth:`note_family` (none for a plan never built to the end)."""
        return list(self.entries.get(output.relative_to(root).as_posix(), {}).get("family", []))

    def under(self, folder: Path, root: Path) -> Manifest:
        """A copy holding only the entries of outputs in ``folder`` (what a worker process needs)."""
        prefix = folder.relative_to(root).as_posix() + "/"
        return Manifest(self.path, {rel: e for rel, e in self.entries.items() if rel.startswith(prefix)})

    def merge(self, recorded: dict[str, dict[str, Any]]) -> None:
        self.entries.update(recorded)
        self.recorded.update(recorded)

    def save(self) -> None:
        """Write the manifest if anything was recorded since it was loaded, then drop the journal it holds."""
        if not self.recorded and not self.journal.exists():
            return
        text = json.dumps({"version": 1, "outputs": dict(sorted(self.entries.items()))}, ensure_ascii=False,
                          indent=1)
        write_atomic(self.path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        self.journal.unlink(missing_ok=True)
        self.recorded = {}


def backup(output: Path) -> Path:
    """Keep a timestamped copy beside ``output`` before it is replaced (whole, or not at all)."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = output.with_name(f"{output.stem}.sua-tay-{stamp}{output.suffix}")
    tmp = temp_beside(target)
    try:
        with writing(output.parent):
            tmp.write_bytes(output.read_bytes())
            os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def lock_path(output_dir: Path) -> Path:
    """The lock file of a workspace: in the temp folder, so a failed build leaves no trace in output/."""
    import tempfile

    digest = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kehoach-{digest}.lock"


@contextmanager
def build_lock(output_dir: Path) -> Iterator[None]:
    """Hold the workspace's build lock; a second build waits, then gives up with a message.

    Beside the lock, ``….owner`` names the process holding it. Finding one of a process no longer
    running means that command was killed: the system freed its lock, this command says so, and
    removes the temporary files it left in the workspace."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(output_dir)))
    try:
        lock.acquire(timeout=LOCK_TIMEOUT)
    except Timeout:
        raise OutputError.single(f"một lệnh build khác đang chạy trong vùng làm việc này (đã chờ {LOCK_TIMEOUT} giây)",
                                 file=str(lock_path(output_dir)), exit_code=3,
                                 hint="Chờ lệnh kia xong rồi chạy lại.") from None
    owner = lock_path(output_dir).with_suffix(".owner")
    try:
        _take_over(owner, output_dir)
        yield
    finally:
        if output_dir.is_dir():
            sweep(output_dir)  # what a worker killed during this command left
        owner.unlink(missing_ok=True)
        lock.release()


def _take_over(owner: Path, output_dir: Path) -> None:
    try:
        before = json.loads(owner.read_text(encoding="utf-8"))
        pid, since = int(before["pid"]), str(before["since"])
    except (OSError, ValueError, KeyError, TypeError):
        pid = since = None
    if output_dir.is_dir():
        removed = sweep(output_dir)
        if pid is not None and pid != os.getpid():
            notice(f"Lệnh kehoach trước (tiến trình {pid}, bắt đầu lúc {since}) đã dừng đột ngột; khóa của nó đã được "
                   f"tiếp quản" + (f", đã dọn {len(removed)} tệp tạm nó để lại." if removed else ".")
                   + " Lệnh này làm tiếp phần còn dở.")
    try:
        owner.write_text(json.dumps({"pid": os.getpid(), "since": dt.datetime.now().strftime("%H:%M:%S %d/%m/%Y")}),
                         encoding="utf-8")
    except OSError:
        pass  # the temp folder is full or read-only: the lock itself still holds
