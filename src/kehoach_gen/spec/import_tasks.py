"""The tasks of a Word plan as found: groups, tasks, their parts, from a task table or prose.

A table: the header row names the columns (Số TT, Nội dung, Kết quả, Phân công, Chủ trì, Phối hợp,
Thời gian, Ghi chú, in any order and wording a clerk uses); a row whose first cell is a Roman
numeral (or a single bold cell across the row) is a group; a row merged down from the one above
is another part of the same task. Prose: a bold "1. …" is a group, "1.1. …" a task, and its
"a) Chủ trì thực hiện: …" items the parts. What cannot be placed is listed with its position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .import_body import LETTERED, NUMBERED, SUBNUMBERED
from .import_doc import Para, Row, Table

PART_KEYS = ("results", "assignment", "lead", "coordinate", "deadline")
SHARED_KEYS = ("stt", "content", "note")
DEFAULT_ALIGN = {"stt": "center", "deadline": "center", "content": "justify", "results": "justify"}
# Words of a header -> the column's key, first match wins (so "Thời gian thực hiện" is a deadline).
_HEADERS = (("stt", ("stt", "số tt", "tt", "số thứ tự")), ("deadline", ("thời gian", "thời hạn", "tiến độ")),
            ("results", ("kết quả", "sản phẩm")), ("lead", ("chủ trì",)), ("coordinate", ("phối hợp",)),
            ("note", ("ghi chú",)), ("content", ("nội dung", "nhiệm vụ", "công việc")),
            ("assignment", ("phân công", "thực hiện", "trách nhiệm")))
PROSE_LABELS = {"chủ trì thực hiện": "lead", "phối hợp thực hiện": "coordinate",
                "thời gian thực hiện": "deadline", "kết quả, sản phẩm": "results"}
_ROMAN_CELL = re.compile(r"^[IVXL]+\.?$")


@dataclass
class FoundPart:
    lines: dict[str, list[str]] = field(default_factory=dict)  # key of PART_KEYS -> printed lines


@dataclass
class FoundTask:
    content: list[str]
    parts: list[FoundPart]
    where: str
    note: list[str] = field(default_factory=list)
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # prose: extra "đ) Label: …"


@dataclass
class FoundGroup:
    title: str
    where: str
    points: list[str] = field(default_factory=list)
    tasks: list[FoundTask] = field(default_factory=list)


@dataclass
class FoundColumn:
    key: str
    header: str
    width_mm: float
    align: str | None = None  # when not the default of its key


def column_key(header: str) -> str | None:
    folded = header.lower().strip(" .:")
    for key, words in _HEADERS:
        if folded in words if key == "stt" else any(w in folded for w in words):
            return key
    return None


def table_tasks(table: Table, unplaced: list[str]) -> tuple[list[FoundColumn], list[FoundGroup]]:
    """Columns and groups of a task table; rows that fit nowhere go to ``unplaced``."""
    if not table.rows:
        unplaced.append(f"{table.where}: bảng trống")
        return [], []
    header, *rows = table.rows
    if rows and _second_header(header, rows[0]):  # "Phân công" over "Chủ trì" | "Phối hợp"
        header, rows = _merged_header(header, rows[0]), rows[1:]
    columns: list[FoundColumn] = []
    keys: dict[int, str] = {}  # grid column -> key
    for cell in header.cells:
        text = " ".join(cell.lines)
        key = column_key(text)
        if key is None or key in keys.values():
            key = "note" if "note" not in keys.values() else None
            unplaced.append(f"{header.where}: cột \"{text}\" không rõ loại" + (", đọc là cột Ghi chú" if key else
                                                                               ": các ô của cột này không được nhập"))
            if key is None:
                continue
        keys[cell.col] = key
        width = sum(table.widths_mm[cell.col:cell.col + cell.span]) or 20.0
        columns.append(FoundColumn(key, text, round(width * 2) / 2))
    groups: list[FoundGroup] = []
    aligned = False
    for row in rows:
        if _numbering_row(row):
            continue
        if _group_row(row, len(table.widths_mm)):
            groups.append(_group(row))
            continue
        cells = {keys[c.col]: c for c in row.cells if c.col in keys}
        if not aligned and any(c.lines for c in cells.values()):
            _set_aligns(columns, cells)
            aligned = True
        part = FoundPart({k: list(c.lines) for k, c in cells.items() if k in PART_KEYS and c.lines})
        continued = any(c.continued for c in row.cells)
        if continued and groups and groups[-1].tasks:
            groups[-1].tasks[-1].parts.append(part)
            continue
        if not groups:
            groups.append(FoundGroup("", row.where))  # a table without group rows: one group, no title
        content = list(cells["content"].lines) if "content" in cells else []
        if not content and not part.lines:
            if any(c.lines for c in row.cells):
                unplaced.append(f"{row.where}: dòng không có nội dung công việc")
            continue
        note = list(cells["note"].lines) if "note" in cells else []
        groups[-1].tasks.append(FoundTask(content, [part], row.where, note))
    return columns, groups


def _second_header(first: Row, second: Row) -> bool:
    """A header on two rows: a cell of the first spans columns that the second names."""
    spans = [c for c in first.cells if c.span > 1]
    under = [c for c in second.cells if any(s.col <= c.col < s.col + s.span for s in spans)]
    return bool(spans and under) and all(column_key(" ".join(c.lines)) for c in under if c.lines)


def _merged_header(first: Row, second: Row) -> Row:
    cells = []
    for cell in first.cells:
        if cell.span > 1:
            cells.extend(c for c in second.cells if cell.col <= c.col < cell.col + cell.span)
        else:
            cells.append(cell)
    return Row(tuple(cells), first.where)


def _numbering_row(row: Row) -> bool:
    """A row of column numbers "(1) (2) (3)" under the header."""
    texts = [" ".join(c.lines) for c in row.cells]
    return len(texts) > 2 and all(re.fullmatch(r"\(?\d{1,2}\)?", t) for t in texts)


def _group_row(row: Row, width: int) -> bool:
    first = " ".join(row.cells[0].lines) if row.cells else ""
    if _ROMAN_CELL.match(first) and len(row.cells) <= max(2, width - 1):
        return True
    filled = [c for c in row.cells if c.lines]
    return len(filled) == 1 and filled[0].bold and (filled[0].span > 1 or len(row.cells) == 1)


def _group(row: Row) -> FoundGroup:
    lines = [line for c in row.cells[1:] for line in c.lines] if len(row.cells) > 1 else list(row.cells[0].lines)
    if not _ROMAN_CELL.match(" ".join(row.cells[0].lines)):
        lines = [line for c in row.cells for line in c.lines]
    title = lines[0] if lines else ""
    return FoundGroup(title, row.where, lines[1:])


def _set_aligns(columns: list[FoundColumn], cells: dict[str, Any]) -> None:
    for column in columns:
        cell = cells.get(column.key)
        if cell is None or not cell.lines:
            continue
        align = {"both": "justify", "center": "center", None: "left", "left": "left", "start": "left"}.get(cell.align)
        if align and align != DEFAULT_ALIGN.get(column.key, "left"):
            column.align = align


def prose_tasks(paras: list[Para], unplaced: list[str]) -> list[FoundGroup]:
    """Groups and tasks of prose: bold "1. Group", "1.1. Task", "a) Chủ trì thực hiện: …"."""
    groups: list[FoundGroup] = []
    task: FoundTask | None = None
    label: str | None = None  # the item whose lines follow ("d) Kết quả, sản phẩm:" then "- …")
    item: list[str] | None = None  # the lines of the extra item being read
    for para in paras:
        text = para.text
        m = LETTERED.match(text)
        if para.bold and (n := NUMBERED.match(text)) and not SUBNUMBERED.match(text):
            groups.append(FoundGroup(n["text"], para.where))
            task, label = None, None
        elif (n := SUBNUMBERED.match(text)) and groups:
            task = FoundTask([n["text"]], [FoundPart()], para.where)
            groups[-1].tasks.append(task)
            label = None
        elif task is not None and m and _is_label(m["text"]):
            name, _, rest = (x.strip() for x in m["text"].partition(":"))
            key = PROSE_LABELS.get(name.lower())
            lines = [rest] if rest else []
            if task.parts[-1].lines and (key in task.parts[-1].lines or (key is None and m["l"] == "a")):
                task.parts.append(FoundPart())  # the items start again: another part
            if key is not None:
                task.parts[-1].lines[key], label = lines, key
                continue
            item = None  # an item of a later part repeats the first part's (the renderer prints it in each)
            if not any(known == name for known, _ in task.items):
                task.items.append((name, lines))
                item = task.items[-1][1]
            label = name
        elif task is not None and label is not None:
            if label in PART_KEYS:
                task.parts[-1].lines[label].append(text)
            elif item is not None:
                item.append(text)
        elif task is not None:
            task.content.append(text)
        elif groups:
            groups[-1].points.append(text)
        else:
            unplaced.append(f"{para.where}: \"{text[:60]}\"")
    return groups


def _is_label(text: str) -> bool:
    """"Chủ trì thực hiện: …", "Kinh phí: …": a short label before a colon."""
    name, colon, _ = text.partition(":")
    return bool(colon) and 0 < len(name.split()) <= 6
