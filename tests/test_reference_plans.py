"""The two issued reference plans come out of their specs with their words intact.

Every paragraph and every table cell of the reference text (shared/reference, a plain-text
extraction of the issued documents) must be found in the generated document. Fragments that
the extraction split across pages are each found inside the whole cell or paragraph.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from docx import Document

from conftest import REPO
from docx_dump import dump

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference"
if not REFERENCE.is_dir():  # CI checks out the project alone: keep a copy of the references in tests/
    REFERENCE = Path(__file__).parent / "reference"
KEHOACH = str(Path(sys.executable).parent / "kehoach")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# Extraction artefacts, not words of the plan: the number line lost its layout ("02 /KH-STP").
ARTEFACTS = {"Số: 02 /KH-STP", "Số: 05 /KH-SKHCCN"}


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    text = re.sub(r"</?a\b[^>]*>", "", text)  # links keep their visible text, inline
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("**", " ").replace("\u00a0", " ")
    text = re.sub(r"^#+\s*", "", text.strip())
    return " ".join(text.split())


def reference_fragments(name: str) -> list[str]:
    lines = (REFERENCE / name).read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        for cell in line.split("\t"):
            text = _norm(cell)
            if text and text != "-" and text not in ARTEFACTS and not re.fullmatch(r"[-|\s]*", text):
                out.append(text)
    return out


def document_text(path: Path) -> str:
    """Paragraph and cell texts of the document, each cell's lines joined by spaces."""
    body = Document(str(path)).element.body
    chunks = []
    for tc in body.iter(f"{W}tc"):
        chunks.append(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p")))
    rows = []
    for tr in body.iter(f"{W}tr"):
        rows.append(" ".join(" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.iter(f"{W}p"))
                             for tc in tr.iter(f"{W}tc")))
    paragraphs = ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]
    return "\n".join(_norm(c) for c in chunks + rows + paragraphs)


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("ref")
    for name in ("kehoach.toml", "plan_specs", "templates"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, root / name)
    return root


def _build(root: Path, agency: str, year: int) -> Path:
    result = subprocess.run([KEHOACH, "build", "--agency", agency, "--year", str(year)], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    return root / f"output/{year}/{agency}/KH-{agency}-{year}.docx"


@pytest.mark.parametrize(("agency", "year", "reference"), [
    ("STP", 2021, "KH-STP-2021-soc-trang.md"),
    ("SKHCN", 2025, "KH-SKHCN-2025-soc-trang.md"),
])
def test_every_reference_fragment_is_in_the_document(workspace, agency, year, reference, request):
    document = _build(workspace, agency, year)
    text = document_text(document)
    missing = [f for f in reference_fragments(reference) if f not in text]
    assert missing == []
    golden = Path(__file__).parent / "golden" / f"KH-{agency}-{year}.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(dump(document), encoding="utf-8")
    assert dump(document) == golden.read_text(encoding="utf-8")
