"""What each unit's tracker showed in every revision of the plan, and what an amendment changed.

A revision is the plan as the trackers show it (``TrackerSet.revision``). The first time the
trackers of a revision are written, a record of it is kept (the progress store keeps it as
``tien-do/phien-ban/<revision>.json`` and never changes it): per unit, the titles, header and
rows its tracker showed with their amendment marks and checksum, and when the revision was
first written. With these records:

- a new revision marks, per unit, each row new or changed since the previous revision (a fill
  colour and a locked line under the content: "(Bổ sung ngày 12/05/2025)", "(Sửa đổi ngày
  12/05/2025: nội dung)"); an unchanged row keeps the mark it had. Marks are decided once,
  when a revision is first written, so writing it again gives the same bytes and checksums;
- ``collect`` checks the locked cells of a tracker of an earlier revision against what that
  revision showed, and compares its rows with the current plan's by key (:mod:`.returned_rows`).

A row counts as changed when its content, expected results, deadline, due date or role
differ; its STT and group numbering do not count. Pure data: no file is read or written here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from .. import vnformat as vn
from .trackers import (
    GUIDE_MARKED,
    PLAN_COLUMNS,
    UNIT_HEADER,
    Cell,
    TrackerRow,
    TrackerSet,
    canonical,
    digest,
    locked_cells,
    with_guide_line,
)

RECORD_FORMAT = "kehoach-phien-ban/1"
NEW_MARK, CHANGED_MARK = "bo-sung", "sua-doi"
COMPARED = ("content", "results", "deadline", "due", "role")
FIELD_WORDS = {"content": "nội dung", "results": "kết quả dự kiến", "deadline": "thời hạn", "due": "thời hạn",
               "role": "vai trò"}
MARK_LINE = re.compile(r"\((Bổ sung|Sửa đổi) ngày \d{2}/\d{2}/\d{4}[^\n]*\)")
_INDEX = {c.key: i for i, c in enumerate(PLAN_COLUMNS)}


def field_words(fields: Iterable[str]) -> str:
    """``("content", "deadline", "due")`` -> "nội dung, thời hạn"."""
    return ", ".join(dict.fromkeys(FIELD_WORDS[f] for f in fields))


@dataclass(frozen=True)
class Mark:
    """Why a row is marked in a unit's tracker: new for the unit, or changed (which cells), and since when."""

    kind: str  # NEW_MARK or CHANGED_MARK
    date: dt.date
    fields: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        day = vn.short_date(self.date)
        return f"(Bổ sung ngày {day})" if self.kind == NEW_MARK else f"(Sửa đổi ngày {day}: {field_words(self.fields)})"


def changed_fields(old: TrackerRow, new: TrackerRow) -> tuple[str, ...]:
    """The compared cells that differ between two versions of a row (marks and numbering aside)."""
    def value(row: TrackerRow, key: str) -> Any:
        cell = row.cells[_INDEX[key]]
        return None if cell is None else canonical(cell)

    return tuple(key for key in COMPARED if value(old, key) != value(new, key))


@dataclass(frozen=True)
class UnitShown:
    """What one unit's tracker showed in a revision: its locked cells, row by row, with the marks."""

    titles: tuple[str, ...]
    header: tuple[str, ...]
    rows: tuple[TrackerRow, ...]
    marks: dict[str, Mark]
    checksum: str

    def locked(self, marked: bool = True) -> dict[str, Cell]:
        rows = self.rows if marked else tuple(replace(r, mark=None) for r in self.rows)
        return locked_cells(self.titles, rows, self.header)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(r.key for r in self.rows)


@dataclass(frozen=True)
class Revision:
    """The record of one revision: when it was first written and what each unit's tracker showed."""

    agency: str
    year: int
    revision: str
    written: dt.datetime
    units: dict[str, UnitShown]

    def to_json(self) -> dict[str, Any]:
        return {"format": RECORD_FORMAT, "agency": self.agency, "year": self.year, "revision": self.revision,
                "written": self.written.isoformat(timespec="seconds"),
                "units": {code: {"checksum": u.checksum, "titles": list(u.titles), "header": list(u.header),
                                 "rows": [_row_json(r, u.marks.get(r.key)) for r in u.rows]}
                          for code, u in self.units.items()}}

    @classmethod
    def from_json(cls, data: Any) -> Revision:
        """Parse a record; ValueError when it is not one this version wrote or a unit's cells fail its checksum."""
        try:
            if data["format"] != RECORD_FORMAT:
                raise ValueError("định dạng")
            units = {str(code): _unit_from_json(u) for code, u in data["units"].items()}
            return cls(str(data["agency"]), int(data["year"]), str(data["revision"]),
                       dt.datetime.fromisoformat(data["written"]), units)
        except (KeyError, TypeError, AttributeError, IndexError) as exc:
            raise ValueError(type(exc).__name__) from None


def _row_json(row: TrackerRow, mark: Mark | None) -> dict[str, Any]:
    cells = {c.key: None if v is None else canonical(v) for c, v in zip(PLAN_COLUMNS, row.cells, strict=True)}
    shown = None if mark is None else {"kind": mark.kind, "date": mark.date.isoformat(), "fields": list(mark.fields),
                                       "text": row.mark}
    return {"key": row.key, **cells, "mark": shown}


