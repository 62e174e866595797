"""The cells of a returned tracker: locked cells compared with what the tracker showed, inputs
validated cell by cell, values as the store keeps them.

Every problem names the sheet and cell (``Theo dõi!H5``) and quotes what was expected and found
the way the sheet shows it (dates dd/mm/yyyy, whole numbers without ".0").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

from openpyxl.utils.datetime import from_excel

from ..errors import Problem
from .trackers import COLUMNS, FIRST_ROW, SHEET, STATUSES, Cell, canonical, cell_ref

MAX_PROBLEMS = 30
# Control characters and the bidirectional overrides (invisible; they would reorder the text in a Báo cáo).
_CONTROL = re.compile(r"[\x00-\x08\x0c-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\u202a-\u202e\u2066-\u2069]")
_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
LOCKED = "ô thuộc phần kế hoạch (nền xám) đã bị sửa"


def locked_problems(grid: list[list[Any]], expected: dict[str, Cell], plan_width: int, shown: str,
                    below: list[list[Any]] = ()) -> list[Problem]:  # type: ignore[assignment]
    """Every locked cell whose value differs from the one the tracker showed (title, header, plan columns).

    A row inserted into or deleted from the table shifts every row below it: that is one problem, naming the row."""
    if (moved := _moved_row([*grid, *below], expected, plan_width, shown)) is not None:
        return [moved]
    problems = []
    for r, values in enumerate(grid):
        for c, value in enumerate(values):
            if r >= FIRST_ROW and c >= plan_width:  # an input cell
                continue
            ref = cell_ref(r, c)
            want = expected.get(ref)
            if plain(value) != (None if want is None else canonical(want)):
                shown_want, shown_found = quoted_pair(want, value)
                problems.append(Problem(LOCKED, file=shown, field=f"{SHEET}!{ref}", expected=shown_want,
                                        found=shown_found))
    return problems


def plain(value: Any) -> str | int | None:
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


def _moved_row(grid: list[list[Any]], expected: dict[str, Cell], plan_width: int, shown: str) -> Problem | None:
    """The one row inserted into (or deleted from) the plan rows, when that explains every difference."""
    width = max(plan_width, 1)
    want = [tuple(None if (v := expected.get(cell_ref(r, c))) is None else canonical(v) for c in range(width))
            for r in range(FIRST_ROW, 1 + max((_row_of(ref) for ref in expected), default=FIRST_ROW))]
    got = [tuple(plain(row[c]) if c < len(row) else None for c in range(width)) for row in grid[FIRST_ROW:]]
    while got and not any(got[-1]):
        got.pop()
    return moved_row_problem(got, want, SHEET, "bảng nhiệm vụ; phiếu", "phiếu đã gửi", shown)


def moved_row_problem(got: list[Any], want: list[Any], sheet: str, table: str, sent: str, shown: str) -> Problem | None:
    """The one row inserted into (or deleted from) ``want``, as a problem at that row, when that alone makes
    ``got`` (the rows read, from FIRST_ROW) what it is; else None (the cells are compared one by one)."""
    if abs(len(got) - len(want)) != 1 or got == want:
        return None
    longer, shorter = (got, want) if len(got) > len(want) else (want, got)
    for r in range(len(longer)):
        if longer[:r] + longer[r + 1:] == shorter:
            inserted = longer is got
            what = "được chèn thêm vào" if inserted else "đã bị xóa khỏi"
            return Problem(f"dòng {FIRST_ROW + r + 1} {what} {table} không được thêm hay xóa dòng",
                           file=shown, field=f"{sheet}!A{FIRST_ROW + r + 1}",
                           expected=f"các dòng như {sent}", found="thêm một dòng" if inserted else "thiếu một dòng")
    return None


def _row_of(ref: str) -> int:
    return int(re.sub(r"^[A-Z]+", "", ref)) - 1


def quoted_pair(want: Any, found: Any) -> tuple[str, str]:
    """Two cell values quoted so that the change shows: long texts are cut around where they first differ."""
    texts = [plain(v) for v in (want, found)]
    if not all(isinstance(t, str) and len(t) > 60 for t in texts):
        return quoted(want), quoted(found)
    a, b = (str(t).replace("\n", " ") for t in texts)
    same = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(same - 20, 0)
    return tuple(("…" if start else "") + f"\"{t[start:start + 60]}" + ("…\"" if len(t) > start + 60 else "\"")
                 for t in (a, b))  # type: ignore[return-value]


def quoted(value: Any) -> str:
    """A cell's value as a message quotes it: dates dd/mm/yyyy, whole numbers without ".0"."""
    value = plain(value)
    if value is None:
        return "ô trống"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        value = f"{dt.date.fromisoformat(value):%d/%m/%Y}"
    text = str(value).replace("\n", " ")
    return f"\"{text[:60]}…\"" if len(text) > 60 else f"\"{text}\""


def inputs(grid: list[list[Any]], keys: tuple[str, ...], years: tuple[int, int], shown: str,
           problems: list[Problem]) -> dict[str, dict[str, Any]]:
    """The input cells of each row (by key), checked; problems are added to ``problems``."""
    index = {c.key: i for i, c in enumerate(COLUMNS)}
    low, high = dt.date(years[0] - 1, 1, 1), dt.date(years[1] + 1, 12, 31)
    rows: dict[str, dict[str, Any]] = {}
    for r, key in enumerate(keys, start=FIRST_ROW):
        values = grid[r]

        def where(name: str, r: int = r) -> str:
            return f"{SHEET}!{cell_ref(r, index[name])}"

        status = text(values[index["status"]])
        if status is not None and status not in STATUSES:
            problems.append(Problem("tình trạng không có trong danh sách", file=shown, field=where("status"),
                                    expected="một trong: " + "; ".join(STATUSES), found=quoted(status)))
        percent = _percent(values[index["percent"]])
        if percent is False:
            problems.append(Problem("tiến độ phải là số nguyên từ 0 đến 100", file=shown, field=where("percent"),
                                    expected="số nguyên 0–100", found=quoted(values[index["percent"]])))
        done = _date(values[index["done_date"]])
        if done is False or (isinstance(done, dt.date) and not low <= done <= high):
            problems.append(Problem("ngày hoàn thành không hợp lệ", file=shown, field=where("done_date"),
                                    expected=f"ngày từ {low:%d/%m/%Y} đến {high:%d/%m/%Y}",
                                    found=quoted(values[index["done_date"]])))
        rows[key] = {
            "status": status, "percent": percent if isinstance(percent, int) and percent is not False else None,
            "done_date": done.isoformat() if isinstance(done, dt.date) else None,
            **{name: text(values[index[name]]) for name in ("result", "evidence", "difficulties", "note")}}
    return rows


def text(value: Any) -> str | None:
    """Free text as data: NFC, Word's line breaks as newlines, other control characters dropped."""
    if value is None:
        return None
    if isinstance(value, dt.datetime | dt.date):
        value = f"{value:%d/%m/%Y}"
    elif isinstance(value, float) and value.is_integer():
        value = int(value)
    cleaned = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\x0b", "\n")
    return _CONTROL.sub("", cleaned).strip() or None


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


def capped(problems: list[Problem], shown: str) -> list[Problem]:
    if len(problems) <= MAX_PROBLEMS:
        return problems
    rest = len(problems) - MAX_PROBLEMS
    return [*problems[:MAX_PROBLEMS], Problem(f"… và {rest} lỗi khác", file=shown)]
