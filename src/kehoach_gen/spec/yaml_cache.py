"""Parsed YAML kept from one command to the next, under the bytes of the file it came from.

A province's master plan is read by every command of every agency, all year, and hardly ever changes; at
10,000 tasks (4 MB) its parse takes 0.35 s, nearly all of it libyaml's parser and its events (BENCHMARKS.md,
"Large plans"). What is kept: the plain data :mod:`.loading` builds from a file of ``MIN_BYTES`` or more that
parsed without a problem, pickled in the user's cache folder (``kehoach/yaml``) under the SHA-256 of the
file's bytes and of the loader that read them (loading.py, yaml_events.py, yaml_resolver.py, the ruamel.yaml
release, ``FORMAT``): a changed file, or a changed loader, is parsed again. The line map is not kept: a
message that needs it maps the file's own text.

A cache file is trusted no more than any file: it is read only from a folder no other user can write in, when
its own SHA-256 (written in front of it) matches, with an unpickler that builds plain data and dates and nothing
else (no class, no code).
Anything wrong with the cache (missing, unreadable, corrupt, a full disk, a read-only folder) is the same
as no cache: the file is parsed, and nothing is said. At most ``KEEP`` entries are kept, the least
recently used removed first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import pickle
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from ..errors import KehoachError
from ..tempfiles import cache_dir, temp_beside

MIN_BYTES = 256 * 1024  # smaller files parse in a few milliseconds: not worth a cache entry each
KEEP = 24  # entries: a province's masters and the large specs being edited
FORMAT = b"kehoach-yaml 1\n"  # what an entry is; the loader's own source is in the key too
MISSING = object()
_DATES = {"date": dt.date, "datetime": dt.datetime, "timedelta": dt.timedelta, "timezone": dt.timezone}


def folder() -> Path:
    return cache_dir() / "yaml"


def load(entry: str) -> Any:
    """The data kept under ``entry`` (a :func:`key`), else MISSING."""
    path = folder() / f"{entry}.pickle"
    try:
        if not _own(path.parent):
            return MISSING
        blob = path.read_bytes()
    except OSError:
        return MISSING
    try:
        digest, payload = blob[:32], blob[32:]
        if hashlib.sha256(payload).digest() != digest:
            raise ValueError("damaged")
        data = _Plain(io.BytesIO(payload)).load()
    except Exception:  # noqa: BLE001 (whatever a damaged or foreign file raises: it is no cache)
        try:
            path.unlink()  # so that this parse is kept in its place
        except OSError:
            pass
        return MISSING
    try:
        os.utime(path)  # recently used: pruned last
    except OSError:
        pass
    return data


def keep(entry: str, data: Any) -> None:
    """Keep ``data`` under ``entry`` (the :func:`key` of the file it was parsed from) for the next command;
    never fails."""
    target = folder() / f"{entry}.pickle"
    try:
        if target.is_file():
            return
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = pickle.dumps(data, protocol=5)
        tmp = temp_beside(target)
        try:
            tmp.write_bytes(hashlib.sha256(payload).digest() + payload)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        _prune(target.parent)
    except (OSError, KehoachError, pickle.PickleError, RecursionError):  # no cache this time: nothing lost
        pass


def key(raw: bytes, loader: tuple[Path, ...]) -> str:
    """The entry of a file of these bytes read by ``loader`` (the source files of the modules that parse)."""
    return hashlib.sha256(_loader(loader) + raw).hexdigest()


@lru_cache(maxsize=4)
def _loader(loader: tuple[Path, ...]) -> bytes:
    """What decides the data a file gives: this entry format, the loader's sources and the ruamel.yaml release."""
    ruamel = find_spec("ruamel.yaml")
    parts = [FORMAT, *(source.read_bytes() for source in loader),
             Path(ruamel.origin).read_bytes() if ruamel and ruamel.origin else b"?"]
    return hashlib.sha256(b"\0".join(parts)).digest()


def _own(where: Path) -> bool:
    """Whether only this user can write in ``where`` (on Windows, the user's own profile folder)."""
    if os.name == "nt":
        return True
    info = where.stat()
    return info.st_uid == os.geteuid() and not info.st_mode & 0o022


def _prune(where: Path) -> None:
    """Keep the ``KEEP`` entries used last."""
    entries = sorted(where.glob("*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[KEEP:]:
        old.unlink(missing_ok=True)


class _Plain(pickle.Unpickler):
    """Builds what a YAML file can give (texts, numbers, lists, mappings, dates) and nothing else."""

    def find_class(self, module: str, name: str) -> Any:
        if module == "datetime" and name in _DATES:
            return _DATES[name]
        raise pickle.UnpicklingError(f"{module}.{name}")
