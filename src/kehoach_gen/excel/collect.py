"""Read a tracker a unit sent back: an untrusted file, checked before anything is kept.

In order: size cap; a real zip with sane members (count, sizes, compression ratio, no
encryption); no DTD or entity declaration in any XML part (defusedxml; openpyxl parses with
lxml when it is installed, so the check is made here, first); then openpyxl, read-only and
values only (formulas are never evaluated, only their cached results read). The file is
identified by its hidden identity sheet, never by its name, and compared with the trackers
of the current plan: agency, year, unit, the unit's part of the plan, every locked cell.
Inputs are validated cell by cell; every problem names the sheet and cell (``Theo dõi!H5``).

A tracker of an earlier revision of the plan (its checksum is not the current tracker's) is
checked against what that revision showed, from its record (:mod:`revisions`); a tracker
made before revisions were recorded is checked against its own checksum. Its rows are then
compared with the current plan by key: unchanged and changed rows are taken (changed ones
with a note naming the task), rows the unit no longer has are kept but not taken.
"""

from __future__ import annotations

import datetime as dt
import io
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import openpyxl

from ..errors import InputError, Problem
from ..spec.merge import Merged
from .assign_rows import FORMAT as ASSIGN_FORMAT
from .return_cells import LOCKED, capped, inputs, locked_problems, plain
from .returned_rows import Comparison, RowNote, classify
from .revisions import Amended, UnitShown, amend, changed_fields, split_mark
from .trackers import (
    CONTENT,
    FIRST_ROW,
    HEADER_ROW,
    IDENTITY_SHEET,
    KIND_OFFICE,
    PLAN_COLUMNS,
    SHEET,
    UNIT_HEADER,
    Identity,
    TrackerRow,
    TrackerSet,
    UnitTracker,
    build_trackers,
    canonical,
    cell_ref,
    digest,
)
from .untrusted import CORE, FILE_HINT, check_archive

LOCKED_HINT = "Đề nghị đơn vị điền vào phiếu gốc, chỉ điền các cột nền trắng, không sửa các cột nền xám."
RECORD_FORMAT = "kehoach-tien-do/2"


@dataclass(frozen=True)
class Submission:
    """What one returned tracker says: its unit, when it was saved, its rows by key, and which rows
    the current plan takes (a tracker of an earlier revision may have rows changed or removed since)."""

    agency: str
    year: int
    unit: str
    revision: str
    saved: dt.datetime  # UTC, from the workbook's own "modified" property
    source: str
    rows: dict[str, dict[str, Any]]
    taken: tuple[str, ...] | None = None  # None: every row
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    notes: tuple[RowNote, ...] = ()
    plan: str | None = None  # the current revision when the file was read

    @property
    def saved_text(self) -> str:
        return self.saved.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def content_hash(self) -> str:
        """The same content saved at the same time gives the same hash, whatever the file's name."""
        return digest({"agency": self.agency, "year": self.year, "unit": self.unit, "revision": self.revision,
                       "saved": self.saved_text, "rows": self.rows})

    def record(self) -> dict[str, Any]:
        """The history record: every row of the file, and which the plan took (format 2)."""
        return {"format": RECORD_FORMAT, "agency": self.agency, "year": self.year, "unit": self.unit,
                "revision": self.revision, "saved": self.saved_text, "source": self.source,
                "hash": self.content_hash, "rows": self.rows,
                "taken": list(self.rows if self.taken is None else self.taken),
                "changed": {key: list(fields) for key, fields in self.changed.items()},
                "removed": list(self.removed), "plan": self.plan or self.revision}


def read_return(path: Path, merged: Merged, shown: str | None = None, amended: Amended | None = None) -> Submission:
    """Check a returned tracker against the current plan; raise InputError naming file and cells.

    ``amended`` holds the current trackers with their marks and the revision records (see
    :func:`revisions.amend`); without it the plan's trackers are taken as they are, no revision recorded."""
    shown = shown or str(path)
    return _read(path, merged, shown, Path(shown).name, amended)


def read_attachment(data: bytes, merged: Merged, shown: str, name: str, amended: Amended | None = None) -> Submission:
    """The same checks on a tracker received as bytes (a mail attachment); ``name`` is only recorded, never a path."""
    return _read(data, merged, shown, name, amended)


