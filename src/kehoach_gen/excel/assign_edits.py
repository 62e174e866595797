"""What an officer changed in a phân công workbook, read as the spec reads the same values.

Each editable cell is compared with the plan as it stands (not as text: "Văn phòng Sở;Thanh tra Sở"
and "Văn phòng Sở; Thanh tra Sở" are the same units). A changed cell becomes one :class:`CellEdit` in
spec terms: lines of text, unit codes (or officers), deadline wording, a drop reason; an emptied cell
is ``()`` (the master's value comes back). Unit names are checked against the registry, deadlines by
the spec's own deadline and date rules, so a wrong cell says what a wrong spec line would say.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import Problem
from ..spec.deadlines import Deadline
from ..spec.validate import deadline_outside, year_span
from .assign_rows import ADDED, INDEX, SHEET, AssignBook, UnitChoice
from .assign_read import Returned
from .return_cells import quoted
from .trackers import FIRST_ROW, cell_ref

LINES, REFS = ("content", "results", "note"), ("lead", "coordinate")
LABELS = {"content": "Nội dung", "results": "Kết quả", "lead": "Chủ trì", "coordinate": "Phối hợp",
          "deadline": "Thời hạn", "note": "Ghi chú", "drop": "Bỏ (lý do)"}
DEADLINE_HELP = "lời văn thời hạn, ví dụ: Thường xuyên; Trước ngày 31/3/2025; Trong quý II/2025; Khi có phát sinh"
TICKS = {"x", "v", "bỏ", "bo", "có", "co", "ok", "1", "drop", "✓", "✔", "không", "khong", "-", "không thực hiện"}


@dataclass(frozen=True)
class CellEdit:
    """One changed cell: the task part it belongs to, the spec field, the new value and both texts."""

    key: str
    task: str
    part: int
    state: str
    field: str
    value: Any  # tuple of lines / of refs; a reason (str) or None for drop
    ref: str
    old: str | None
    new: str | None


def book_edits(returned: Returned, current: AssignBook, years: tuple[int, int]) -> tuple[list[CellEdit], list[Problem]]:
    """Every changed cell of the rows the current plan still has, and every problem, with its cell."""
    now = {r.key: r for r in current.rows}
    names = _names(current.choices)
    edits: list[CellEdit] = []
    problems: list[Problem] = []
    dropping = {w.task for w in returned.written  # a task with a reason is dropped: its other cells do not count
                if w.part == 1 and w.state != ADDED and returned.edited[w.key][INDEX["drop"]]}
    for r, written in enumerate(returned.written, start=FIRST_ROW):
        row = now.get(written.key)
        if row is None:
            continue  # the caller says why the plan no longer has it
        cells = returned.edited[written.key]
        for field in LABELS:
            c = INDEX[field]
            if c in written.locked() or c in row.locked() or (written.task in dropping and field != "drop"):
                continue
            if lines(cells[c]) == lines(row.cells[c]):
                continue  # as the plan has it (spaces and empty lines aside)
            ref = f"{SHEET}!{cell_ref(r, c)}"
            value = _value(field, cells[c], ref, returned.shown, names, current, years, problems)
            if value is _BAD or (field in REFS and value == _value(field, row.cells[c], ref, "", names, current,
                                                                   years, [])):
                continue
            if field == "content" and not value and row.state == ADDED:
                problems.append(Problem("nhiệm vụ bổ sung của cơ quan cần nội dung (không có nội dung của Kế hoạch "
                                        "tỉnh để dùng lại)", file=returned.shown, field=ref, expected="nội dung công việc",
                                        found="ô trống"))
                continue
            edits.append(CellEdit(row.key, row.task, row.part, row.state, field, value, ref, row.cells[c], cells[c]))
    return edits, problems


_BAD = object()
_OFFICER = re.compile(r"[Đđ]/[Cc]\s+(.+)")  # "Đ/c Trần Thế Vũ", as the document prints a named officer


def _value(field: str, cell: str | None, ref: str, shown: str, names: dict[str, str], book: AssignBook,
           years: tuple[int, int], problems: list[Problem]) -> Any:
    if field in LINES:
        return lines(cell)
    if field in REFS:
        return read_refs(cell, ref, shown, names, book.agency, problems)
    if field == "deadline":
        return _deadline(cell, ref, shown, years, problems)
    reason = " ".join(cell.split()) if cell else None
    if reason is not None and _fold(reason).strip(".;:!") in TICKS:
        problems.append(Problem("bỏ nhiệm vụ cần ghi lý do", file=shown, field=ref,
                                expected="lý do không thực hiện, ví dụ \"Không thuộc chức năng, nhiệm vụ của Sở\"",
                                found=quoted(cell)))
        return _BAD
    return reason


def lines(cell: str | None) -> tuple[str, ...]:
    """A cell's text as spec lines: one per line, trimmed, empty lines left out."""
    return tuple(line for line in (" ".join(part.split()) for part in (cell or "").split("\n")) if line)


