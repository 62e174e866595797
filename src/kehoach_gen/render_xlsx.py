"""Write the Excel trackers (the only module that imports xlsxwriter).

Each unit gets a protected workbook: plan columns grey and locked, input columns white and
unlocked, a dropdown for Tình trạng, whole numbers 0-100 for Tiến độ, dates for Ngày hoàn
thành, overdue rows highlighted, header frozen and repeated on printed A4 landscape pages,
a "Hướng dẫn" sheet and the identity record in a very hidden sheet. Protection carries no
password: it guards against slips, while ``collect`` checks the locked cells by checksum.

Text is always written with ``write_string`` (text starting with =, +, - or @ never becomes
a formula) and the creation date is the plan's date, so the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import partial
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .errors import OutputError
from .output import write_atomic
from .trackers import (
    COLUMNS,
    FIRST_ROW,
    GUIDE_SHEET,
    HEADER_ROW,
    IDENTITY_SHEET,
    KIND_OFFICE,
    OFFICE_COLUMNS,
    OFFICE_FIRST_ROW,
    OFFICE_SHEET,
    SHEET,
    STATS_SHEET,
    STATUSES,
    UNIT_PAIR,
    Cell,
    Identity,
    OfficeView,
    TrackerSet,
    UnitTracker,
    cell_ref,
    office_header,
    office_statuses,
    tracker_paths,
)

OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False, "in_memory": True}
# Times New Roman everywhere, not a theme font: without font_scheme "none" every format would also
# carry <scheme val="minor"/>, and Excel shows the theme's font (Calibri) instead.
DEFAULT_FONT = {"font_name": "Times New Roman", "font_size": 11, "font_scheme": "none"}
PROTECT = {"format_columns": True, "format_rows": True, "autofilter": True}
GREY, HEAD, OVERDUE = "#E7E6E6", "#D9E1F2", "#F8CBAD"
CENTERED = {"stt", "role", "due", "percent", "done_date", "status"}


def write_trackers(trackers: TrackerSet, out_dir: Path,
                   collected: Mapping[str, Mapping[str, str]] | None = None) -> list[Path]:
    """Write every unit's workbook and the consolidated one under ``out_dir`` (the output root).

    ``collected`` (unit code -> row key -> Tình trạng) fills the consolidated workbook.
    Returns the paths in order: units, then the consolidated workbook.
    """
    paths = tracker_paths(out_dir, trackers.agency, trackers.year, [u.unit for u in trackers.units])
    for unit in trackers.units:
        write_atomic(paths[unit.unit], partial(write_unit, trackers, unit))
    write_atomic(paths[KIND_OFFICE], lambda tmp: write_office(trackers, collected, tmp))
    return list(paths.values())


def _workbook(trackers: TrackerSet, path: Path, title: str) -> tuple[Workbook, dict[str, Format]]:
    # a fresh dict each time: xlsxwriter writes into the default format properties it is given
    book = xlsxwriter.Workbook(str(path), {**OPTIONS, "default_format_properties": dict(DEFAULT_FONT)})
    book.set_properties({"title": title, "subject": f"Theo dõi thực hiện Kế hoạch năm {trackers.year}",
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
        "overdue": book.add_format({"bg_color": OVERDUE, "font_color": "#9C0006"}),
        "text": book.add_format({"text_wrap": True, "valign": "top"}),
    }
    return book, formats


def _string(sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None = None) -> None:
    if sheet.write_string(row, col, text, fmt) == -2:
        raise OutputError.single("văn bản quá dài cho một ô Excel (tối đa 32.767 ký tự)",
                                 field=f"{sheet.name}!{cell_ref(row, col)}", exit_code=3)


def _cell(sheet: Worksheet, row: int, col: int, value: Cell | None, fmt: Format) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, str):
        _string(sheet, row, col, value, fmt)
    elif isinstance(value, dt.date):
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt)
    else:
        sheet.write_number(row, col, value, fmt)


def _line_count(text: str, width: float) -> int:
    """Lines a wrapped cell needs (greedy word wrap; about 1.1 characters per unit of width)."""
    room = max(1, int(width * 1.1))
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            if used and used + 1 + len(word) > room:
                count, used = count + 1, 0
            used += (1 if used else 0) + len(word)
            while used > room:  # a word longer than the column
                count, used = count + 1, used - room
    return count


def _fit_row(sheet: Worksheet, row: int, values: list[tuple[Cell | None, float]]) -> None:
    """Set the height of a row of wrapped text: neither Excel nor LibreOffice does it on opening."""
    lines = max([_line_count(v, w) for v, w in values if isinstance(v, str)] or [1])
    sheet.set_row(row, 14 * lines + 4)


def _titles(sheet: Worksheet, fm: dict[str, Format], titles: tuple[str, ...], widths: list[float]) -> None:
    for row, text in enumerate(titles):
        fmt = fm["title"] if row == 0 else fm["subtitle"]
        sheet.merge_range(row, 0, row, len(widths) - 1, "", fmt)
        _string(sheet, row, 0, text, fmt)
        if row == 0:
            sheet.set_row(row, 21)
        else:
            _fit_row(sheet, row, [(text, sum(widths))])


def _print_setup(sheet: Worksheet, first_header: int, last_header: int, last_row: int, width: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(first_header, last_header)
    sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
    sheet.set_footer("&CTrang &P/&N")
    sheet.center_horizontally()
    sheet.print_area(0, 0, last_row, width - 1)


def _overdue(sheet: Worksheet, fm: dict[str, Format], first: int, last: int, width: int, due: int, status: int) -> None:
    """Highlight a row whose Hạn chót is past and whose status is neither done nor dropped."""
    due_abs, status_abs = "$" + cell_ref(first, due), "$" + cell_ref(first, status)
    formula = (f'=AND(ISNUMBER({due_abs}),{due_abs}<TODAY(),LEFT({status_abs},10)<>"{STATUSES[2]}",'
               f'LEFT({status_abs},5)<>"Không")')
    sheet.conditional_format(first, 0, last, width - 1, {"type": "formula", "criteria": formula, "format": fm["overdue"]})


def _identity_sheet(book: Workbook, identity: Identity) -> None:
    sheet = book.add_worksheet(IDENTITY_SHEET)
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, 1, 70)
    for row, (key, value) in enumerate(identity.items()):
        _string(sheet, row, 0, key)
        _string(sheet, row, 1, value)
    sheet.protect()
    sheet.very_hidden()


def write_unit(trackers: TrackerSet, unit: UnitTracker, path: Path) -> None:
    """One unit's workbook: Theo dõi, Hướng dẫn and the hidden identity sheet."""
    book, fm = _workbook(trackers, path, unit.titles[0])
    sheet = book.add_worksheet(SHEET)
    width, last = len(COLUMNS), FIRST_ROW + len(unit.rows) - 1
    _titles(sheet, fm, unit.titles, [c.width for c in COLUMNS])
    _fit_row(sheet, HEADER_ROW, [(c.header, c.width) for c in COLUMNS])
    for col, column in enumerate(COLUMNS):
        sheet.set_column(col, col, column.width)
        _string(sheet, HEADER_ROW, col, column.header, fm["header"])
    inputs = {"status": fm["input_center"], "percent": fm["input_number"], "done_date": fm["input_date"]}
    for row, tracker_row in enumerate(unit.rows, start=FIRST_ROW):
        for col, value in enumerate(tracker_row.cells):
            key = COLUMNS[col].key
            fmt = fm["plan_date"] if key == "due" else fm["plan_center"] if key in CENTERED else fm["plan"]
            _cell(sheet, row, col, value, fmt)
        for col in range(len(tracker_row.cells), width):
            sheet.write_blank(row, col, None, inputs.get(COLUMNS[col].key, fm["input"]))
        _fit_row(sheet, row, [(v, COLUMNS[c].width) for c, v in enumerate(tracker_row.cells)])
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    _validations(sheet, trackers, FIRST_ROW, last, index)
    _overdue(sheet, fm, FIRST_ROW, last, width, index["due"], index["status"])
    sheet.autofilter(HEADER_ROW, 0, last, width - 1)
    sheet.freeze_panes(FIRST_ROW, index["content"] + 1)
    _print_setup(sheet, HEADER_ROW, HEADER_ROW, last, width)
    sheet.protect("", PROTECT)
    sheet.activate()
    _guide_sheet(book, fm, unit.guide)
    _identity_sheet(book, unit.identity)
    book.close()


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
        _string(sheet, row, 0, line, fm["title"] if row == 0 else fm["text"])
        _fit_row(sheet, row, [(line, 85)])
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5)
    sheet.fit_to_pages(1, 0)
    sheet.protect()


