"""The shape of a run of cells in a tracker row (see :mod:`.xlsx_rows`): first column, each cell's type and
format, what follows from them, and the run's XML as a format string."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import CellBlankTuple, CellDatetimeTuple, CellNumberTuple, CellStringTuple

column_name = lru_cache(maxsize=256)(xl_col_to_name)  # "A", "B", … "AA": asked for every cell of every template


PLAIN = frozenset({str, int, float, dt.date, dt.datetime, type(None)})  # the values a run holds
_DATES = (dt.date, dt.datetime)


class Shape:
    """What the rows stored alike have in common: first column, each cell's type and format. Worked out
    once per shape: where its texts, dates and floats stand, the columns it fills, its XML template."""

    __slots__ = ("index", "first", "types", "formats", "texts", "dates", "floats", "low", "high")

    def __init__(self, index: int, first: int, types: tuple[type, ...], formats: tuple[Any, ...], date_format: Any) -> None:
        self.index, self.first, self.types = index, first, types
        self.formats = tuple(date_format if t in _DATES and f is None else f for t, f in zip(types, formats))
        self.texts = tuple(i for i, t in enumerate(types) if t is str)
        self.dates = tuple(i for i, t in enumerate(types) if t in _DATES)
        self.floats = tuple(i for i, t in enumerate(types) if t is float)
        filled = [first + i for i, (t, f) in enumerate(zip(types, self.formats)) if t is not type(None) or f is not None]
        self.low, self.high = (filled[0], filled[-1]) if filled else (None, None)

    def cells(self, values: tuple[Any, ...]) -> dict[int, Any]:
        """The run's cells as xlsxwriter's tuples, by column."""
        cells: dict[int, Any] = {}
        for i, (kind, fmt, value) in enumerate(zip(self.types, self.formats, values)):
            if value is None:
                if fmt is not None:
                    cells[self.first + i] = CellBlankTuple(fmt)
            elif kind is str:
                cells[self.first + i] = CellStringTuple(value, fmt)
            else:
                cells[self.first + i] = (CellDatetimeTuple if kind in _DATES else CellNumberTuple)(value, fmt)
        return cells

    def xml(self, columns: dict[int, Any], offset: int) -> str:
        """The run's XML as a format string: {0} the row's number, {offset} the run's first item (its shape's
        index), so {offset + i + 1} the value of its i-th cell. Its formats get their indexes here, column by
        column, as xlsxwriter's writer gives them."""
        parts = []
        for i, (kind, fmt) in enumerate(zip(self.types, self.formats)):
            col = self.first + i
            if kind is type(None) and fmt is None:
                continue
            fmt = fmt or columns.get(col)
            style = "" if fmt is None else f' s="{fmt._get_xf_index()}"'
            name = column_name(col)
            if kind is type(None):
                parts.append(f'<c r="{name}{{0}}"{style}/>')
            elif kind is str:
                parts.append(f'<c r="{name}{{0}}"{style} t="s"><v>{{{offset + i + 1}}}</v></c>')
            else:
                parts.append(f'<c r="{name}{{0}}"{style}><v>{{{offset + i + 1}:.16G}}</v></c>')
        return "".join(parts)
