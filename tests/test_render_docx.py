"""The Word renderer on its own: contexts built inline (words of the issued STP 2021 plan, see
shared/reference), rendered with the shipped template and read back with python-docx/lxml to
check the facts of Nghị định 30/2020/NĐ-CP (rule ids of shared/nd30.md), the table structure,
literal printing of any text, schema cleanliness (openxml-audit) and byte-identical output."""

from __future__ import annotations

import copy
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH

from conftest import REPO
from kehoach_gen.word.docx_rules import text_width_twips
from kehoach_gen.errors import OutputError
from kehoach_gen.word.render_docx import render_plan

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEMPLATE = REPO / "templates" / "ke-hoach.docx"
NASTY = ["{{ 7*7 }}", "{_{ x }_}", "{% if %}", "<b>&amp;'\"", "{_% y %_}", "a_b {#c#} }}{{"]
COLUMNS = [
    {"key": "stt", "header": "Số TT", "width_mm": 12, "align": "center"},
    {"key": "content", "header": "Nội dung công việc", "width_mm": 50, "align": "justify"},
    {"key": "results", "header": "Kết quả công việc", "width_mm": 45, "align": "justify"},
    {"key": "assignment", "header": "Phân công thực hiện", "width_mm": 33, "align": "left"},
    {"key": "deadline", "header": "Thời gian thực hiện", "width_mm": 25, "align": "center"},
]


def table() -> dict:
    return {"columns": copy.deepcopy(COLUMNS), "rows": [
        {"kind": "group", "number": "I", "title": "Công tác chỉ đạo điều hành", "points": []},
        {"kind": "task", "shared": {"stt": ["1"], "content": [
            "Ban hành và tổ chức thực hiện các văn bản triển khai thực hiện nhiệm vụ kiểm soát TTHC năm 2021"]},
         "parts": [{"results": ["- Kế hoạch kiểm soát TTHC;", "- Kế hoạch rà soát, đánh giá TTHC;",
                                "- Các văn bản triển khai công tác kiểm soát TTHC."],
                    "assignment": ["Văn phòng Sở chủ trì, phối hợp với các Phòng, đơn vị có liên quan."],
                    "deadline": ["Kế hoạch kiểm soát, kế hoạch rà soát ban hành trước ngày 31/01/2021"]}]},
        {"kind": "group", "number": "III", "title": "Công bố, công khai, xây dựng quy trình nội bộ giải quyết TTHC",
         "points": ["1. Công bố kịp thời;", "2. Công khai đầy đủ."]},
        {"kind": "task", "shared": {"stt": ["1"], "content": ["Công bố TTHC và xây dựng quy trình nội bộ giải "
                                                              "quyết TTHC"], "note": ["(không phải cột)"]},
         "parts": [{"results": ["Chủ động theo dõi Cơ sở dữ liệu quốc gia về TTHC trên Cổng dịch vụ công quốc gia"],
                    "assignment": ["Các Phòng, Trung tâm có liên quan, chủ trì, phối hợp cùng Văn phòng Sở"],
                    "deadline": ["Thường xuyên"]},
                   {"results": ["Sau khi được công bố, TTHC phải được xây dựng quy trình nội bộ giải quyết"],
                    "assignment": ["Văn phòng Sở"], "deadline": ["Thường xuyên"]}]},
        {"kind": "task", "shared": {"stt": ["2"], "content": NASTY}, "parts": [{"results": [], "deadline": []}]},
    ]}


TASK_BLOCKS = {  # how section II carries the tasks in each layout
    "table": [{"kind": "task_table"}],
    "appendix": [{"kind": "para", "text": "Phụ lục đính kèm."}],
    "prose": [{"kind": "heading", "text": "1. Công tác chỉ đạo điều hành"},
              {"kind": "numbered", "text": "1.1. Ban hành và tổ chức thực hiện các văn bản triển khai thực hiện "
                                           "nhiệm vụ kiểm soát TTHC năm 2021."},
              {"kind": "lettered", "text": "a) Chủ trì thực hiện: Văn phòng Sở"},
              {"kind": "lettered", "text": "b) Thời gian thực hiện: Trước ngày 31/01/2021"}],
}


