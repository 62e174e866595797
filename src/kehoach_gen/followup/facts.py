"""What is true of the plan at a cut-off: every task's standing, computed from the history of returns.

The history (every accepted tracker, :mod:`progress`) is turned into *entries*: one per unit and
task part each time what the unit wrote there changed. An entry is dated by the unit's own date
(Ngày hoàn thành) or, when it gave none, by the day its file was saved (Vietnam time); a file
saved after a reporting cut-off but no later than that period's report due day counts for that
period, since units fill their trackers in those days. Only rows the unit still has in the
current plan count, of those its plan took (an amended plan's removed tasks stay in the history,
unused here).

At a cut-off, a unit's standing on a part is its newest known entry dated on or before it; the
entries dated inside the period's window are what it did in the period. A part's status comes
from its lead units' standings (from its coordinators' when no lead reported), a task's from its
parts. A task nobody reported on is "chưa báo cáo", never "chưa thực hiện"; a "Thường xuyên"
task is "đang thực hiện" once reported. Pure: data in, facts out; the Báo cáo and the
consolidated workbook state the same facts because both are made from one :class:`PeriodFacts`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..excel.tracker_parts import LEAD, TrackedPart, tracked_parts
from ..excel.trackers import DONE, DONE_LATE, IN_PROGRESS, NOT_DONE, STATUSES
from ..spec.merge import Merged
from .progress import taken_rows

NOT_STARTED = STATUSES[0]
UNREPORTED, OVERDUE = "Chưa báo cáo", "Quá hạn"
VALUES = ("status", "percent", "done_date", "result", "evidence", "difficulties", "note")
LOCAL = dt.timezone(dt.timedelta(hours=7), "ICT")
# Categories a task is counted in, in the order reports list them.
CATEGORIES = (DONE, IN_PROGRESS, OVERDUE, NOT_STARTED, NOT_DONE, UNREPORTED)


@dataclass(frozen=True)
class Entry:
    """What one unit wrote on one task part, from one accepted file."""

    unit: str
    key: str
    date: dt.date  # the unit's date, or the file's save day (see the module docstring)
    dated_by_unit: bool
    saved: dt.datetime  # the file's own save time, Vietnam time
    source: str
    values: dict[str, Any]

    def get(self, name: str) -> Any:
        return self.values.get(name)


@dataclass(frozen=True)
class UnitStanding:
    """One unit on one part at the cut-off."""

    unit: str
    name: str
    role: str
    latest: Entry | None  # newest known entry dated on or before the cut-off
    shown: Entry | None  # newest entry dated inside the window (what it did in the period)
    before: Entry | None  # newest entry dated before the window (what was reported earlier)

    @property
    def status(self) -> str | None:
        if self.latest is None:
            return None
        return self.latest.get("status") or IN_PROGRESS  # text without a status: work under way


@dataclass(frozen=True)
class PartFacts:
    key: str
    number: int  # 1-based part number within its task
    due: dt.date | None
    deadline: str | None
    ongoing: bool
    units: tuple[UnitStanding, ...]
    status: str  # DONE, DONE_LATE, IN_PROGRESS, NOT_STARTED, NOT_DONE or UNREPORTED
    overdue: bool

    @property
    def owing(self) -> tuple[UnitStanding, ...]:
        """Units that owe a report on this part at the cut-off: its lead units that sent none (a part
        led by no unit of the agency: its coordinators, while none of them reported)."""
        leads = [u for u in self.units if u.role == LEAD]
        if leads:
            return tuple(u for u in leads if u.latest is None)
        return () if any(u.latest for u in self.units) else self.units

    @property
    def done_on(self) -> dt.date | None:
        """The last completion date the units gave, when the part is done."""
        days = [u.latest.date for u in self.units if u.latest and u.latest.dated_by_unit] \
            if self.status in (DONE, DONE_LATE) else []
        return max((d for d in days if d), default=None)


@dataclass(frozen=True)
class TaskFacts:
    id: str
    group: int  # 1-based group number in the plan
    group_title: str
    number: int  # 1-based within its group
    content: str
    lead: str | None
    parts: tuple[PartFacts, ...]
    status: str
    category: str  # one of CATEGORIES

    @property
    def due(self) -> dt.date | None:
        dues = [p.due for p in self.parts if p.due]
        return max(dues) if dues else None

    @property
    def owing(self) -> tuple[str, ...]:
        """Names of units that owe a report on some part, in plan order, once each."""
        return tuple(dict.fromkeys(u.name for p in self.parts for u in p.owing))

    @property
    def done_on(self) -> dt.date | None:
        days = [p.done_on for p in self.parts]
        return max(days) if self.status in (DONE, DONE_LATE) and all(days) else None  # type: ignore[type-var]


@dataclass(frozen=True)
class UnitReturns:
    """One unit's returns up to the cut-off (the "Tình hình gửi phiếu" sheet)."""

    unit: str
    name: str
    last_source: str | None
    last_saved: dt.datetime | None
    parts: int  # task parts the unit has a role in
    reported: int  # of those, parts with a report at the cut-off
    owing: tuple[str, ...]  # keys of parts still owed


