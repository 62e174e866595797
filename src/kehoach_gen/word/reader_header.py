"""The header block of an ND30 document, found by its content.

The Quốc hiệu ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", also typed "CỘNG HOÀ") marks the right
column; what lies in columns left of it is the agency side: the superior body (not bold), the
issuing body (bold), the "Số:" line and, in a Công văn, the "V/v …" subject under it. The Tiêu ngữ
and the date are found by their words, wherever the row. A header typed as paragraphs (no
table) is read from the first paragraphs of the body.
"""

from __future__ import annotations

import re
from typing import Any

from .docx_facts import W, paragraph_text
from .reader_lines import Cell, LineMaker, column_after, paragraphs_after, table_cells
from .reader_model import Header, Line, Symbol
from .vntext import clean, fold, has_letters, letters, only_underscores

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"
TYPE_CODES = {"KH": "Kế hoạch", "BC": "Báo cáo", "QĐ": "Quyết định", "TB": "Thông báo", "CTr": "Chương trình",
              "HD": "Hướng dẫn", "TTr": "Tờ trình", "PA": "Phương án", "ĐA": "Đề án", "BB": "Biên bản",
              "GM": "Giấy mời", "NQ": "Nghị quyết", "CT": "Chỉ thị", "QC": "Quy chế", "QyĐ": "Quy định",
              "NĐ": "Nghị định", "TT": "Thông tư", "GUQ": "Giấy ủy quyền", "GGT": "Giấy giới thiệu",
              "GP": "Giấy phép"}
_QH_KEY = letters("CỘNG HÒA XÃ HỘI CHỦ NGHĨA")
_TN_KEY = letters(TIEU_NGU)
_DATE = re.compile(r"ngày .*tháng .*năm")
_SYMBOL = re.compile(r"^số\s*:?\s*(?P<num>\d+)?\s*(?:/\s*(?P<year>\d{4}))?\s*/\s*(?P<sym>.*)$")


def is_quoc_hieu_start(text: str) -> bool:
    return letters(text).startswith(_QH_KEY)


def is_tieu_ngu(text: str) -> bool:
    return letters(text) == _TN_KEY


def is_number_line(text: str) -> bool:
    return bool(re.match(r"^số\s*:", fold(text)))


def is_date_line(text: str) -> bool:
    return bool(_DATE.search(fold(text))) and "," in text


def find_header(body: Any, maker: LineMaker) -> tuple[Header, Any]:
    """The header block and the last body element it takes up (None when there is none)."""
    for table in _leading_tables(body):
        cells = table_cells(table, maker.styles)
        if any(is_quoc_hieu_start(paragraph_text(p)) for c in cells for p in c.paragraphs):
            rows = 1 + max(c.row for c in cells)
            cols = max(c.col + c.span for c in cells)
            return _from_cells(cells, maker, f"bảng {rows}x{cols}"), table
    return _from_paragraphs(body, maker)


def _leading_tables(body: Any) -> list[Any]:
    """Tables before the document's text begins (the header may be the first or second table)."""
    out, texts = [], 0
    for node in body:
        if node.tag == f"{W}tbl":
            out.append(node)
        elif node.tag == f"{W}p" and has_letters(paragraph_text(node)):
            texts += 1
        if texts > 6 or len(out) >= 2:
            break
    return out


