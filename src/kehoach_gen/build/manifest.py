"""What made each output: input hashes, tool hash and the output's own hash.

The manifest (``output/.kehoach-manifest.json``) lets ``kehoach build`` render only what changed
and recognise a document edited by hand since it was generated (its bytes no longer match the
recorded hash), so that it is never overwritten silently. Outputs are deterministic, so hashes
are meaningful. Builds hold an exclusive lock (a file in the temp folder named after the workspace) so two
cannot interleave.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from ..errors import OutputError
from ..output import write_atomic

MANIFEST = ".kehoach-manifest.json"
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

    @classmethod
    def load(cls, output_dir: Path) -> Manifest:
        path = output_dir / MANIFEST
        if not path.is_file():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise OutputError.single("sổ ghi kết quả bị hỏng", file=str(path), exit_code=3,
                                     hint="Xóa tệp này rồi chạy `kehoach build --force` để tạo lại.") from None
        return cls(path, data.get("outputs", {}))

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

    def record(self, output: Path, root: Path, inputs: dict[str, str]) -> None:
        """Note what made ``output``; written to disk by :meth:`save`, once per command."""
        entry = {"inputs": inputs, "output": file_hash(output)}
        self.entries[output.relative_to(root).as_posix()] = entry
        self.recorded[output.relative_to(root).as_posix()] = entry

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
        """Write the manifest if anything was recorded since it was loaded."""
        if not self.recorded:
            return
        text = json.dumps({"version": 1, "outputs": dict(sorted(self.entries.items()))}, ensure_ascii=False,
                          indent=1)
        write_atomic(self.path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))
        self.recorded = {}


def backup(output: Path) -> Path:
    """Keep a timestamped copy beside ``output`` before it is replaced."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = output.with_name(f"{output.stem}.sua-tay-{stamp}{output.suffix}")
    shutil.copy2(output, target)
    return target


def lock_path(output_dir: Path) -> Path:
    """The lock file of a workspace: in the temp folder, so a failed build leaves no trace in output/."""
    import tempfile

    digest = hashlib.sha256(str(output_dir.resolve()).encode()).hexdigest()[:16]
    return Path(tempfile.gettempdir()) / f"kehoach-{digest}.lock"


@contextmanager
def build_lock(output_dir: Path) -> Iterator[None]:
    """Hold the workspace's build lock; a second build waits, then gives up with a message."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(lock_path(output_dir)))
    try:
        with lock.acquire(timeout=LOCK_TIMEOUT):
            yield
    except Timeout:
        raise OutputError.single(f"một lệnh build khác đang chạy trong vùng làm việc này (đã chờ {LOCK_TIMEOUT} giây)",
                                 file=str(lock_path(output_dir)), exit_code=3,
                                 hint="Chờ lệnh kia xong rồi chạy lại.") from None
