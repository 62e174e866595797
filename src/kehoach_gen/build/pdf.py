"""PDF from the rendered .docx files: Microsoft Word where installed, LibreOffice elsewhere.

Word (through docx2pdf) is preferred on Windows and macOS because the office prints with it.
Otherwise LibreOffice converts, on warm converters when it can (pdf_warm: LibreOffice processes kept
running between commands, one per core, started on demand), else the per-call way: starting it costs
about as much as converting a few documents, so a batch goes to as few processes as the cores can keep
busy (one for a few documents, one per core for many: a LibreOffice process converts on one core),
each with its own profile folder kept in the user's cache (a first start builds the profile),
locked while in use so that two conversions never share one (the workers of a parallel build each
convert their plan's PDF at once, each in a profile of its own); and with a timeout. What a warm
converter could not convert (it died, it hung) is converted again the per-call way.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError, Problem
from ..output import Family
from ..tempfiles import alive, cache_dir as _cache_dir
from .pdf_pool import cores as _cores

TIMEOUT_PER_FILE = 60
_SOFFICE_NAMES = ("soffice", "libreoffice")
_WINDOWS_SOFFICE = (r"C:\Program Files\LibreOffice\program\soffice.exe",
                    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe")
_MAC_SOFFICE = "/Applications/LibreOffice.app/Contents/MacOS/soffice"


def find_soffice() -> str | None:
    for name in _SOFFICE_NAMES:
        if found := shutil.which(name):
            return found
    for candidate in (*_WINDOWS_SOFFICE, _MAC_SOFFICE):
        if Path(candidate).is_file():
            return candidate
    return None


def _word_available() -> bool:
    if sys.platform not in ("win32", "darwin"):
        return False
    try:
        import docx2pdf  # noqa: F401
    except ImportError:
        return False
    if sys.platform == "darwin":
        return Path("/Applications/Microsoft Word.app").exists()
    return True  # Windows: docx2pdf drives Word through COM; it fails clearly if Word is absent


def convert(docx_files: Sequence[Path], prefer_word: bool = True) -> list[Path]:
    """Convert each .docx to a .pdf beside it; return the PDFs. Raise OutputError when impossible."""
    if not docx_files:
        return []
    if prefer_word and _word_available():
        return _with_word(docx_files)
    soffice = find_soffice()
    if soffice is None:
        raise OutputError.single(
            "không tìm thấy chương trình chuyển sang PDF (Microsoft Word hoặc LibreOffice)", exit_code=3,
            hint="Cài LibreOffice (Linux: sudo apt-get install libreoffice-writer-nogui fonts-liberation2) "
                 "hoặc Microsoft Word kèm gói docx2pdf, rồi chạy lại lệnh.")
    return _with_warm(soffice, docx_files)


def converter_session(root: Path | None):  # noqa: ANN201 - a context manager
    """The session of a command's conversions: warm LibreOffice converters unless Word converts (see pdf_warm)."""
    from .pdf_warm import session

    return session(root, None if _word_available() else find_soffice())


def warm_up():  # noqa: ANN201 - a thread or None
    """Start the warm LibreOffice converters in the background, kept while this process runs (``kehoach watch``);
    None when Word converts or there is no LibreOffice."""
    from .pdf_warm import warm_up as start

    soffice = None if _word_available() else find_soffice()
    return start(soffice) if soffice else None


def _with_word(docx_files: Sequence[Path]) -> list[Path]:
    from docx2pdf import convert as word_convert

    out = []
    for docx in docx_files:
        pdf = docx.with_suffix(".pdf")
        word_convert(str(docx), str(pdf))
        out.append(pdf)
    return out


_said: set[str] = set()
_RETRY_AFTER = 60.0  # seconds without trying the warm converters again after none could start (a long watch)
_gave_up = [float("-inf")]


def _with_warm(soffice: str, docx_files: Sequence[Path]) -> list[Path]:
    """Convert on warm converters (pdf_warm); what they cannot do goes the per-call way, with a message."""
    from .pdf_pool import Unavailable, log
    from .pdf_warm import disabled

    if disabled() or time.monotonic() - _gave_up[0] < _RETRY_AFTER:  # no Python with uno, or none could start
        return _with_libreoffice(soffice, docx_files)
    from .pdf_warm import convert as warm_convert

    with _scratch("kehoach-pdf-") as out:
        jobs = [(docx, Path(out) / f"{index}.pdf") for index, docx in enumerate(docx_files)]
        try:
            redo = warm_convert(soffice, jobs, TIMEOUT_PER_FILE)
        except Unavailable as exc:
            _gave_up[0] = time.monotonic()
            if str(exc) not in _said:  # said once per process
                _said.add(str(exc))
                log.warning(str(exc) if str(exc).startswith("Chuyển PDF từng lần") else f"Chuyển PDF từng lần (chậm hơn): {exc}.")
            redo = jobs
        for docx, pdf in jobs:
            if (docx, pdf) not in redo:
                shutil.move(pdf, docx.with_suffix(".pdf"))  # the temp folder may be on another disk
    if redo:
        _with_libreoffice(soffice, [docx for docx, _ in redo])
    return [d.with_suffix(".pdf") for d in docx_files]


PER_PROCESS = 6  # documents that make a second LibreOffice process worth its start-up


