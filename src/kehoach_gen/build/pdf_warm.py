"""Conversions on the warm converters of pdf_pool: a batch spread over one converter per core.

``convert`` hands each document to a free converter (starting one on demand), and returns the documents
it could not convert, for the per-call path; it raises :class:`~.pdf_pool.Unavailable` when no
converter can run at all (no Python with ``uno``). ``session`` is what a command wraps its conversions
in: the ``[pdf]`` table of kehoach.toml (``keep_minutes``: how long the converters stay after the last
conversion, 10 by default; 0 closes them when the command ends), the search for a Python with ``uno``
made once for the command and its worker processes, and the one message when there is none.
``warm_up`` starts the converters in the background (``kehoach watch``: the first save is fast);
``close_all`` closes every running converter (``kehoach pdf --dong``).
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import InputError, os_reason
from ..tempfiles import cache_dir
from .pdf_pool import (
    NO_UNO,
    UNO_PYTHON_ENV,
    Converter,
    Unavailable,
    alive,
    cores,
    discard,
    log,
    pool_dir,
    read,
    slot_lock,
    start,
    stop,
)
from .pdf_pool import uno_python as find_uno_python

KEEP_ENV = "KEHOACH_PDF_KEEP_MINUTES"  # overrides keep_minutes of kehoach.toml
DEFAULT_KEEP_MINUTES = 10
_FOUND_ENV = "_KEHOACH_UNO_PYTHON_FOUND"  # the session's finding, for its worker processes: a path or ""
_WAIT_FOR_SLOT = 600


def keep_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(KEEP_ENV, DEFAULT_KEEP_MINUTES)) * 60)
    except ValueError:
        return DEFAULT_KEEP_MINUTES * 60.0


def configured_keep(root: Path) -> float:
    """``keep_minutes`` of the ``[pdf]`` table of the workspace's kehoach.toml, checked."""
    import tomllib

    config = root / "kehoach.toml"
    try:
        text = config.read_text(encoding="utf-8-sig")
        table = tomllib.loads(text).get("pdf", {})
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError.single("không đọc được tệp cấu hình", file=str(config), found=str(exc)) from None
    if not isinstance(table, dict):
        raise InputError.single("sai kiểu dữ liệu", file=str(config), field="pdf", expected="một bảng [pdf]")
    if unknown := sorted(set(table) - {"keep_minutes"}):
        raise InputError.single("khóa không có trong mẫu", file=str(config), line=_line(text, unknown[0]),
                                field=f"pdf.{unknown[0]}", expected="keep_minutes")
    keep = table.get("keep_minutes", DEFAULT_KEEP_MINUTES)
    if isinstance(keep, bool) or not isinstance(keep, (int, float)) or keep < 0:
        raise InputError.single("sai giá trị", file=str(config), line=_line(text, "keep_minutes"), field="pdf.keep_minutes",
                                expected="số phút không âm (0: đóng LibreOffice khi lệnh xong)", found=keep)
    return float(keep)


def _line(text: str, key: str) -> int | None:
    """The line of ``key = …`` in the [pdf] table of kehoach.toml."""
    inside = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.replace(" ", "") == "[pdf]"
        elif inside and stripped.partition("=")[0].strip().strip('"') == key:
            return number
    return None


@contextmanager
def session(root: Path | None, soffice: str | None) -> Iterator[None]:
    """The conversions of one command (and of its worker processes, which inherit what is set here)."""
    saved = {k: os.environ.get(k) for k in (KEEP_ENV, _FOUND_ENV, "_KEHOACH_PDF_OWNER")}
    if root is not None and KEEP_ENV not in os.environ:
        os.environ[KEEP_ENV] = str(configured_keep(root))
    os.environ.setdefault("_KEHOACH_PDF_OWNER", str(os.getpid()))
    if soffice is not None and _FOUND_ENV not in os.environ and not _running():
        found = find_uno_python(soffice)
        os.environ[_FOUND_ENV] = found or ""
        if found is None:
            log.warning(NO_UNO)
    try:
        yield
    finally:
        if keep_seconds() == 0:
            release(int(os.environ["_KEHOACH_PDF_OWNER"]))
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _uno_python(soffice: str) -> str:
    if _FOUND_ENV in os.environ and UNO_PYTHON_ENV not in os.environ:
        found: str | None = os.environ[_FOUND_ENV] or None
    else:
        found = find_uno_python(soffice)
    if found is None:
        raise Unavailable(NO_UNO)
    os.environ[_FOUND_ENV] = found
    return found


def _folder() -> Path:
    try:
        return pool_dir(cache_dir())
    except OSError as exc:  # a cache folder we may not write: the per-call way (its profiles fall back too)
        raise Unavailable(f"không ghi được vào thư mục {cache_dir()} ({os_reason(exc)})") from None


def _running() -> list[Converter]:
    try:
        folder = _folder()
    except Unavailable:
        return []
    return [c for slot in range(cores()) if (c := read(folder, slot)) is not None]


