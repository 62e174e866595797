"""WordprocessingML for the task table, built from the plain TABLE data of the context.

The table is emitted as XML text and inserted by docxtpl where the template says
``{{p task_table_xml }}``. Formatting comes from the template's styles ("KH Bảng nhiệm vụ"
for borders, "KH Bảng …" / "KH Phụ lục bảng …" for text), so restyling in Word restyles the
tables too. Header row repeated on every page, rows kept whole, group rows spanning the
table, multi-part tasks as rows whose shared cells are merged vertically (A4).
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from .errors import OutputError

MM = 56.7
_JC = {"left": "left", "center": "center", "justify": "both"}
# docxtpl rewrites these sequences after rendering; a character reference keeps text literal.
_DOCXTPL_MARKS = (("{_{", "{&#95;{"), ("}_}", "}&#95;}"), ("{_%", "{&#95;%"), ("%_}", "%&#95;}"))


def literal(text: str) -> str:
    """XML-escape ``text`` so that neither XML nor docxtpl's post-processing can change it."""
    out = escape(text, {'"': "&quot;"})
    for mark, safe in _DOCXTPL_MARKS:
        out = out.replace(mark, safe)
    return out


class RawXml(str):
    """XML that Jinja's autoescape must insert as is (it was escaped when built)."""

    def __html__(self) -> str:
        return str(self)


def table_xml(table: dict[str, Any], width_twips: int, appendix: bool = False) -> RawXml:
    """The whole <w:tbl> for ``table`` scaled to ``width_twips``."""
    columns = table["columns"]
    if not columns:
        raise OutputError.single("bảng nhiệm vụ không có cột nào", exit_code=3)
    widths = _widths([c["width_mm"] for c in columns], width_twips)
    styles = ("KHPhuLucTieuDe", "KHPhuLucNhom", "KHPhuLucO") if appendix else ("KHBangTieuDe", "KHBangNhom", "KHBangO")
    head_style, group_style, cell_style = styles
    rows = [_row([_cell(w, [c["header"]], head_style, "center", valign="center") for c, w in zip(columns, widths, strict=True)],
                 header=True)]
    for row in table["rows"]:
        if row["kind"] == "group":
            rows.append(_group_row(row, widths, group_style, cell_style))
        else:
            rows.extend(_task_rows(row, columns, widths, cell_style))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    return RawXml(
        f'<w:tbl><w:tblPr><w:tblStyle w:val="KHBangNhiemVu"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" '
        'w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr>'
        f'<w:tblGrid>{grid}</w:tblGrid>{"".join(rows)}</w:tbl>')


def _widths(mm: list[float], total: int) -> list[int]:
    """Column widths in twips, scaled so that they fill ``total`` exactly."""
    scale = total / sum(mm)
    widths = [int(m * scale) for m in mm]
    widths[-1] += total - sum(widths)
    return widths


def _row(cells: list[str], header: bool = False) -> str:
    props = "<w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if header else "") + "</w:trPr>"
    return f"<w:tr>{props}{''.join(cells)}</w:tr>"


def _cell(width: int, lines: list[str], style: str, align: str, span: int = 1, vmerge: str | None = None,
          valign: str = "top") -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += '<w:vMerge w:val="restart"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += f'<w:vAlign w:val="{valign}"/>'
    jc = _JC.get(align, "left")
    paragraphs = "".join(
        f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{jc}"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{literal(line)}</w:t></w:r></w:p>' for line in lines)
    if not paragraphs:  # every cell needs a paragraph
        paragraphs = f'<w:p><w:pPr><w:pStyle w:val="{style}"/><w:jc w:val="{jc}"/></w:pPr></w:p>'
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{paragraphs}</w:tc>"


def _group_row(row: dict[str, Any], widths: list[int], group_style: str, cell_style: str) -> str:
    title = _cell(sum(widths[1:]), [row["title"]], group_style, "justify", span=len(widths) - 1)
    if row.get("points"):
        points = "".join(f'<w:p><w:pPr><w:pStyle w:val="{cell_style}"/><w:jc w:val="both"/></w:pPr>'
                         f'<w:r><w:t xml:space="preserve">{literal(p)}</w:t></w:r></w:p>' for p in row["points"])
        title = title.replace("</w:tc>", points + "</w:tc>")
    return _row([_cell(widths[0], [row["number"]], group_style, "center"), title])


def _task_rows(row: dict[str, Any], columns: list[dict[str, Any]], widths: list[int], style: str) -> list[str]:
    shared, parts = row["shared"], row["parts"] or [{}]
    out = []
    for index, part in enumerate(parts):
        cells = []
        for column, width in zip(columns, widths, strict=True):
            key = column["key"]
            if key in shared and len(parts) > 1:
                merge = "restart" if index == 0 else "continue"
                lines = shared[key] if index == 0 else []
                cells.append(_cell(width, lines, style, column["align"], vmerge=merge))
            else:
                lines = shared.get(key) if key in shared else part.get(key, [])
                cells.append(_cell(width, list(lines or []), style, column["align"]))
        out.append(_row(cells))
    return out
