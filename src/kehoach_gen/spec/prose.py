"""The tasks of a plan in prose layout: a numbered paragraph per task, then its lettered items.

What the items are, in which order and with which printed label, is data (``lettered`` of the
task, else of its group, else of the layout, else lead, coordinate, deadline, results and the
task's extra ``items``). A role item prints what the task's parts say (the same values the
trackers read), under whatever label the plan uses; an item without lines is left out and the
letters close up; free text and paragraphs between items print as written.
"""

from __future__ import annotations

from typing import Any, Callable

from .models import PlanGroup, Task, TaskPart
from .shapes import DEFAULT_LETTERED, ROLE_LABELS, ProseItem, ProsePara, number
from .specs import Plan

Ctx = dict[str, Any]
Cells = Callable[[TaskPart], dict[str, list[str]]]


def prose_blocks(plan: Plan, cells: Cells) -> list[Ctx]:
    fmt = plan.layout.numbering
    out: list[Ctx] = []
    for gi, group in enumerate(plan.groups, start=1):
        head = number(fmt.group, gi)
        out.append({"kind": "heading", "text": f"{head} {group.title}"})
        out.extend({"kind": "para", "text": p} for p in group.points)
        for ti, task in enumerate(group.tasks, start=1):
            first, *more = task.content
            if group.own_task:  # the group is the task: its content follows the heading, unnumbered
                if first.casefold() != group.title.casefold():  # content = title: items only (trackers keep it)
                    out.append({"kind": "para", "text": first})
            else:
                own = number(fmt.task, ti, head.rstrip(".)"))
                out.append({"kind": "numbered", "text": f"{own} {first}"})
            out.extend({"kind": "para", "text": line} for line in more)
            out.extend(task_items(task, _sequence(plan, group, task), fmt.item, cells))
    return out


def _sequence(plan: Plan, group: PlanGroup, task: Task) -> tuple[Any, ...]:
    for choice in (task.lettered, group.lettered, plan.layout.lettered):
        if choice is not None:
            return choice
    return DEFAULT_LETTERED


def task_items(task: Task, sequence: tuple[Any, ...], letter_fmt: str, cells: Cells) -> list[Ctx]:
    """The lettered items of one task; per part the role items, free text and paragraphs once."""
    out: list[Ctx] = []
    for index, part in enumerate(task.parts):
        values = cells(part)
        letter = 0
        for entry in sequence:
            if isinstance(entry, ProsePara):
                if index == 0:
                    out.extend({"kind": "para", "text": line} for line in entry.para)
                continue
            item = ProseItem(role=entry) if isinstance(entry, str) else entry
            if item.role == "items":
                printed = [(ProseItem(label=extra.label, text=extra.text), list(extra.text)) for extra in task.items]
            elif item.role is not None:
                printed = [(item, values[item.role])]
            else:
                printed = [(item, list(item.text))] if index == 0 else []
            for shown, lines in printed:
                if not lines:
                    continue
                letter += 1
                out.extend(_item(number(letter_fmt, letter), shown, lines))
    return out


def _item(mark: str, item: ProseItem, lines: list[str]) -> list[Ctx]:
    label = item.label or ROLE_LABELS.get(item.role or "", "")
    if not label:  # free text without a label: "c) Tổ chức hội nghị …"
        return [{"kind": "lettered", "text": f"{mark} {lines[0]}"},
                *({"kind": "para", "text": line} for line in lines[1:])]
    head = f"{mark} {label}{item.punctuation}"
    if len(lines) == 1 and not item.own_paragraph:  # "a) Chủ trì thực hiện: Văn phòng"
        return [{"kind": "lettered", "text": f"{head} {lines[0]}"}]
    # several lines (e.g. "- …" bullets) or a text of its own: lines under their label
    return [{"kind": "lettered", "text": head}, *({"kind": "para", "text": line} for line in lines)]
