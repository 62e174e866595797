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

from conftest import copy_workspace
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
    return copy_workspace(tmp_path_factory.mktemp("ref"))


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


@pytest.mark.parametrize(("agency", "year"), [("UBNDNN", 2025), ("SNV", 2021)])
def test_other_layouts_render_from_specs_alone(workspace, agency, year, request):
    """Prose layout with nested authority (UBNDNN); multi-year, other columns, group points (SNV)."""
    document = _build(workspace, agency, year)
    text = dump(document)
    golden = Path(__file__).parent / "golden" / f"KH-{agency}-{year}.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    doc = Document(str(document))
    if agency == "UBNDNN":
        assert len(doc.tables) == 2  # header block and signature only: tasks are prose
        lines = [p.text for p in doc.paragraphs]
        assert "1.1. Xây dựng, ban hành và tổ chức thực hiện các văn bản triển khai thực hiện nhiệm vụ kiểm soát " \
               "TTHC năm 2025." in lines
        assert "a) Chủ trì thực hiện: Văn phòng HĐND và UBND thị xã" in lines
        assert "đ) Chỉ tiêu: 100% TTHC được công khai đầy đủ tại Bộ phận Một cửa thị xã và xã, phường." in lines
        assert [p.text for p in doc.paragraphs if p.style.name == "KH Mục I"] == [
            "I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG THỰC HIỆN", "III. KINH PHÍ THỰC HIỆN", "IV. TỔ CHỨC THỰC HIỆN"]
        signature = doc.tables[-1].cell(0, 1)
        assert [p.text for p in signature.paragraphs if p.text] == [
            "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lâm Văn Mẫu"]
    else:
        table = doc.tables[1]
        assert [c.text for c in table.rows[0].cells] == ["TT", "Nhiệm vụ", "Cơ quan chủ trì", "Cơ quan phối hợp",
                                                         "Sản phẩm / kết quả công việc", "Thời gian hoàn thành"]
        assert "Năm 2023-2025" in text and "Thực hiện năm 2021 và các năm tiếp theo" in text
        group = next(r for r in table.rows if r.cells[0].text == "II")
        assert [p.text for p in group.cells[1].paragraphs][1:] == [
            "1. Tiếp nhận, giải quyết TTHC đúng hạn, công khai, minh bạch;",
            "2. Mở rộng tiếp nhận hồ sơ trực tuyến và qua dịch vụ bưu chính công ích;",
            "3. Số hóa hồ sơ, kết quả giải quyết TTHC."]


def test_several_appendices_are_numbered_and_paged_on_their_own(small_ws):
    from conftest import REPO as repo
    from kehoach_gen.build import pipeline
    from kehoach_gen.spec.inputs import Target

    shutil.copytree(repo / "templates", small_ws.root / "templates")
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    drop = "drop:\n  - id: bao-cao.dinh-ky\n    reason: Văn phòng Sở báo cáo chung\n"
    spec.write_text(spec.read_text(encoding="utf-8").replace(drop, "") + """\
  - id: bao-cao.dinh-ky
    lead: [VP]
layout:
  kind: appendix
  appendices:
    - {title: Nhiệm vụ chỉ đạo, groups: [chi-dao]}
    - {title: Chế độ báo cáo, groups: [bao-cao]}
""", encoding="utf-8")
    with pipeline.recording(small_ws) as manifest:
        result = pipeline.build(small_ws, Target("tinh-a", "STP", 2025), manifest=manifest)
    doc = Document(str(result.written[0]))
    labels = [p.text for p in doc.paragraphs if p.style.name == "KH Phụ lục"]
    assert labels == ["Phụ lục I", "Phụ lục II"]
    sections = doc.sections
    assert [s.orientation for s in sections] == [0, 1, 1]
    starts = [s._sectPr.find(f"{W}pgNumType") for s in sections]
    assert starts[0] is None and [s.get(f"{W}start") for s in starts[1:]] == ["1", "1"]
    romans = [[r.cells[0].text for r in t.rows if r._tr.find(f"{W}tc/{W}tcPr/{W}gridSpan") is not None]
              for t in doc.tables[2:]]
    assert romans == [["I"], ["I"]]  # each appendix numbers its groups from I