def _read(source_file: Path | bytes, merged: Merged, shown: str, name: str, amended: Amended | None) -> Submission:
    saved = check_archive(source_file, shown)
    amended = amended or amend(build_trackers(merged), (), dt.datetime.now())
    trackers = amended.trackers
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an untrusted file's oddities must not become errors here
        try:
            opened = io.BytesIO(source_file) if isinstance(source_file, bytes) else source_file
            book = openpyxl.load_workbook(opened, read_only=True, data_only=True, keep_links=False)
        except Exception:  # any parser failure means the same thing to the user
            raise InputError.single("không đọc được bảng tính: tệp hỏng hoặc không phải tệp Excel (.xlsx)", file=shown,
                                    hint=FILE_HINT) from None
        try:
            identity = _identity(book, shown)
            unit = _match(identity, trackers, shown)
            source = _source(identity, unit, amended, shown)
            if SHEET not in book.sheetnames:
                raise InputError.single(f"không có trang tính \"{SHEET}\"", file=shown, hint=FILE_HINT)
            width, last = len(UNIT_HEADER), FIRST_ROW + len(identity.keys) - 1
            grid = [list(r) for r in book[SHEET].iter_rows(min_row=1, max_row=last + 2, max_col=width, values_only=True)]
        finally:
            book.close()
    below = grid[last + 1:]  # the row after the table: a row inserted above pushes the last task there
    grid = [row + [None] * (width - len(row)) for row in grid[:last + 1]] \
        + [[None] * width for _ in range(last + 1 - len(grid[:last + 1]))]
    source = source or _own_cells(grid, identity, unit, amended, shown)
    problems = locked_problems(grid, source.locked(), len(PLAN_COLUMNS), shown, below)
    rows = inputs(grid, identity.keys, (trackers.year, trackers.last_year), shown, problems)
    if problems:
        raise InputError(capped(problems, shown), hint=LOCKED_HINT if any(LOCKED in p.message or "bảng nhiệm vụ" in p.message for p in problems)
                         else None)
    if saved is None:
        raise InputError.single("tệp không ghi thời điểm lưu", file=shown, field=CORE, hint=FILE_HINT)
    same = source.checksum == unit.identity.checksum
    compared = Comparison(identity.keys) if same else classify(source, unit, amended)
    # a word on a changed or removed row only when the unit wrote something in it
    notes = tuple(n for n in compared.notes if n.kind == "new" or any(v is not None for v in rows[n.key].values()))
    return Submission(identity.agency, identity.year, unit.unit, identity.revision, saved, name, rows,
                      compared.taken, compared.changed, compared.removed, notes, trackers.revision)


def _identity(book: Any, shown: str) -> Identity:
    if IDENTITY_SHEET not in book.sheetnames:
        raise InputError.single("không phải phiếu theo dõi do kehoach tạo (thiếu phần định danh)", file=shown,
                                hint=FILE_HINT)
    items = [(r[0], r[1]) for r in book[IDENTITY_SHEET].iter_rows(max_row=20_000, max_col=2, values_only=True)
             if len(r) == 2 and r[0] is not None]
    if dict(items).get("dinh_dang") == ASSIGN_FORMAT:
        raise InputError.single("đây là bảng phân công của kế hoạch, không phải phiếu theo dõi của đơn vị", file=shown,
                                hint="Bảng phân công được cập nhật vào tệp kế hoạch bằng kehoach assign --apply.")
    try:
        return Identity.from_items(items)
    except ValueError:
        raise _damaged("phần định danh của phiếu bị hỏng", shown) from None


def _damaged(message: str, shown: str) -> InputError:
    return InputError.single(message, file=shown, field=IDENTITY_SHEET, hint=FILE_HINT)


def _match(identity: Identity, trackers: TrackerSet, shown: str) -> UnitTracker:
    """The current tracker of the unit the file names, if the file belongs to this plan's agency and year."""
    if identity.kind == KIND_OFFICE:
        raise InputError.single("đây là bảng tổng hợp của Văn phòng, không phải phiếu của một đơn vị", file=shown)
    if identity.agency != trackers.agency:
        raise InputError.single("phiếu của cơ quan khác", file=shown, expected=f"\"{trackers.agency}\"",
                                found=f"\"{identity.agency}\"")
    here = next((u.identity.province for u in trackers.units), "")
    if identity.province and here and identity.province != here:  # trackers written before 2026-12 carry none
        raise InputError.single("phiếu của cơ quan cùng mã ở tỉnh khác", file=shown, expected=f"tỉnh \"{here}\"",
                                found=f"tỉnh \"{identity.province}\"",
                                hint="Nhận phiếu vào đúng tỉnh: kehoach collect --province " + identity.province + " …")
    if identity.year != trackers.year:
        raise InputError.single("phiếu của năm khác", file=shown, expected=str(trackers.year), found=str(identity.year))
    units = {u.unit: u for u in trackers.units}
    if identity.unit not in units:
        raise InputError.single("đơn vị không có phiếu theo dõi trong kế hoạch", file=shown,
                                expected="một trong: " + ", ".join(units), found=f"\"{identity.unit}\"")
    return units[identity.unit]


