"""The phân công workbook as plain data: the rows of a merged plan an officer assigns in Excel.

One row per task part of the merged plan (key ``<task id>#<part>``), then, in each group, the master
tasks the agency has not used yet and those it dropped, marked under their id. The cells hold what the
spec decides: content, results, lead and coordinating units (by name, "; " between names), deadline
wording, note, and the reason of a drop. The identity record (hidden sheet) keeps every row as written,
so the reader can name the locked cell that was edited and the task the spec changed since.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .. import vnformat as vn
from ..spec.agencies import AgencyProfile
from ..spec.context import agency_names, unit_names
from ..spec.merge import Merged
from ..spec.models import PersonRef, UnitRef
from .trackers import FIRST_ROW, HEADER_ROW, IDENTITY_SHEET, Column, cell_ref, digest

FORMAT = "kehoach-phan-cong/1"
KIND = "phan-cong"
SHEET, UNITS_SHEET, GUIDE_SHEET = "Phân công", "Đơn vị", "Hướng dẫn"
IDENTITY = IDENTITY_SHEET
USED, ADDED, UNUSED, DROPPED = "dung", "bo-sung", "chua-dung", "da-bo"
MARKS = {ADDED: "(nhiệm vụ bổ sung của cơ quan)", UNUSED: "(nhiệm vụ của tỉnh chưa dùng, chưa bỏ)",
         DROPPED: "(nhiệm vụ của tỉnh đã bỏ)"}
SEPARATOR = "; "
PERSON = "Đ/c "

COLUMNS = (Column("id", "Mã nhiệm vụ", 24), Column("group", "Nhóm", 18), Column("content", "Nội dung", 42),
           Column("results", "Kết quả", 32), Column("lead", "Chủ trì", 22), Column("coordinate", "Phối hợp", 24),
           Column("deadline", "Thời hạn", 18), Column("note", "Ghi chú", 14), Column("drop", "Bỏ (lý do)", 20))
INDEX = {c.key: i for i, c in enumerate(COLUMNS)}
HEADER = tuple(c.header for c in COLUMNS)
ALWAYS_LOCKED = ("id", "group")
TASK_LEVEL = ("content", "note", "drop")  # shown on every part row, edited on the first one only

Cells = tuple[str | None, ...]


@dataclass(frozen=True)
class AssignRow:
    """One row: which task part, in which state, and its nine cells as written."""

    key: str
    task: str
    part: int  # 1-based
    state: str
    cells: Cells

    def locked(self) -> tuple[int, ...]:
        """Column indexes this row does not let the officer edit."""
        names = ALWAYS_LOCKED + (TASK_LEVEL if self.part > 1 else ()) + (("drop",) if self.state == ADDED else ())
        return tuple(dict.fromkeys(INDEX[n] for n in names))

    def cell(self, name: str) -> str | None:
        return self.cells[INDEX[name]]


@dataclass(frozen=True)
class UnitChoice:
    """A name the Chủ trì / Phối hợp cells accept: a unit, or a group of units."""

    code: str
    name: str
    members: tuple[str, ...] = ()  # a group's unit names


@dataclass(frozen=True)
class AssignBook:
    agency: str
    agency_name: str
    year: int
    created: dt.datetime
    titles: tuple[str, ...]
    rows: tuple[AssignRow, ...]
    choices: tuple[UnitChoice, ...]
    guide: tuple[str, ...]

    @property
    def revision(self) -> str:
        return digest([[r.key, r.state, list(r.cells)] for r in self.rows])

    def identity(self) -> list[tuple[str, ...]]:
        """The hidden record: format, agency, year, digests, then every row as written."""
        head = [("dinh_dang", FORMAT), ("loai", KIND), ("co_quan", self.agency), ("nam", str(self.year)),
                ("phien_ban", self.revision), ("tong_kiem", digest(locked_cells(self.titles, self.rows)))]
        return head + [("dong", r.key, r.state, *(c or "" for c in r.cells)) for r in self.rows]


def build_book(merged: Merged) -> AssignBook:
    """The workbook of a merged plan (pure: the same plan gives the same book)."""
    plan, agency = merged.plan, merged.agency
    names = unit_names(agency)
    dropped = {d.id: d.reason for d in plan.dropped}
    master = {t.id: (g.id, t) for g in merged.master.groups for t in g.tasks}
    leftovers: dict[str, list[str]] = {}
    for task_id in (t.id for g in merged.master.groups for t in g.tasks):
        if task_id in dropped or task_id in merged.uncovered:
            leftovers.setdefault(master[task_id][0], []).append(task_id)
    rows: list[AssignRow] = []
    titles_by_group = {g.id: g.title for g in merged.master.groups}
    for gi, group in enumerate(plan.groups, start=1):
        label = f"{vn.roman(gi)}. {group.title}"
        titles_by_group[group.id] = label
        for task in group.tasks:
            state = USED if task.id in master else ADDED
            for pi, part in enumerate(task.parts, start=1):
                mark = f"(dòng phân công {pi}/{len(task.parts)})" if len(task.parts) > 1 else None
                cells = (_id_cell(task.id, state, mark), label, _lines(task.content), _lines(part.results),
                         refs_text(part.lead, names), refs_text(part.coordinate, names),
                         _lines(part.deadline.text if part.deadline else ()), _lines(task.note), None)
                rows.append(AssignRow(f"{task.id}#{pi}", task.id, pi, state, cells))
        rows += _leftovers(leftovers.pop(group.id, []), master, label, dropped)
    for group_id, ids in leftovers.items():  # groups the plan does not print at all
        rows += _leftovers(ids, master, titles_by_group[group_id], dropped)
    name = agency_names(agency, plan)[0]
    years = f"NĂM {plan.year}" if not plan.end_year else f"GIAI ĐOẠN {plan.year}-{plan.end_year}"
    titles = (f"BẢNG PHÂN CÔNG THỰC HIỆN KẾ HOẠCH {years}", "Kế hoạch " + " ".join(plan.title), f"Cơ quan: {name}")
    created = dt.datetime.combine(plan.date.as_date(), dt.time())
    return AssignBook(agency.code, name, plan.year, created, titles, tuple(rows), choices(agency),
                      guide_lines(agency.code, plan.year))


def _leftovers(ids: list[str], master: dict, label: str, dropped: dict[str, str]) -> list[AssignRow]:
    rows = []
    for task_id in ids:
        task = master[task_id][1]
        state = DROPPED if task_id in dropped else UNUSED
        cells = (_id_cell(task_id, state, None), label, _lines(task.content), _lines(task.results), None, None,
                 _lines(task.deadline.text if task.deadline else ()), _lines(task.note), dropped.get(task_id))
        rows.append(AssignRow(f"{task_id}#1", task_id, 1, state, cells))
    return rows


def _id_cell(task_id: str, state: str, mark: str | None) -> str:
    return "\n".join([task_id, *([mark] if mark else []), *([MARKS[state]] if state in MARKS else [])])


def _lines(lines: tuple[str, ...]) -> str | None:
    return "\n".join(lines) or None


def refs_text(refs: tuple[UnitRef, ...], names: dict[str, str]) -> str | None:
    """Units and officers as the cells show them: names, "; " between them ("Đ/c …" for an officer)."""
    shown = []
    for ref in refs:
        if isinstance(ref, PersonRef):
            shown.append(PERSON + ref.person + (f" ({names.get(ref.unit, ref.unit)})" if ref.unit else ""))
        else:
            shown.append(names.get(ref, ref))
    return SEPARATOR.join(shown) or None


def choices(agency: AgencyProfile) -> tuple[UnitChoice, ...]:
    """The units, then the groups, in the registry's order."""
    by_code = {u.code: u.name for u in agency.units}
    return tuple(UnitChoice(u.code, u.name) for u in agency.units) + tuple(
        UnitChoice(g.code, g.name, tuple(by_code.get(m, m) for m in g.units)) for g in agency.unit_groups)


