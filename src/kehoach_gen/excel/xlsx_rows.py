"""xlsxwriter's worksheet with a faster store and writer of its rows: the same XML, byte for byte.

A tracker of a 10,000-task plan has 150,000 cells, and xlsxwriter keeps each as a tuple in its cell
table, then writes it through a chain of calls (a list of attributes, each escaped, the cell's type
named by its class name). Here a row's cells, stored in one call (:meth:`FastSheet.put_cells`), are
kept as a *run*: its shape (first column, each cell's kind and format) and its values (shared-string
indexes, numbers). At writing, each shape becomes one format string, worked out the first time it is
met (the formats get their indexes in the order xlsxwriter's own writer gives them: row by row, column
by column), and a run is one ``str.format`` call. Cells written by xlsxwriter's own methods stay in
its table; a row holding both, a row with a format of its own or an outline, and a sheet with
comments or Excel 2010 rows are written by xlsxwriter's own code, from the runs turned back into its
tuples. tests/test_trackers.py checks every part of the file against xlsxwriter's writer.
"""

from __future__ import annotations

import datetime as dt
import io
from itertools import chain
from collections.abc import Sequence
from typing import Any

from xlsxwriter.worksheet import (CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellRichStringTuple,
                                  CellStringTuple, RowInfo, Worksheet)

from .xlsx_shapes import PLAIN, Shape, column_name

_NUMBERS = (CellNumberTuple, CellDatetimeTuple)
_STRINGS = (CellStringTuple, CellRichStringTuple)
_MIDNIGHT = dt.time()
_INFINITE = (float("inf"), float("-inf"))
_FORMULAS: dict[tuple[str, bool, bool], str] = {}  # (formula, expand, future functions) -> prepared (FastSheet)


# A run: its shape's index, then its values (texts as shared-string indexes, dates as numbers). Of numbers, texts
# and None only, it is left out of the garbage collector's walks (a 10,000-task tracker holds 20,000 of them).
Run = tuple[Any, ...]


