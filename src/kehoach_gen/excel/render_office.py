"""The consolidated workbook of the office, laid out for people and for A4 landscape paper.

Sheets, in order: "Tổng hợp" (one row per task under its group: lead unit, deadline, overall status,
progress and the newest result; read at 10–11 pt when printed, never below 9 pt), "Theo đơn vị"
(a matrix of each unit's role and status per task, unit names as headers), "Tình hình gửi phiếu"
(each unit's last file, its save time, what it reported and what it still owes), "Thống kê"
(figures per unit and the chart) and the hidden identity record. Every figure comes from one
:class:`~kehoach_gen.excel.office_data.OfficeFacts`: the same facts as the Báo cáo of that cut-off.
Column widths are chosen so the widest sheet's print scale (fit to one page wide) keeps 11 pt
text at 9 pt or more (:func:`print_scale`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from .office_data import OfficeFacts
from .trackers import OFFICE_SHEET, STATS_SHEET, TrackerSet
from .xlsx_book import (add_identity_sheet, close_book, fit_cells, fit_row, new_workbook, print_setup, write_cell,
                        write_cells, write_text, write_titles)

UNITS_SHEET, RETURNS_SHEET = "Theo đơn vị", "Tình hình gửi phiếu"
SUMMARY_COLUMNS = (("STT", 5), ("Nội dung công việc", 46), ("Chủ trì", 18), ("Thời hạn", 16), ("Hạn chót", 10),
                   ("Tình trạng", 13), ("Tiến độ (%)", 8), ("Kết quả mới nhất", 38))
RETURNS_COLUMNS = (("Đơn vị", 30), ("Phiếu nhận gần nhất", 28), ("Thời điểm lưu", 15), ("Số phần việc", 9),
                   ("Đã báo cáo", 9), ("Còn nợ báo cáo", 52))
UNIT_WIDTH, MATRIX_CONTENT = 11, 40
STATUS_COLOURS = {"Hoàn thành": "#E2EFDA", "Hoàn thành trễ hạn": "#E2EFDA", "Quá hạn": "#F8CBAD",
                  "Chưa báo cáo": "#FFF2CC"}
# A4 landscape less the margins of print_setup (0.4 inch each side), in Excel width units of
# Times New Roman 11 pt (7 px per unit plus 5 px padding per column, 96 px per inch).
PRINTABLE_PX = (11.69 - 0.8) * 96


def print_scale(widths: list[float]) -> float:
    """The scale "fit to one page wide" prints a sheet of these column widths at (1.0 = 100 %)."""
    pixels = sum(w * 7 + 5 for w in widths)
    return min(1.0, PRINTABLE_PX / pixels)


def write_office(trackers: TrackerSet, facts: OfficeFacts, path: Path) -> None:
    """The consolidated workbook of ``trackers``' plan, showing ``facts``."""
    book, fm = new_workbook(trackers, path, trackers.office.titles[0])
    fm.update(_formats(book))
    titles = (*trackers.office.titles, facts.note)
    _summary_sheet(book, fm, titles, facts)
    _units_sheet(book, fm, titles, facts)
    _returns_sheet(book, fm, titles, facts)
    _stats_sheet(book, fm, facts)
    add_identity_sheet(book, trackers.office.identity)
    close_book(book)


def _formats(book: Workbook) -> dict[str, Format]:
    base = {"valign": "top", "text_wrap": True, "border": 1}
    out = {"group": book.add_format({**base, "bold": True, "bg_color": "#D9E1F2"}),
           "cell": book.add_format(base), "center": book.add_format({**base, "align": "center"}),
           "date": book.add_format({**base, "align": "center", "num_format": "dd/mm/yyyy"}),
           "time": book.add_format({**base, "align": "center", "num_format": "dd/mm/yyyy hh:mm"}),
           "counts": book.add_format({"bold": True, "text_wrap": True, "valign": "top"})}
    for status, colour in STATUS_COLOURS.items():
        out[status] = book.add_format({**base, "align": "center", "bg_color": colour})
    return out


def _header(sheet: Worksheet, fm: dict[str, Format], row: int, columns: list[tuple[str, float]]) -> None:
    for col, (title, width) in enumerate(columns):
        sheet.set_column(col, col, width)
        write_text(sheet, row, col, title, fm["header"])
    fit_row(sheet, row, columns)


