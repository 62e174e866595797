"""A tracker workbook and what both tracker workbooks (a unit's, the office's) are made of.

The workbook comes with the house formats (Times New Roman, plan cells grey and locked, input
cells white and unlocked); cells are written safely, rows sized to their wrapped text, title
rows merged across the sheet, pages set up for A4 landscape, overdue rows highlighted, and the
identity record put in a very hidden sheet.

Text is always written with ``write_string`` (text starting with =, +, - or @ never becomes
a formula) and the creation date is the plan's date, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..errors import OutputError
from .trackers import IDENTITY_SHEET, STATUSES, Cell, Identity, cell_ref
from .xlsx_rows import FastSheet
from .xlsx_strings import FastBook, fast_rows

OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False, "in_memory": True}
# Times New Roman everywhere, not a theme font: without font_scheme "none" every format would also
# carry <scheme val="minor"/>, and Excel shows the theme's font (Calibri) instead.
DEFAULT_FONT = {"font_name": "Times New Roman", "font_size": 11, "font_scheme": "none"}
PROTECT = {"format_columns": True, "format_rows": True, "autofilter": True}
GREY, HEAD, OVERDUE, AMENDED = "#E7E6E6", "#D9E1F2", "#F8CBAD", "#FFF2CC"
CENTERED = {"stt", "role", "due", "percent", "done_date", "status"}


def close_book(book: Workbook) -> None:
    """Write ``book``, then let its cells go: workbook and sheets refer to each other, so without this
    every cell of a large plan would wait for a full garbage collection."""
    book.close()
    for sheet in book.worksheets():
        sheet.table.clear()
        sheet.row_info.clear()
        if isinstance(sheet, FastSheet):
            sheet.runs.clear()
            sheet.run_columns.clear()


class Dated(Protocol):
    """What a workbook's properties come from (a tracker set, the phân công book)."""

    year: int
    agency_name: str
    created: dt.datetime


