"""What applying a phân công workbook changes, in the officer's words, and when it must be refused.

The cell edits become spec edits; the tasks whose spec entry (or drop) the update changes are the
changes; a row whose plan changed since the workbook was written is refused only when the workbook
would change that task (so a workbook applied twice changes nothing the second time and is not
refused). Every line names the cell, the task and the value before and after, the way the document
and the workbook show it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import Problem
from ..excel.assign_edits import LABELS, CellEdit
from ..excel.assign_read import Returned
from ..excel.assign_rows import COLUMNS, DROPPED, INDEX, SHEET, UNUSED, AssignBook
from ..excel.return_cells import quoted
from ..excel.trackers import FIRST_ROW
from ..spec.assign_yaml import SpecEdit, task_entries


@dataclass(frozen=True)
class Change:
    """One change as the officer reads it: the cell, the task, what and from what to what."""

    ref: str
    task: str
    text: str


def spec_edits(edits: list[CellEdit]) -> list[SpecEdit]:
    return [SpecEdit(e.task, e.part, e.field, e.value) for e in edits]


def changed_tasks(before: str, after: str) -> set[str]:
    """Task ids whose entry in tasks or drop differs between two spec texts."""
    old, new = task_entries(before), task_entries(after)
    return {task for task in old.keys() | new.keys() if old.get(task) != new.get(task)}


def stale_problems(returned: Returned, current: AssignBook, changed: set[str], shown: str) -> list[Problem]:
    """Rows the plan no longer has, and rows changed in the spec since writing that the workbook would change."""
    now = {r.key: r for r in current.rows}
    dropped_now = {r.task for r in current.rows if r.state == DROPPED}
    problems = []
    for r, written in enumerate(returned.written, start=FIRST_ROW):
        row, ref = now.get(written.key), f"{SHEET}!A{r + 1}"
        if row is None:
            first = returned.edited.get(f"{written.task}#1")
            if written.task in dropped_now and first is not None and first[INDEX["drop"]]:
                continue  # the workbook dropped this task, and it is dropped: nothing left to do
            problems.append(Problem(f"nhiệm vụ \"{written.task}\" (dòng phân công {written.part}) không còn trong tệp "
                                    "kế hoạch như lúc xuất bảng phân công", file=shown, field=ref))
        elif written.task in changed and (row.state, row.cells) != (written.state, written.cells):
            c = next((c for c, (a, b) in enumerate(zip(written.cells, row.cells, strict=True)) if a != b), 0)
            label = COLUMNS[c].header
            problems.append(Problem(f"nhiệm vụ \"{written.task}\" đã được sửa trong tệp kế hoạch sau khi xuất bảng "
                                    "phân công", file=shown, field=ref,
                                    expected=f"{label} {quoted(written.cells[c])} như lúc xuất bảng",
                                    found=f"{quoted(row.cells[c])} trong tệp kế hoạch"))
    return problems


def describe(edits: list[CellEdit], changed: set[str], merged: Any, after: AssignBook) -> tuple[list[Change], list[str]]:
    """The change lines (cell, task, text) and notes on wording the spec keeps."""
    shown_after = {r.key: r for r in after.rows}
    by_task: dict[str, list[CellEdit]] = {}
    for edit in edits:
        by_task.setdefault(edit.task, []).append(edit)
    changes: list[Change] = []
    notes: list[str] = []
    for task, task_edits in by_task.items():
        if task not in changed:
            continue
        drop = next((e for e in task_edits if e.field == "drop"), None)
        fields = [e for e in task_edits if e.field != "drop"]
        if drop is not None and drop.value:
            text = (f"lý do bỏ: {quoted(drop.old)} → {quoted(drop.value)}" if drop.state == DROPPED
                    else f"bỏ nhiệm vụ (chuyển vào mục drop), lý do: {quoted(drop.value)}")
            changes.append(Change(drop.ref, task, text))
            continue
        entered = any(e.value for e in fields)
        if drop is not None:
            changes.append(Change(drop.ref, task, "dùng lại nhiệm vụ của Kế hoạch tỉnh (xóa khỏi mục drop)"
                                  + ("" if entered else "; nhiệm vụ chưa được phân công")))
        if entered and (drop is not None or fields[0].state == UNUSED):
            changes.append(Change(fields[0].ref, task, "đưa nhiệm vụ của Kế hoạch tỉnh vào kế hoạch"))
        for edit in fields:
            row = shown_after.get(edit.key)
            now = row.cell(edit.field) if row is not None else None
            if edit.value:
                tail = quoted(now if now is not None else edit.new)
            else:
                tail = f"{quoted(now)} (theo Kế hoạch tỉnh)" if now else "(để trống)"
            changes.append(Change(edit.ref, task, f"{LABELS[edit.field]}: {quoted(edit.old)} → {tail}"))
        notes += _wording_notes(task, fields, merged)
    return changes, notes


def _wording_notes(task: str, fields: list[CellEdit], merged: Any) -> list[str]:
    """A changed lead or coordinator of a part whose printed wording the spec writes itself."""
    found = next((t for g in merged.plan.groups for t in g.tasks if t.id == task), None)
    notes = []
    for edit in fields:
        if found is None or edit.field not in ("lead", "coordinate") or edit.part > len(found.parts):
            continue
        part = found.parts[edit.part - 1]
        keys = [k for k in ("assignment", f"{edit.field}_text") if getattr(part, k) is not None]
        if keys:
            notes.append(f"{task}: tệp kế hoạch ghi lời văn riêng ({', '.join(keys)}) nên văn bản vẫn in lời văn đó; "
                         "sửa lời văn trong tệp kế hoạch nếu cần.")
    return list(dict.fromkeys(notes))