def _summary_sheet(book: Workbook, fm: dict[str, Format], titles: tuple[str, ...], facts: OfficeFacts) -> None:
    sheet = book.add_worksheet(OFFICE_SHEET)
    widths = [w for _, w in SUMMARY_COLUMNS]
    write_titles(sheet, fm, titles, widths)
    counts = "; ".join(f"{label} {n}" for label, n in facts.counts)
    row = len(titles)
    sheet.merge_range(row, 0, row, len(widths) - 1, "", fm["counts"])
    write_text(sheet, row, 0, f"Tổng số {len(facts.tasks)} nhiệm vụ: {counts}.", fm["counts"])
    header = row + 1
    _header(sheet, fm, header, list(SUMMARY_COLUMNS))
    row, group = header + 1, None
    formats = [fm["date"] if col == 4 else fm["center"] if col in (0, 6) else fm["cell"] for col in range(len(widths))]
    by_status: dict[str, tuple[Format, ...]] = {}  # a status -> the row's formats (its cell coloured by it)
    for task in facts.tasks:
        if task.group != group:
            group = task.group
            sheet.merge_range(row, 0, row, len(widths) - 1, "", fm["group"])
            write_text(sheet, row, 0, group, fm["group"])
            fit_row(sheet, row, [(group, sum(widths))])
            row += 1
        values = (task.number, task.content, task.lead, task.deadline, task.due, task.status, task.progress, task.latest)
        if (row_formats := by_status.get(task.status)) is None:
            row_formats = by_status[task.status] = (*formats[:5], fm.get(task.status, fm["center"]), *formats[6:])
        write_cells(sheet, row, 0, values, row_formats)
        fit_cells(sheet, row, values, widths)
        row += 1
    _finish(sheet, header, header, row - 1, len(widths))
    sheet.activate()


def _units_sheet(book: Workbook, fm: dict[str, Format], titles: tuple[str, ...], facts: OfficeFacts) -> None:
    sheet = book.add_worksheet(UNITS_SHEET)
    columns = [("STT", 5), ("Nội dung công việc", MATRIX_CONTENT)] + [(name, UNIT_WIDTH) for _, name in facts.units]
    widths = [w for _, w in columns]
    write_titles(sheet, fm, titles, widths)
    header = len(titles)
    _header(sheet, fm, header, columns)
    for row, task in enumerate(facts.tasks, start=header + 1):
        values, formats = [task.number, task.content], [fm["center"], fm["cell"]]
        for code, _ in facts.units:
            text = task.units.get(code)
            status = text.rsplit("\n", 1)[-1] if text and "\n" in text else ""
            values.append(text)
            formats.append(fm.get(status, fm["center"]))
        write_cells(sheet, row, 0, values, tuple(formats))
        fit_cells(sheet, row, values[1:], widths[1:])  # the content and the units' cells
    _finish(sheet, header, header, header + len(facts.tasks), len(columns))
    sheet.freeze_panes(header + 1, 2)


def _returns_sheet(book: Workbook, fm: dict[str, Format], titles: tuple[str, ...], facts: OfficeFacts) -> None:
    sheet = book.add_worksheet(RETURNS_SHEET)
    widths = [w for _, w in RETURNS_COLUMNS]
    write_titles(sheet, fm, titles, widths)
    header = len(titles)
    _header(sheet, fm, header, list(RETURNS_COLUMNS))
    for row, unit in enumerate(facts.returns, start=header + 1):
        owing = "\n".join(unit.owing) if unit.owing else "Không còn"
        values: tuple[object, ...] = (unit.name, unit.source or "Chưa gửi phiếu", unit.saved, unit.parts,
                                      unit.reported, owing)
        for col, value in enumerate(values):
            fmt = fm["time"] if col == 2 else fm["center"] if col in (3, 4) else fm["cell"]
            if isinstance(value, dt.datetime):
                sheet.write_datetime(row, col, value, fmt)
            else:
                write_cell(sheet, row, col, value, fmt)  # type: ignore[arg-type]
        fit_row(sheet, row, [(v if isinstance(v, str) else None, w) for v, w in zip(values, widths, strict=True)])
    _finish(sheet, header, header, header + max(len(facts.returns), 1), len(widths))


def _stats_sheet(book: Workbook, fm: dict[str, Format], facts: OfficeFacts) -> None:
    """Per unit: its task parts, how many it reported done; and the chart of both."""
    sheet = book.add_worksheet(STATS_SHEET)
    headers = (("Đơn vị", 40), ("Số nhiệm vụ", 13), ("Hoàn thành", 13), ("Tỷ lệ hoàn thành (%)", 16))
    _header(sheet, fm, 0, list(headers))
    for row, (code, name) in enumerate(facts.units, start=1):
        total = sum(1 for t in facts.tasks if code in t.units)
        done = sum(1 for t in facts.tasks if t.units.get(code, "").endswith(("\nHoàn thành", "\nHoàn thành trễ hạn")))
        for col, value in enumerate((name, total, done, round(done * 100 / total) if total else 0)):
            write_cell(sheet, row, col, value, fm["cell"] if col == 0 else fm["center"])
        fit_row(sheet, row, [(name, 40)])
    count = len(facts.units)
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


def _finish(sheet: Worksheet, first_header: int, last_header: int, last: int, width: int) -> None:
    print_setup(sheet, first_header, last_header, last, width)
    sheet.protect()
