"""Write assignments into an agency spec in place, keeping everything the officer wrote.

ruamel.yaml round-trip: every comment, key order, quote and blank line stays; only the values that
change are written. Changes are per task: a field of the task or of one of its parts set (a list of
lines, unit codes, a deadline's wording) or removed (the master's value comes back), a task added for
a master task not yet used, a task moved to ``drop`` with its reason, a drop taken back. A comment that
belonged to something removed is kept where it stood (before the next item, or after the last).

Files whose round trip is not byte-exact (an unusual indentation) are patched: only the lines that the
update changes are replaced in the original text.
"""

from __future__ import annotations

import difflib
import io
from dataclasses import dataclass
from typing import Any

from .specs import MasterPlan
from .yaml_comments import append_item, append_key, delete_item, delete_key, house_yaml

ORDER = ("id", "group", "content", "parts", "results", "lead", "coordinate", "assignment", "lead_text",
         "coordinate_text", "deadline", "note", "items")
PART_LEVEL = ("results", "lead", "coordinate", "deadline")


@dataclass(frozen=True)
class SpecEdit:
    """One change to one task: ``field`` of part ``part`` (1-based) gets ``value``; ``()`` removes it.

    ``field == "drop"``: ``value`` is the reason (the task moves to drop) or None (taken back)."""

    task: str
    part: int
    field: str
    value: Any


def update_spec(text: str, edits: list[SpecEdit], master: MasterPlan) -> str:
    """The spec text with the edits applied (the same text when they change nothing)."""
    yaml = _yaml()
    doc = yaml.load(text)
    order = [t.id for g in master.groups for t in g.tasks]
    group_of = {t.id: g.id for g in master.groups for t in g.tasks}
    by_task: dict[str, list[SpecEdit]] = {}
    for edit in edits:
        by_task.setdefault(edit.task, []).append(edit)
    for task, task_edits in by_task.items():
        _task(doc, task, task_edits, order, group_of)
    buffer = io.StringIO()
    yaml.dump(doc, buffer)
    return _patched(text, buffer.getvalue(), yaml)


def task_entries(text: str) -> dict[str, Any]:
    """Task id -> its entry in tasks (plain data) or its drop reason, of a spec text."""
    from ruamel.yaml import YAML

    data = YAML(typ="safe").load(text) or {}
    entries: dict[str, Any] = {}
    for entry in data.get("tasks") or []:
        if isinstance(entry, dict):
            entries[str(entry.get("id"))] = ("tasks", entry)
    for entry in data.get("drop") or []:
        if isinstance(entry, dict):
            entries[str(entry.get("id"))] = ("drop", entry.get("reason"))
    return entries


def _yaml() -> Any:
    yaml = house_yaml()
    yaml.preserve_quotes = True  # the user's own quoting stays as written
    return yaml


def _task(doc: Any, task: str, edits: list[SpecEdit], order: list[str], group_of: dict[str, str]) -> None:
    tasks = doc.get("tasks") or []
    index = next((i for i, e in enumerate(tasks) if e.get("id") == task), None)
    drop = next((e for e in edits if e.field == "drop"), None)
    if drop is not None and drop.value is not None:
        if index is not None:
            delete_item(tasks, index)
        _set_drop(doc, task, drop.value)
        return
    if drop is not None:
        drops = doc.get("drop") or []
        at = next((i for i, e in enumerate(drops) if e.get("id") == task), None)
        if at is not None:
            delete_item(drops, at)
            if not drops:
                delete_key(doc, "drop")
    fields = [e for e in edits if e.field != "drop"]
    if index is None:
        values = {e.field: e.value for e in fields if e.value}
        if values:
            if not hasattr(tasks, "ca") or (not tasks and tasks.fa.flow_style()):
                tasks = _seq([])
                doc["tasks"] = tasks
            tasks.insert(_position(tasks, task, order, group_of), _entry(task, values))
        return
    entry = tasks[index]
    for edit in fields:
        parts = entry.get("parts")
        target = parts[edit.part - 1] if parts and edit.field in PART_LEVEL else entry
        set_value(target, edit.field, edit.value)


