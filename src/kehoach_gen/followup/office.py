"""The facts of a cut-off as the consolidated workbook shows them (same facts as the Báo cáo)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..excel.office_data import OfficeFacts, OfficeReturn, OfficeTask
from ..excel.trackers import DONE, DONE_LATE
from ..spec.merge import Merged
from .. import vnformat as vn
from .facts import OVERDUE, UNREPORTED, PeriodFacts, TaskFacts, local_time, period_facts
from .periods import Period, grace, year_start
from .progress import taken_rows
from .report import COUNT_WORDS
from .report_text import date, short


def office_facts(merged: Merged, facts: PeriodFacts, note: str) -> OfficeFacts:
    """What the consolidated workbook shows of ``facts``."""
    units = tuple((u.unit, u.name) for u in facts.returns)
    numerals = {group: vn.roman(group) for group in {t.group for t in facts.tasks}}
    tasks = tuple(OfficeTask(f"{numerals[t.group]}. {t.group_title}", n, t.content, t.lead, _deadline(t), t.due,
                             _status(t), _progress(t), _latest(t), _per_unit(t))
                  for n, t in enumerate(facts.tasks, start=1))
    numbers = {t.id: n for n, t in enumerate(facts.tasks, start=1)}
    owed = {p.key: t for t in facts.tasks for p in t.parts}
    returns = tuple(OfficeReturn(r.unit, r.name, r.last_source,
                                 r.last_saved.replace(tzinfo=None) if r.last_saved else None,
                                 r.parts, r.reported, _listed([owed[k] for k in r.owing], numbers))
                    for r in facts.returns)
    counts = tuple((COUNT_WORDS[c], n) for c, n in facts.counts().items())
    return OfficeFacts(facts.end, note, counts, units, tasks, returns)


OWED_LISTED = 20  # tasks named in one cell of "Tình hình gửi phiếu"; the matrix shows them all


def _listed(owed: list[TaskFacts], numbers: dict[str, int]) -> tuple[str, ...]:
    """The tasks of the parts a unit owes, each once, in order: "12. <its first words>"; past OWED_LISTED, how many
    more (only the tasks named are shortened: a unit may owe all 10,000 of a large plan)."""
    tasks = list({task.id: task for task in owed}.values())
    names = tuple(f"{numbers[task.id]}. {short(task.content, 10)}" for task in tasks[:OWED_LISTED])
    if len(tasks) <= OWED_LISTED:
        return names
    return (*names, f"… và {len(tasks) - OWED_LISTED} nhiệm vụ khác (xem trang \"Theo đơn vị\")")


def live_facts(merged: Merged, records: list[dict[str, Any]]) -> OfficeFacts:
    """The workbook kept in theo-doi/: everything collected so far, up to the newest date known."""
    year, cal = merged.plan.year, merged.master.reporting
    end = _newest_day(records)
    if end is None:
        end = year_start(year, cal)
        note = "Chưa nhận phiếu theo dõi nào của các đơn vị."
    else:
        note = f"Số liệu đến ngày {date(end)}, theo các phiếu theo dõi các đơn vị đã gửi."
    facts = period_facts(merged, records, year_start(year, cal), end, grace(year, cal))
    return office_facts(merged, facts, note)


def period_note(when: Period) -> str:
    """The line under a period workbook's titles, as the Báo cáo's opening says it."""
    window = "lũy kế từ đầu năm, từ" if when.cumulative else "tính từ"
    return f"Số liệu {when.label} ({window} ngày {date(when.start)} đến ngày {date(when.end)})."


def _newest_day(records: list[dict[str, Any]]) -> dt.date | None:
    """The newest day the collected files speak of: a save day, or a completion date a unit gave."""
    days = [local_time(r["saved"]).date() for r in records]
    days += [dt.date.fromisoformat(row["done_date"]) for r in records for row in taken_rows(r).values()
             if row.get("done_date")]
    return max(days, default=None)


def _status(task: TaskFacts) -> str:
    if task.category == OVERDUE:
        return "Quá hạn"
    return {UNREPORTED: "Chưa báo cáo"}.get(task.status, task.status)


def _deadline(task: TaskFacts) -> str | None:
    texts = list(dict.fromkeys(p.deadline for p in task.parts if p.deadline))
    return "\n".join(texts) or None


def _progress(task: TaskFacts) -> int | None:
    if task.status in (DONE, DONE_LATE):
        return 100
    values = [u.latest.get("percent") for p in task.parts for u in p.units if u.latest and u.role == "Chủ trì"]
    numbers = [v for v in values if isinstance(v, int)]
    return round(sum(numbers) / len(numbers)) if numbers else None


def _latest(task: TaskFacts) -> str | None:
    """The newest result any unit gave on the task, under the unit's name."""
    found = [(u.latest, u.name) for p in task.parts for u in p.units if u.latest and u.latest.get("result")]
    if not found:
        return None
    entry, name = max(found, key=lambda f: f[0].saved)
    lines = [line.strip() for line in str(entry.get("result")).splitlines() if line.strip()]
    text = f"{name}: {lines[-1]}"
    return text if len(text) <= 400 else text[:399] + "…"


def _per_unit(task: TaskFacts) -> dict[str, str]:
    """Unit code -> "Chủ trì\\nHoàn thành" (the unit's own standing on its parts of the task)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for part in task.parts:
        for standing in part.units:
            role, found = out.setdefault(standing.unit, (standing.role, []))
            if standing.role == "Chủ trì":
                out[standing.unit] = ("Chủ trì", found)
            if standing.latest is None:
                found.append("Chưa báo cáo" if standing in part.owing else "")
            else:
                found.append("Quá hạn" if part.overdue else standing.status or "")
    return {code: f"{role}\n{_one(found)}".rstrip() for code, (role, found) in out.items()}


def _one(statuses: list[str]) -> str:
    """One unit's status on a task from its statuses on the task's parts ("": not reported, not owed)."""
    statuses = [s for s in statuses if s] or [""]
    for status in ("Quá hạn", "Chưa báo cáo"):
        if status in statuses:
            return status
    if all(s in (DONE, DONE_LATE) for s in statuses):
        return DONE_LATE if DONE_LATE in statuses else DONE
    return statuses[0] if len(set(statuses)) == 1 else "Đang thực hiện"

