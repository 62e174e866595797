"""xlsxwriter's worksheet with a faster writer of its rows: the same XML, byte for byte.

A tracker of a 10,000-task plan has 150,000 cells, and xlsxwriter writes each through a chain of
calls (a list of attributes, each escaped, the cell's type named by its class name). This writer
turns out the very same text for the cells trackers hold (numbers, dates, texts, rich texts, blanks)
in one loop; a cell of any other type, a row with a format of its own or an outline, and a sheet
with comments or Excel 2010 rows are left to xlsxwriter's own code. tests/test_trackers.py checks the
sheets' XML against xlsxwriter's writer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import (CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellRichStringTuple,
                                  CellStringTuple, Worksheet)

TESTED = ("3.3.",)  # xlsxwriter releases whose worksheet internals FastSheet was checked against


def fast_rows() -> bool:
    """FastSheet relies on xlsxwriter's worksheet internals (its cell table and tuples): it is used only with a
    release it was checked against; with another one the trackers are written by xlsxwriter's own (slower) code,
    with the same bytes."""
    from xlsxwriter import __version__

    return __version__.startswith(TESTED)


_NUMBERS = (CellNumberTuple, CellDatetimeTuple)
_STRINGS = (CellStringTuple, CellRichStringTuple)


class FastSheet(Worksheet):
    """A worksheet whose ``<sheetData>`` rows are written in one loop (see the module's note)."""

    def put_cells(self, row: int, first: int, cells: list[tuple[Any, Any]]) -> bool:
        """Store a row's cells from column ``first`` on, as ``(value, format)``, the way xlsxwriter's
        ``_write_blank`` / ``_write_string`` / ``_write_datetime`` (a date at midnight) would, one after the
        other; numbers go through ``_write_number``. False, with nothing stored, when a cell needs
        xlsxwriter's own handling (a text of more than half the cell limit, a row out of bounds)."""
        last = first + len(cells) - 1
        if self.constant_memory or row >= self.xls_rowmax or last >= self.xls_colmax or row < 0 or first < 0 or any(
                isinstance(v, str) and len(v) > self.xls_strmax // 2 for v, _ in cells):
            return False
        stored = self.table[row]
        index, low, high = self.str_table._get_shared_string_index, None, None
        for col, (value, fmt) in enumerate(cells, start=first):
            if value is None:
                if fmt is None:
                    continue
                stored[col] = CellBlankTuple(fmt)
            elif isinstance(value, str):
                stored[col] = CellStringTuple(index(value), fmt)
            elif isinstance(value, dt.date):
                number = self._convert_date_time(dt.datetime.combine(value, dt.time()))
                stored[col] = CellDatetimeTuple(number, fmt if fmt is not None else self.default_date_format)
            else:
                self._write_number(row, col, value, fmt)
                continue
            low, high = col if low is None else low, col
        if low is not None:
            self._check_dimensions(row, low)
            self._check_dimensions(row, high)
        return True

    def _write_rows(self) -> None:
        if self.comments or self.excel_version == 2010 or self.constant_memory:
            super()._write_rows()
            return
        self._fast_spans()
        write, table, info, spans = self.fh.write, self.table, self.row_info, self.row_spans
        names = [xl_col_to_name(col) for col in range(self.dim_colmax + 1)]
        indexes: dict[int, str] = {}  # id of a format -> ' s="its xf index"' (the formats outlive the writing)
        columns = {col: c.column_format for col, c in self.col_info.items() if c.column_format is not None}
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            cells = table.get(row_num)
            row = info.get(row_num)
            if not cells:
                if row is not None:
                    self._write_row(row_num, spans.get(row_num // 16), row, empty_row=True)
                continue
            self._write_row(row_num, spans.get(row_num // 16), row)
            if row is not None and (row.row_format or row.level or row.collapsed):
                for col in sorted(cells):  # a row format shows through the cells without one: xlsxwriter's way
                    self._write_cell(row_num, col, cells[col])
                write("</row>")
                continue
            number = str(row_num + 1)
            for col in sorted(cells):
                cell = cells[col]
                kind = type(cell)
                fmt = cell.format or columns.get(col)
                if fmt is None:
                    style = ""
                elif (style := indexes.get(id(fmt))) is None:
                    style = indexes[id(fmt)] = f' s="{fmt._get_xf_index()}"'
                if kind in _STRINGS:
                    write(f'<c r="{names[col]}{number}"{style} t="s"><v>{cell.string}</v></c>')
                elif kind in _NUMBERS:
                    write(f'<c r="{names[col]}{number}"{style}><v>{cell.number:.16G}</v></c>')
                elif kind is CellBlankTuple:
                    write(f'<c r="{names[col]}{number}"{style}/>')
                else:
                    self._write_cell(row_num, col, cell)
            write("</row>")

    def _fast_spans(self) -> None:
        """xlsxwriter's ``_calculate_spans`` (the columns used in each block of 16 rows) without a look at
        every column of every row."""
        spans: dict[int, str] = {}
        low = high = None
        table, last = self.table, self.dim_rowmax
        for row_num in range(self.dim_rowmin, last + 1):
            if cells := table.get(row_num):
                first, end = min(cells), max(cells)
                low = first if low is None else min(low, first)
                high = end if high is None else max(high, end)
            if (row_num + 1) % 16 == 0 or row_num == last:
                if low is not None:
                    spans[row_num // 16] = f"{low + 1}:{high + 1}"
                    low = high = None
        self.row_spans = spans
