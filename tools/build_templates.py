"""Build templates/ke-hoach.docx, the one Word template every Kế hoạch layout renders from.

    python tools/build_templates.py

The template is built with python-docx, plus raw OOXML through lxml where python-docx has no
API (four font slots and language, paragraph borders, table-style properties, the PAGE
field, page numbering of a section). python-docx's stock package is cleaned first: its ~170
stock styles and latent styles, stylesWithEffects, customXml, thumbnail, web settings,
numbering, rsids and Word 2010 compat settings go, so schema and app-compat checkers
(openxml-audit) find nothing. Core properties are fixed (author "kehoach_gen", fixed dates)
and the zip is written with fixed timestamps and order: running the script twice gives the
same bytes, and tests check that the shipped template is what this script builds.

All visible formatting lives in named styles ("KH …" with stable ASCII ids), so an office
restyles every future document by editing the styles in Word. Rule ids (P1, H2, …) refer to
shared/nd30.md. The Jinja tags are docxtpl's; the renderer (src/kehoach_gen/word/render_docx.py)
inserts the task tables where ``{{p task_table }}`` and ``{{p a.table }}`` stand, sizes the
solid rules from the rendered text and drops the appendix section when there is no appendix.
"""

from __future__ import annotations

import io
import sys
from copy import deepcopy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "ke-hoach.docx"
if str(ROOT / "src") not in sys.path:
    sys.path.insert(0, str(ROOT / "src"))  # a checkout that is not installed

from docx import Document  # noqa: E402
from docx.enum.section import WD_ORIENT, WD_SECTION  # noqa: E402
from docx.enum.style import WD_STYLE_TYPE  # noqa: E402
from docx.enum.table import WD_TABLE_ALIGNMENT  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING  # noqa: E402
from docx.oxml import OxmlElement, parse_xml  # noqa: E402
from docx.oxml.ns import nsdecls, qn  # noqa: E402
from docx.shared import Pt, RGBColor, Twips  # noqa: E402

from kehoach_gen.word.docx_rules import MEASURED, RULE_STYLES, rule_indent  # noqa: E402
from kehoach_gen.word.docx_table import STYLE_IDS  # noqa: E402
from kehoach_gen.word.render_docx import write_package  # noqa: E402

FONT = "Times New Roman"
# P1/P2: A4, margins 20/20/30/15 mm, header 10 mm from the edge (twips; 1 mm = 56.7 twips).
PAGE_W, PAGE_H = 11906, 16838
MARGIN = {"top": 1134, "bottom": 1134, "left": 1701, "right": 851, "header": 567, "footer": 567}
HEADER_COLS = (3685, 5669)  # 65 + 100 mm = the text width (Mẫu 1.4: ~67.5 + 100); H3 13 pt bold ≈ 95.7 mm
SIGN_COLS = (2994, 6360)  # 52.8 + 112.2 mm (Mẫu 1.4: ~52.8 + 110.9)
INDENT = 720  # first-line indent 1.27 cm (B2)
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
C, L, J = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY

