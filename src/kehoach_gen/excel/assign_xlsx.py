"""Write the phân công workbook: the plan's assignments for an officer to edit in Excel.

The house formats of the trackers (Times New Roman, locked cells grey, input cells white), the same
protection without password, the identity record in a very hidden sheet, A4 landscape with the header
repeated. Chủ trì and Phối hợp offer the registry's unit and group names (from the "Đơn vị" sheet) in a
dropdown that warns but lets several names be typed ("; " between them: checked when read back). Input
cells are text cells, so "31/3/2025" stays the words the officer typed.
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .assign_rows import (
    ADDED,
    COLUMNS,
    DROPPED,
    GUIDE_SHEET,
    INDEX,
    SHEET,
    UNITS_SHEET,
    UNUSED,
    AssignBook,
    AssignRow,
)
from .trackers import FIRST_ROW, HEADER_ROW
from .xlsx_book import AMENDED, GREY, PROTECT, add_identity_sheet, fit_row, new_workbook, print_setup, table_sheet, \
    write_cell, write_text

FILL = {UNUSED: AMENDED, DROPPED: "#BFBFBF", ADDED: GREY}


def write_book(book_data: AssignBook, path: Path) -> None:
    """The workbook: Phân công, Đơn vị, Hướng dẫn and the hidden identity sheet."""
    book, fm = new_workbook(book_data, path, book_data.titles[0], subject="Phân công thực hiện Kế hoạch năm {year}")
    base = {"valign": "top", "text_wrap": True, "border": 1}
    fm["edit"] = book.add_format({**base, "locked": False, "num_format": "@"})
    for state, colour in FILL.items():
        fm[f"locked_{state}"] = book.add_format({**base, "bg_color": colour})
    sheet = table_sheet(book, fm, SHEET, book_data.titles, COLUMNS, HEADER_ROW)
    width, last = len(COLUMNS), FIRST_ROW + len(book_data.rows) - 1
    for r, row in enumerate(book_data.rows, start=FIRST_ROW):
        _row(sheet, fm, r, row)
    units_last = 1 + len(book_data.choices)  # 1-based last row of the names on the Đơn vị sheet
    for key in ("lead", "coordinate"):
        col = INDEX[key]
        sheet.data_validation(FIRST_ROW, col, max(last, FIRST_ROW), col, {
            "validate": "list", "source": f"='{UNITS_SHEET}'!$B$2:$B${units_last}", "error_type": "warning",
            "input_title": COLUMNS[col].header,
            "input_message": "Chọn tên đơn vị; nhiều đơn vị: ghi tên cách nhau bằng \"; \".",
            "error_title": "Tên đơn vị", "error_message": (
                "Tên này không có trong trang \"Đơn vị\". Nhiều đơn vị thì ghi tên cách nhau bằng \"; \" "
                "(được kiểm tra khi cập nhật kế hoạch). Chọn Yes để giữ, No để sửa.")})
    sheet.autofilter(HEADER_ROW, 0, max(last, HEADER_ROW), width - 1)
    sheet.freeze_panes(FIRST_ROW, INDEX["content"])
    print_setup(sheet, HEADER_ROW, HEADER_ROW, max(last, HEADER_ROW), width)
    sheet.protect("", PROTECT)
    sheet.activate()
    _units_sheet(book, fm, book_data)
    _guide_sheet(book, fm, book_data.guide)
    add_identity_sheet(book, book_data.identity())
    book.close()


def _row(sheet: Worksheet, fm: dict[str, Format], r: int, row: AssignRow) -> None:
    locked = row.locked()
    style = fm.get(f"locked_{row.state}", fm["plan"])
    for col, value in enumerate(row.cells):
        if col in locked:
            write_cell(sheet, r, col, value, style if col == INDEX["id"] else fm["plan"])
        elif value is None:
            sheet.write_blank(r, col, None, fm["edit"])
        else:
            write_text(sheet, r, col, value, fm["edit"])
    fit_row(sheet, r, [(v, COLUMNS[c].width) for c, v in enumerate(row.cells)])


def _units_sheet(book: Workbook, fm: dict[str, Format], data: AssignBook) -> None:
    sheet = book.add_worksheet(UNITS_SHEET)
    widths = (12, 48, 70)
    for col, (header, width) in enumerate(zip(("Mã", "Tên (chọn trong Chủ trì, Phối hợp)", "Gồm các đơn vị"),
                                              widths, strict=True)):
        sheet.set_column(col, col, width)
        write_text(sheet, 0, col, header, fm["header"])
    for r, choice in enumerate(data.choices, start=1):
        values = (choice.code, choice.name, "; ".join(choice.members) or None)
        for col, value in enumerate(values):
            write_cell(sheet, r, col, value, fm["plan"])
        fit_row(sheet, r, list(zip(values, widths, strict=True)))
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 0)
    sheet.protect()


def _guide_sheet(book: Workbook, fm: dict[str, Format], lines: tuple[str, ...]) -> None:
    sheet = book.add_worksheet(GUIDE_SHEET)
    sheet.set_column(0, 0, 100)
    for row, line in enumerate(lines):
        write_text(sheet, row, 0, line, fm["title"] if row == 0 else fm["text"])
        fit_row(sheet, row, [(line, 100)])
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5)
    sheet.fit_to_pages(1, 0)
    sheet.protect()