def locked_cells(titles: tuple[str, ...], rows: tuple[AssignRow, ...]) -> dict[str, str]:
    """Every non-empty locked cell of the sheet: titles, header, and each row's locked columns."""
    cells = {cell_ref(i, 0): t for i, t in enumerate(titles)}
    cells.update({cell_ref(HEADER_ROW, c): h for c, h in enumerate(HEADER)})
    for r, row in enumerate(rows, start=FIRST_ROW):
        cells.update({cell_ref(r, c): v for c in row.locked() if (v := row.cells[c]) is not None})
    return cells


def guide_lines(agency: str, year: int) -> tuple[str, ...]:
    return (
        "HƯỚNG DẪN PHÂN CÔNG THỰC HIỆN KẾ HOẠCH",
        "1. Mỗi dòng là một nhiệm vụ (hoặc một dòng phân công của nhiệm vụ) của Kế hoạch. Các nhiệm vụ của Kế hoạch "
        "tỉnh mà cơ quan chưa dùng, chưa bỏ, hoặc đã bỏ được ghi rõ dưới mã nhiệm vụ (nền vàng, nền xám).",
        "2. Cột nền xám (Mã nhiệm vụ, Nhóm) không sửa; không chèn, xóa hay sắp xếp lại dòng, cột.",
        "3. Chủ trì, Phối hợp: chọn tên đơn vị hoặc nhóm đơn vị trong danh sách (xem trang \"Đơn vị\"); nhiều đơn vị "
        "thì ghi tên cách nhau bằng dấu chấm phẩy và khoảng trắng, ví dụ: Văn phòng Sở; Thanh tra Sở. Cán bộ được "
        "giao đích danh ghi \"Đ/c Họ Tên\" hoặc \"Đ/c Họ Tên (Tên đơn vị)\".",
        "4. Nội dung, Kết quả, Thời hạn, Ghi chú: sửa lời văn; mỗi ý một dòng (Alt+Enter để xuống dòng). Thời hạn "
        "ghi như trong văn bản, ví dụ: Thường xuyên; Trước ngày 31/3/2025; Trong quý II/2025; Khi có phát sinh.",
        "5. Xóa trắng một ô là dùng lại nội dung của Kế hoạch tỉnh cho ô đó.",
        "6. Bỏ (lý do): ghi lý do để bỏ nhiệm vụ của Kế hoạch tỉnh khỏi Kế hoạch (bắt buộc ghi lý do); xóa lý do "
        "của nhiệm vụ đã bỏ để dùng lại nhiệm vụ đó. Nhiệm vụ chưa dùng: ghi Chủ trì để đưa vào Kế hoạch.",
        f"7. Lưu tệp (.xlsx), rồi cập nhật tệp kế hoạch: kehoach assign --agency {agency} --year {year} --apply "
        "<tệp này> (thêm --dry-run để xem trước các thay đổi), sau đó kehoach build để xuất lại văn bản.",
    )