# ------------------------------------------------------------------ styles
# (id, name shown in Word, properties); sizes follow the 13/14 pair (P4).
_BODY = {"size": 14, "align": J, "first": INDENT, "after": 6, "line": 1.15}
_CELL = {"before": 2, "after": 2}
PARAGRAPH_STYLES: list[tuple[str, str, dict]] = [
    ("KHCoQuanChuQuan", "KH Cơ quan chủ quản", {"size": 13, "caps": True, "align": C}),  # H1
    ("KHCoQuanBanHanh", "KH Cơ quan ban hành", {"size": 13, "bold": True, "caps": True, "align": C}),  # H2
    ("KHQuocHieu", "KH Quốc hiệu", {"size": 13, "bold": True, "caps": True, "align": C}),  # H3
    ("KHTieuNgu", "KH Tiêu ngữ", {"size": 14, "bold": True, "align": C}),  # H4
    ("KHSoKyHieu", "KH Số ký hiệu", {"size": 13, "align": C, "before": 6}),  # H5
    ("KHNgayThang", "KH Ngày tháng", {"size": 14, "italic": True, "align": C, "before": 6}),  # H6
    ("KHTenLoai", "KH Tên loại", {"size": 14, "bold": True, "caps": True, "align": C, "before": 24,
                                  "keep": True}),  # T1
    ("KHTrichYeu", "KH Trích yếu", {"size": 14, "bold": True, "align": C, "keep": True}),  # T2
    # Solid rules (H2, H4 / T2): the bottom border of an empty 3 pt paragraph; the renderer sets
    # its left and right indents so that the border has the length the rule asks, centred.
    ("KHDuongKe", "KH Đường kẻ", {"size": 13, "align": C, "rule": True}),
    ("KHDuongKeTrichYeu", "KH Đường kẻ trích yếu", {"size": 14, "align": C, "rule": True, "after": 12}),
    ("KHCanCu", "KH Căn cứ", {**_BODY, "italic": True}),  # B1
    ("KHDoanVan", "KH Đoạn văn", _BODY),  # B2
    ("KHKinhGui", "KH Kính gửi", {"size": 14, "align": C, "before": 6, "after": 12}),  # Báo cáo: "Kính gửi: …"
    ("KHGhiChuSoan", "KH Ghi chú người soạn", {**_BODY, "italic": True}),  # places left for the officer's text
    ("KHMucI", "KH Mục I", {**_BODY, "bold": True, "caps": True, "before": 6, "keep": True}),  # B3 "I."
    ("KHMuc1", "KH Mục 1", {**_BODY, "bold": True, "keep": True}),  # B3 "1."
    ("KHMuca", "KH Mục a", _BODY),  # B3 "a)"
    ("KHNoiNhan", "KH Nơi nhận", {"size": 12, "bold": True, "italic": True, "align": L, "before": 6,
                                  "contextual": True}),  # S3, level with S1
    ("KHDanhSachNoiNhan", "KH Danh sách nơi nhận", {"size": 11, "align": L}),  # S4
    ("KHQuyenHan", "KH Quyền hạn chức vụ", {"size": 14, "bold": True, "caps": True, "align": C, "before": 6,
                                            "contextual": True}),  # S1
    ("KHNguoiKy", "KH Họ tên người ký", {"size": 14, "bold": True, "align": C}),  # S2
    ("KHPhuLuc", "KH Phụ lục", {"size": 14, "bold": True, "align": C, "keep": True}),  # A1
    ("KHTenPhuLuc", "KH Tên phụ lục", {"size": 14, "bold": True, "caps": True, "align": C, "keep": True}),  # A2
    ("KHGhiChuPhuLuc", "KH Ghi chú phụ lục", {"size": 14, "italic": True, "align": C, "after": 12,
                                               "keep": True}),  # A3
    ("KHSoTrang", "KH Số trang", {"size": 14, "align": C}),  # P5
    # The paragraph that ends a section after a table: 1 pt high, so it never adds a page.
    ("KHNgatPhan", "KH Ngắt phần", {"size": 1, "align": L, "exact": 1}),
    # A4 task tables, 13 pt in the body and 12 pt in a landscape appendix; group rows keep with
    # the first task below them, so no group title is left alone at the foot of a page.
    ("KHBangTieuDe", "KH Bảng tiêu đề", {"size": 13, "bold": True, "align": C, **_CELL}),
    ("KHBangSoNhom", "KH Bảng số nhóm", {"size": 13, "bold": True, "align": C, "keep": True, **_CELL}),
    ("KHBangNhom", "KH Bảng dòng nhóm", {"size": 13, "bold": True, "align": J, "keep": True, **_CELL}),
    ("KHBangO", "KH Bảng ô", {"size": 13, "align": J, **_CELL}),
    ("KHBangOGiua", "KH Bảng ô giữa", {"size": 13, "align": C, **_CELL}),
    ("KHBangOTrai", "KH Bảng ô trái", {"size": 13, "align": L, **_CELL}),
    ("KHPhuLucTieuDe", "KH Phụ lục bảng tiêu đề", {"size": 12, "bold": True, "align": C, **_CELL}),
    ("KHPhuLucSoNhom", "KH Phụ lục bảng số nhóm", {"size": 12, "bold": True, "align": C, "keep": True, **_CELL}),
    ("KHPhuLucNhom", "KH Phụ lục bảng dòng nhóm", {"size": 12, "bold": True, "align": J, "keep": True, **_CELL}),
    ("KHPhuLucO", "KH Phụ lục bảng ô", {"size": 12, "align": J, **_CELL}),
    ("KHPhuLucOGiua", "KH Phụ lục bảng ô giữa", {"size": 12, "align": C, **_CELL}),
    ("KHPhuLucOTrai", "KH Phụ lục bảng ô trái", {"size": 12, "align": L, **_CELL}),
]
# (id, name, border, left/right cell margin in twips)
TABLE_STYLES = [("KHBangNhiemVu", "KH Bảng nhiệm vụ", "single", 85),  # A4: full single borders
                ("KHBangKhongVien", "KH Bảng không viền", "nil", 0)]  # header block, signature
