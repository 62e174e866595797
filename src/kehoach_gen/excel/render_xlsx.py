"""Write the Excel trackers: each unit's workbook (and, through render_office, the office's).

Each unit gets a protected workbook: plan columns grey and locked, input columns white and
unlocked, a dropdown for Tình trạng, whole numbers 0-100 for Tiến độ, dates for Ngày hoàn
thành, overdue rows highlighted, header frozen and repeated on printed A4 landscape pages,
a "Hướng dẫn" sheet and the identity record in a very hidden sheet. Protection carries no
password: it guards against slips, while ``collect`` checks the locked cells by checksum.

The workbook, its formats and the sheet parts both workbooks share come from
:mod:`kehoach_gen.excel.xlsx_book`; with it and :mod:`kehoach_gen.excel.render_office`, this is the
only module that imports xlsxwriter.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from pathlib import Path
from typing import Any

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..output import write_atomic
from .office_data import OfficeFacts
from .render_office import write_office
from .trackers import (
    COLUMNS,
    CONTENT,
    FIRST_ROW,
    GUIDE_PREFILLED,
    GUIDE_SHEET,
    HEADER_ROW,
    INPUT_COLUMNS,
    KIND_OFFICE,
    PLAN_COLUMNS,
    SHEET,
    STATUSES,
    TrackerRow,
    TrackerSet,
    UnitTracker,
    tracker_paths,
    with_guide_line,
)
from .xlsx_book import (
    CENTERED,
    PROTECT,
    add_identity_sheet,
    close_book,
    fit_cells,
    fit_row,
    highlight_overdue,
    new_workbook,
    print_setup,
    table_sheet,
    write_cell,
    write_cells,
    write_marked,
    write_text,
)


Values = Mapping[str, Mapping[str, Any]]  # row key -> input column key -> accepted value


def write_trackers(trackers: TrackerSet, out_dir: Path, facts: OfficeFacts,
                   values: Mapping[str, Values] | None = None) -> list[Path]:
    """Write every unit's workbook and the consolidated one (showing ``facts``) under ``out_dir``.

    ``values`` (unit code -> row key -> input values) fills the input cells of the units' workbooks.
    Returns the paths in order: units, then the consolidated workbook.
    """
    paths = tracker_paths(out_dir, trackers.agency, trackers.year, [u.unit for u in trackers.units])
    for unit in trackers.units:
        write_atomic(paths[unit.unit], partial(write_unit, trackers, unit, values=(values or {}).get(unit.unit)))
    write_atomic(paths[KIND_OFFICE], lambda tmp: write_office(trackers, facts, tmp))
    return list(paths.values())


def write_unit(trackers: TrackerSet, unit: UnitTracker, path: Path, values: Values | None = None) -> None:
    """One unit's workbook: Theo dõi, Hướng dẫn and the hidden identity sheet.

    ``values`` (row key -> input column key -> value) prefill the input cells: what the office
    already accepted from the unit. Marked rows (new or changed by an amendment) are coloured."""
    book, fm = new_workbook(trackers, path, unit.titles[0])
    sheet = table_sheet(book, fm, SHEET, unit.titles, COLUMNS, HEADER_ROW)
    width, last = len(COLUMNS), FIRST_ROW + len(unit.rows) - 1
    values = {key: row for key, row in (values or {}).items() if any(v not in (None, "") for v in row.values())}
    styles = {style: tuple(fm[f"{style}_date"] if c.key == "due" else fm[f"{style}_center"] if c.key in CENTERED
                           else fm[style] for c in COLUMNS) for style in ("plan", "amended")}  # each column's format
    inputs = tuple({"status": fm["input_center"], "percent": fm["input_number"], "done_date": fm["input_date"]}.get(
        c.key, fm["input"]) for c in INPUT_COLUMNS)
    widths = [c.width for c in COLUMNS]
    whole, blank, first = styles["plan"][:len(PLAN_COLUMNS)] + inputs, (None,) * len(INPUT_COLUMNS), len(PLAN_COLUMNS)
    for row, tracker_row in enumerate(unit.rows, start=FIRST_ROW):
        accepted = values.get(tracker_row.key)
        cells, shown = _input_values(accepted) if accepted else (blank, blank)
        if tracker_row.mark or len(tracker_row.cells) != first:
            _plan_cells(sheet, fm, row, tracker_row, styles)
            write_cells(sheet, row, first, cells, inputs)
        else:  # most rows: the plan's cells and the input cells stored in one go
            write_cells(sheet, row, 0, (*tracker_row.cells, *cells), whole)
        fit_cells(sheet, row, (*tracker_row.shown, *shown), widths)
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    _validations(sheet, trackers, FIRST_ROW, last, index)
    highlight_overdue(sheet, fm, FIRST_ROW, last, width, index["due"], index["status"])
    sheet.autofilter(HEADER_ROW, 0, last, width - 1)
    sheet.freeze_panes(FIRST_ROW, index["content"] + 1)
    print_setup(sheet, HEADER_ROW, HEADER_ROW, last, width)
    sheet.protect("", PROTECT)
    sheet.activate()
    prefilled = any(values.get(r.key) for r in unit.rows)
    _guide_sheet(book, fm, with_guide_line(unit.guide, GUIDE_PREFILLED) if prefilled else unit.guide)
    add_identity_sheet(book, unit.identity)
    close_book(book)


def _plan_cells(sheet: Worksheet, fm: dict[str, Format], row: int, tracker_row: TrackerRow,
                styles: dict[str, tuple[Format, ...]]) -> None:
    """The locked cells of a row, coloured when an amendment marked it; the mark under the content."""
    formats = styles["amended" if tracker_row.mark else "plan"]
    if not tracker_row.mark:
        write_cells(sheet, row, 0, tracker_row.cells, formats[:len(tracker_row.cells)])
        return
    for col, (value, fmt) in enumerate(zip(tracker_row.cells, formats)):
        if col == CONTENT:
            write_marked(sheet, row, col, value if isinstance(value, str) else None, tracker_row.mark, fmt, fm["mark"])
        else:
            write_cell(sheet, row, col, value, fmt)


def _input_values(values: Mapping[str, Any]) -> tuple[list[Any], list[Any]]:
    """A row's input cells holding the accepted values with their types (text stays text), and what fit_row
    measures of them: the values as accepted (a date as its ISO text)."""
    cells: list[Any] = []
    shown: list[Any] = []
    for column in INPUT_COLUMNS:
        value = values.get(column.key)
        if column.key == "percent" and isinstance(value, int) and not isinstance(value, bool):
            cell = value
        elif column.key == "done_date" and isinstance(value, str) and _iso(value):
            cell = _iso(value)
        elif isinstance(value, str) and value and column.key not in ("percent", "done_date"):
            cell = value
        else:
            cell = value = None
        cells.append(cell)
        shown.append(value)
    return cells, shown


def _iso(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _validations(sheet: Worksheet, trackers: TrackerSet, first: int, last: int, index: dict[str, int]) -> None:
    status, percent, done = index["status"], index["percent"], index["done_date"]
    sheet.data_validation(first, status, last, status, {
        "validate": "list", "source": list(STATUSES),
        "input_title": "Tình trạng", "input_message": "Chọn một giá trị trong danh sách thả xuống.",
        "error_title": "Tình trạng không hợp lệ",
        "error_message": "Chỉ chọn một trong: " + "; ".join(STATUSES) + "."})
    sheet.data_validation(first, percent, last, percent, {
        "validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100,
        "input_title": "Tiến độ (%)", "input_message": "Số nguyên từ 0 đến 100.",
        "error_title": "Tiến độ không hợp lệ", "error_message": "Tiến độ là số nguyên từ 0 đến 100 (không ghi dấu %)."})
    low, high = dt.date(trackers.year - 1, 1, 1), dt.date(trackers.last_year + 1, 12, 31)
    sheet.data_validation(first, done, last, done, {
        "validate": "date", "criteria": "between", "minimum": low, "maximum": high,
        "input_title": "Ngày hoàn thành", "input_message": "Ngày/tháng/năm, ví dụ 15/3/2025.",
        "error_title": "Ngày không hợp lệ",
        "error_message": f"Ghi ngày dạng ngày/tháng/năm, từ {low:%d/%m/%Y} đến {high:%d/%m/%Y}."})


def _guide_sheet(book: Workbook, fm: dict[str, Format], lines: tuple[str, ...]) -> None:
    sheet = book.add_worksheet(GUIDE_SHEET)
    sheet.set_column(0, 0, 85)
    for row, line in enumerate(lines):
        write_text(sheet, row, 0, line, fm["title"] if row == 0 else fm["text"])
        fit_row(sheet, row, [(line, 85)])
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5)
    sheet.fit_to_pages(1, 0)
    sheet.protect()