@dataclass(frozen=True)
class PeriodFacts:
    start: dt.date
    end: dt.date  # the cut-off
    tasks: tuple[TaskFacts, ...]
    returns: tuple[UnitReturns, ...]

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(CATEGORIES, 0)
        for task in self.tasks:
            counts[task.category] += 1
        return counts


def local_time(saved: str) -> dt.datetime:
    """A history record's UTC save time ("2025-03-10T08:00:00Z") in Vietnam time."""
    return dt.datetime.strptime(saved, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC).astimezone(LOCAL)


def entries(merged: Merged, records: Iterable[dict[str, Any]], grace: dict[dt.date, dt.date] | None = None,
            parts: list[TrackedPart] | None = None) -> dict[tuple[str, str], list[Entry]]:
    """(unit, part key) -> its entries, oldest file first; only rows the unit has in the current plan.

    ``grace`` maps a report due day to its cut-off: an undated entry saved after the cut-off and no
    later than the due day is dated on the cut-off. ``parts``: the plan's tracked parts, if known."""
    roles = {(code, p.key) for p in (parts or tracked_parts(merged)) for code in p.roles}
    out: dict[tuple[str, str], list[Entry]] = {}
    for record in sorted(records, key=lambda r: (r["saved"], r["hash"])):
        saved = local_time(record["saved"])
        for key, row in sorted(taken_rows(record).items()):  # not the rows an amendment removed
            where = (record["unit"], key)
            values = {name: row.get(name) for name in VALUES}
            if where not in roles or not any(v not in (None, "") for v in values.values()):
                continue
            known = out.setdefault(where, [])
            if known and known[-1].values == values:
                continue  # the same row sent again: it keeps the date it was first reported
            given = _iso(values["done_date"])
            day = given or counted_day(saved.date(), grace or {})
            known.append(Entry(record["unit"], key, day, given is not None, saved, record["source"], values))
    return out


def period_facts(merged: Merged, records: list[dict[str, Any]], start: dt.date, end: dt.date,
                 grace: dict[dt.date, dt.date] | None = None) -> PeriodFacts:
    """Every task's standing at ``end``, with what was done between ``start`` and ``end``.

    ``records`` is the whole history (oldest first or not); ``grace`` as for :func:`entries`."""
    plan, grace = merged.plan, grace or {}
    tracked = tracked_parts(merged)
    history = entries(merged, records, grace, tracked) if records else {}
    names = {u.code: u.name for u in merged.agency.units}
    parts = {p.key: p for p in tracked}
    tasks = []
    for gi, group in enumerate(plan.groups, start=1):
        for ti, task in enumerate(group.tasks, start=1):
            facts = tuple(_part(parts[f"{task.id}#{pi}"], pi, part.deadline is not None and part.deadline.kind == "ongoing",
                                history, names, start, end)
                          for pi, part in enumerate(task.parts, start=1))
            status = _task_status(facts)
            tasks.append(TaskFacts(task.id, gi, group.title, ti, " ".join(task.content),
                                   parts[f"{task.id}#1"].lead, facts, status, _category(status, facts)))
    arrived = [r for r in records if counted_day(local_time(r["saved"]).date(), grace) <= end]
    return PeriodFacts(start, end, tuple(tasks), _returns(merged, tasks, arrived))