def _unit_from_json(data: dict[str, Any]) -> UnitShown:
    rows, marks = [], {}
    for item in data["rows"]:
        cells: list[Cell | None] = [item[c.key] for c in PLAN_COLUMNS]
        if not all(v is None or isinstance(v, str | int) for v in cells):
            raise ValueError("ô")
        due = cells[_INDEX["due"]] = dt.date.fromisoformat(item["due"]) if item["due"] else None
        mark = item["mark"]
        if mark is not None:
            marks[item["key"]] = Mark(mark["kind"], dt.date.fromisoformat(mark["date"]), tuple(mark["fields"]))
        rows.append(TrackerRow(str(item["key"]), tuple(cells), due, None if mark is None else str(mark["text"])))
    unit = UnitShown(tuple(data["titles"]), tuple(data["header"]), tuple(rows), marks, str(data["checksum"]))
    if digest(unit.locked()) != unit.checksum:
        raise ValueError("tổng kiểm")
    return unit


@dataclass(frozen=True)
class Amended:
    """The current trackers with their amendment marks, and the records of every revision."""

    trackers: TrackerSet
    marks: dict[str, dict[str, Mark]]
    written: dt.datetime  # when the current revision was first written (now, if it is new)
    records: dict[str, Revision]
    new: bool  # no record yet: keep :meth:`record` before writing the workbooks

    def record(self) -> Revision:
        if not self.new:
            return self.records[self.trackers.revision]
        units = {u.unit: UnitShown(u.titles, UNIT_HEADER, u.rows, self.marks.get(u.unit, {}), u.identity.checksum)
                 for u in self.trackers.units}
        t = self.trackers
        return Revision(t.agency, t.year, t.revision, self.written, units)

    def changed_on(self, unit: str, key: str) -> dt.date:
        """The day a row of the current plan last became what it is (its mark's, else the revision's)."""
        mark = self.marks.get(unit, {}).get(key)
        return mark.date if mark else self.written.date()

    def removed_on(self, unit: str, key: str) -> dt.date:
        """The first day of the run of newest revisions in which the unit no longer has the row."""
        chain = sorted({**self.records, self.trackers.revision: self.record()}.values(),
                       key=lambda r: (r.written, r.revision))
        day = self.written.date()
        for record in reversed(chain):
            shown = record.units.get(unit)
            if shown is not None and key in shown.keys:
                break
            day = record.written.date()
        return day


def amend(trackers: TrackerSet, records: Iterable[Revision], now: dt.datetime) -> Amended:
    """Mark the trackers of a plan: as recorded when this revision was first written, else against
    the newest recorded revision (none recorded: no marks)."""
    known = {r.revision: r for r in records if r.agency == trackers.agency and r.year == trackers.year}
    own = known.get(trackers.revision)
    if own is not None:
        marks = {code: dict(u.marks) for code, u in own.units.items() if u.marks}
        texts = {code: {r.key: r.mark for r in u.rows if r.mark} for code, u in own.units.items()}
        return Amended(_apply(trackers, texts), marks, own.written, known, new=False)
    previous = max(known.values(), key=lambda r: (r.written, r.revision), default=None)
    marks = _new_marks(trackers, previous, now.date()) if previous else {}
    texts = {code: {key: m.text for key, m in unit.items()} for code, unit in marks.items()}
    return Amended(_apply(trackers, texts), marks, now, known, new=True)


def _new_marks(trackers: TrackerSet, previous: Revision, day: dt.date) -> dict[str, dict[str, Mark]]:
    out: dict[str, dict[str, Mark]] = {}
    for unit in trackers.units:
        before = previous.units.get(unit.unit)
        old_rows = {r.key: r for r in before.rows} if before else {}
        marks: dict[str, Mark] = {}
        for row in unit.rows:
            old = old_rows.get(row.key)
            if old is None:
                marks[row.key] = Mark(NEW_MARK, day)
            elif fields := changed_fields(old, row):
                marks[row.key] = Mark(CHANGED_MARK, day, fields)
            elif before is not None and row.key in before.marks:
                marks[row.key] = before.marks[row.key]
        if marks:
            out[unit.unit] = marks
    return out


def _apply(trackers: TrackerSet, texts: dict[str, dict[str, str]]) -> TrackerSet:
    units = []
    for unit in trackers.units:
        mine = texts.get(unit.unit)
        if not mine:
            units.append(unit)
            continue
        rows = tuple(replace(r, mark=mine[r.key]) if r.key in mine else r for r in unit.rows)
        identity = replace(unit.identity, checksum=digest(locked_cells(unit.titles, rows)))
        units.append(replace(unit, rows=rows, identity=identity, guide=with_guide_line(unit.guide, GUIDE_MARKED)))
    return replace(trackers, units=tuple(units))


def split_mark(content: Any) -> tuple[Any, str | None]:
    """A content cell as read back: the plan's text and the mark line under it, if any."""
    if isinstance(content, str):
        head, _, last = content.rpartition("\n")
        if MARK_LINE.fullmatch(last):
            return head or None, last
        if MARK_LINE.fullmatch(content):
            return None, content
    return content, None
