"""Read a tracker a unit sent back: an untrusted file, checked before anything is kept.

In order: size cap; a real zip with sane members (count, sizes, compression ratio, no
encryption); no DTD or entity declaration in any XML part (defusedxml; openpyxl parses with
lxml when it is installed, so the check is made here, first); then openpyxl, read-only and
values only (formulas are never evaluated, only their cached results read). The file is
identified by its hidden identity sheet, never by its name, and compared with the trackers
of the current plan: agency, year, unit, the unit's part of the plan, every locked cell.
Inputs are validated cell by cell; every problem names the sheet and cell (``Theo dõi!H5``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import unicodedata
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.datetime import from_excel

from ..errors import InputError, Problem
from ..spec.merge import Merged
from .trackers import (
    COLUMNS,
    FIRST_ROW,
    IDENTITY_SHEET,
    KIND_OFFICE,
    SHEET,
    STATUSES,
    Identity,
    TrackerSet,
    UnitTracker,
    build_trackers,
    canonical,
    cell_ref,
    digest,
    locked_cells,
)
from .untrusted import CORE, FILE_HINT, check_archive

MAX_PROBLEMS = 30
_CONTROL = re.compile(r"[\x00-\x08\x0c-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
LOCKED_HINT = "Đề nghị đơn vị điền vào phiếu gốc, chỉ điền các cột nền trắng, không sửa các cột nền xám."


@dataclass(frozen=True)
class Submission:
    """What one returned tracker says: its unit, when it was saved, and its rows by key."""

    agency: str
    year: int
    unit: str
    revision: str
    saved: dt.datetime  # UTC, from the workbook's own "modified" property
    source: str
    rows: dict[str, dict[str, Any]]

    @property
    def saved_text(self) -> str:
        return self.saved.strftime("%Y-%m-%dT%H:%M:%SZ")

    @property
    def content_hash(self) -> str:
        """The same content saved at the same time gives the same hash, whatever the file's name."""
        return digest({"agency": self.agency, "year": self.year, "unit": self.unit, "revision": self.revision,
                       "saved": self.saved_text, "rows": self.rows})

    def record(self) -> dict[str, Any]:
        return {"format": "kehoach-tien-do/1", "agency": self.agency, "year": self.year, "unit": self.unit,
                "revision": self.revision, "saved": self.saved_text, "source": self.source,
                "hash": self.content_hash, "rows": self.rows}


def read_return(path: Path, merged: Merged, shown: str | None = None) -> Submission:
    """Check a returned tracker against the current plan; raise InputError naming file and cells."""
    shown = shown or str(path)
    return _read(path, merged, shown, Path(shown).name)


def read_attachment(data: bytes, merged: Merged, shown: str, name: str) -> Submission:
    """The same checks on a tracker received as bytes (a mail attachment); ``name`` is only recorded, never a path."""
    return _read(data, merged, shown, name)


def _read(source: Path | bytes, merged: Merged, shown: str, name: str) -> Submission:
    saved = check_archive(source, shown)
    trackers = build_trackers(merged)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an untrusted file's oddities must not become errors here
        try:
            opened = io.BytesIO(source) if isinstance(source, bytes) else source
            book = openpyxl.load_workbook(opened, read_only=True, data_only=True, keep_links=False)
        except Exception as exc:  # any parser failure means the same thing to the user
            raise InputError.single("không đọc được bảng tính", file=shown, found=type(exc).__name__,
                                    hint=FILE_HINT) from None
        try:
            identity = _identity(book, shown)
            unit = _match(identity, trackers, shown)
            if SHEET not in book.sheetnames:
                raise InputError.single(f"không có trang tính \"{SHEET}\"", file=shown, hint=FILE_HINT)
            width, last = len(COLUMNS), FIRST_ROW + len(unit.rows) - 1
            grid = [list(r) for r in book[SHEET].iter_rows(min_row=1, max_row=last + 1, max_col=width, values_only=True)]
        finally:
            book.close()
    grid += [[None] * width for _ in range(last + 1 - len(grid))]
    problems = _locked_problems(grid, unit, shown)
    rows = _inputs(grid, unit, trackers, shown, problems)
    if problems:
        raise InputError(_capped(problems, shown), hint=LOCKED_HINT if any("nền xám" in p.message for p in problems)
                         else None)
    if saved is None:
        raise InputError.single("tệp không ghi thời điểm lưu", file=shown, field=CORE, hint=FILE_HINT)
    return Submission(identity.agency, identity.year, unit.unit, identity.revision, saved, name, rows)


def _identity(book: Any, shown: str) -> Identity:
    if IDENTITY_SHEET not in book.sheetnames:
        raise InputError.single("không phải phiếu theo dõi do kehoach tạo (thiếu phần định danh)", file=shown,
                                hint=FILE_HINT)
    items = [(r[0], r[1]) for r in book[IDENTITY_SHEET].iter_rows(max_row=20_000, max_col=2, values_only=True)
             if len(r) == 2 and r[0] is not None]
    try:
        return Identity.from_items(items)
    except ValueError:
        raise InputError.single("phần định danh của phiếu bị hỏng", file=shown, field=IDENTITY_SHEET,
                                hint=FILE_HINT) from None