def context(layout: str = "table", appendices: int = 1) -> dict:
    body = [
        {"kind": "intro", "text": "Thực hiện Kế hoạch số 04/KH-UBND ngày 07/01/2021 của Ủy ban nhân dân tỉnh Sóc "
                                  "Trăng về hoạt động kiểm soát thủ tục hành chính năm 2021, Sở Tư pháp ban hành Kế "
                                  "hoạch hoạt động kiểm soát thủ tục hành chính (TTHC) năm 2021, cụ thể như sau:"},
        {"kind": "section", "text": "I. MỤC ĐÍCH, YÊU CẦU"},
        {"kind": "heading", "text": "1. Mục đích"},
        {"kind": "para", "text": "- Tiếp tục triển khai thực hiện có hiệu quả nhiệm vụ kiểm soát TTHC, cải cách TTHC "
                                 "theo chương trình cải cách hành chính của Chính phủ, Thủ tướng Chính phủ."},
        {"kind": "para", "text": " ".join(NASTY)},
        {"kind": "section", "text": "II. NỘI DUNG KẾ HOẠCH"},
        *TASK_BLOCKS[layout],
        {"kind": "section", "text": "III. TỔ CHỨC THỰC HIỆN"},
        {"kind": "numbered", "text": "1. Thủ trưởng các Phòng, Trung tâm, Thanh tra thuộc Sở có trách nhiệm triển "
                                     "khai thực hiện nghiêm túc nội dung Kế hoạch này."},
        {"kind": "lettered", "text": "a) Chủ trì thực hiện: Văn phòng Sở"},
        {"kind": "para", "text": "Trong quá trình thực hiện nếu có khó khăn, vướng mắc các Phòng, Trung tâm, Thanh "
                                 "tra thuộc Sở kịp thời phản ánh về Văn phòng Sở để nghiên cứu, đề xuất Giám đốc Sở "
                                 "có biện pháp xử lý kịp thời./."},
    ]
    labels = ["Phụ lục"] if appendices == 1 else [f"Phụ lục {r}" for r in ("I", "II", "III")[:appendices]]
    return {
        "superior_lines": ["UBND TỈNH SÓC TRĂNG"],
        "issuer_lines": ["SỞ TƯ PHÁP"],
        "number_line": "Số: 02/KH-STP",
        "date_line": "Sóc Trăng, ngày 26 tháng 01 năm 2021",
        "doc_type": "KẾ HOẠCH",
        "title_lines": ["Hoạt động kiểm soát thủ tục hành chính năm 2021", "tại Sở Tư pháp tỉnh Sóc Trăng"],
        "bases": ["Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ về kiểm soát thủ tục hành chính;",
                  "Căn cứ Thông tư số 02/2017/TT-VPCP ngày 31/10/2017 của Văn phòng Chính phủ hướng dẫn về nghiệp "
                  "vụ kiểm soát thủ tục hành chính."],
        "body": body,
        "task_table": table() if layout == "table" else None,
        "recipients_heading": "Nơi nhận:",
        "recipients": ["- Văn phòng UBND tỉnh (để tổng hợp);", "- Phó Giám đốc;", "- Lưu: VT, HCTH."],
        "signer_lines": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"],
        "signer_name": "Phạm Tuấn",
        "appendices": [] if layout != "appendix" else [
            {"label": label, "title_lines": ["NỘI DUNG THỰC HIỆN CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2025"],
             "indication": "(Kèm theo Kế hoạch số      /KH-SKHCN ngày 27 tháng 01 năm 2025 của Sở Khoa học và "
                           "Công nghệ tỉnh Sóc Trăng)", "table": table()} for label in labels],
        "core": {"title": "Kế hoạch Hoạt động kiểm soát thủ tục hành chính năm 2021", "subject": "Sở Tư pháp",
                 "keywords": "KH-STP, 2021"},
    }


def render(tmp_path: Path, ctx: dict, name: str = "out.docx") -> Path:
    out = tmp_path / name
    render_plan(ctx, TEMPLATE, out)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("render")
    return {name: render(root, context(layout, count), f"{name}.docx") for name, layout, count in [
        ("table", "table", 1), ("appendix", "appendix", 1), ("two", "appendix", 2), ("prose", "prose", 0)]}


@pytest.fixture(scope="module")
def doc(rendered):  # noqa: ANN001, ANN201
    return Document(str(rendered["table"]))


def style(document, style_id: str):  # noqa: ANN001, ANN201
    return next(s for s in document.styles if s.style_id == style_id)


def text(node) -> str:  # noqa: ANN001
    return "".join(t.text or "" for t in node.iter(f"{W}t"))