def new_workbook(trackers: Dated, path: Path, title: str,
                 subject: str = "Theo dõi thực hiện Kế hoạch năm {year}") -> tuple[Workbook, dict[str, Format]]:
    """A workbook with the house formats; its properties are dated by the plan, not by the clock."""
    # a fresh dict each time: xlsxwriter writes into the default format properties it is given
    kind = FastBook if fast_rows() else xlsxwriter.Workbook  # FastBook: the same XML, written faster (xlsx_strings.py)
    book = kind(str(path), {**OPTIONS, "default_format_properties": dict(DEFAULT_FONT)})
    book.set_properties({"title": title, "subject": subject.format(year=trackers.year),
                         "author": trackers.agency_name, "company": trackers.agency_name,
                         "comments": "Tạo bởi kehoach", "created": trackers.created})
    base = {"valign": "top", "text_wrap": True, "border": 1}
    formats = {
        "title": book.add_format({"bold": True, "font_size": 13, "align": "center"}),
        "subtitle": book.add_format({"italic": True, "align": "center", "text_wrap": True}),
        "header": book.add_format({**base, "bold": True, "align": "center", "valign": "vcenter", "bg_color": HEAD}),
        "plan": book.add_format({**base, "bg_color": GREY}),
        "plan_center": book.add_format({**base, "bg_color": GREY, "align": "center"}),
        "plan_date": book.add_format({**base, "bg_color": GREY, "align": "center", "num_format": "dd/mm/yyyy"}),
        "input": book.add_format({**base, "locked": False}),
        "input_center": book.add_format({**base, "locked": False, "align": "center"}),
        "input_number": book.add_format({**base, "locked": False, "align": "center", "num_format": "0"}),
        "input_date": book.add_format({**base, "locked": False, "align": "center", "num_format": "dd/mm/yyyy"}),
        "amended": book.add_format({**base, "bg_color": AMENDED}),
        "amended_center": book.add_format({**base, "bg_color": AMENDED, "align": "center"}),
        "amended_date": book.add_format({**base, "bg_color": AMENDED, "align": "center", "num_format": "dd/mm/yyyy"}),
        "mark": book.add_format({"italic": True}),
        "overdue": book.add_format({"bg_color": OVERDUE, "font_color": "#9C0006"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    return book, formats


def write_text(sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None = None) -> None:
    """Text stays text (never a formula); text too long for a cell is an error naming the cell."""
    if sheet._write_string(row, col, text, fmt) == -2:  # write_string less its A1-notation wrapper
        raise OutputError.single("văn bản quá dài cho một ô Excel (tối đa 32.767 ký tự)",
                                 field=f"{sheet.name}!{cell_ref(row, col)}", exit_code=3)


def write_marked(sheet: Worksheet, row: int, col: int, text: str | None, mark: str, fmt: Format, mark_fmt: Format) -> None:
    """A content cell with its amendment mark on a last line of its own, in italics (one text for the checks)."""
    if not text:
        write_text(sheet, row, col, mark, fmt)
    elif sheet.write_rich_string(row, col, text + "\n", mark_fmt, mark, fmt) == -2:
        raise OutputError.single("văn bản quá dài cho một ô Excel (tối đa 32.767 ký tự)",
                                 field=f"{sheet.name}!{cell_ref(row, col)}", exit_code=3)


def write_cell(sheet: Worksheet, row: int, col: int, value: Cell | None, fmt: Format) -> None:
    """A plan cell: blank, text, date or number (xlsxwriter's write_* less their A1-notation wrapper)."""
    if value is None:
        sheet._write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        write_text(sheet, row, col, value, fmt)
    elif isinstance(value, dt.date):
        sheet._write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        sheet._write_number(row, col, value, fmt)


def write_cells(sheet: Worksheet, row: int, first: int, values: Sequence[Cell | None],
                formats: tuple[Format | None, ...]) -> None:
    """A row's plan cells from column ``first`` on, ``values[i]`` in ``formats[i]``: what :func:`write_cell`
    writes one by one, stored in one go (FastSheet.put_cells) when it can be."""
    if not (isinstance(sheet, FastSheet) and sheet.put_cells(row, first, values, formats)):
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True), start=first):
            write_cell(sheet, row, col, value, fmt)  # type: ignore[arg-type]


@lru_cache(maxsize=4096)  # a plan repeats its short texts (a deadline, a lead, a role) row after row
def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell needs (greedy word wrap; about 1.1 characters per unit of width).

    Words go on a line while they fit, separated by one space; a word longer than the column is cut
    at the column's width, and what is left of it starts the next line. Taken a line at a time: the
    paragraph's words joined by single spaces, each line ending at the last space that fits (``_wrapped_lines``)."""
    room = max(1, int(width * 1.1))
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        if len(paragraph) <= room:  # words and single spaces fit: one line
            continue
        if paragraph.isprintable() and "  " not in paragraph and paragraph[0] != " " != paragraph[-1]:
            words = paragraph  # single spaces between words already (no other whitespace is printable)
        else:
            words = " ".join(paragraph.split())
        if words:
            count += _wrapped_lines(words, room) - 1
    return count


def _wrapped_lines(words: str, room: int) -> int:
    """The lines of single-spaced ``words`` at ``room`` characters a line: each line is the longest run of at most
    ``room`` characters followed by a space (which it takes) or by the end, else ``room`` characters of one word."""
    lines, at, end = 1, 0, len(words)
    while end - at > room:
        space = words.rfind(" ", at + 1, at + room + 1)  # the last space that fits (a line has one character or more)
        at = space + 1 if space >= 0 else at + room
        lines += 1
    return lines


_ROOMS: dict[float, int] = {}  # a column's width -> the characters a line of it holds (see _line_count)


def fit_row(sheet: Worksheet, row: int, values: list[tuple[Cell | None, float]]) -> None:
    """Set the height of a row of wrapped text: neither Excel nor LibreOffice does it on opening."""
    fit_cells(sheet, row, [v for v, _ in values], [w for _, w in values])


def fit_cells(sheet: Worksheet, row: int, values: Sequence[Cell | None], widths: Sequence[float]) -> None:
    """:func:`fit_row` for a row of cells ``values`` in columns of ``widths``."""
    lines = 1
    rooms = _ROOMS
    for value, width in zip(values, widths, strict=False):  # the cells of the columns in ``widths``
        if isinstance(value, str):
            if (room := rooms.get(width)) is None:
                room = rooms[width] = max(1, int(width * 1.1))
            if (len(value) > room or "\n" in value) and (count := _line_count(value, width)) > lines:
                lines = count  # else one line, as _line_count would find
    sheet.set_row(row, 14 * lines + 4)


def write_titles(sheet: Worksheet, fm: dict[str, Format], titles: tuple[str, ...], widths: list[float]) -> None:
    """The title lines on top of a sheet, each merged across its columns."""
    for row, text in enumerate(titles):
        fmt = fm["title"] if row == 0 else fm["subtitle"]
        sheet.merge_range(row, 0, row, len(widths) - 1, "", fmt)
        write_text(sheet, row, 0, text, fmt)
        if row == 0:
            sheet.set_row(row, 21)
        else:
            fit_row(sheet, row, [(text, sum(widths))])


class Column(Protocol):
    header: str
    width: float


def table_sheet(book: Workbook, fm: dict[str, Format], name: str, titles: tuple[str, ...],
                columns: tuple[Column, ...] | list[Column], header_row: int) -> Worksheet:
    """A sheet of one table: its title lines, its columns' widths and the header row (tracker, phân công)."""
    sheet = book.add_worksheet(name)
    write_titles(sheet, fm, titles, [c.width for c in columns])
    fit_row(sheet, header_row, [(c.header, c.width) for c in columns])
    for col, column in enumerate(columns):
        sheet.set_column(col, col, column.width)
        write_text(sheet, header_row, col, column.header, fm["header"])
    return sheet


def print_setup(sheet: Worksheet, first_header: int, last_header: int, last_row: int, width: int) -> None:
    """A4 landscape, one page wide, header rows repeated on every page, page numbers in the footer."""
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first_header, last_header)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&CTrang &P/&N")
    sheet.center_horizontally()
    sheet.print_area(0, 0, last_row, width - 1)


def highlight_overdue(sheet: Worksheet, fm: dict[str, Format], first: int, last: int, width: int, due: int, status: int) -> None:
    """Highlight a row whose Hạn chót is past and whose status is neither done nor dropped."""
    due_abs, status_abs = "$" + cell_ref(first, due), "$" + cell_ref(first, status)
    formula = (f'=AND(ISNUMBER({due_abs}),{due_abs}<TODAY(),LEFT({status_abs},10)<>"{STATUSES[2]}",'
               f'LEFT({status_abs},5)<>"Không")')
    sheet.conditional_format(first, 0, last, width - 1, {"type": "formula", "criteria": formula, "format": fm["overdue"]})


def add_identity_sheet(book: Workbook, identity: Identity | list[tuple[str, ...]]) -> None:
    """The identity record (a tracker's, or rows of several columns), in a protected and very hidden sheet."""
    sheet = book.add_worksheet(IDENTITY_SHEET)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 70)
    rows = identity.items() if isinstance(identity, Identity) else identity
    for row, values in enumerate(rows):
        write_cells(sheet, row, 0, values, (None,) * len(values))
    sheet.protect()
    sheet.very_hidden()