class FastSheet(Worksheet):
    """A worksheet whose rows stored by :meth:`put_cells` are kept as runs (see the module's note)."""

    def __init__(self) -> None:
        super().__init__()
        self.runs: dict[int, tuple[Run, ...]] = {}  # row -> its runs, left to right
        self.run_columns: dict[int, tuple[int, int]] = {}  # row -> (first, last) column its runs fill
        self.run_shapes: dict[tuple[Any, ...], Shape] = {}
        self.shape_list: list[Shape] = []
        self.date_numbers: dict[dt.date, float] = {}  # a date -> its Excel serial number (at midnight)
        self.row_infos: dict[int, RowInfo] = {}  # a height in pixels -> the RowInfo set_row gives its rows

    def put_cells(self, row: int, first: int, values: Sequence[Any], formats: tuple[Any, ...]) -> bool:
        """Store a row's cells from column ``first`` on, ``values[i]`` in ``formats[i]``, the way xlsxwriter's
        ``_write_blank`` / ``_write_string`` / ``_write_datetime`` (a date at midnight) / ``_write_number``
        would, one after the other. False, with nothing stored, when a cell needs xlsxwriter's own
        handling (a text of more than half the cell limit, a number that is not a finite int or float,
        a row or column out of bounds)."""
        last = first + len(values) - 1
        if self.constant_memory or row >= self.xls_rowmax or last >= self.xls_colmax or row < 0 or first < 0 or not values:
            return False
        types = tuple(map(type, values))
        if (shape := self.run_shapes.get((first, types, formats))) is None:
            if not PLAIN.issuperset(types) or len(formats) != len(values):
                return False
            shape = Shape(len(self.shape_list), first, types, formats, self.default_date_format)
            self.run_shapes[(first, types, formats)] = shape
            self.shape_list.append(shape)
        for i in shape.floats:
            if values[i] != values[i] or values[i] in _INFINITE:
                return False
        prior = self.run_columns.get(row)
        if self.table.get(row) or (prior is not None and prior[1] >= first):  # xlsxwriter's own cells, or a run under
            if any(type(v) is str and len(v) > self.xls_strmax // 2 for v in values):
                return False
            self._as_tuples(row)
            self._store_tuples(row, first, values, formats)
            return True
        if shape.low is None:
            return True
        stored = list(values)
        if shape.texts:
            strings, half = self.str_table, self.xls_strmax // 2
            known, added = strings.string_table, []
            for i in shape.texts:
                if len(stored[i]) > half:  # left to xlsxwriter: take back the texts this row added
                    for text in added:
                        del known[text]
                    strings.unique_count -= len(added)
                    return False
                if (index := known.get(stored[i])) is None:
                    index = known[stored[i]] = strings.unique_count
                    strings.unique_count += 1
                    added.append(stored[i])
                stored[i] = index
            strings.count += len(shape.texts)
        for i in shape.dates:
            if (number := self.date_numbers.get(stored[i])) is None:
                number = self.date_numbers[stored[i]] = self._convert_date_time(
                    dt.datetime.combine(stored[i], _MIDNIGHT))
            stored[i] = number
        if self.dim_rowmin is None or row < self.dim_rowmin:  # xlsxwriter's _check_dimensions, for both ends
            self.dim_rowmin = row
        if self.dim_rowmax is None or row > self.dim_rowmax:
            self.dim_rowmax = row
        if self.dim_colmin is None or shape.low < self.dim_colmin:
            self.dim_colmin = shape.low
        if self.dim_colmax is None or shape.high > self.dim_colmax:
            self.dim_colmax = shape.high
        run = (shape.index, *stored)
        self.runs[row] = (run,) if (before := self.runs.get(row)) is None else (*before, run)
        self.run_columns[row] = (shape.low if prior is None else prior[0], shape.high)
        return True

    def set_row(self, row: int, height: float | None = None, cell_format: Any = None,
                options: dict[str, Any] | None = None) -> int:
        """xlsxwriter's ``set_row`` for a row given only a height (fit_row's, one per tracker row), in one call
        instead of two, storing what its ``set_row_pixels`` stores; any other row is left to it."""
        if height is None or cell_format is not None or options or self.constant_memory or not 0 <= row < self.xls_rowmax:
            return super().set_row(row, height, cell_format, options)
        if (pixels := int(height * 4.0 / 3.0 + 0.5)) == 0:  # a hidden row: xlsxwriter's own way
            return super().set_row(row, height)
        if self.dim_rowmin is None or not self.dim_rowmin <= row <= self.dim_rowmax:  # else nothing to widen
            self._check_dimensions(row, self.dim_colmin if self.dim_colmin is not None else 0)
        if (info := self.row_infos.get(pixels)) is None:  # one (immutable) record per height, shared by its rows
            info = self.row_infos[pixels] = RowInfo(height=pixels, row_format=None, hidden=False, level=0,
                                                    collapsed=False)
        self.row_info[row] = info
        self.row_sizes[row] = [pixels, False]
        return 0

    def _store_tuples(self, row: int, first: int, values: Sequence[Any], formats: tuple[Any, ...]) -> None:
        """Cells into xlsxwriter's table, as its own ``_write_*`` methods store them."""
        for col, (value, fmt) in enumerate(zip(values, formats), start=first):
            if value is None:
                self._write_blank(row, col, None, fmt)
            elif type(value) is str:
                self._write_string(row, col, value, fmt)
            elif isinstance(value, dt.date):
                self._write_datetime(row, col, dt.datetime.combine(value, _MIDNIGHT), fmt)
            else:
                self._write_number(row, col, value, fmt)

    def _as_tuples(self, row: int) -> None:
        """Turn a row's runs into xlsxwriter's tuples, under the cells its own methods wrote since (they
        came later, so they win), leaving the row to xlsxwriter's writer."""
        runs = self.runs.pop(row, None)
        self.run_columns.pop(row, None)
        if not runs:
            return
        cells: dict[int, Any] = {}
        for run in runs:
            cells.update(self.shape_list[run[0]].cells(run[1:]))
        table = self.table[row]
        cells.update(table)
        table.clear()
        table.update(sorted(cells.items()))

    def all_as_tuples(self) -> None:
        """Every run as xlsxwriter's tuples: before a reader of the cell table (a chart's cached values,
        autofit, hyperlinks) or xlsxwriter's own row writer."""
        for row in list(self.runs):
            self._as_tuples(row)

    def _get_range_data(self, *args: Any) -> Any:
        self.all_as_tuples()
        return super()._get_range_data(*args)

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """xlsxwriter's (some 150 regular expressions: Excel's newer functions), once per formula, flag and the
        sheet's ``use_future_functions``, all its result depends on (the trackers write a few formulas, always)."""
        key = (formula, bool(expand_future_functions), bool(self.use_future_functions))
        if key not in _FORMULAS:
            _FORMULAS[key] = super()._prepare_formula(formula, expand_future_functions)
        return _FORMULAS[key]

    def autofit(self, *args: Any, **kwargs: Any) -> Any:
        self.all_as_tuples()
        return super().autofit(*args, **kwargs)

    def _write_rows(self) -> None:
        if self.comments or self.excel_version == 2010 or self.constant_memory or self.hyperlinks:
            self.all_as_tuples()
            super()._write_rows()
            return
        self._fast_spans()
        write, table, info, spans, runs = self.fh.write, self.table, self.row_info, self.row_spans, self.runs
        shapes = self.shape_list
        rows: dict[tuple[Any, ...], str] = {}  # (spans, height, hidden, its runs' shapes) -> a row's XML template
        columns = {col: c.column_format for col, c in self.col_info.items() if c.column_format is not None}
        done: list[str] = []  # the XML of the rows since the last write: written a few hundred rows at a time
        for row_num in range(self.dim_rowmin, self.dim_rowmax + 1):
            row = info.get(row_num)
            row_runs = runs.get(row_num)
            if row_runs and (table.get(row_num) or (row is not None and (row.row_format or row.level or row.collapsed))):
                self._as_tuples(row_num)
                row_runs = None
            if not row_runs:
                write("".join(done))
                done.clear()
                self._write_table_row(row_num, table.get(row_num), row)
                continue
            span = spans.get(row_num // 16)
            if len(row_runs) == 1:  # most rows: one run, its values in order
                run = row_runs[0]
                key = (span, None, None, run[0]) if row is None else (span, row.height, row.hidden, run[0])
                values: Any = run
            else:
                key = (span, None, None) if row is None else (span, row.height, row.hidden)
                key += tuple(run[0] for run in row_runs)
                values = tuple(chain.from_iterable(row_runs))
            if (template := rows.get(key)) is None:
                template = rows[key] = self._row_template(row_num, span, row, [shapes[run[0]] for run in row_runs],
                                                          columns)
            done.append(template.format(row_num + 1, *values))
            if len(done) >= 512:
                write("".join(done))
                done.clear()
        write("".join(done))

    def _row_template(self, row_num: int, span: str | None, row: Any, shapes: list[Shape],
                      columns: dict[int, Any]) -> str:
        """A row's XML as a format string: {0} its number, then its runs one after the other (see Shape.xml)."""
        parts, offset = ['<row r="{0}"', self._row_tag(row_num, span, row).replace("{", "{{").replace("}", "}}")], 1
        for shape in shapes:
            parts.append(shape.xml(columns, offset))
            offset += 1 + len(shape.types)
        parts.append("</row>")
        return "".join(parts)

    def _row_tag(self, row_num: int, span: str | None, row: Any) -> str:
        """What xlsxwriter's ``_write_row`` writes after ``<row r="N"``, for rows like this one."""
        own, self.fh = self.fh, io.StringIO()
        try:
            self._write_row(row_num, span, row)
            return self.fh.getvalue()[len(f'<row r="{row_num + 1}"'):]
        finally:
            self.fh = own

    def _write_table_row(self, row_num: int, cells: dict[int, Any] | None, row: Any) -> None:
        """A row of xlsxwriter's own cells (or none), as its ``_write_rows`` writes it, in fewer calls."""
        span = self.row_spans.get(row_num // 16)
        if not cells:
            if row is not None:
                self._write_row(row_num, span, row, empty_row=True)
            return
        self._write_row(row_num, span, row)
        write = self.fh.write
        if row is not None and (row.row_format or row.level or row.collapsed):
            for col in sorted(cells):  # a row format shows through the cells without one: xlsxwriter's way
                self._write_cell(row_num, col, cells[col])
            write("</row>")
            return
        number = str(row_num + 1)
        for col in sorted(cells):
            cell = cells[col]
            kind = type(cell)
            fmt = cell.format or (self.col_info[col].column_format if col in self.col_info else None)
            style = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
            if kind in _STRINGS:
                write(f'<c r="{column_name(col)}{number}"{style} t="s"><v>{cell.string}</v></c>')
            elif kind in _NUMBERS:
                write(f'<c r="{column_name(col)}{number}"{style}><v>{cell.number:.16G}</v></c>')
            elif kind is CellBlankTuple:
                write(f'<c r="{column_name(col)}{number}"{style}/>')
            else:
                self._write_cell(row_num, col, cell)
        write("</row>")

    def _fast_spans(self) -> None:
        """xlsxwriter's ``_calculate_spans`` (the columns used in each block of 16 rows) without a look at
        every column of every row."""
        spans: dict[int, str] = {}
        low = high = None
        table, bounds, last = self.table, self.run_columns, self.dim_rowmax
        for row_num in range(self.dim_rowmin, last + 1):
            run, cells = bounds.get(row_num), table.get(row_num)
            if run is not None:
                first, end = run
                if cells:
                    first, end = min(first, min(cells)), max(end, max(cells))
            elif cells:
                first, end = min(cells), max(cells)
            else:
                first = None
            if first is not None:
                if low is None or first < low:
                    low = first
                if high is None or end > high:
                    high = end
            if (row_num + 1) % 16 == 0 or row_num == last:
                if low is not None:
                    spans[row_num // 16] = f"{low + 1}:{high + 1}"
                    low = high = None
        self.row_spans = spans