def facts(document, style_id: str) -> tuple:  # noqa: ANN001
    """(size pt, bold, italic, caps, alignment) of a style; every KH style states them all."""
    s = style(document, style_id)
    return s.font.size.pt, s.font.bold, s.font.italic, s.font.all_caps, s.paragraph_format.alignment


C, L, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY


def test_page_setup_p1_p2(doc):
    (section,) = doc.sections
    assert (section.page_width.twips, section.page_height.twips) == (11906, 16838)
    assert [m.twips for m in (section.top_margin, section.bottom_margin, section.left_margin,
                              section.right_margin)] == [1134, 1134, 1701, 851]
    assert section.header_distance.twips == 567


def test_four_font_slots_and_vietnamese_everywhere_p3(doc):
    root = doc.styles.element
    holders = [root.find(f"{W}docDefaults/{W}rPrDefault"), *root.findall(f"{W}style")]
    assert len(holders) > 40
    for holder in holders:
        fonts = holder.find(f"{W}rPr/{W}rFonts")
        assert {a.split("}")[1]: v for a, v in fonts.attrib.items()} == dict.fromkeys(
            ("ascii", "hAnsi", "cs", "eastAsia"), "Times New Roman"), holder.get(f"{W}styleId")
        assert holder.find(f"{W}rPr/{W}lang").get(f"{W}val") == "vi-VN"
        color = holder.find(f"{W}rPr/{W}color")
        assert color is None or color.get(f"{W}val") == "000000"
    assert style(doc, "Normal").font.size.pt == 14


@pytest.mark.parametrize(("style_id", "expected"), [
    ("KHCoQuanChuQuan", (13, False, False, True, C)),  # H1
    ("KHCoQuanBanHanh", (13, True, False, True, C)),  # H2
    ("KHQuocHieu", (13, True, False, True, C)),  # H3
    ("KHTieuNgu", (14, True, False, False, C)),  # H4
    ("KHSoKyHieu", (13, False, False, False, C)),  # H5
    ("KHNgayThang", (14, False, True, False, C)),  # H6
    ("KHTenLoai", (14, True, False, True, C)),  # T1
    ("KHTrichYeu", (14, True, False, False, C)),  # T2
    ("KHCanCu", (14, False, True, False, J)),  # B1
    ("KHDoanVan", (14, False, False, False, J)),  # B2
    ("KHMucI", (14, True, False, True, J)),  # B3
    ("KHMuc1", (14, True, False, False, J)),
    ("KHMuca", (14, False, False, False, J)),
    ("KHQuyenHan", (14, True, False, True, C)),  # S1
    ("KHNguoiKy", (14, True, False, False, C)),  # S2
    ("KHNoiNhan", (12, True, True, False, L)),  # S3
    ("KHDanhSachNoiNhan", (11, False, False, False, L)),  # S4
    ("KHPhuLuc", (14, True, False, False, C)),  # A1
    ("KHTenPhuLuc", (14, True, False, True, C)),  # A2
    ("KHGhiChuPhuLuc", (14, False, True, False, C)),  # A3
    ("KHSoTrang", (14, False, False, False, C)),  # P5
    ("KHBangTieuDe", (13, True, False, False, C)),  # A4
    ("KHBangNhom", (13, True, False, False, J)),
    ("KHBangO", (13, False, False, False, J)),
    ("KHPhuLucTieuDe", (12, True, False, False, C)),
    ("KHPhuLucO", (12, False, False, False, J)),
])
def test_style_facts(doc, style_id, expected):
    assert facts(doc, style_id) == expected


def test_body_paragraph_spacing_b1_b2(doc):
    for style_id in ("KHCanCu", "KHDoanVan", "KHMuca"):
        fmt = style(doc, style_id).paragraph_format
        assert fmt.first_line_indent.twips == 720  # 1.27 cm
        assert fmt.space_after.pt >= 6 and 1.0 <= fmt.line_spacing <= 1.5
    recipients = style(doc, "KHDanhSachNoiNhan").paragraph_format
    assert (recipients.first_line_indent.twips, recipients.space_before.pt, recipients.space_after.pt) == (0, 0, 0)


def _header(document):  # noqa: ANN001, ANN202
    table = document.tables[0]
    return [[c for c in row.cells] for row in table.rows], table


