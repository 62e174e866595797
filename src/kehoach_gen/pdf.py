"""PDF from the rendered .docx files: Microsoft Word where installed, LibreOffice elsewhere.

Word (through docx2pdf) is preferred on Windows and macOS because the office prints with it.
Otherwise LibreOffice converts every file of a batch in ONE headless process (about ten times
faster than a process per file), with its own throw-away profile directory so parallel
conversions never share (and lock) a profile, and with a timeout.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from .errors import OutputError, Problem

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
    return _with_libreoffice(soffice, docx_files)


def _with_word(docx_files: Sequence[Path]) -> list[Path]:
    from docx2pdf import convert as word_convert

    out = []
    for docx in docx_files:
        pdf = docx.with_suffix(".pdf")
        word_convert(str(docx), str(pdf))
        out.append(pdf)
    return out


def _with_libreoffice(soffice: str, docx_files: Sequence[Path]) -> list[Path]:
    """One soffice process for the whole batch (starting LibreOffice costs more than a conversion).

    LibreOffice writes every PDF into one --outdir, named after the document; documents of
    the same name from different folders go to a second call, so none overwrites another."""
    with tempfile.TemporaryDirectory(prefix="kehoach-lo-") as profile:
        work = Path(profile) / "out"
        for batch in _distinct_names(docx_files):
            work.mkdir(exist_ok=True)
            _run_soffice(soffice, Path(profile), work, batch)
            for docx in batch:
                produced = work / f"{docx.stem}.pdf"
                if not produced.is_file():
                    raise OutputError([Problem("LibreOffice không tạo được PDF", file=str(docx))], exit_code=3)
                shutil.move(produced, docx.with_suffix(".pdf"))  # the temp folder may be on another disk
    return [d.with_suffix(".pdf") for d in docx_files]


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