def write_office(trackers: TrackerSet, collected: Mapping[str, Mapping[str, str]] | None, path: Path) -> None:
    """The consolidated workbook: Tổng hợp (every task, each unit's role and status), Thống kê with a chart."""
    office = trackers.office
    book, fm = _workbook(trackers, path, office.titles[0])
    sheet = book.add_worksheet(OFFICE_SHEET)
    top, bottom = office_header(office.units)
    width, plain = len(top), len(OFFICE_COLUMNS)
    last = OFFICE_FIRST_ROW + max(len(office.rows), 1) - 1
    widths = [(OFFICE_COLUMNS[c] if c < plain else UNIT_PAIR[(c - plain) % 2]).width for c in range(width)]
    _titles(sheet, fm, office.titles, widths)
    for col, size in enumerate(widths):
        sheet.set_column(col, col, size)
    _fit_row(sheet, HEADER_ROW, [(top[c], widths[c] if c < plain else 2 * widths[c]) for c in range(width)])
    for col in range(plain):
        sheet.merge_range(HEADER_ROW, col, HEADER_ROW + 1, col, "", fm["header"])
        _string(sheet, HEADER_ROW, col, top[col], fm["header"])
    for col in range(plain, width, 2):
        sheet.merge_range(HEADER_ROW, col, HEADER_ROW, col + 1, "", fm["header"])
        _string(sheet, HEADER_ROW, col, top[col], fm["header"])
        for sub in (0, 1):
            _string(sheet, HEADER_ROW + 1, col + sub, bottom[col + sub], fm["header"])
    statuses = office_statuses(office, collected)
    for row, (tracker_row, roles, (overall, per_unit)) in enumerate(
            zip(office.rows, office.roles, statuses, strict=True), start=OFFICE_FIRST_ROW):
        for col, value in enumerate(tracker_row.cells[:-1]):
            key = OFFICE_COLUMNS[col].key
            _cell(sheet, row, col, value, fm["plan_date"] if key == "due" else fm["plan_center"] if key in CENTERED
                  else fm["plan"])
        _cell(sheet, row, plain - 1, overall, fm["plan_center"])
        for u, (code, _) in enumerate(office.units):
            _cell(sheet, row, plain + 2 * u, roles.get(code), fm["plan_center"])
            _cell(sheet, row, plain + 2 * u + 1, per_unit.get(code), fm["plan_center"])
        _fit_row(sheet, row, [(v, widths[c]) for c, v in enumerate(tracker_row.cells)])
    _overdue(sheet, fm, OFFICE_FIRST_ROW, last, width, plain - 2, plain - 1)
    sheet.freeze_panes(OFFICE_FIRST_ROW, 3)
    _print_setup(sheet, HEADER_ROW, HEADER_ROW + 1, last, width)
    sheet.protect("", PROTECT)
    sheet.activate()
    _stats_sheet(book, fm, office, statuses, last)
    _identity_sheet(book, office.identity)
    book.close()