def _names(choices: tuple[UnitChoice, ...]) -> dict[str, str]:
    """Folded name or code -> code (the first of two equal names wins, as the dropdown lists them)."""
    names: dict[str, str] = {}
    for choice in choices:
        names.setdefault(_fold(choice.name), choice.code)
    for choice in choices:
        names.setdefault(_fold(choice.code), choice.code)
    return names


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def read_refs(cell: str | None, ref: str, shown: str, names: dict[str, str], agency: str,
              problems: list[Problem]) -> Any:
    """Names separated by ";" (or lines) as unit codes or officers; unknown names are problems."""
    refs: list[Any] = []
    bad = False
    for name in (" ".join(n.split()) for n in re.split(r"[;\n]", cell or "")):
        if not name:
            continue
        if officer := _OFFICER.match(name):
            person, unit = _person(officer.group(1))
            code = names.get(_fold(unit)) if unit else None
            if unit and code is None:
                bad = bad or _unknown(unit, cell, ref, shown, names, agency, problems)
            refs.append({"person": person, "unit": code} if code else {"person": person})
        elif (code := names.get(_fold(name))) is not None:
            refs.append(code)
        else:
            bad = _unknown(name, cell, ref, shown, names, agency, problems)
    return _BAD if bad else tuple(refs)


def _person(text: str) -> tuple[str, str | None]:
    m = re.fullmatch(r"(.+?)\s*\((.+)\)", text)
    return (m.group(1), m.group(2)) if m else (text, None)


def _unknown(name: str, cell: str | None, ref: str, shown: str, names: dict[str, str], agency: str,
             problems: list[Problem]) -> bool:
    if shown:  # the current plan's own cells are never reported
        close = difflib.get_close_matches(_fold(name), [n for n in names if len(n) > 5], n=1, cutoff=0.75)
        near = f" (có phải \"{_shown_name(close[0], names)}\"?)" if close else ""
        problems.append(Problem(f"không có đơn vị \"{name}\" trong danh sách đơn vị của {agency}{near}", file=shown,
                                field=ref, expected="tên đơn vị hoặc nhóm trong trang \"Đơn vị\", nhiều tên cách nhau "
                                "bằng \"; \"", found=quoted(cell)))
    return True


def _shown_name(folded: str, names: dict[str, str]) -> str:
    return folded[:1].upper() + folded[1:]


def _deadline(cell: str | None, ref: str, shown: str, years: tuple[int, int], problems: list[Problem]) -> Any:
    """Deadline lines, checked by the spec's deadline rules (kind recognised, real dates, plan years)."""
    value = lines(cell)
    if not value:
        return value
    try:
        deadline = Deadline.model_validate(value[0] if len(value) == 1 else list(value))
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        message = str((err.get("ctx") or {}).get("error", err["msg"]))
        problems.append(Problem(message, file=shown, field=ref, expected=DEADLINE_HELP, found=quoted(cell)))
        return _BAD
    if (outside := deadline_outside(deadline, *years)) is not None:
        problems.append(Problem("thời hạn nằm ngoài thời gian của kế hoạch", file=shown, field=ref,
                                expected=year_span(*years), found=outside))
        return _BAD
    return value