def _from_cells(cells: list[Cell], maker: LineMaker, layout: str) -> Header:
    qh_cell = next(c for c in cells for p in c.paragraphs if is_quoc_hieu_start(paragraph_text(p)))
    right = [c for c in cells if c.col == qh_cell.col]
    left = [c for c in cells if c.col < qh_cell.col and any(has_letters(paragraph_text(p)) for p in c.paragraphs)]
    quoc_hieu, tieu_ngu, date = [], None, None
    for cell in right:
        for p in cell.paragraphs:
            text = paragraph_text(p)
            if is_quoc_hieu_start(text) or (quoc_hieu and fold(text) in ("nam", "việt nam") and tieu_ngu is None):
                quoc_hieu.append(maker.line(p, cell.room_mm))
            elif is_tieu_ngu(text) or (tieu_ngu is None and fold(text).startswith("độc lập")):
                tieu_ngu = maker.ruled_line(p, cell.room_mm, column_after(cells, cell, p))
    for cell in cells:
        for p in cell.paragraphs:
            if date is None and is_date_line(paragraph_text(p)):
                date = maker.line(p, cell.room_mm)
    names, number, subject = [], None, []
    for cell in sorted(left, key=lambda c: (c.col, c.row)):
        for p in cell.paragraphs:
            text = paragraph_text(p)
            if not has_letters(text) or only_underscores(text) or is_date_line(text):
                continue
            if is_number_line(text) and number is None:
                number = maker.line(p, cell.room_mm)
            elif number is None and not subject:
                names.append((cell, p))
            else:
                subject.append(maker.line(p, cell.room_mm))
    superior, issuer = _split_names(cells, names, maker)
    return Header(superior, issuer, tuple(quoc_hieu), tieu_ngu, number, date, tuple(subject), layout)


def _split_names(cells: list[Cell], names: list[tuple[Cell, Any]], maker: LineMaker) -> tuple[tuple[Line, ...], tuple[Line, ...]]:
    """Superior body (upper lines, not bold) and issuing body (the bold lines under it)."""
    lines = [maker.line(p, cell.room_mm) for cell, p in names]
    bold = [all(r.bold for r in line.printed) for line in lines]
    cut = len(lines) - 1 if not any(bold) else next(i for i, b in enumerate(bold) if b)
    cut = max(cut, 0)
    if names:
        cell, p = names[-1]
        last = maker.ruled_line(p, cell.room_mm, column_after(cells, cell, p))
        lines[-1] = last
    return tuple(lines[:cut]), tuple(lines[cut:])


def _from_paragraphs(body: Any, maker: LineMaker) -> tuple[Header, Any]:
    """A header typed as paragraphs: read the first lines of the body by their words."""
    paragraphs = [p for p in body.findall(f"{W}p")][:14]
    qh = next((p for p in paragraphs if is_quoc_hieu_start(paragraph_text(p))), None)
    if qh is None:
        return Header(layout="không có"), None
    found: dict[str, Any] = {}
    names = []
    for p in paragraphs:
        text = paragraph_text(p)
        if not has_letters(text):
            continue
        if p is qh:
            found["qh"] = maker.line(p)
        elif is_tieu_ngu(text):
            found["tn"] = maker.ruled_line(p, None, paragraphs_after(p))
        elif is_number_line(text):
            found["number"] = maker.line(p)
        elif is_date_line(text):
            found["date"] = maker.line(p)
        elif "number" not in found and clean(text) == clean(text).upper():
            names.append(p)
    last = max((paragraphs.index(p) for p in paragraphs if p is qh or any(p is f.node for f in found.values())), default=0)
    lines = [maker.line(p) for p in names]
    if names:
        lines[-1] = maker.ruled_line(names[-1], None, paragraphs_after(names[-1]))
    superior = tuple(line for line in lines[:-1] if not all(r.bold for r in line.printed))
    issuer = tuple(line for line in lines if line not in superior)
    header = Header(superior, issuer, (found["qh"],), found.get("tn"), found.get("number"), found.get("date"), (),
                    "đoạn văn")
    return header, paragraphs[last]


def parse_symbol(line: Line | None) -> Symbol | None:
    """The parts of a "Số:" line; ``well_formed`` is False when a part breaks H5's spelling."""
    if line is None:
        return None
    text = clean(line.text)
    found = _SYMBOL.match(text[0].lower() + text[1:] if text else "")
    if not found:
        return Symbol(None, None, None, (), False)
    number, year, symbol = found.group("num"), found.group("year"), found.group("sym").strip()
    groups = tuple(symbol.split("-"))
    type_code = groups[0] if len(groups) > 1 and groups[0] in TYPE_CODES else None
    padded = number is None or len(number) >= 2 or number == "0"
    spelled = bool(symbol) and " " not in symbol and all(g and g.replace("&", "").isalnum() for g in groups)
    return Symbol(number, year, type_code, groups[1:] if type_code else groups, padded and spelled)