def _source(identity: Identity, unit: UnitTracker, amended: Amended, shown: str) -> UnitShown | None:
    """What the file's tracker showed: the current tracker, or the recorded one of its revision (with
    or without the marks); None when neither matches its checksum (then it is checked against itself)."""
    if identity.checksum == unit.identity.checksum:
        expected = UnitShown(unit.titles, UNIT_HEADER, unit.rows, {}, unit.identity.checksum)
    else:
        recorded = _recorded(identity, amended, shown)
        if recorded is None or identity.checksum not in (recorded.checksum, digest(recorded.locked(marked=False))):
            return None
        if identity.checksum != recorded.checksum:  # written before its revision was recorded with marks
            recorded = UnitShown(recorded.titles, recorded.header, tuple(replace(r, mark=None) for r in recorded.rows),
                                 {}, identity.checksum)
        expected = recorded
    if identity.keys != expected.keys:
        raise _damaged("phần định danh của phiếu bị sửa", shown)
    return expected


def _recorded(identity: Identity, amended: Amended, shown: str) -> UnitShown | None:
    """The unit's tracker as the record of the file's revision has it (None: revision not recorded)."""
    record = amended.records.get(identity.revision)
    if record is None:
        return None
    if identity.unit not in record.units or identity.keys != record.units[identity.unit].keys:
        raise _damaged("phần định danh của phiếu bị sửa", shown)
    return record.units[identity.unit]


def _own_cells(grid: list[list[Any]], identity: Identity, unit: UnitTracker, amended: Amended,
               shown: str) -> UnitShown:
    """The locked cells as the file shows them, when they pass the file's own checksum (a revision never
    recorded, or recorded with other marks); otherwise refuse, naming the cells that differ from the
    recorded revision (or, without a record, from the current plan)."""
    titles = tuple(plain(grid[r][0]) for r in range(HEADER_ROW))
    header = tuple(plain(v) for v in grid[HEADER_ROW])
    rows = []
    for key, values in zip(identity.keys, grid[FIRST_ROW:], strict=False):
        cells: list[Any] = [plain(v) for v in values[:len(PLAN_COLUMNS)]]
        cells[CONTENT], mark = split_mark(cells[CONTENT])
        due = _iso_date(cells[-1])
        cells[-1] = due if due is not None else cells[-1]
        rows.append(TrackerRow(key, tuple(cells), due, mark))
    own = UnitShown(titles, header, tuple(rows), {}, identity.checksum)  # type: ignore[arg-type]
    if len(set(identity.keys)) == len(identity.keys) and digest(own.locked()) == identity.checksum:
        return own
    recorded = _recorded(identity, amended, shown)
    refs = _differences(own, recorded.rows if recorded else unit.rows, every=recorded is not None)
    if recorded is not None and not refs and own.titles == recorded.titles and own.header == recorded.header:
        raise _damaged("phần định danh của phiếu bị sửa", shown)
    base = "phiên bản kế hoạch của phiếu" if recorded else "kế hoạch hiện hành"
    raise InputError([Problem(f"{LOCKED}: mã kiểm tra của phiếu không khớp (phiếu tạo từ phiên bản kế hoạch trước, "
                              "không đủ dữ liệu để chỉ ra đúng ô)", file=shown, field=SHEET,
                              found=(f"các ô khác {base}: " + ", ".join(refs)) if refs else None)],
                     hint=LOCKED_HINT)


def _differences(own: UnitShown, rows: tuple[TrackerRow, ...], every: bool) -> list[str]:
    """Cells of the file's plan rows that differ from ``rows`` by key (``every`` column, or the compared ones)."""
    by_key = {r.key: r for r in rows}
    refs = []
    for r, row in enumerate(own.rows, start=FIRST_ROW):
        other = by_key.get(row.key)
        if other is None:
            continue
        if every:
            refs += [cell_ref(r, c) for c, (a, b) in enumerate(zip(row.cells, other.cells, strict=True))
                     if (None if a is None else canonical(a)) != (None if b is None else canonical(b))]
        else:
            index = {c.key: i for i, c in enumerate(PLAN_COLUMNS)}
            refs += [cell_ref(r, index[name]) for name in changed_fields(row, other)]
    return sorted(dict.fromkeys(refs), key=lambda ref: (int(ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")), ref))


def _iso_date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None
