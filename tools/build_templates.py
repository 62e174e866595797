"""Build templates/ke-hoach.docx: the one Word template every Kế hoạch layout renders from.

    python tools/build_templates.py

The package is written part by part (no python-docx default template, so there is no stock
noise for schema validators to flag) with fixed zip timestamps: running it twice gives the
same bytes. All visible formatting lives in named styles ("KH …"), so an office can restyle
every future document by editing the styles in Word. The Jinja tags are docxtpl's; the task
tables are inserted by the renderer where ``{{p task_table_xml }}`` / ``{{p a.table_xml }}`` stand.
See shared/nd30.md for the rule ids quoted in comments.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "templates" / "ke-hoach.docx"

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
FONT = "Times New Roman"
MM = 56.7  # twips per millimetre

# P1/P2: A4, margins 20/20/30/15 mm; header 10 mm from the edge.
PAGE = {"w": 11906, "h": 16838, "top": 1134, "bottom": 1134, "left": 1701, "right": 851, "header": 567}
TEXT_WIDTH = PAGE["w"] - PAGE["left"] - PAGE["right"]  # 9354 twips = 165 mm
HEADER_COLS = (3685, 5669)  # 65 mm + 100 mm: H3 at 13 pt bold is ~96 mm wide (P3/H3)
SIGN_COLS = (3685, 5669)


def twips(mm: float) -> int:
    return round(mm * MM)


# ---------------------------------------------------------------- styles

def rpr(size: float, bold: bool = False, italic: bool = False, caps: bool = False) -> str:
    """Run properties with the four font slots and vi-VN (P3) and one size (P4)."""
    half = int(size * 2)
    return ("<w:rPr>"
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
            + ("<w:b/><w:bCs/>" if bold else '<w:b w:val="0"/><w:bCs w:val="0"/>')
            + ("<w:i/><w:iCs/>" if italic else '<w:i w:val="0"/><w:iCs w:val="0"/>')
            + ("<w:caps/>" if caps else "")
            + f'<w:color w:val="000000"/><w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
            '<w:lang w:val="vi-VN" w:eastAsia="vi-VN" w:bidi="ar-SA"/></w:rPr>')


def ppr(align: str = "both", before: int = 0, after: int = 0, first_line: int = 0, line: int = 240,
        keep_next: bool = False, extra: str = "") -> str:
    return ("<w:pPr>" + ("<w:keepNext/>" if keep_next else "") + extra
            + f'<w:spacing w:before="{before}" w:after="{after}" w:line="{line}" w:lineRule="auto"/>'
            + (f'<w:ind w:firstLine="{first_line}"/>' if first_line else '<w:ind w:left="0" w:right="0" w:firstLine="0"/>')
            + f'<w:jc w:val="{align}"/></w:pPr>')


# (style id, name, paragraph properties, run properties): the rule id each one serves
PARA_STYLES = [
    ("KHCoQuanChuQuan", "KH Cơ quan chủ quản", ppr("center"), rpr(13)),                       # H1
    ("KHCoQuanBanHanh", "KH Cơ quan ban hành", ppr("center"), rpr(13, bold=True)),            # H2
    ("KHQuocHieu", "KH Quốc hiệu", ppr("center"), rpr(13, bold=True)),                        # H3
    ("KHTieuNgu", "KH Tiêu ngữ", ppr("center"), rpr(14, bold=True)),                          # H4
    ("KHSoKyHieu", "KH Số ký hiệu", ppr("center", before=120), rpr(13)),                      # H5
    ("KHNgayThang", "KH Ngày tháng", ppr("center", before=120), rpr(14, italic=True)),        # H6
    ("KHTenLoai", "KH Tên loại", ppr("center", before=360, keep_next=True), rpr(14, bold=True)),  # T1
    ("KHTrichYeu", "KH Trích yếu", ppr("center", keep_next=True), rpr(14, bold=True)),        # T2
    ("KHCanCu", "KH Căn cứ", ppr("both", after=120, first_line=720, line=276), rpr(14, italic=True)),  # B1
    ("KHDoanVan", "KH Đoạn văn", ppr("both", after=120, first_line=720, line=276), rpr(14)),  # B2
    ("KHMucI", "KH Mục I", ppr("both", before=120, after=120, first_line=720, keep_next=True),
     rpr(14, bold=True)),                                                                    # B3 "I."
    ("KHMuc1", "KH Mục 1", ppr("both", after=120, first_line=720, keep_next=True, line=276),
     rpr(14, bold=True)),                                                                    # B3 "1."
    ("KHMuca", "KH Mục a", ppr("both", after=120, first_line=720, line=276), rpr(14)),        # B3 "a)"
    ("KHNoiNhan", "KH Nơi nhận", ppr("left"), rpr(12, bold=True, italic=True)),               # S3
    ("KHDanhSachNoiNhan", "KH Danh sách nơi nhận", ppr("left"), rpr(11)),                     # S4
    ("KHQuyenHan", "KH Quyền hạn chức vụ", ppr("center"), rpr(14, bold=True)),                # S1
    ("KHNguoiKy", "KH Họ tên người ký", ppr("center"), rpr(14, bold=True)),                   # S2
    ("KHPhuLuc", "KH Phụ lục", ppr("center", keep_next=True), rpr(14, bold=True)),            # A1
    ("KHTenPhuLuc", "KH Tên phụ lục", ppr("center", keep_next=True), rpr(14, bold=True)),     # A2
    ("KHGhiChuPhuLuc", "KH Ghi chú phụ lục", ppr("center", after=240), rpr(14, italic=True)),  # A3
    ("KHBangTieuDe", "KH Bảng tiêu đề", ppr("center", before=40, after=40), rpr(13, bold=True)),  # A4
    # group rows keep with the first task row below them (no orphaned group title at a page end)
    ("KHBangNhom", "KH Bảng dòng nhóm", ppr("both", before=40, after=40, keep_next=True), rpr(13, bold=True)),
    ("KHBangO", "KH Bảng ô", ppr("both", before=40, after=40), rpr(13)),
    ("KHPhuLucTieuDe", "KH Phụ lục bảng tiêu đề", ppr("center", before=40, after=40), rpr(12, bold=True)),
    ("KHPhuLucNhom", "KH Phụ lục bảng dòng nhóm", ppr("both", before=40, after=40, keep_next=True),
     rpr(12, bold=True)),
    ("KHPhuLucO", "KH Phụ lục bảng ô", ppr("both", before=40, after=40), rpr(12)),
    ("KHSoTrang", "KH Số trang", ppr("center"), rpr(14)),                                     # P5
    # A solid rule is the bottom border of a tiny paragraph; the renderer narrows it with
    # indents to the length the rule asks (H2, T2: 1/3–1/2 of the text; H4: the text's length).
    ("KHDuongKe", "KH Đường kẻ", "<w:pPr>"
     '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
     '<w:spacing w:before="0" w:after="0" w:line="120" w:lineRule="exact"/><w:jc w:val="center"/></w:pPr>',
     rpr(4)),
]


def styles_xml() -> str:
    out = [f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles xmlns:w="{W_NS}">',
           "<w:docDefaults><w:rPrDefault>", rpr(14).replace("<w:b w:val=\"0\"/><w:bCs w:val=\"0\"/>", "")
           .replace("<w:i w:val=\"0\"/><w:iCs w:val=\"0\"/>", ""),
           "</w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>"
           "</w:pPr></w:pPrDefault></w:docDefaults>",
           '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/>',
           rpr(14), "</w:style>",
           '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
           '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>',
           '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
           '<w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
           '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/>'
           '<w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>',
           '<w:style w:type="table" w:customStyle="1" w:styleId="KHBangNhiemVu"><w:name w:val="KH Bảng nhiệm vụ"/>'
           '<w:basedOn w:val="TableNormal"/><w:qFormat/><w:tblPr><w:tblBorders>'
           + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblCellMar><w:left w:w="85" w:type="dxa"/><w:right w:w="85" w:type="dxa"/>'
           '</w:tblCellMar></w:tblPr></w:style>',
           '<w:style w:type="table" w:customStyle="1" w:styleId="KHBangKhongVien"><w:name w:val="KH Bảng không viền"/>'
           '<w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders>'
           + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblCellMar><w:left w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/>'
           '</w:tblCellMar></w:tblPr></w:style>']
    for style_id, name, p, r in PARA_STYLES:
        out.append(f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id}"><w:name w:val="{name}"/>'
                   f'<w:basedOn w:val="Normal"/><w:qFormat/>{p}{r}</w:style>')
    out.append("</w:styles>")
    return "".join(out)


# ---------------------------------------------------------------- body

def para(style: str, text: str = "") -> str:
    run = f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p>'


def loop(var: str, items: str, style: str) -> str:
    """Paragraphs repeated by docxtpl: one per item, each in ``style``."""
    return (para(style, f"{{%p for {var} in {items} %}}") + para(style, f"{{{{ {var} }}}}")
            + para(style, "{%p endfor %}"))


def cell(width: int, content: str, valign: str = "top") -> str:
    return (f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="{valign}"/></w:tcPr>'
            f"{content}</w:tc>")


def borderless_table(widths: tuple[int, int], rows: list[tuple[str, str]]) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(f"<w:tr>{cell(widths[0], a)}{cell(widths[1], b)}</w:tr>" for a, b in rows)
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="KHBangKhongVien"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" '
            f'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
            f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>")


def body_blocks() -> str:
    kinds = [("section", "KHMucI"), ("heading", "KHMuc1"), ("numbered", "KHDoanVan"), ("lettered", "KHMuca"),
             ("intro", "KHDoanVan")]
    out = [para("KHDoanVan", "{%p for b in body %}")]
    for index, (kind, style) in enumerate(kinds):
        keyword = "if" if index == 0 else "elif"
        out += [para(style, f"{{%p {keyword} b.kind == '{kind}' %}}"), para(style, "{{ b.text }}")]
    out += [para("KHDoanVan", "{%p elif b.kind == 'task_table' %}"), para("KHDoanVan", "{{p task_table_xml }}"),
            para("KHDoanVan", "{%p else %}"), para("KHDoanVan", "{{ b.text }}"),
            para("KHDoanVan", "{%p endif %}"), para("KHDoanVan", "{%p endfor %}")]
    return "".join(out)


def sect_pr(headers: tuple[str, str], landscape: bool, restart: bool, section_break: bool) -> str:
    w, h = (PAGE["h"], PAGE["w"]) if landscape else (PAGE["w"], PAGE["h"])
    orient = ' w:orient="landscape"' if landscape else ""
    # landscape keeps the same margin ranges: the binding (30 mm) side stays the left one
    return (f'<w:sectPr><w:headerReference w:type="default" r:id="{headers[0]}"/>'
            f'<w:headerReference w:type="first" r:id="{headers[1]}"/>'
            + ('<w:type w:val="nextPage"/>' if section_break else "")
            + f'<w:pgSz w:w="{w}" w:h="{h}"{orient}/>'
            f'<w:pgMar w:top="{PAGE["top"]}" w:right="{PAGE["right"]}" w:bottom="{PAGE["bottom"]}" '
            f'w:left="{PAGE["left"]}" w:header="{PAGE["header"]}" w:footer="567" w:gutter="0"/>'
            + ('<w:pgNumType w:start="1"/>' if restart else "")
            + '<w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="381"/></w:sectPr>')


def document_xml() -> str:
    left_top = (loop("line", "superior_lines", "KHCoQuanChuQuan") + loop("line", "issuer_lines", "KHCoQuanBanHanh")
                + para("KHDuongKe"))
    right_top = (para("KHQuocHieu", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") + para("KHTieuNgu",
                 "Độc lập - Tự do - Hạnh phúc") + para("KHDuongKe"))
    header = borderless_table(HEADER_COLS, [(left_top, right_top), (para("KHSoKyHieu", "{{ number_line }}"),
                                                                    para("KHNgayThang", "{{ date_line }}"))])
    title = para("KHTenLoai", "{{ doc_type }}") + loop("line", "title_lines", "KHTrichYeu") + para("KHDuongKe")
    opening = para("KHDoanVan") + loop("line", "bases", "KHCanCu")
    signer = (loop("line", "signer_lines", "KHQuyenHan") + "".join(para("KHNguoiKy") for _ in range(4))
              + para("KHNguoiKy", "{{ signer_name }}"))
    recipients = para("KHNoiNhan", "{{ recipients_heading }}") + loop("line", "recipients", "KHDanhSachNoiNhan")
    signature = para("KHDoanVan") + borderless_table(SIGN_COLS, [(recipients, signer)])
    # The paragraph below ends the portrait section; the renderer drops it and the appendix
    # part when the plan has no appendix, so such plans have exactly one (portrait) section.
    section_end = f'<w:p><w:pPr><w:pStyle w:val="KHDoanVan"/>{sect_pr(("rIdH1", "rIdH2"), False, False, False)}</w:pPr></w:p>'
    appendix = (para("KHPhuLuc", "{%p for a in appendices %}") + para("KHPhuLuc", "{{ a.label }}")
                + loop("line", "a.title_lines", "KHTenPhuLuc") + para("KHGhiChuPhuLuc", "{{ a.indication }}")
                + para("KHDoanVan", "{{p a.table_xml }}") + para("KHPhuLuc", "{%p endfor %}"))
    body = header + title + opening + body_blocks() + signature + section_end + appendix
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{W_NS}" '
            f'xmlns:r="{R_NS}"><w:body>{body}{sect_pr(("rIdH3", "rIdH4"), True, True, True)}</w:body></w:document>')


def header_xml(with_page: bool) -> str:
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE '
             '</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>'
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>') if with_page else ""
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:hdr xmlns:w="{W_NS}" xmlns:r="{R_NS}">'
            f'<w:p><w:pPr><w:pStyle w:val="KHSoTrang"/></w:pPr>{field}</w:p></w:hdr>')


SETTINGS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings xmlns:w="{W_NS}">'
            '<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
            'w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/></w:settings>')

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/word/theme/theme1.xml" ContentType="application/vnd.openxmlformats-officedocument.theme+xml"/>'
    + "".join(f'<Override PartName="/word/header{i}.xml" '
              'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>'
              for i in range(1, 5))
    + '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>')

PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" '
    'Target="docProps/app.xml"/></Relationships>')

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rIdSettings" Type="{_REL}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rIdFonts" Type="{_REL}/fontTable" Target="fontTable.xml"/>'
    f'<Relationship Id="rIdTheme" Type="{_REL}/theme" Target="theme/theme1.xml"/>'
    + "".join(f'<Relationship Id="rIdH{i}" Type="{_REL}/header" Target="header{i}.xml"/>' for i in range(1, 5))
    + "</Relationships>")

CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>Mẫu Kế hoạch (Nghị định 30/2020/NĐ-CP)</dc:title><dc:creator>kehoach_gen</dc:creator>"
    "<cp:lastModifiedBy>kehoach_gen</cp:lastModifiedBy><cp:revision>1</cp:revision><dc:language>vi-VN</dc:language>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">2025-01-01T00:00:00Z</dcterms:modified></cp:coreProperties>')

FONT_TABLE = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="{W_NS}">'
              f'<w:font w:name="{FONT}"><w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
              '<w:family w:val="roman"/><w:pitch w:val="variable"/></w:font></w:fonts>')


def theme_xml() -> str:
    """A minimal theme whose major and minor fonts are Times New Roman (no theme font can win)."""
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    colors = [("dk1", "000000"), ("lt1", "FFFFFF"), ("dk2", "1F2937"), ("lt2", "E5E7EB"), ("accent1", "1F4E79"),
              ("accent2", "833C0B"), ("accent3", "385623"), ("accent4", "7F6000"), ("accent5", "2F5496"),
              ("accent6", "538135"), ("hlink", "0563C1"), ("folHlink", "954F72")]
    scheme = "".join(f'<a:{n}><a:srgbClr val="{v}"/></a:{n}>' for n, v in colors)
    font = f'<a:latin typeface="{FONT}"/><a:ea typeface=""/><a:cs typeface=""/>'
    solid = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="6350">{solid}</a:ln>'
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<a:theme xmlns:a="{a}" name="kehoach">'
            f'<a:themeElements><a:clrScheme name="kehoach">{scheme}</a:clrScheme>'
            f'<a:fontScheme name="kehoach"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont>'
            f'</a:fontScheme><a:fmtScheme name="kehoach"><a:fillStyleLst>{solid * 3}</a:fillStyleLst>'
            f'<a:lnStyleLst>{line * 3}</a:lnStyleLst><a:effectStyleLst>'
            + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
            + f'</a:effectStyleLst><a:bgFillStyleLst>{solid * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>'
            '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')


APP = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
       '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
       "<Application>kehoach_gen</Application></Properties>")


def parts() -> dict[str, str]:
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "docProps/core.xml": CORE,
        "docProps/app.xml": APP,
        "word/document.xml": document_xml(),
        "word/styles.xml": styles_xml(),
        "word/settings.xml": SETTINGS,
        "word/fontTable.xml": FONT_TABLE,
        "word/theme/theme1.xml": theme_xml(),
        "word/_rels/document.xml.rels": DOCUMENT_RELS,
        # header1/2: portrait section (page number / empty first page); header3/4: appendix
        "word/header1.xml": header_xml(True),
        "word/header2.xml": header_xml(False),
        "word/header3.xml": header_xml(True),
        "word/header4.xml": header_xml(False),
    }


def write(path: Path = OUT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts().items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))


if __name__ == "__main__":
    write()
    print(f"wrote {OUT.relative_to(ROOT)}")