def _ensure(folder: Path, slot: int, soffice: str) -> Converter:
    """The slot's converter (its lock held by the caller): the running one, or one started now."""
    if (converter := read(folder, slot)) is not None:
        return converter
    profile = cache_dir() / f"libreoffice-warm-{slot}"
    return start(folder, slot, soffice, _uno_python(soffice), profile, keep_seconds())


def convert(soffice: str, jobs: list[tuple[Path, Path]], timeout: float) -> list[tuple[Path, Path]]:
    """Convert each (document, pdf) on warm converters (``timeout`` seconds each at most); return the jobs to
    redo the per-call way."""
    folder, queue, failed = _folder(), deque(jobs), []
    broken: list[Unavailable] = []
    count = cores()

    def run(preferred: int) -> None:
        while queue and not broken:
            with _any_slot(folder, preferred, count) as slot:
                try:
                    converter = _ensure(folder, slot, soffice)
                except Unavailable as exc:
                    broken.append(exc)
                    return
                while queue:
                    try:
                        docx, pdf = queue.popleft()
                    except IndexError:
                        return
                    try:
                        converter.convert(docx, pdf, keep_seconds(), timeout)
                    except (OSError, ValueError, RuntimeError) as exc:
                        failed.append((docx, pdf))
                        log.warning(f"LibreOffice chạy sẵn không chuyển được {docx.name} ({str(exc)[:120]}); "
                                    "chuyển lại bằng một lần gọi LibreOffice riêng.")
                        if not isinstance(exc, RuntimeError) or not _answers(converter):
                            discard(folder, converter)  # dead or hung: the next document starts a new one
                            break

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(min(count, len(jobs)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if broken and len(failed) + len(queue) == len(jobs):
        raise broken[0]
    return failed + list(queue)


def _answers(converter: Converter) -> bool:
    try:
        return bool(converter.ask({"op": "ping"}, timeout=5).get("ok"))
    except (OSError, ValueError):
        return False


@contextmanager
def _any_slot(folder: Path, preferred: int, cores: int) -> Iterator[int]:
    """A free slot, the preferred one first; when all are busy, the preferred one as soon as it is free."""
    for slot in [preferred % cores, *(s for s in range(cores) if s != preferred % cores)]:
        with slot_lock(folder, slot, timeout=0) as held:
            if held:
                yield slot
                return
    with slot_lock(folder, preferred % cores, timeout=_WAIT_FOR_SLOT) as held:
        if not held:
            raise Unavailable("mọi LibreOffice chạy sẵn đều bận quá lâu")
        yield preferred % cores


def warm_up(soffice: str) -> threading.Thread | None:
    """Start the converters in the background (one per core) and keep them while this process runs."""
    try:
        folder = _folder()
    except Unavailable:
        return None
    os.environ.setdefault("_KEHOACH_PDF_OWNER", str(os.getpid()))

    def one(slot: int) -> None:
        with slot_lock(folder, slot, timeout=0) as held:
            if not held:
                return  # in use: it is running
            try:
                converter = _ensure(folder, slot, soffice)
                converter.ask({"op": "ping", "owner": int(os.environ["_KEHOACH_PDF_OWNER"]), "idle": keep_seconds()}, 10)
            except (Unavailable, OSError, ValueError):
                return

    def all_slots() -> None:
        workers = [threading.Thread(target=one, args=(s,), daemon=True) for s in range(cores())]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()

    thread = threading.Thread(target=all_slots, daemon=True, name="kehoach-pdf-warm-up")
    thread.start()
    return thread


def release(command: int) -> None:
    """The command ``command`` is done with the converters: those it alone kept (keep 0) close, and this waits
    for them to be gone; those another command still uses (a watch) stay."""
    import time

    try:
        folder, closing = _folder(), []
    except Unavailable:
        return
    for converter in _running():
        try:
            if converter.ask({"op": "release", "owner": command}, timeout=120).get("closing"):
                closing.append(converter)
        except (OSError, ValueError):
            discard(folder, converter)
    deadline = time.monotonic() + 20
    for converter in closing:
        while alive(converter.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if alive(converter.pid):
            stop(folder, converter)


def close_all() -> int:
    """Close every running converter (each when its current conversion is done); return how many."""
    try:
        folder, closed = _folder(), 0
    except Unavailable:
        return 0
    for slot in range(max(cores(), _highest_slot(folder) + 1)):
        with slot_lock(folder, slot, timeout=120):
            if (converter := read(folder, slot)) is not None:
                stop(folder, converter)
                closed += 1
    return closed


def _highest_slot(folder: Path) -> int:
    slots = [int(p.stem[5:]) for p in folder.glob("slot-*.json") if p.stem[5:].isdigit()]
    return max(slots, default=-1)



def disabled() -> bool:
    """The command's session found no Python with ``uno`` (and said so): convert the per-call way."""
    return os.environ.get(_FOUND_ENV) == ""