def test_header_block_h1_h6(doc):
    (left, right), (number, date) = _header(doc)[0]
    assert [(p.style.style_id, p.text) for p in left.paragraphs if p.text] == [
        ("KHCoQuanChuQuan", "UBND TỈNH SÓC TRĂNG"), ("KHCoQuanBanHanh", "SỞ TƯ PHÁP")]
    assert [(p.style.style_id, p.text) for p in right.paragraphs if p.text] == [
        ("KHQuocHieu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"), ("KHTieuNgu", "Độc lập - Tự do - Hạnh phúc")]
    assert [(p.style.style_id, p.text) for p in number.paragraphs] == [("KHSoKyHieu", "Số: 02/KH-STP")]
    assert [(p.style.style_id, p.text) for p in date.paragraphs] == [
        ("KHNgayThang", "Sóc Trăng, ngày 26 tháng 01 năm 2021")]
    for cell in (left, right, number, date):  # no direct formatting: all from the styles
        assert all(not r._r.find(f"{W}rPr") for p in cell.paragraphs for r in p.runs)


def test_header_columns_and_no_borders(doc):
    _, table = _header(doc)
    widths = [int(g.get(f"{W}w")) for g in table._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    assert sum(widths) == 9354 and widths[1] >= 96 * 56.7  # the Quốc hiệu fits on one line (H3)
    assert text_width_twips("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 13, True) <= widths[1]
    borders = style(doc, "KHBangKhongVien").element.find(f"{W}tblPr/{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"nil"}


def _rule_length(paragraph, container: int) -> int:  # noqa: ANN001
    ind = paragraph._p.find(f"{W}pPr/{W}ind")
    left, right = int(ind.get(f"{W}left")), int(ind.get(f"{W}right"))
    assert abs(left - right) <= 1  # centred
    return container - left - right


def test_solid_rules_h2_h4_t2(doc):
    for rule_style in ("KHDuongKe", "KHDuongKeTrichYeu"):
        bottom = style(doc, rule_style).element.find(f"{W}pPr/{W}pBdr/{W}bottom")
        assert bottom.get(f"{W}val") == "single"
    (left, right), _ = _header(doc)[0]
    h2_rule = next(p for p in left.paragraphs if p.style.style_id == "KHDuongKe")
    h4_rule = next(p for p in right.paragraphs if p.style.style_id == "KHDuongKe")
    h2 = text_width_twips("SỞ TƯ PHÁP", 13, True)
    assert h2 / 3 <= _rule_length(h2_rule, 3685) <= h2 / 2
    assert abs(_rule_length(h4_rule, 5669) - text_width_twips("Độc lập - Tự do - Hạnh phúc", 14, True)) <= 2
    title_rule = next(p for p in doc.paragraphs if p.style.style_id == "KHDuongKeTrichYeu")
    t2 = text_width_twips("Hoạt động kiểm soát thủ tục hành chính năm 2021", 14, True)
    assert t2 / 3 <= _rule_length(title_rule, 9354) <= t2 / 2
    # measured widths agree with LibreOffice's print (Liberation Serif, metric-compatible with
    # Times New Roman): Tiêu ngữ 14 pt bold 171.2 pt, "SỞ TƯ PHÁP" 13 pt bold 78.2 pt
    assert abs(text_width_twips("Độc lập - Tự do - Hạnh phúc", 14, True) - 3424) <= 10
    assert abs(h2 - 1564) <= 10


def test_title_bases_and_body_t1_t2_b1_b3(doc):
    shown = [(p.style.style_id, p.text) for p in doc.paragraphs if p.text]
    assert shown[:5] == [("KHTenLoai", "KẾ HOẠCH"),
                         ("KHTrichYeu", "Hoạt động kiểm soát thủ tục hành chính năm 2021"),
                         ("KHTrichYeu", "tại Sở Tư pháp tỉnh Sóc Trăng"),
                         ("KHCanCu", context()["bases"][0]), ("KHCanCu", context()["bases"][1])]
    kinds = {"intro": "KHDoanVan", "section": "KHMucI", "heading": "KHMuc1", "numbered": "KHDoanVan",
             "lettered": "KHMuca", "para": "KHDoanVan"}
    expected = [(kinds[b["kind"]], b["text"]) for b in context()["body"] if b["kind"] != "task_table"]
    assert len(expected) == 10
    assert shown[5:] == expected


def test_body_ends_with_period_slash_before_signature_b4(doc):
    body = doc.element.body
    signature = doc.tables[-1]._tbl
    before = signature.getprevious()
    while before.tag == f"{W}tbl" or not text(before):
        before = before.getprevious()
    assert text(before).endswith("./.")
    assert before.find(f"{W}pPr/{W}keepNext") is not None  # the signature never stands alone on a page
    assert before.getnext() is signature or before.getnext().tag == f"{W}tbl"
    assert body.index(signature) > body.index(doc.tables[1]._tbl)


def test_page_numbers_p5(doc):
    (section,) = doc.sections
    assert section.different_first_page_header_footer  # w:titlePg
    first = section.first_page_header._element
    assert text(first) == "" and first.find(f".//{W}fldChar") is None and first.find(f".//{W}fldSimple") is None
    header = section.header._element
    assert [t.text.strip() for t in header.iter(f"{W}instrText")] == ["PAGE"]
    assert header.find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val") == "KHSoTrang"


def _rows(document, index: int = 1) -> list:  # noqa: ANN001
    return document.tables[index]._tbl.findall(f"{W}tr")


def _cells(row) -> list[str]:  # noqa: ANN001
    return [" / ".join(text(p) for p in tc.findall(f"{W}p")) for tc in row.findall(f"{W}tc")]


def test_task_table_structure_a4(doc):
    table = doc.tables[1]._tbl
    widths = [int(g.get(f"{W}w")) for g in table.findall(f"{W}tblGrid/{W}gridCol")]
    assert len(widths) == 5 and sum(widths) == 9354
    assert table.find(f"{W}tblPr/{W}tblW").get(f"{W}w") == "9354"
    assert table.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "KHBangNhiemVu"
    borders = style(doc, "KHBangNhiemVu").element.find(f"{W}tblPr/{W}tblBorders")
    assert {b.get(f"{W}val") for b in borders} == {"single"} and len(borders) == 6
    rows = _rows(doc)
    assert _cells(rows[0]) == [c["header"] for c in COLUMNS]
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    group = rows[1]
    assert _cells(group) == ["I", "Công tác chỉ đạo điều hành"]
    assert group.findall(f"{W}tc")[1].find(f"{W}tcPr/{W}gridSpan").get(f"{W}val") == "4"
    assert [p.find(f"{W}pPr/{W}pStyle").get(f"{W}val") for p in group.iter(f"{W}p")] == ["KHBangSoNhom", "KHBangNhom"]
    points = rows[3].findall(f"{W}tc")[1]
    assert [(p.find(f"{W}pPr/{W}pStyle").get(f"{W}val"), text(p)) for p in points.findall(f"{W}p")] == [
        ("KHBangNhom", "Công bố, công khai, xây dựng quy trình nội bộ giải quyết TTHC"),
        ("KHBangO", "1. Công bố kịp thời;"), ("KHBangO", "2. Công khai đầy đủ.")]
    assert _cells(rows[2])[2] == "- Kế hoạch kiểm soát TTHC; / - Kế hoạch rà soát, đánh giá TTHC; / " \
                                 "- Các văn bản triển khai công tác kiểm soát TTHC."


def test_multi_part_task_merges_shared_columns(doc):
    first, second = _rows(doc)[4:6]
    def merge(tc) -> str | None:  # noqa: ANN001
        node = tc.find(f"{W}tcPr/{W}vMerge")
        return None if node is None else node.get(f"{W}val", "continue")  # "continue" is the default

    assert [merge(tc) for tc in first.findall(f"{W}tc")] == ["restart", "restart", None, None, None]
    assert [merge(tc) for tc in second.findall(f"{W}tc")] == ["continue", "continue", None, None, None]
    assert _cells(first)[:2] == ["1", "Công bố TTHC và xây dựng quy trình nội bộ giải quyết TTHC"]
    assert _cells(second)[:2] == ["", ""]
    assert _cells(first)[3:] == ["Các Phòng, Trung tâm có liên quan, chủ trì, phối hợp cùng Văn phòng Sở",
                                 "Thường xuyên"]
    assert _cells(second)[3:] == ["Văn phòng Sở", "Thường xuyên"]
    assert "(không phải cột)" not in doc.tables[1]._tbl.xpath("string(.)")


def test_cell_alignment_comes_from_styles(doc):
    row = _rows(doc)[2]
    ids = [tc.find(f"{W}p/{W}pPr/{W}pStyle").get(f"{W}val") for tc in row.findall(f"{W}tc")]
    assert ids == ["KHBangOGiua", "KHBangO", "KHBangO", "KHBangOTrai", "KHBangOGiua"]
    assert not row.findall(f".//{W}p/{W}pPr/{W}jc") and not row.findall(f".//{W}rPr")


def test_empty_cells_keep_one_paragraph(doc):
    row = _rows(doc)[6]
    assert _cells(row)[2:] == ["", "", ""]
    assert [len(tc.findall(f"{W}p")) for tc in row.findall(f"{W}tc")][2:] == [1, 1, 1]


def test_any_text_prints_literally(doc):
    cell = _rows(doc)[6].findall(f"{W}tc")[1]
    assert [text(p) for p in cell.findall(f"{W}p")] == NASTY
    assert " ".join(NASTY) in [p.text for p in doc.paragraphs]


def test_signature_s1_s4(doc):
    (left, right), = [[c for c in row.cells] for row in doc.tables[-1].rows]
    assert [(p.style.style_id, p.text) for p in left.paragraphs] == [
        ("KHNoiNhan", "Nơi nhận:"), ("KHDanhSachNoiNhan", "- Văn phòng UBND tỉnh (để tổng hợp);"),
        ("KHDanhSachNoiNhan", "- Phó Giám đốc;"), ("KHDanhSachNoiNhan", "- Lưu: VT, HCTH.")]
    assert [(p.style.style_id, p.text) for p in right.paragraphs] == [
        ("KHQuyenHan", "KT. GIÁM ĐỐC"), ("KHQuyenHan", "PHÓ GIÁM ĐỐC"), *[("KHNguoiKy", "")] * 4,
        ("KHNguoiKy", "Phạm Tuấn")]
    widths = [int(g.get(f"{W}w")) for g in doc.tables[-1]._tbl.findall(f"{W}tblGrid/{W}gridCol")]
    # the column is widened from Mẫu 1.4's 52.8 mm to its longest line (11 pt), so no short line wraps
    assert widths[0] == text_width_twips("- Văn phòng UBND tỉnh (để tổng hợp);", 11, False) + 60 > 52.8 * 56.7
    assert sum(widths) == 9354
    assert doc.tables[-1]._tbl.find(f"{W}tr/{W}trPr/{W}cantSplit") is not None


def test_no_appendix_one_portrait_section_and_no_trailing_page(rendered):
    for name in ("table", "prose"):
        document = Document(str(rendered[name]))
        assert len(document.sections) == 1
        body = document.element.body
        assert body.find(f".//{W}pPr/{W}sectPr") is None
        last = body[-2]  # the paragraph before the body's sectPr: 1 pt, empty, after the signature
        assert last.tag == f"{W}p" and text(last) == "" and last.getprevious().tag == f"{W}tbl"
        assert not any(p.text.startswith(("Phụ lục", "(Kèm theo")) for p in document.paragraphs)


def test_prose_plan_has_no_task_table(rendered):
    document = Document(str(rendered["prose"]))
    assert len(document.tables) == 2  # header block and signature


def test_appendix_landscape_section_mau_2_1(rendered):
    document = Document(str(rendered["appendix"]))
    portrait, landscape = document.sections
    assert (portrait.page_width.twips, portrait.page_height.twips) == (11906, 16838)
    assert (landscape.page_width.twips, landscape.page_height.twips) == (16838, 11906)
    assert landscape.orientation == 1  # WD_ORIENT.LANDSCAPE
    assert [m.twips for m in (landscape.top_margin, landscape.bottom_margin, landscape.left_margin,
                              landscape.right_margin)] == [1134, 1134, 1701, 851]
    assert landscape._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"
    assert portrait._sectPr.find(f"{W}pgNumType") is None
    assert landscape.different_first_page_header_footer
    assert [t.text.strip() for t in landscape.header._element.iter(f"{W}instrText")] == ["PAGE"]
    assert text(landscape.first_page_header._element) == ""
    after = [(p.style.style_id, p.text) for p in document.paragraphs if p.text][-3:]
    assert after == [("KHPhuLuc", "Phụ lục"),
                     ("KHTenPhuLuc", "NỘI DUNG THỰC HIỆN CÔNG TÁC KIỂM SOÁT THỦ TỤC HÀNH CHÍNH NĂM 2025"),
                     ("KHGhiChuPhuLuc", "(Kèm theo Kế hoạch số      /KH-SKHCN ngày 27 tháng 01 năm 2025 của Sở "
                                        "Khoa học và Công nghệ tỉnh Sóc Trăng)")]
    table = document.tables[-1]._tbl
    assert sum(int(g.get(f"{W}w")) for g in table.findall(f"{W}tblGrid/{W}gridCol")) == 16838 - 1701 - 851
    styles = {p.get(f"{W}val") for p in table.iter(f"{W}pStyle")}
    assert styles == {"KHPhuLucTieuDe", "KHPhuLucSoNhom", "KHPhuLucNhom", "KHPhuLucO", "KHPhuLucOGiua",
                      "KHPhuLucOTrai"}
    assert "Phụ lục đính kèm." in [p.text for p in document.paragraphs]


def test_each_appendix_is_numbered_on_its_own(rendered):
    document = Document(str(rendered["two"]))
    assert len(document.sections) == 3
    for section in document.sections[1:]:
        assert section.page_width.twips == 16838
        assert section._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"
    labels = [p.text for p in document.paragraphs if p.style.style_id == "KHPhuLuc"]
    assert labels == ["Phụ lục I", "Phụ lục II"]


def test_core_properties(rendered):
    document = Document(str(rendered["table"]))
    props = document.core_properties
    assert (props.title, props.subject, props.language) == (
        "Kế hoạch Hoạt động kiểm soát thủ tục hành chính năm 2021", "Sở Tư pháp", "vi-VN")
    cp = "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    assert (props.author, props.created.year) == ("Sở Tư pháp", 2025)  # the agency, not the tool
    assert document.core_properties._element.find(f"{cp}lastModifiedBy").text == "Sở Tư pháp"
    assert document.core_properties._element.find(f"{cp}keywords").text == "KH-STP, 2021"


@pytest.mark.parametrize("name", ["template", "table", "appendix", "two", "prose"])
def test_openxml_audit_finds_nothing(rendered, name):
    from openxml_audit import OpenXmlValidator

    path = TEMPLATE if name == "template" else rendered[name]
    result = OpenXmlValidator().validate(str(path))
    assert [str(e) for e in result.errors] == []


def test_same_context_same_bytes(tmp_path, rendered):
    again = render(tmp_path, context("appendix", 1))
    assert again.read_bytes() == rendered["appendix"].read_bytes()


def test_template_build_twice_gives_the_shipped_bytes(tmp_path):
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import build_templates
    finally:
        sys.path.pop(0)
    build_templates.write(tmp_path / "a.docx")
    build_templates.write(tmp_path / "b.docx")
    assert (tmp_path / "a.docx").read_bytes() == (tmp_path / "b.docx").read_bytes() == TEMPLATE.read_bytes()


def test_missing_variable_is_named(tmp_path):
    ctx = context()
    del ctx["signer_name"], ctx["recipients"]
    with pytest.raises(OutputError) as error:
        render(tmp_path, ctx)
    assert error.value.exit_code == 3
    assert str(error.value).splitlines()[0] == (
        f"{TEMPLATE}: mẫu Word dùng biến không có trong dữ liệu (cần dữ liệu có recipients, signer_name, gặp thiếu)")
    assert not (tmp_path / "out.docx").exists()


def test_template_error_shows_the_template_lines(tmp_path):
    ctx = context()
    del ctx["body"][2]["text"]
    with pytest.raises(OutputError) as error:
        render(tmp_path, ctx)
    message = str(error.value)
    assert "không điền được mẫu Word: 'dict object' has no attribute 'text'" in message
    assert "b.kind == 'heading'" in message  # docxtpl's docx_context: the template around the error


def test_bad_blocks_and_tables_are_all_reported(tmp_path):
    ctx = context()
    ctx["body"].append({"kind": "chart", "text": "?"})
    ctx["task_table"]["columns"][1]["width_mm"] = 0
    ctx["task_table"]["columns"][2]["align"] = "right"
    with pytest.raises(OutputError) as error:
        render(tmp_path, ctx)
    assert str(error.value).splitlines()[:3] == [
        "body[11].kind: loại đoạn không hợp lệ (cần intro, section, heading, numbered, lettered, para, addressee, note, "
        "task_table, "
        "gặp 'chart')",
        "task_table.columns[1].width_mm: độ rộng cột không hợp lệ (cần số milimét lớn hơn 0, gặp 0)",
        "task_table.columns[2].align: căn lề cột không hợp lệ (cần justify, center, left, gặp 'right')"]
