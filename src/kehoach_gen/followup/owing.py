"""What each unit owes for a period (pure: data in, data out), for ``kehoach remind``.

One function, :func:`owed`, holds the rule, so that it can be replaced by the period facts the
Báo cáo will compute (the report and the reminder must agree on what a period is owed). The rule:

- a task part is *unreported* for a period when no submission of its unit saved from the start of
  the period's last reporting slice (the quarter that ends it; for a month, the month) up to
  ``today`` gives it a Tình trạng; a unit with no such submission at all has not returned its tracker;
- a task part is *overdue* when its due date is before ``today`` and the newest status its unit gave
  it (in submissions saved up to ``today``) is none of Hoàn thành, Hoàn thành trễ hạn, Không thực hiện.

Times are compared by date, a submission's saved time (UTC) against the calendar's dates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..excel.trackers import DONE, DONE_LATE, NOT_DONE, TrackerRow, build_trackers
from ..spec.merge import Merged
from .report import Period, period


@dataclass(frozen=True)
class OwedPart:
    key: str
    content: str
    deadline: str | None
    due: dt.date | None


@dataclass(frozen=True)
class Owed:
    """One unit's debts for a period: parts without a reported status, parts overdue."""

    unit: str
    returned: bool  # some submission of the unit was saved in the period's window
    unreported: tuple[OwedPart, ...]
    overdue: tuple[OwedPart, ...]


def owed(merged: Merged, when: Period, history: list[dict[str, Any]], today: dt.date) -> dict[str, Owed]:
    """Unit code -> what it owes (only units that owe something, in registry order)."""
    last = when if when.last_month - when.first_month < 2 else period(f"Q{when.last_month // 3}", when.end.year, merged)
    window = [r for r in history if last.start <= _day(r["saved"]) <= today]
    known = [r for r in history if _day(r["saved"]) <= today]
    result = {}
    for unit in build_trackers(merged).units:
        reported = {key for r in window if r["unit"] == unit.unit for key, row in r["rows"].items() if row.get("status")}
        newest: dict[str, str] = {}
        for record in sorted((r for r in known if r["unit"] == unit.unit), key=lambda r: (r["saved"], r["hash"])):
            newest.update({key: row["status"] for key, row in record["rows"].items() if row.get("status")})
        parts = _parts(unit.rows)
        unreported = tuple(p for p in parts if p.key not in reported)
        overdue = tuple(p for p in parts if p.due is not None and p.due < today
                        and newest.get(p.key) not in (DONE, DONE_LATE, NOT_DONE))
        if unreported or overdue:
            returned = any(r["unit"] == unit.unit for r in window)
            result[unit.unit] = Owed(unit.unit, returned, unreported, overdue)
    return result


def _parts(rows: tuple[TrackerRow, ...]) -> list[OwedPart]:
    """The rows as parts to list: content without its final stop, "(phần 2)" where a task has several parts."""
    tasks = Counter(row.key.split("#")[0] for row in rows)
    parts = []
    for row in rows:
        task, number = row.key.split("#")
        content = str(row.cells[2] or "").rstrip(" .;:") + (f" (phần {number})" if tasks[task] > 1 else "")
        parts.append(OwedPart(row.key, content, row.cells[5] if isinstance(row.cells[5], str) else None, row.due))
    return parts


def _day(saved: str) -> dt.date:
    return dt.date.fromisoformat(saved[:10])
