"""What each unit owes for a period, for ``kehoach remind``: the same facts as the Báo cáo.

Computed by :mod:`facts` from the returns saved up to ``today`` (later files are not known yet):

- a task part is *owed for the period* by the units responsible for reporting it (its lead units;
  its coordinators when no unit of the agency leads it) while it is not settled at the cut-off (done,
  or not done with a reason) and no file of the unit that counts for the period gives it a value;
- a task part is *overdue* for those units when its due date is before ``today`` and, as of
  ``today``, it is neither done nor dropped with a reason (unreported parts past due included).

A unit has returned its tracker when one of its files counts for the period; a unit that has not
(even one that only coordinates, so owes no report of its own) is reminded to send it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from ..excel.tracker_parts import LEAD
from ..excel.trackers import DONE, DONE_LATE, NOT_DONE, TrackerRow, build_trackers
from ..spec.merge import Merged
from .facts import UNREPORTED, PartFacts, counted_day, local_time, period_facts
from .progress import taken_rows
from .periods import Period, grace, year_start

SETTLED = (DONE, DONE_LATE, NOT_DONE)


@dataclass(frozen=True)
class OwedPart:
    key: str
    content: str
    deadline: str | None
    due: dt.date | None


@dataclass(frozen=True)
class Owed:
    """One unit's debts for a period: parts without a report in the period, parts overdue."""

    unit: str
    returned: bool  # some file of the unit counts for the period
    unreported: tuple[OwedPart, ...]
    overdue: tuple[OwedPart, ...]


def owed(merged: Merged, when: Period, history: list[dict[str, Any]], today: dt.date) -> dict[str, Owed]:
    """Unit code -> what it owes (only units that owe something, in registry order)."""
    cal, year = merged.master.reporting, merged.plan.year
    days = grace(year, cal)
    known = [r for r in history if local_time(r["saved"]).date() <= today]
    period_parts = _parts_of(period_facts(merged, known, when.start, when.end, days))
    today_parts = _parts_of(period_facts(merged, known, year_start(year, cal), max(today, year_start(year, cal)), days))
    in_period = [r for r in known if when.start <= counted_day(local_time(r["saved"]).date(), days) <= when.end]
    result = {}
    for unit in build_trackers(merged).units:
        mine = [r for r in in_period if r["unit"] == unit.unit]
        # a row sent again unchanged confirms it for the period, though the report shows no new result
        given = {key for r in mine for key, row in taken_rows(r).items() if any(v not in (None, "") for v in row.values())}
        parts = _listed(unit.rows)
        unreported = tuple(p for p in parts if p.key not in given and _owes_report(period_parts[p.key], unit.unit))
        overdue = tuple(p for p in parts if _is_overdue(today_parts[p.key], unit.unit, today))
        if unreported or overdue or not mine:  # a unit that sent nothing for the period owes its tracker
            result[unit.unit] = Owed(unit.unit, bool(mine), unreported, overdue)
    return result


def _responsible(part: PartFacts, unit: str) -> bool:
    leads = [u.unit for u in part.units if u.role == LEAD]
    return unit in leads if leads else any(u.unit == unit for u in part.units)


def _owes_report(part: PartFacts, unit: str) -> bool:
    return part.status not in SETTLED and _responsible(part, unit)


def _is_overdue(part: PartFacts, unit: str, today: dt.date) -> bool:
    late = part.overdue or (part.status == UNREPORTED and part.due is not None and part.due < today)
    return late and _responsible(part, unit)


def _parts_of(facts: Any) -> dict[str, PartFacts]:
    return {p.key: p for t in facts.tasks for p in t.parts}


def _listed(rows: tuple[TrackerRow, ...]) -> list[OwedPart]:
    """The rows as parts to list: content without its final stop, "(phần 2)" where a task has several parts."""
    tasks = Counter(row.key.split("#")[0] for row in rows)
    parts = []
    for row in rows:
        task, number = row.key.split("#")
        content = str(row.cells[2] or "").rstrip(" .;:") + (f" (phần {number})" if tasks[task] > 1 else "")
        parts.append(OwedPart(row.key, content, row.cells[5] if isinstance(row.cells[5], str) else None, row.due))
    return parts
