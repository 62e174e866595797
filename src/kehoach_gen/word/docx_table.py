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
from .docx_rows import TableWriter, cell_height, per_line

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
    """The ``w:tbl`` element of ``table`` (a TABLE of the context), ``width`` twips wide, for docxtpl:
    every text XML-escaped and protected (``protect``), so it can be placed in a template as it is.

    Written as text, not through python-docx objects: a plan's table is built many times in a batch and
    this is twenty times faster. A task row estimated taller than ``split_above`` twips may split across
    pages (A4: a page does not end half empty); shorter rows never split; group rows keep with the next
    row (their styles' keep-with-next).
    """
    return b"".join(_writer(table, width, appendix, split_above, _protected, False).chunks()).decode("utf-8")


def task_table_writer(table: dict[str, Any], width: int, appendix: bool = False,
                      split_above: int | None = None) -> TableWriter:
    """The same table as UTF-8 bytes in the form lxml serializes it (``final_text``), for compiled.py
    to put into the serialized document as they are: ``chunks()`` gives them, ``least()`` a lower
    bound of their length (see docx_rows)."""
    return _writer(table, width, appendix, split_above, final_text, True)


def _writer(table: dict[str, Any], width: int, appendix: bool, split_above: int | None, text: Any,
            whole: bool) -> TableWriter:
    widths = column_widths([c["width_mm"] for c in table["columns"]], width)
    return TableWriter(table, widths, width, TABLE_STYLE, APPENDIX_STYLES if appendix else BODY_STYLES, split_above,
                       240 if appendix else 260, text, whole)


def row_height(cells: list[tuple[int, list[str]]], size: int) -> int:
    """A row's height estimated in twips: the tallest cell, ``size`` the font size in twentieths of a
    point (260: 13 pt). A Times New Roman character is about half the font size wide on average;
    a line is 1.15 times the size, and each paragraph adds its spacing (3 pt)."""
    return max((cell_height(lines, per_line(width, size), size) for width, lines in cells), default=0)


_SPECIAL = re.compile("[&<>'\"_\t\n\r]")
_FINAL = re.compile("[&<>\r]")

# docxtpl rewrites "{_{" "}_}" "{_%" "%_}" anywhere in the rendered XML and turns tabs and
# newlines inside w:t into tabs and breaks: data must not be able to form them. Every "_" of a
# text becomes the character reference "&#95;" (a tab or newline "&#9;" / "&#10;"): the XML
# parser reads back the same characters, but docxtpl's string replacements never match.
_PROTECT = str.maketrans({"_": "&#95;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})


def protect(text: str) -> str:
    """``text`` XML-escaped and protected from docxtpl's rewriting, ready for a ``w:t``."""
    if not _SPECIAL.search(text):  # most lines: nothing to do (escape and translate cost ~1 µs each)
        return str(text)
    return str(escape(text)).translate(_PROTECT)


def _protected(text: str) -> bytes:
    return protect(text).encode("utf-8")


def final_text(text: str) -> bytes:
    """``text`` as lxml writes it in a ``w:t`` (what the parse of ``protect(text)`` serializes to):
    ``&``, ``<``, ``>`` escaped, a carriage return as ``&#13;``, everything else literal."""
    if _FINAL.search(text) is None:
        return text.encode("utf-8")
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
            .encode("utf-8"))

