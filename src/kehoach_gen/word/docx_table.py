"""The task table (A4) of a Kế hoạch, as the WordprocessingML placed into the template.

The table refers to the template's own styles by id: "KH Bảng nhiệm vụ" (full single
borders, cell margins) and one paragraph style per role and alignment ("KH Bảng tiêu đề",
"KH Bảng số nhóm", "KH Bảng dòng nhóm", "KH Bảng ô", "KH Bảng ô giữa", "KH Bảng ô trái";
the same as "KH Phụ lục bảng …" at 12 pt for a landscape appendix). Nothing visible is
formatted directly, so restyling the template in Word restyles the tables. Only layout is
set here: widths, the header row repeated on every page (``w:tblHeader``), short rows never split
across pages (``w:cantSplit``; a row taller than about a third of a page may), group rows spanning the columns after the first
(``w:gridSpan``), multi-part tasks whose shared columns are merged down (``w:vMerge``); a group that is its own
task is one task row whose number and title are set as a group row's.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape  # jinja2's, already loaded; xml.sax.saxutils would import urllib.request

from ..errors import OutputError, Problem

TABLE_STYLE = "KHBangNhiemVu"
BODY_STYLES = {"head": "KHBangTieuDe", "number": "KHBangSoNhom", "group": "KHBangNhom",
               "justify": "KHBangO", "center": "KHBangOGiua", "left": "KHBangOTrai"}
APPENDIX_STYLES = {role: "KHPhuLuc" + style.removeprefix("KHBang") for role, style in BODY_STYLES.items()}
STYLE_IDS = frozenset({TABLE_STYLE, *BODY_STYLES.values(), *APPENDIX_STYLES.values()})
ALIGNMENTS = ("justify", "center", "left")


def check_table(table: Any, where: str) -> list[Problem]:
    """Problems of one TABLE of the context (see render_docx for the contract)."""
    if not isinstance(table, dict) or not table.get("columns"):
        return [Problem("bảng nhiệm vụ không có cột nào", field=f"{where}.columns", expected="ít nhất một cột")]
    problems = []
    for index, column in enumerate(table["columns"]):
        place = f"{where}.columns[{index}]"
        width = column.get("width_mm")
        if not isinstance(width, int | float) or isinstance(width, bool) or width <= 0:
            problems.append(Problem("độ rộng cột không hợp lệ", field=f"{place}.width_mm",
                                    expected="số milimét lớn hơn 0", found=repr(width)))
        if column.get("align", "justify") not in ALIGNMENTS:
            problems.append(Problem("căn lề cột không hợp lệ", field=f"{place}.align",
                                    expected=", ".join(ALIGNMENTS), found=repr(column.get("align"))))
    for index, row in enumerate(table.get("rows", [])):
        for key, align in (row.get("align") or {}).items():
            if align not in ALIGNMENTS:
                problems.append(Problem("căn lề ô không hợp lệ", field=f"{where}.rows[{index}].align.{key}",
                                        expected=", ".join(ALIGNMENTS), found=repr(align)))
    for index, row in enumerate(table.get("rows", [])):
        if row.get("kind") not in ("group", "task"):
            problems.append(Problem("loại dòng không hợp lệ", field=f"{where}.rows[{index}].kind",
                                    expected="group hoặc task", found=repr(row.get("kind"))))
    return problems


def check_problems(problems: list[Problem]) -> None:
    """Raise the collected problems at once (exit status 3: the output cannot be written)."""
    if problems:
        raise OutputError(problems, exit_code=3, hint="Dữ liệu dựng cho mẫu Word sai: đây là lỗi của chương "
                                                      "trình, hãy báo cho người phát triển kèm thông báo này.")


def column_widths(widths_mm: list[float], total: int) -> list[int]:
    """Column widths in twips, scaled so that they fill ``total`` (the text width) exactly."""
    scale = total / sum(widths_mm)
    widths = [int(mm * scale) for mm in widths_mm]
    widths[-1] += total - sum(widths)
    return widths


def task_table_xml(table: dict[str, Any], width: int, appendix: bool = False, split_above: int | None = None) -> str:
    """The ``w:tbl`` element of ``table`` (a TABLE of the context), ``width`` twips wide.

    Written as text, not through python-docx objects: a plan's table is built many times in a
    batch and this is twenty times faster. Every text is XML-escaped and protected from
    docxtpl (render_docx.protect), so the result can be placed in the template as it is.
    A task row estimated taller than ``split_above`` twips may split across pages (A4: a page
    does not end half empty); shorter rows never split; group rows keep with the next row
    (their styles' keep-with-next).
    """
    styles = APPENDIX_STYLES if appendix else BODY_STYLES
    columns = table["columns"]
    widths = column_widths([c["width_mm"] for c in columns], width)
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="{TABLE_STYLE}"/><w:tblW w:type="dxa" w:w="{width}"/>'
           '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
           'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
           *(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>", _HEADER_ROW]
    out += [_cell(w, [c["header"]], styles["head"], '<w:vAlign w:val="center"/>') for c, w in zip(columns, widths,
                                                                                                 strict=True)]
    out.append("</w:tr>")
    for row in table.get("rows", []):
        if row["kind"] == "group":
            out.append(_group_row(row, widths, styles))
        else:
            out.extend(_task_rows(row, columns, widths, styles, split_above, 240 if appendix else 260))
    out.append("</w:tbl>")
    return "".join(out)


_HEADER_ROW = "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
_ROW = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
_SPLITTABLE_ROW = "<w:tr>"


def row_height(cells: list[tuple[int, list[str]]], size: int) -> int:
    """A row's height estimated in twips: the tallest cell, ``size`` the font size in twentieths of a
    point (260: 13 pt). A Times New Roman character is about half the font size wide on average;
    a line is 1.15 times the size, and each paragraph adds its spacing (3 pt)."""
    tallest = 0
    char = size * 0.5  # twips: size/20 pt * 20 twips/pt * 0.5
    for width, lines in cells:
        per_line = max(int((width - 170) / char), 1)  # minus the cell margins of the table style (85 each)
        count = sum(max(-(-len(line) // per_line), 1) for line in (lines or [""]))
        tallest = max(tallest, int(count * size * 1.15) + 60 * len(lines or [""]))
    return tallest


def _cell(width: int, lines: list[str], style_id: str, extra: str = "", paragraphs: str = "", first: str = "") -> str:
    """One cell: ``first`` (paragraphs), one paragraph per line (bullets such as "- …" stay literal), then
    ``paragraphs``; a cell with nothing else keeps one empty paragraph."""
    body = "".join(_paragraph(line, style_id) for line in (lines or ([] if first else [""])))
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/>{extra}</w:tcPr>' + first + body + paragraphs + "</w:tc>"


def _paragraph(line: str, style_id: str) -> str:
    if not line:
        return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr></w:p>'
    space = ' xml:space="preserve"' if line[0].isspace() or line[-1].isspace() else ""  # i.e. line != line.strip()
    return f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r><w:t{space}>{protect(line)}</w:t></w:r></w:p>'


def _group_row(row: dict[str, Any], widths: list[int], styles: dict[str, str]) -> str:
    """Roman numeral in the first column; the title (bold) and its sub-points span the rest."""
    cells = [_cell(widths[0], [row.get("number", "")], styles["number"])]
    if len(widths) > 1:
        span = f'<w:gridSpan w:val="{len(widths) - 1}"/>' if len(widths) > 2 else ""
        points = "".join(_paragraph(point, styles["justify"]) for point in row.get("points", []))
        cells.append(_cell(sum(widths[1:]), [row.get("title", "")], styles["group"], span, points))
    return _ROW + "".join(cells) + "</w:tr>"


def _task_rows(row: dict[str, Any], columns: list[dict[str, Any]], widths: list[int], styles: dict[str, str],
               split_above: int | None = None, size: int = 260) -> list[str]:
    """One table row per part; with several parts the ``shared`` columns are merged down.
    ``row["align"]`` (column key -> alignment) overrides a column's alignment for this task."""
    shared, parts = row.get("shared", {}), row.get("parts") or [{}]
    aligns = row.get("align") or {}
    rows = []
    for index, part in enumerate(parts):
        cells, texts = [], []
        for column, width in zip(columns, widths, strict=True):
            key = column["key"]
            style = styles[aligns.get(key) or column.get("align", "justify")]
            if key not in shared:
                lines = list(part.get(key, []))
                cells.append(_cell(width, lines, style))
                texts.append((width, lines))
                continue
            merge = "" if len(parts) == 1 else '<w:vMerge w:val="restart"/>' if index == 0 else "<w:vMerge/>"
            lines = list(shared[key]) if index == 0 else []
            heading = row.get("heading") if index == 0 else None  # a group that is its own task (own_task)
            if heading and key == "stt":
                style = styles["number"]
            if heading and key == "content":
                cells.append(_cell(width, lines, style, merge, first=_paragraph(heading, styles["group"])))
                texts.append((width, [heading, *lines]))
                continue
            cells.append(_cell(width, lines, style, merge))
            texts.append((width, lines))
        tall = split_above is not None and row_height(texts, size) > split_above
        rows.append((_SPLITTABLE_ROW if tall else _ROW) + "".join(cells) + "</w:tr>")
    return rows


# docxtpl rewrites "{_{" "}_}" "{_%" "%_}" anywhere in the rendered XML and turns tabs and
# newlines inside w:t into tabs and breaks: data must not be able to form them. Every "_" of a
# text becomes the character reference "&#95;" (a tab or newline "&#9;" / "&#10;"): the XML
# parser reads back the same characters, but docxtpl's string replacements never match.
_PROTECT = str.maketrans({"_": "&#95;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


_SPECIAL = re.compile("[&<>'\"_\t\n\r]")


def protect(text: str) -> str:
    """``text`` XML-escaped and protected from docxtpl's rewriting, ready for a ``w:t``."""
    if not _SPECIAL.search(text):  # most lines: nothing to do (escape and translate cost ~1 µs each)
        return str(text)
    return str(escape(text)).translate(_PROTECT)