def _part(tracked: TrackedPart, number: int, ongoing: bool, history: dict[tuple[str, str], list[Entry]],
          names: dict[str, str], start: dt.date, end: dt.date) -> PartFacts:
    units, open_late = [], set()
    for code, role in tracked.roles.items():
        known = history.get((code, tracked.key))
        if not known:  # nothing from this unit on this part (every part, before the first returns)
            units.append(UnitStanding(code, names.get(code, code), role, None, None, None))
            continue
        if tracked.due is not None and any(tracked.due < e.date <= end and e.get("status") not in (DONE, DONE_LATE)
                                           for e in known):
            open_late.add(code)  # it reported after the due day without saying done: late, whenever it ends
        units.append(UnitStanding(code, names.get(code, code), role,
                                  _newest(e for e in known if e.date <= end),
                                  _newest(e for e in known if start <= e.date <= end),
                                  _newest(e for e in known if e.date < start)))
    reported = [u for u in units if u.latest]
    pool = [u for u in reported if u.role == LEAD] or reported
    status = _combine([u.status or IN_PROGRESS for u in pool], tracked.due, pool,
                      any(u.unit in open_late for u in pool)) if reported else UNREPORTED
    if ongoing and status not in (UNREPORTED, NOT_DONE, NOT_STARTED):  # "Hoàn thành" once is not the end of it
        status = IN_PROGRESS
    overdue = (status in (IN_PROGRESS, NOT_STARTED) and tracked.due is not None and tracked.due < end)
    return PartFacts(tracked.key, number, tracked.due, tracked.deadline, ongoing, tuple(units), status, overdue)


def _combine(statuses: list[str], due: dt.date | None, reported: list[UnitStanding], still_open: bool) -> str:
    if all(s in (DONE, DONE_LATE) for s in statuses):
        # late only on the units' word: "Hoàn thành trễ hạn", a completion date after the due day, or an
        # earlier report after the due day that was not done; a file merely saved late proves nothing
        late = DONE_LATE in statuses or still_open or (due is not None and any(
            u.latest and u.latest.dated_by_unit and u.latest.date > due for u in reported))
        return DONE_LATE if late else DONE
    if all(s == NOT_DONE for s in statuses):
        return NOT_DONE
    if all(s == NOT_STARTED for s in statuses):
        return NOT_STARTED
    return IN_PROGRESS


def _task_status(parts: tuple[PartFacts, ...]) -> str:
    known = [p.status for p in parts if p.status != UNREPORTED]
    if not known:
        return UNREPORTED
    if len(known) < len(parts):
        return IN_PROGRESS  # some parts reported, others not: under way, and the rest is owed
    if all(s in (DONE, DONE_LATE) for s in known):
        return DONE_LATE if DONE_LATE in known else DONE
    for same in (NOT_DONE, NOT_STARTED):
        if all(s == same for s in known):
            return same
    return IN_PROGRESS


def _category(status: str, parts: tuple[PartFacts, ...]) -> str:
    if status in (DONE, DONE_LATE):
        return DONE
    if any(p.overdue for p in parts):
        return OVERDUE
    return status


def _returns(merged: Merged, tasks: list[TaskFacts], records: list[dict[str, Any]]) -> tuple[UnitReturns, ...]:
    last: dict[str, dict[str, Any]] = {}
    for record in sorted(records, key=lambda r: r["saved"]):
        last[record["unit"]] = record
    out = []
    for unit in merged.agency.units:
        mine = [(p, s) for t in tasks for p in t.parts for s in p.units if s.unit == unit.code]
        if not mine:
            continue
        record = last.get(unit.code)
        out.append(UnitReturns(unit.code, unit.name, record["source"] if record else None,
                               local_time(record["saved"]) if record else None, len(mine),
                               sum(1 for _, s in mine if s.latest), tuple(p.key for p, s in mine if s in p.owing)))
    return tuple(out)


def _newest(found: Iterable[Entry]) -> Entry | None:
    """The entry of the newest file (what the unit knows best), whatever the dates it gives."""
    return max(found, key=lambda e: e.saved, default=None)


def counted_day(day: dt.date, grace: dict[dt.date, dt.date]) -> dt.date:
    """The day an undated entry (or a file) counts for: its save day, or the cut-off whose report it came in time for."""
    for due, cutoff in grace.items():
        if cutoff < day <= due:
            return cutoff
    return day


def _iso(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) and value else None