def _with_libreoffice(soffice: str, docx_files: Sequence[Path]) -> list[Path]:
    """Convert in parallel LibreOffice processes; every PDF lands beside its document.

    LibreOffice writes every PDF into one --outdir, named after the document; documents of the
    same name from different folders go to a later round, so none overwrites another."""
    from concurrent.futures import ThreadPoolExecutor

    for batch in _distinct_names(docx_files):
        chunks = _chunks(batch, min(_cores(), max(1, len(batch) // PER_PROCESS)))
        with ThreadPoolExecutor(len(chunks)) as pool:
            list(pool.map(_convert_chunk, [soffice] * len(chunks), range(len(chunks)), chunks))
    return [d.with_suffix(".pdf") for d in docx_files]


def _convert_chunk(soffice: str, slot: int, files: list[Path]) -> None:
    with _profile(slot) as profile, _scratch("kehoach-pdf-") as out:
        _run_soffice(soffice, profile, Path(out), files)
        for docx in files:
            produced = Path(out) / f"{docx.stem}.pdf"
            if not produced.is_file():
                raise OutputError([Problem("LibreOffice không tạo được PDF", file=str(docx))], exit_code=3)
            shutil.move(produced, docx.with_suffix(".pdf"))  # the temp folder may be on another disk


def _scratch(prefix: str) -> tempfile.TemporaryDirectory[str]:
    """A scratch folder in the system's temporary folder, named with this process's id, so that the next
    conversion removes those of a process that was killed (a kill -9 runs no clean-up)."""
    base = Path(tempfile.gettempdir())
    try:
        for entry in base.glob(prefix + "*-*"):
            pid = entry.name[len(prefix):].partition("-")[0]
            if pid.isdigit() and not alive(int(pid)) and entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
    except OSError:
        pass  # a folder we may not list or remove is no reason not to convert
    return tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-")


SPARE_PROFILES = 8  # cached profiles beyond the batch's own slots, for conversions running at once elsewhere


@contextmanager
def _profile(slot: int) -> Iterator[Path]:
    """A LibreOffice profile folder for this process alone: the cached one of ``slot`` when it is free
    and writable, else a free spare one (the plans of a parallel build convert at once, one per worker),
    else a throw-away one."""
    from filelock import FileLock, Timeout

    spare = max(_cores(), slot + 1)
    for candidate in (slot, *range(spare, spare + SPARE_PROFILES)):
        cached = _cache_dir() / f"libreoffice-{candidate}"
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(cached) + ".lock")
            lock.acquire(timeout=0)
        except (OSError, Timeout):
            continue
        try:
            yield cached
        finally:
            lock.release()
        return
    with _scratch("kehoach-lo-") as fresh:
        yield Path(fresh)


def _chunks(files: list[Path], count: int) -> list[list[Path]]:
    """``files`` dealt into ``count`` chunks of near-equal size, in order."""
    size, extra = divmod(len(files), count)
    out, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        out.append(files[start:end])
        start = end
    return out


def _distinct_names(docx_files: Sequence[Path]) -> list[list[Path]]:
    """As few batches as possible, none holding two documents of the same name."""
    batches: list[list[Path]] = []
    for docx in docx_files:
        batch = next((b for b in batches if all(d.stem != docx.stem for d in b)), None)
        if batch is None:
            batches.append(batch := [])
        batch.append(docx)
    return batches


def _run_soffice(soffice: str, profile: Path, outdir: Path, files: Sequence[Path]) -> None:
    command = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--nolockcheck", "--convert-to", "pdf", "--outdir", str(outdir), *map(str, files)]
    timeout = TIMEOUT_PER_FILE * max(1, len(files)) + 30
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        raise OutputError.single(f"LibreOffice chuyển PDF quá {timeout} giây, đã dừng", exit_code=3,
                                 hint="Đóng các cửa sổ LibreOffice đang mở rồi chạy lại.") from None
    if result.returncode != 0:
        raise OutputError.single("LibreOffice báo lỗi khi chuyển PDF", exit_code=3,
                                 found=(result.stderr or result.stdout).strip()[:300])


def pdf_state(document: Path, state: str) -> str | None:
    """How a plan's PDF stands against its document (None when there is no PDF)."""
    pdf = document.with_suffix(".pdf")
    if not pdf.is_file():
        return None
    if not document.is_file() or pdf.stat().st_mtime < document.stat().st_mtime:
        return "cũ hơn văn bản .docx (nội dung PDF không còn đúng)"
    if state == "stale":
        return "cũ (kế hoạch đã sửa, văn bản cần xuất lại)"
    return "mới nhất"


def stage_pdf(family: Family, document: Path, shown: str) -> tuple[Path, bool] | None:
    """Stage the PDF of a document of ``family``, converted from the bytes being written.

    Returns (the PDF, whether one existed), or None when the PDF is already newer than an unchanged document."""
    source, target = family.rendered(document), document.with_suffix(".pdf")
    if source is None and document.is_file():  # a current document, not rendered again: its PDF may be missing
        source = document
    if source is None or (source == document and target.is_file()
                          and target.stat().st_mtime >= document.stat().st_mtime):
        return None
    existed = target.is_file()
    with _scratch("kehoach-pdf-") as folder:
        copy = Path(folder) / document.name
        shutil.copyfile(source, copy)
        made = convert([copy])[0]
        # the same bytes as the PDF there (a converter that writes no date): it stays, dated with its document
        family.stage(target, lambda tmp: shutil.copyfile(made, tmp), shown, after=lambda: os.utime(target))
    return target, existed