def _match(identity: Identity, trackers: TrackerSet, shown: str) -> UnitTracker:
    """The current tracker of the unit the file names, if the file belongs to this plan."""
    if identity.kind == KIND_OFFICE:
        raise InputError.single("đây là bảng tổng hợp của Văn phòng, không phải phiếu của một đơn vị", file=shown)
    if identity.agency != trackers.agency:
        raise InputError.single("phiếu của cơ quan khác", file=shown, expected=f"\"{trackers.agency}\"",
                                found=f"\"{identity.agency}\"")
    if identity.year != trackers.year:
        raise InputError.single("phiếu của năm khác", file=shown, expected=str(trackers.year), found=str(identity.year))
    units = {u.unit: u for u in trackers.units}
    if identity.unit not in units:
        raise InputError.single("đơn vị không có phiếu theo dõi trong kế hoạch", file=shown,
                                expected="một trong: " + ", ".join(units), found=f"\"{identity.unit}\"")
    unit = units[identity.unit]
    if identity.checksum != unit.identity.checksum:
        # Another revision is accepted when this unit's own part of the plan is unchanged.
        raise InputError.single("phiếu được tạo từ phiên bản kế hoạch khác; nhiệm vụ của đơn vị đã thay đổi",
                                file=shown, expected=f"phiên bản {trackers.revision[:12]}",
                                found=f"phiên bản {identity.revision[:12]}",
                                hint="Gửi đơn vị phiếu theo dõi mới tạo từ kế hoạch hiện hành để điền lại.")
    if identity.keys != unit.identity.keys:
        raise InputError.single("phần định danh của phiếu bị sửa", file=shown, field=IDENTITY_SHEET, hint=FILE_HINT)
    return unit


def _locked_problems(grid: list[list[Any]], unit: UnitTracker, shown: str) -> list[Problem]:
    """Every locked cell whose value differs from the plan's (title, header, plan columns)."""
    expected = locked_cells(unit.titles, unit.rows)
    plan_width = len(unit.rows[0].cells)
    problems = []
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if r >= FIRST_ROW and c >= plan_width:  # an input cell
                continue
            ref = cell_ref(r, c)
            want = expected.get(ref)
            if _plain(value) != (None if want is None else canonical(want)):
                problems.append(Problem("ô thuộc phần kế hoạch (nền xám) đã bị sửa", file=shown, field=f"{SHEET}!{ref}",
                                        expected=_shown(want), found=_shown(value)))
    return problems


def _plain(value: Any) -> str | int | None:
    """A read cell as the canonical form of the locked cells (dates ISO, whole floats int)."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        return value.replace("\r\n", "\n")
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _shown(value: Any) -> str:
    """A cell's value as a message quotes it: dates dd/mm/yyyy, whole numbers without ".0"."""
    value = _plain(value)
    if value is None:
        return "ô trống"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        value = f"{dt.date.fromisoformat(value):%d/%m/%Y}"
    text = str(value).replace("\n", " ")
    return f"\"{text[:60]}…\"" if len(text) > 60 else f"\"{text}\""


def _inputs(grid: list[list[Any]], unit: UnitTracker, trackers: TrackerSet, shown: str,
            problems: list[Problem]) -> dict[str, dict[str, Any]]:
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    low, high = dt.date(trackers.year - 1, 1, 1), dt.date(trackers.last_year + 1, 12, 31)
    rows: dict[str, dict[str, Any]] = {}
    for r, tracker_row in enumerate(unit.rows, start=FIRST_ROW):
        values = grid[r]

        def where(key: str, r: int = r) -> str:
            return f"{SHEET}!{cell_ref(r, index[key])}"

        status = _text(values[index["status"]])
        if status is not None and status not in STATUSES:
            problems.append(Problem("tình trạng không có trong danh sách", file=shown, field=where("status"),
                                    expected="một trong: " + "; ".join(STATUSES), found=_shown(status)))
        percent = _percent(values[index["percent"]])
        if percent is False:
            problems.append(Problem("tiến độ phải là số nguyên từ 0 đến 100", file=shown, field=where("percent"),
                                    expected="số nguyên 0–100", found=_shown(values[index["percent"]])))
        done = _date(values[index["done_date"]])
        if done is False or (isinstance(done, dt.date) and not low <= done <= high):
            problems.append(Problem("ngày hoàn thành không hợp lệ", file=shown, field=where("done_date"),
                                    expected=f"ngày từ {low:%d/%m/%Y} đến {high:%d/%m/%Y}",
                                    found=_shown(values[index["done_date"]])))
        rows[tracker_row.key] = {
            "status": status, "percent": percent if isinstance(percent, int) and percent is not False else None,
            "done_date": done.isoformat() if isinstance(done, dt.date) else None,
            **{key: _text(values[index[key]]) for key in ("result", "evidence", "difficulties", "note")}}
    return rows


def _text(value: Any) -> str | None:
    """Free text as data: NFC, Word's line breaks as newlines, other control characters dropped."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        value = f"{value:%d/%m/%Y}"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\x0b", "\n")
    return _CONTROL.sub("", text).strip() or None


def _percent(value: Any) -> int | None | bool:
    """0-100 as int, None when empty, False when invalid."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100:
        return value
    return False


def _date(value: Any) -> dt.date | None | bool:
    """A date, None when empty, False when not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return from_excel(value).date()
        if isinstance(value, str) and (m := _DMY.match(value.strip())):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except (ValueError, OverflowError, TypeError):
        return False
    return False


def _capped(problems: list[Problem], shown: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"… và {rest} lỗi khác", file=shown)]