KEEP_STOCK = ("Normal", "DefaultParagraphFont", "TableNormal")


def fonts_and_language(rpr) -> None:  # noqa: ANN001
    """P3: Times New Roman in all four slots (so no theme font wins) and Vietnamese."""
    fonts = rpr.get_or_add_rFonts()
    fonts.attrib.clear()
    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{slot}"), FONT)
    size = rpr.find(qn("w:sz"))
    if size is not None and rpr.find(qn("w:szCs")) is None:
        size_cs = OxmlElement("w:szCs")
        size_cs.set(qn("w:val"), size.get(qn("w:val")))
        size.addnext(size_cs)
    for old in rpr.findall(qn("w:lang")):
        rpr.remove(old)
    rpr.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/>'))


def paragraph_style(styles, style_id: str, name: str, spec: dict) -> None:  # noqa: ANN001
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.style_id = style_id
    style.base_style = styles["Normal"]
    style.quick_style = True
    font = style.font
    font.size = Pt(spec["size"])
    font.bold, font.italic, font.all_caps = spec.get("bold", False), spec.get("italic", False), spec.get("caps", False)
    font.color.rgb = RGBColor(0, 0, 0)
    fmt = style.paragraph_format
    fmt.alignment = spec["align"]
    fmt.left_indent, fmt.right_indent, fmt.first_line_indent = Twips(0), Twips(0), Twips(spec.get("first", 0))
    fmt.space_before, fmt.space_after = Pt(spec.get("before", 0)), Pt(spec.get("after", 0))
    fmt.keep_with_next = spec.get("keep", False)
    if "exact" in spec or spec.get("rule"):
        fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(spec.get("exact", 3))
    else:
        fmt.line_spacing = spec.get("line", 1.0)
    ppr = style.element.get_or_add_pPr()
    if spec.get("contextual"):  # no space between lines of the same style (S1 over S1)
        ppr.insert_element_before(OxmlElement("w:contextualSpacing"), "w:mirrorIndents", "w:jc")
    if spec.get("rule"):
        border = parse_xml(f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="6" w:space="1" '
                           'w:color="000000"/></w:pBdr>')
        ppr.insert_element_before(border, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc")
    fonts_and_language(style.element.get_or_add_rPr())


def table_style(styles, style_id: str, name: str, border: str, margin: int) -> None:  # noqa: ANN001
    style = styles.add_style(name, WD_STYLE_TYPE.TABLE)
    style.style_id = style_id
    style.base_style = styles["Normal Table"]
    style.quick_style = True
    line = ' w:sz="4" w:space="0" w:color="000000"' if border == "single" else ""
    sides = "".join(f'<w:{side} w:val="{border}"{line}/>' for side in ("top", "left", "bottom", "right",
                                                                        "insideH", "insideV"))
    fonts_and_language(style.element.get_or_add_rPr())
    style.element.append(parse_xml(  # CT_Style order: … rPr, tblPr
        f'<w:tblPr {nsdecls("w")}><w:tblBorders>{sides}</w:tblBorders><w:tblCellMar>'
        f'<w:top w:w="0" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
        f'<w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar></w:tblPr>'))


def build_styles(doc) -> None:  # noqa: ANN001
    """Keep three stock styles, drop the others and the latent styles; add the KH styles."""
    styles = doc.styles
    root = styles.element
    for child in list(root):
        if child.tag == qn("w:latentStyles") or (child.tag == qn("w:style")
                                                 and child.get(qn("w:styleId")) not in KEEP_STOCK):
            root.remove(child)
    root.replace(root.find(qn("w:docDefaults")), parse_xml(
        f'<w:docDefaults {nsdecls("w")}><w:rPrDefault><w:rPr><w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" '
        f'w:eastAsia="{FONT}" w:cs="{FONT}"/><w:color w:val="000000"/><w:sz w:val="28"/><w:szCs w:val="28"/>'
        '<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>'
        '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
        "</w:docDefaults>"))
    normal = styles["Normal"]
    normal.font.size = Pt(14)
    normal.font.color.rgb = RGBColor(0, 0, 0)
    for stock in KEEP_STOCK:
        element = root.get_by_id(stock)
        fonts_and_language(element.get_or_add_rPr())
        table_props = element.find(qn("w:tblPr"))
        if table_props is not None:  # CT_Style order: … rPr, tblPr
            element.append(table_props)
    for style_id, name, spec in PARAGRAPH_STYLES:
        paragraph_style(styles, style_id, name, spec)
    for style_id, name, border, margin in TABLE_STYLES:
        table_style(styles, style_id, name, border, margin)


# ------------------------------------------------------------------ package clean-up

SETTINGS = (
    f'<w:settings {nsdecls("w")}><w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>'
    '<w:characterSpacingControl w:val="doNotCompress"/><w:compat><w:compatSetting w:name="compatibilityMode" '
    'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/>'
    '<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>')
APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
       "<Application>kehoach_gen</Application></Properties>")