def _stats_sheet(book: Workbook, fm: dict[str, Format], office: OfficeView,
                 statuses: list[tuple[str | None, dict[str, str]]], last: int) -> None:
    """Per unit: tasks, tasks done (formulas over Tổng hợp, cached from the collected data), and a chart."""
    sheet = book.add_worksheet(STATS_SHEET)
    headers = ("Đơn vị", "Số nhiệm vụ", "Hoàn thành", "Tỷ lệ hoàn thành (%)")
    sizes = (40, 13, 13, 16)
    for col, (header, size) in enumerate(zip(headers, sizes, strict=True)):
        sheet.set_column(col, col, size)
        _string(sheet, 0, col, header, fm["header"])
    _fit_row(sheet, 0, list(zip(headers, sizes, strict=True)))
    plain = len(OFFICE_COLUMNS)
    for u, (code, name) in enumerate(office.units):
        row = u + 1
        role_col, status_col = plain + 2 * u, plain + 2 * u + 1
        total = sum(1 for roles in office.roles if code in roles)
        done = sum(1 for _, per_unit in statuses if per_unit.get(code, "").startswith(STATUSES[2]))
        _string(sheet, row, 0, name, fm["plan"])
        _fit_row(sheet, row, [(name, sizes[0])])
        sheet.write_formula(row, 1, _countif(role_col, OFFICE_FIRST_ROW, last, "?*"), fm["plan_center"], total)
        sheet.write_formula(row, 2, _countif(status_col, OFFICE_FIRST_ROW, last, STATUSES[2] + "*"), fm["plan_center"], done)
        rate = round(done * 100 / total) if total else 0
        sheet.write_formula(row, 3, f"=IF(B{row + 1}>0,ROUND(C{row + 1}/B{row + 1}*100,0),0)", fm["plan_center"], rate)
    count = len(office.units)
    chart = book.add_chart({"type": "column"})
    for col, colour in ((1, "#8EA9DB"), (2, "#70AD47")):
        chart.add_series({"name": [STATS_SHEET, 0, col], "categories": [STATS_SHEET, 1, 0, count, 0],
                          "values": [STATS_SHEET, 1, col, count, col], "fill": {"color": colour},
                          "data_labels": {"value": True}})
    chart.set_title({"name": "Kết quả thực hiện nhiệm vụ theo đơn vị"})
    chart.set_y_axis({"name": "Số nhiệm vụ", "min": 0, "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "bottom"})
    sheet.insert_chart(count + 2, 0, chart, {"x_scale": 1.6, "y_scale": 1.3})
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.protect()


def _countif(col: int, first: int, last: int, criteria: str) -> str:
    start, end = cell_ref(first, col), cell_ref(last, col)
    return f"=COUNTIF('{OFFICE_SHEET}'!{start}:{end},\"{criteria}\")"
