"""End to end: STP 2025 from the shipped sample data, read back to check the decree's facts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm

from conftest import REPO, copy_workspace
from docx_dump import dump

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
GOLDEN = Path(__file__).parent / "golden"
KEHOACH = str(Path(sys.executable).parent / "kehoach")


@pytest.fixture(scope="module")
def stp_2025(tmp_path_factory) -> Path:
    """A copy of the repository workspace, built through the real CLI."""
    root = copy_workspace(tmp_path_factory.mktemp("ws"))
    result = subprocess.run([KEHOACH, "build", "--agency", "STP", "--year", "2025"], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "Đã tạo output/2025/STP/KH-STP-2025.docx"
    return root / "output/2025/STP/KH-STP-2025.docx"


def _style_of(doc, paragraph):  # noqa: ANN001, ANN202
    return doc.styles[paragraph.style.name] if paragraph.style is not None else None


def _effective(doc, paragraph, attr: str):  # noqa: ANN001, ANN202
    """A run property resolved the way Word does: run, then paragraph style chain, then defaults."""
    for run in paragraph.runs:
        value = getattr(run.font, attr)
        if value is not None:
            return value
    style = paragraph.style
    while style is not None:
        value = getattr(style.font, attr)
        if value is not None:
            return value
        style = style.base_style
    return None


def test_page_setup_p1_p2_p5(stp_2025):
    doc = Document(str(stp_2025))
    assert len(doc.sections) == 1
    section = doc.sections[0]
    assert (section.page_width, section.page_height) == (Mm(210), Mm(297)) or (
        section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [20, 20, 30, 15]
    assert section.different_first_page_header_footer  # w:titlePg
    assert "".join(p.text for p in section.first_page_header.paragraphs) == ""
    header = section.header._element
    assert [t.text.strip() for t in header.iter(f"{W}instrText")] == ["PAGE"]
    assert section.header.paragraphs[0].style.paragraph_format.alignment == 1  # centred


def test_fonts_p3_p4(stp_2025):
    doc = Document(str(stp_2025))
    styles = doc.styles.element
    fonts = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert {k.split("}")[1]: v for k, v in fonts.attrib.items()} == {
        "ascii": "Times New Roman", "hAnsi": "Times New Roman", "cs": "Times New Roman", "eastAsia": "Times New Roman"}
    lang = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert lang.get(f"{W}val") == "vi-VN"
    for style in styles.findall(f"{W}style"):
        rfonts = style.find(f"{W}rPr/{W}rFonts")
        if rfonts is not None:
            assert {rfonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "cs", "eastAsia")} == {"Times New Roman"}
        assert style.find(f"{W}rPr/{W}rFonts[@{W}asciiTheme]") is None
    sizes = set()
    for p in doc.paragraphs:
        if p.text.strip():
            sizes.add(_effective(doc, p, "size").pt)
    assert sizes == {14.0}  # body paragraphs: one size (13/14 pair, P4)


def _header_cells(doc):  # noqa: ANN001, ANN202
    table = doc.tables[0]
    return table.cell(0, 0), table.cell(0, 1), table.cell(1, 0), table.cell(1, 1)


def test_header_block_h1_h6(stp_2025):
    doc = Document(str(stp_2025))
    left, right, number, date = _header_cells(doc)
    texts = [p.text for p in left.paragraphs if p.text]
    assert texts == ["UBND TỈNH SÓC TRĂNG", "SỞ TƯ PHÁP"]
    h1, h2 = (p for p in left.paragraphs if p.text)
    assert (_effective(doc, h1, "size").pt, _effective(doc, h1, "bold")) == (13.0, False)
    assert (_effective(doc, h2, "size").pt, _effective(doc, h2, "bold")) == (13.0, True)
    assert [p.text for p in right.paragraphs if p.text] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                             "Độc lập - Tự do - Hạnh phúc"]
    h3, h4 = (p for p in right.paragraphs if p.text)
    assert (_effective(doc, h3, "size").pt, _effective(doc, h3, "bold")) == (13.0, True)
    assert (_effective(doc, h4, "size").pt, _effective(doc, h4, "bold")) == (14.0, True)
    # rules: a bordered paragraph under H2 (1/3–1/2 of its length) and under H4 (its length)
    rules = [p for p in (*left.paragraphs, *right.paragraphs) if p._p.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None
             or p.style.element.find(f"{W}pPr/{W}pBdr/{W}bottom") is not None]
    assert len(rules) == 2
    cell_w = [3685, 5669]
    lengths = [w - int(r._p.find(f"{W}pPr/{W}ind").get(f"{W}left")) * 2 for r, w in zip(rules, cell_w, strict=True)]
    # Printed widths measured once in a LibreOffice PDF (Liberation Serif, metric-compatible with
    # Times New Roman): "SỞ TƯ PHÁP" 13 pt bold 78.2 pt = 1564 twips; Tiêu ngữ 14 pt bold 171.2 pt = 3424.
    assert 0.33 * 1564 <= lengths[0] <= 0.5 * 1564
    assert abs(lengths[1] - 3424) <= 0.01 * 3424
    assert [p.text for p in number.paragraphs if p.text] == ["Số:      /KH-STP"]
    n = next(p for p in number.paragraphs if p.text)
    assert (_effective(doc, n, "size").pt, _effective(doc, n, "italic")) == (13.0, False)
    d = next(p for p in date.paragraphs if p.text)
    assert d.text == "Sóc Trăng, ngày      tháng 01 năm 2025"
    assert (_effective(doc, d, "size").pt, _effective(doc, d, "italic")) == (14.0, True)
    assert all(p.alignment is None and p.style.paragraph_format.alignment == 1 for p in (h1, h2, h3, h4, n, d))


def test_title_body_and_ending_t1_t2_b1_b4(stp_2025):
    doc = Document(str(stp_2025))
    paragraphs = [p for p in doc.paragraphs if p.text]
    assert [p.text for p in paragraphs[:3]] == ["KẾ HOẠCH", "Kiểm soát thủ tục hành chính năm 2025",
                                                "tại Sở Tư pháp tỉnh Sóc Trăng"]
    assert all(_effective(doc, p, "bold") for p in paragraphs[:3])
    bases = [p for p in paragraphs if p.text.startswith("Căn cứ")]
    assert len(bases) == 4 and all(_effective(doc, p, "italic") for p in bases)
    sections = [p.text for p in paragraphs if p.style.name == "KH Mục I"]
    assert sections == ["I. MỤC ĐÍCH, YÊU CẦU", "II. NỘI DUNG KẾ HOẠCH", "III. TỔ CHỨC THỰC HIỆN"]
    body = doc.styles["KH Đoạn văn"].paragraph_format
    assert body.alignment == 3 and round(body.first_line_indent.cm, 2) == 1.27 and body.space_after.pt >= 6
    assert paragraphs[-1].text.endswith("xử lý kịp thời./.")


def test_task_table_structure(stp_2025):
    doc = Document(str(stp_2025))
    table = doc.tables[1]
    rows = table._tbl.findall(f"{W}tr")
    assert [c.text for c in table.rows[0].cells] == ["Số TT", "Nội dung công việc", "Kết quả công việc",
                                                     "Phân công thực hiện", "Thời gian thực hiện"]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    groups = [r for r in rows if r.find(f"{W}tc/{W}tcPr/{W}gridSpan") is not None]
    # A4: short rows and group rows never split; the tallest rows (about a third of a page) may
    splittable = [r for r in rows if r.find(f"{W}trPr/{W}cantSplit") is None]
    assert 0 < len(splittable) <= 3 and not set(splittable) & {rows[0], *groups}
    sizes = {id(r): len("".join(t.text or "" for t in r.iter(f"{W}t"))) for r in rows}
    assert min(sizes[id(r)] for r in splittable) > 400
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows if sizes[id(r)] < 300)
    romans = ["".join(t.text for t in g.find(f"{W}tc").iter(f"{W}t")) for g in groups]
    assert romans == ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI"]
    assert {g.find(f"{W}tc[2]/{W}tcPr/{W}gridSpan").get(f"{W}val") for g in groups} == {"4"}
    # cong-bo.cong-khai has two parts: STT and content merged vertically
    merged = [r for r in rows if r.find(f"{W}tc/{W}tcPr/{W}vMerge") is not None]
    assert len(merged) == 2
    assert merged[0].find(f"{W}tc/{W}tcPr/{W}vMerge").get(f"{W}val") == "restart"


def test_schema_valid(stp_2025):
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(stp_2025))
    assert [str(e) for e in result.errors] == []


def test_template_schema_valid():
    from openxml_audit import OpenXmlValidator

    result = OpenXmlValidator().validate(str(REPO / "templates/ke-hoach.docx"))
    assert [str(e) for e in result.errors] == []


def test_same_input_same_bytes(stp_2025, tmp_path):
    first = stp_2025.read_bytes()
    other = copy_workspace(tmp_path / "again")
    subprocess.run([KEHOACH, "build", "--agency", "STP", "--year", "2025"], cwd=other, check=True,
                   capture_output=True)
    assert (other / "output/2025/STP/KH-STP-2025.docx").read_bytes() == first


def test_golden_text(stp_2025, request):
    text = dump(stp_2025)
    golden = GOLDEN / "KH-STP-2025.txt"
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
