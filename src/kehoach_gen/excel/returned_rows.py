"""A returned tracker of an earlier revision against the current plan: which of its rows are taken, which changed
since, which were removed, which are new (what ``collect`` takes and says, row by row).

Rows are compared by key with the unit's rows in the current plan; a row counts as changed by the fields
:func:`.revisions.changed_fields` compares, on the day the amendment that changed it was first written.
Pure data: no file is read or written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from .revisions import Amended, UnitShown, changed_fields, field_words
from .trackers import CONTENT, TrackerRow, UnitTracker


@dataclass(frozen=True)
class RowNote:
    """What ``collect`` says about one row of a tracker of an earlier revision."""

    kind: str  # "changed" (taken), "removed" (kept, not taken), "new" (in the plan, not in the file)
    key: str
    label: str  # the task's content as printed, shortened
    date: dt.date
    fields: tuple[str, ...] = ()
    elsewhere: bool = False  # removed: the part is still in the plan, no longer assigned to the unit

    @property
    def words(self) -> str:
        """What changed, in words: "nội dung, thời hạn"."""
        return field_words(self.fields)


@dataclass(frozen=True)
class Comparison:
    taken: tuple[str, ...]
    changed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    notes: tuple[RowNote, ...] = ()


def classify(shown: UnitShown, unit: UnitTracker, amended: Amended) -> Comparison:
    """Compare the rows a returned tracker showed with the unit's rows in the current plan, by key."""
    now = {r.key: r for r in unit.rows}
    plan_keys = {r.key for r in amended.trackers.office.rows}
    tasks = [k.split("#")[0] for k in dict.fromkeys([*shown.keys, *now])]
    label = _labeller(tasks)
    taken, removed, notes, changed = [], [], [], {}
    for row in shown.rows:
        current = now.get(row.key)
        if current is None:
            removed.append(row.key)
            notes.append(RowNote("removed", row.key, label(row), amended.removed_on(unit.unit, row.key),
                                 elsewhere=row.key in plan_keys))
            continue
        taken.append(row.key)
        if fields := changed_fields(row, current):
            changed[row.key] = fields
            notes.append(RowNote("changed", row.key, label(row), amended.changed_on(unit.unit, row.key), fields))
    notes += [RowNote("new", r.key, label(r), amended.changed_on(unit.unit, r.key))
              for r in unit.rows if r.key not in set(shown.keys)]
    return Comparison(tuple(taken), changed, tuple(removed), tuple(notes))


def _labeller(tasks: list[str]) -> Callable[[TrackerRow], str]:
    """The task of a row as messages name it: its content, shortened, and its part when it has several."""
    def label(row: TrackerRow) -> str:
        text = " ".join(str(row.cells[CONTENT] or "").split())
        if len(text) > 60:
            text = text[:60].rsplit(" ", 1)[0].rstrip(",;:.") + " …"
        task, _, part = row.key.partition("#")
        return f"{text} (phần {part})" if tasks.count(task) > 1 else text

    return label