def _set_drop(doc: Any, task: str, reason: str) -> None:
    from ruamel.yaml.comments import CommentedMap

    drops = doc.get("drop")
    if drops is None or not hasattr(drops, "ca") or (not drops and drops.fa.flow_style()):
        drops = _seq([])
        if "drop" in doc:
            doc["drop"] = drops  # "drop: []" becomes a list of entries
        else:
            append_key(doc, "drop", drops)
    existing = next((e for e in drops if e.get("id") == task), None)
    if existing is None:
        append_item(drops, CommentedMap([("id", task), ("reason", reason)]))
    elif existing.get("reason") != reason:
        existing["reason"] = reason


def _position(tasks: Any, task: str, order: list[str], group_of: dict[str, str]) -> int:
    """Where a master task joins the spec: after the spec's tasks before it in the master, in its group."""
    rank = {t: i for i, t in enumerate(order)}
    group = group_of.get(task)
    same = [i for i, e in enumerate(tasks) if group_of.get(e.get("id")) == group]
    before = [i for i in same if rank.get(tasks[i].get("id"), -1) < rank[task]]
    if before:
        return before[-1] + 1
    if same:
        return same[0]
    earlier = [i for i, e in enumerate(tasks) if rank.get(e.get("id"), len(order)) < rank[task]]
    return earlier[-1] + 1 if earlier else len(tasks)


def _entry(task: str, values: dict[str, Any]) -> Any:
    from ruamel.yaml.comments import CommentedMap

    entry = CommentedMap([("id", task)])
    for key in ORDER:
        if key in values:
            entry[key] = render(key, values[key], None)
    return entry


def set_value(target: Any, key: str, value: Any) -> None:
    """Set ``key`` (an empty value removes it); an equal value is left as written."""
    if not value:
        if key in target:
            delete_key(target, key)
        return
    old = target.get(key)
    if _plain(old) == _plain(render(key, value, old)):
        return
    if key in target:
        target[key] = render(key, value, old)
        return
    later = [i for i, k in enumerate(target) if k in ORDER and ORDER.index(k) > ORDER.index(key)]
    target.insert(later[0] if later else len(target), key, render(key, value, None))


def render(key: str, value: Any, old: Any) -> Any:
    """A value as the spec writes it: codes in a flow list, one line as text, several as a block list."""
    from ruamel.yaml.comments import CommentedMap

    if key in ("lead", "coordinate"):
        items = [v if isinstance(v, str) else _flow(CommentedMap(v)) for v in value]
        return _flow(_seq(items))
    if len(value) == 1 and not isinstance(old, list):
        return value[0]
    return _seq(list(value))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value if value is None else str(value) if not isinstance(value, int | float | bool) else value


def _seq(items: list[Any]) -> Any:
    from ruamel.yaml.comments import CommentedSeq

    return CommentedSeq(items)


def _flow(node: Any) -> Any:
    node.fa.set_flow_style()
    return node


def _patched(original: str, updated: str, yaml: Any) -> str:
    """``updated`` when the original round-trips exactly; else the original with only the changed lines replaced.

    The round trip may re-indent (a list flush with its key comes back indented): lines are matched without
    their indentation, and the replacing lines take the original's indentation."""
    buffer = io.StringIO()
    yaml.dump(yaml.load(original), buffer)
    baseline = buffer.getvalue()
    if baseline == original or updated == baseline:
        return original if updated == baseline else updated
    old, base, new = original.splitlines(True), baseline.splitlines(True), updated.splitlines(True)
    mapping: dict[int, int] = {}
    shift: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, [b.strip() for b in base], [o.strip() for o in old], autojunk=False)
    for block in matcher.get_matching_blocks():
        mapping.update({block.a + k: block.b + k for k in range(block.size + 1)})
        shift.update({block.a + k: _indent(old[block.b + k]) - _indent(base[block.a + k]) for k in range(block.size)})
    out, cursor = [], 0
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, base, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        if i1 not in mapping or i2 not in mapping or mapping[i1] < cursor:
            return updated  # the change falls where the round trip rewrote the file: take the whole update
        delta = shift.get(i1, shift.get(i1 - 1, 0))
        out += old[cursor:mapping[i1]] + [_shifted(line, delta) for line in new[j1:j2]]
        cursor = mapping[i2]
    return "".join(out + old[cursor:])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _shifted(line: str, delta: int) -> str:
    if delta >= 0 or not line.strip():
        return " " * delta + line if line.strip() else line
    return line[min(-delta, _indent(line)):]