FONT_TABLE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              f'<w:fonts {nsdecls("w")}><w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/>'
              '<w:charset w:val="00"/><w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>')
# Fixed core properties, written whole: python-docx's "cp" setters are unreliable once
# docxcompose is imported (it remaps the prefix), and fixed dates keep builds identical.
CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>Mẫu Kế hoạch (Nghị định 30/2020/NĐ-CP)'
    "</dc:title><dc:creator>kehoach_gen</dc:creator><cp:lastModifiedBy>kehoach_gen</cp:lastModifiedBy>"
    "<cp:revision>1</cp:revision><dc:language>vi-VN</dc:language>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>')
NOISE = ("stylesWithEffects", "customXml", "webSettings", "numbering", "thumbnail")


def clean_package(doc) -> None:  # noqa: ANN001
    """Drop python-docx's stock parts and settings that are not this template's."""
    for rels in (doc.part.rels, doc.part.package.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.rsplit("/", 1)[-1] in NOISE:
                rels.pop(rid)
    settings = doc.settings.element
    for child in list(settings):
        settings.remove(child)
    settings.extend(list(parse_xml(SETTINGS)))
    for part in doc.part.package.iter_parts():
        name = str(part.partname)
        if name == "/docProps/app.xml":
            part._blob = APP.encode("utf-8")
        elif name == "/word/fontTable.xml":
            part._blob = FONT_TABLE.encode("utf-8")
        elif name == "/word/theme/theme1.xml":  # the theme's fonts are Times New Roman too
            for stock in (b'typeface="Calibri"', b'typeface="Cambria"'):
                part._blob = part.blob.replace(stock, f'typeface="{FONT}"'.encode())
    for part in doc.part.package.iter_parts():
        if str(part.partname) == "/docProps/core.xml":
            part._element = parse_xml(CORE)


# ------------------------------------------------------------------ body

def para(container, style_id: str, text: str = ""):  # noqa: ANN001, ANN201
    """A paragraph of ``container`` (document or cell) with a style and no direct formatting."""
    paragraph = container.add_paragraph(text)
    paragraph._p.style = style_id
    return paragraph


def loop(container, var: str, items: str, style_id: str) -> None:  # noqa: ANN001
    """docxtpl: one paragraph in ``style_id`` for each item of ``items``."""
    para(container, style_id, f"{{%p for {var} in {items} %}}")
    para(container, style_id, f"{{{{ {var} }}}}")
    para(container, style_id, "{%p endfor %}")


def borderless(doc, widths: tuple[int, int], rows: int) -> list:  # noqa: ANN001
    """A layout table in "KH Bảng không viền"; returns its rows of cells, each cell emptied."""
    table = doc.add_table(rows=rows, cols=2)
    table._tbl.tblPr.style = "KHBangKhongVien"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    width = table._tbl.tblPr.find(qn("w:tblW"))  # python-docx writes an "auto" one
    width.set(qn("w:w"), str(sum(widths)))
    width.set(qn("w:type"), "dxa")
    for column, twips in zip(table.columns, widths, strict=True):
        column.width = Twips(twips)
    out = []
    for row in table.rows:
        for cell, twips in zip(row.cells, widths, strict=True):
            cell.width = Twips(twips)
            cell._tc.remove(cell.paragraphs[0]._p)  # filled below; a cell needs >= 1 paragraph
        out.append(row.cells)
    return out


def header_block(doc) -> None:  # noqa: ANN001
    """H1–H6: issuer and number on the left; Quốc hiệu, Tiêu ngữ and date on the right.
    Two rows, so that the number (H5) and the date (H6) share a line."""
    (left, right), (number, date) = borderless(doc, HEADER_COLS, 2)
    loop(left, "line", "superior_lines", "KHCoQuanChuQuan")
    loop(left, "line", "issuer_lines", "KHCoQuanBanHanh")
    para(left, "KHDuongKe")
    para(right, "KHQuocHieu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    para(right, "KHTieuNgu", TIEU_NGU)
    rule = para(right, "KHDuongKe")  # H4's text is fixed: size its rule now (the renderer redoes it)
    rule.paragraph_format.left_indent = rule.paragraph_format.right_indent = \
        Twips(rule_indent([TIEU_NGU], "KHTieuNgu", HEADER_COLS[1]))
    para(number, "KHSoKyHieu", "{{ number_line }}")
    para(date, "KHNgayThang", "{{ date_line }}")


BODY_KINDS = [("intro", "KHDoanVan"), ("section", "KHMucI"), ("heading", "KHMuc1"), ("numbered", "KHDoanVan"),
              ("lettered", "KHMuca"), ("para", "KHDoanVan"), ("addressee", "KHKinhGui"), ("note", "KHGhiChuSoan")]


def body(doc) -> None:  # noqa: ANN001
    """T1, T2 and its rule, the legal bases, then one paragraph per body block (B1–B4)."""
    para(doc, "KHTenLoai", "{{ doc_type }}")
    loop(doc, "line", "title_lines", "KHTrichYeu")
    para(doc, "KHDuongKeTrichYeu")
    loop(doc, "line", "bases", "KHCanCu")
    para(doc, "KHDoanVan", "{%p for b in body %}")
    for index, (kind, style_id) in enumerate(BODY_KINDS):
        para(doc, style_id, f"{{%p {'if' if index == 0 else 'elif'} b.kind == '{kind}' %}}")
        para(doc, style_id, "{{ b.text }}")
    para(doc, "KHDoanVan", "{%p elif b.kind == 'task_table' %}")
    para(doc, "KHDoanVan", "{{p task_table }}")
    para(doc, "KHDoanVan", "{%p endif %}")
    para(doc, "KHDoanVan", "{%p endfor %}")


def signature(doc) -> None:  # noqa: ANN001
    """S1–S4: recipients on the left; authority, room to sign (4 lines) and name on the right."""
    ((left, right),) = borderless(doc, SIGN_COLS, 1)
    # the signature block is never split across two pages
    left._tc.getparent().insert(0, parse_xml(f'<w:trPr {nsdecls("w")}><w:cantSplit/></w:trPr>'))
    para(left, "KHNoiNhan", "{{ recipients_heading }}")
    loop(left, "line", "recipients", "KHDanhSachNoiNhan")
    loop(right, "line", "signer_lines", "KHQuyenHan")
    for _ in range(4):
        para(right, "KHNguoiKy")
    para(right, "KHNguoiKy", "{{ signer_name }}")


def appendices(doc):  # noqa: ANN001, ANN201
    """Mẫu 2.1: each appendix in its own landscape section; returns the paragraph that will
    carry a copy of the appendix sectPr (ending every appendix but the last)."""
    para(doc, "KHPhuLuc", "{%p for a in appendices %}")
    para(doc, "KHPhuLuc", "{{ a.label }}")
    loop(doc, "line", "a.title_lines", "KHTenPhuLuc")
    para(doc, "KHGhiChuPhuLuc", "{{ a.indication }}")
    para(doc, "KHDoanVan", "{{p a.table }}")
    para(doc, "KHNgatPhan", "{%p if not loop.last %}")
    section_end = para(doc, "KHNgatPhan")
    para(doc, "KHNgatPhan", "{%p else %}")
    para(doc, "KHNgatPhan")  # a table must not end the body: Word would add this paragraph itself
    para(doc, "KHNgatPhan", "{%p endif %}")
    para(doc, "KHPhuLuc", "{%p endfor %}")
    return section_end


# ------------------------------------------------------------------ sections and headers

def page_header(header, with_page: bool) -> None:  # noqa: ANN001
    """P5: a centred PAGE field; or, for the first page, an empty header."""
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph._p.style = "KHSoTrang"
    if with_page:
        for xml in ('<w:fldChar w:fldCharType="begin"/>', '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
                    '<w:fldChar w:fldCharType="separate"/>', "<w:t>2</w:t>", '<w:fldChar w:fldCharType="end"/>'):
            paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}>{xml}</w:r>'))


def set_up(section, landscape: bool) -> None:  # noqa: ANN001
    """Page, margins (P1, P2) and headers (P5). The appendix section restarts at 1 and, like
    the plan itself, shows no number on its first page (titlePg with an empty first header)."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    size = (PAGE_H, PAGE_W) if landscape else (PAGE_W, PAGE_H)
    section.page_width, section.page_height = Twips(size[0]), Twips(size[1])
    # a landscape appendix keeps the same margins, the 30 mm binding margin on the left
    section.top_margin, section.bottom_margin = Twips(MARGIN["top"]), Twips(MARGIN["bottom"])
    section.left_margin, section.right_margin = Twips(MARGIN["left"]), Twips(MARGIN["right"])
    section.header_distance, section.footer_distance = Twips(MARGIN["header"]), Twips(MARGIN["footer"])
    section.gutter = Twips(0)
    section.different_first_page_header_footer = True
    page_header(section.header, True)
    page_header(section.first_page_header, False)
    if landscape:
        section._sectPr.insert_element_before(
            parse_xml(f'<w:pgNumType {nsdecls("w")} w:start="1"/>'), "w:cols", "w:formProt", "w:vAlign",
            "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi", "w:rtlGutter", "w:docGrid")


def build() -> bytes:
    """The template as .docx bytes (not yet normalised)."""
    doc = Document()
    clean_package(doc)
    build_styles(doc)
    set_up(doc.sections[0], landscape=False)
    header_block(doc)
    body(doc)
    signature(doc)
    # This new last paragraph holds the portrait sectPr. Without appendix the renderer moves
    # that sectPr to the body and keeps the (1 pt) paragraph: one section, no extra page.
    doc.add_section(WD_SECTION.NEW_PAGE)
    doc.paragraphs[-1]._p.style = "KHNgatPhan"
    appendix_end = appendices(doc)
    set_up(doc.sections[-1], landscape=True)
    appendix_end._p.get_or_add_pPr().append(deepcopy(doc.element.body.sectPr))
    for node in [*doc.element.iter(), *doc.styles.element.iter()]:  # no revision noise (rsids)
        for attr in [a for a in node.attrib if a.startswith(qn("w:rsid"))]:
            del node.attrib[attr]
        if node.tag == qn("w:rsid"):
            node.getparent().remove(node)
        elif node.tag == qn("w:t"):  # every text keeps its spaces
            node.set(qn("xml:space"), "preserve")
    defined = {s[0] for s in PARAGRAPH_STYLES} | {s[0] for s in TABLE_STYLES}
    assert STYLE_IDS | set(RULE_STYLES) | set(MEASURED) <= defined, "the renderer uses a style not built here"
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write(path: Path = OUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    write_package(build(), path)


if __name__ == "__main__":
    write()
    print(f"wrote {OUT.relative_to(ROOT) if OUT.is_relative_to(ROOT) else OUT}")
