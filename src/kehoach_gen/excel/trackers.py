"""The Excel trackers as plain data: one sheet per internal unit, the office view, identities.

A unit's tracker holds exactly the task parts it leads or coordinates (by unit code, by a
unit group containing it, or by a named officer of the unit; :mod:`kehoach_gen.excel.tracker_parts`
reads the parts and these roles out of the plan). Plan columns are locked; input columns are
what the unit fills. Each row has a stable key ``<task id>#<part>`` so a returned file maps
back to the plan whatever its name.

The identity record written into every workbook (hidden sheet) names the agency, year,
unit, the plan revision (sha256 of every tracker's locked cells) and the checksum of this
workbook's locked cells, so ``collect`` can refuse a file of another plan or one whose plan
columns were edited. The cell layout is defined here, once, for the renderer and the reader.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..spec.context import agency_names, unit_names
from ..spec.merge import Merged
from ..workspace import check_code
from .digests import canonical, canonical_bytes, digest, revision_digest  # noqa: F401 (canonical, digest: re-exported)
from .tracker_parts import tracked_parts

STATUSES = ("Chưa thực hiện", "Đang thực hiện", "Hoàn thành", "Hoàn thành trễ hạn", "Không thực hiện (nêu lý do)")
DONE, DONE_LATE, NOT_DONE, IN_PROGRESS = STATUSES[2], STATUSES[3], STATUSES[4], STATUSES[1]
FORMAT = "kehoach-theo-doi/1"
KIND_UNIT, KIND_OFFICE = "don-vi", "tong-hop"

SHEET, GUIDE_SHEET, IDENTITY_SHEET, STATS_SHEET = "Theo dõi", "Hướng dẫn", "_dinh_danh", "Thống kê"
OFFICE_SHEET = "Tổng hợp"
HEADER_ROW, FIRST_ROW = 3, 4  # 0-based: rows 1-3 hold title, plan and unit; header row 4, data from row 5
OFFICE_FIRST_ROW = FIRST_ROW + 1  # the office sheet has two header rows


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float  # Excel character widths


PLAN_COLUMNS = (Column("stt", "STT", 5), Column("group", "Nhóm nhiệm vụ", 16), Column("content", "Nội dung công việc", 36),
                Column("results", "Kết quả dự kiến", 22), Column("role", "Vai trò", 9),
                Column("deadline", "Thời hạn", 15), Column("due", "Hạn chót", 11))
INPUT_COLUMNS = (Column("status", "Tình trạng", 15), Column("percent", "Tiến độ (%)", 8),
                 Column("done_date", "Ngày hoàn thành", 11), Column("result", "Kết quả thực hiện", 28),
                 Column("evidence", "Văn bản / minh chứng", 18),
                 Column("difficulties", "Khó khăn, vướng mắc", 18), Column("note", "Ghi chú", 14))
COLUMNS = PLAN_COLUMNS + INPUT_COLUMNS
CONTENT = 2  # index of the content cell in a unit row
OFFICE_COLUMNS = (*PLAN_COLUMNS[:4], Column("lead", "Chủ trì", 16), Column("coordinate", "Phối hợp", 16),
                  PLAN_COLUMNS[5], PLAN_COLUMNS[6], Column("overall", "Tình trạng chung", 15))
UNIT_PAIR = (Column("role", "Vai trò", 9), Column("status", "Tình trạng", 14))
UNIT_HEADER = tuple(c.header for c in COLUMNS)

Cell = str | int | dt.date


@dataclass(frozen=True)
class TrackerRow:
    """One task part as a row: its key and the plan cells in column order (``None`` = empty).

    ``mark`` is the line an amended plan prints under the content of a task part that is new or
    changed for the unit ("(Sửa đổi ngày 12/05/2025: nội dung)"): part of the locked cells."""

    key: str
    cells: tuple[Cell | None, ...]
    due: dt.date | None
    mark: str | None = None

    @property
    def shown(self) -> tuple[Cell | None, ...]:
        """The cells as the sheet shows them: the mark, if any, on its own line under the content."""
        if self.mark is None:
            return self.cells
        content = self.cells[CONTENT]
        return (*self.cells[:CONTENT], f"{content}\n{self.mark}" if content else self.mark, *self.cells[CONTENT + 1:])


@dataclass(frozen=True)
class Identity:
    """What a workbook is: written to its hidden sheet, checked when it comes back."""

    kind: str
    agency: str
    year: int
    unit: str
    revision: str
    checksum: str
    keys: tuple[str, ...]
    province: str = ""  # two provinces may both have an STP plan for a year: never take one's tracker for the other's

    def items(self) -> list[tuple[str, str]]:
        head = [("dinh_dang", FORMAT), ("loai", self.kind), ("co_quan", self.agency), ("nam", str(self.year)),
                ("don_vi", self.unit), ("phien_ban", self.revision), ("tong_kiem", self.checksum)]
        return head + [("nhiem_vu", key) for key in self.keys] + ([("tinh", self.province)] if self.province else [])

    @classmethod
    def from_items(cls, items: list[tuple[Any, Any]]) -> Identity:
        """Parse key/value rows; ValueError when the record is not one this version wrote."""
        values = {str(k): "" if v is None else str(v) for k, v in items if k != "nhiem_vu"}
        hashes = (values.get("phien_ban", ""), values.get("tong_kiem", ""))
        if values.get("dinh_dang") != FORMAT or not values.get("nam", "").isdigit() \
                or not all(re.fullmatch("[0-9a-f]{64}", h) for h in hashes):
            raise ValueError("định danh không đúng định dạng")
        return cls(kind=values.get("loai", ""), agency=values.get("co_quan", ""), year=int(values["nam"]),
                   unit=values.get("don_vi", ""), revision=values.get("phien_ban", ""),
                   checksum=values.get("tong_kiem", ""), keys=tuple(str(v) for k, v in items if k == "nhiem_vu"),
                   province=values.get("tinh", ""))


@dataclass(frozen=True)
class UnitTracker:
    """The workbook of one unit."""

    unit: str
    unit_name: str
    titles: tuple[str, ...]
    rows: tuple[TrackerRow, ...]
    identity: Identity
    guide: tuple[str, ...]


@dataclass(frozen=True)
class OfficeView:
    """The consolidated workbook: every task, each unit's role (units in profile order)."""

    titles: tuple[str, ...]
    units: tuple[tuple[str, str], ...]
    rows: tuple[TrackerRow, ...]
    roles: tuple[dict[str, str], ...]  # per row: unit code -> Chủ trì / Phối hợp
    identity: Identity


@dataclass(frozen=True)
class TrackerSet:
    agency: str
    agency_name: str
    year: int
    last_year: int
    created: dt.datetime
    revision: str
    units: tuple[UnitTracker, ...]
    office: OfficeView


def build_trackers(merged: Merged) -> TrackerSet:
    """Every unit's tracker and the office view of one merged plan (units without tasks get none)."""
    plan, agency = merged.plan, merged.agency
    name, names = agency_names(agency, plan)[0], unit_names(agency)
    parts = tracked_parts(merged)
    years = f"NĂM {plan.year}" if not plan.end_year else f"GIAI ĐOẠN {plan.year}-{plan.end_year}"
    plan_line = "Kế hoạch " + _lower_first(" ".join(plan.title))
    focal = names.get(agency.focal_unit or "", "Văn phòng")
    units = []
    for unit in agency.units:
        mine = [p for p in parts if unit.code in p.roles]
        rows = tuple(TrackerRow(p.key, (i, p.group, p.content, p.results, p.roles[unit.code], p.deadline, p.due), p.due)
                     for i, p in enumerate(mine, start=1))
        if rows:
            titles = (f"PHIẾU THEO DÕI THỰC HIỆN KẾ HOẠCH {years}", plan_line, f"Đơn vị: {unit.name} ({name})")
            units.append((unit.code, unit.name, titles, rows, locked_cells(titles, rows)))
    codes = {u[0] for u in units}
    office_rows = tuple(TrackerRow(p.key, (i, p.group, p.content, p.results, p.lead, p.coordinate, p.deadline, p.due,
                                           None), p.due) for i, p in enumerate(parts, start=1))
    office_units = tuple((code, unit_name) for code, unit_name, *_ in units)
    office_titles = (f"TỔNG HỢP THEO DÕI THỰC HIỆN KẾ HOẠCH {years}", plan_line, f"Cơ quan: {name}")
    office_roles = tuple({code: role for code, role in p.roles.items() if code in codes} for p in parts)
    office_locked = office_cells(office_titles, office_units, office_rows, office_roles)
    blobs = {"": canonical_bytes(office_locked), **{u[0]: canonical_bytes(u[4]) for u in units}}  # each dumped once
    revision = revision_digest(agency.code, plan.year, blobs)

    def identity(kind: str, unit: str, rows: tuple[TrackerRow, ...]) -> Identity:
        checksum = hashlib.sha256(blobs[unit]).hexdigest()
        return Identity(kind, agency.code, plan.year, unit, revision, checksum, tuple(r.key for r in rows),
                        merged.master.province)

    trackers = tuple(UnitTracker(code, unit_name, titles, rows, identity(KIND_UNIT, code, rows),
                                 guide_lines(unit_name, name, focal))
                     for code, unit_name, titles, rows, locked in units)
    office = OfficeView(office_titles, office_units, office_rows, office_roles, identity(KIND_OFFICE, "", office_rows))
    created = dt.datetime.combine(plan.date.as_date(), dt.time())
    return TrackerSet(agency.code, name, plan.year, plan.years[1], created, revision, trackers, office)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def guide_lines(unit_name: str, agency_name: str, focal: str) -> tuple[str, ...]:
    statuses = "; ".join(STATUSES)
    return (
        "HƯỚNG DẪN ĐIỀN PHIẾU THEO DÕI",
        f"1. Phiếu gồm các nhiệm vụ của Kế hoạch mà {unit_name} chủ trì hoặc phối hợp thực hiện.",
        "2. Các cột nền xám (từ STT đến Hạn chót) là nội dung Kế hoạch: không sửa, không xóa, "
        "không chèn thêm dòng, cột và không sắp xếp lại.",
        "3. Điền vào các cột nền trắng của từng dòng:",
        f"- Tình trạng: chọn trong danh sách thả xuống ({statuses});",
        "- Tiến độ (%): số nguyên từ 0 đến 100;",
        "- Ngày hoàn thành: ngày dạng ngày/tháng/năm, ví dụ 15/3/2025;",
        "- Kết quả thực hiện: nêu cụ thể kết quả, số liệu;",
        "- Văn bản / minh chứng: số, ký hiệu, ngày của văn bản, tài liệu chứng minh;",
        "- Khó khăn, vướng mắc và Ghi chú: nếu có; khi chọn \"Không thực hiện\" ghi rõ lý do.",
        "4. Dòng tô đỏ là nhiệm vụ đã quá hạn chót mà chưa hoàn thành.",
        f"5. Lưu tệp ở dạng Excel (.xlsx; có thể đổi tên tệp) và gửi lại cho {focal} ({agency_name}). "
        "Không chép nội dung sang tệp khác: phần mềm nhận biết phiếu qua chính tệp này.",
    )


GUIDE_MARKED = ("Dòng nền vàng là nhiệm vụ bổ sung hoặc sửa đổi sau khi Kế hoạch được ban hành; ngày bổ sung, "
                "sửa đổi ghi ở cuối ô Nội dung công việc.")
GUIDE_PREFILLED = ("Các cột nền trắng đã điền sẵn số liệu đơn vị đã báo cáo (Văn phòng đã nhận); kiểm tra, cập nhật "
                   "số liệu mới rồi gửi lại.")


def with_guide_line(guide: tuple[str, ...], text: str) -> tuple[str, ...]:
    """The guide with one more numbered point at the end."""
    number = sum(1 for line in guide if line[:1].isdigit()) + 1
    return (*guide, f"{number}. {text}")


# ---------------------------------------------------------------- cell layout and hashes

def cell_ref(row: int, col: int) -> str:
    """A1 reference of 0-based (row, col)."""
    return f"{_column_name(col)}{row + 1}"


@functools.cache
def _column_name(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def locked_cells(titles: tuple[str, ...], rows: tuple[TrackerRow, ...],
                 header: tuple[str, ...] | None = None) -> dict[str, Cell]:
    """Every non-empty locked cell of a unit sheet: title lines, header row, plan columns (with marks).

    ``header`` is this version's unless given (a recorded revision keeps the header it showed)."""
    cells: dict[str, Cell] = {cell_ref(i, 0): t for i, t in enumerate(titles)}
    header = header if header is not None else UNIT_HEADER
    cells.update({cell_ref(HEADER_ROW, c): text for c, text in enumerate(header) if text})
    names = [_column_name(c) for c in range(max((len(row.shown) for row in rows), default=0))]
    for r, row in enumerate(rows, start=FIRST_ROW):
        number = str(r + 1)  # cell_ref(r, c), a row at a time
        cells.update({names[c] + number: v for c, v in enumerate(row.shown) if v is not None})
    return cells


def office_header(units: tuple[tuple[str, str], ...]) -> tuple[list[str], list[str]]:
    """The two header rows of the office sheet (unit names above Vai trò / Tình trạng)."""
    top = [c.header for c in OFFICE_COLUMNS]
    bottom = [""] * len(OFFICE_COLUMNS)
    for _, name in units:
        top += [name, ""]
        bottom += [c.header for c in UNIT_PAIR]
    return top, bottom


def office_cells(titles: tuple[str, ...], units: tuple[tuple[str, str], ...], rows: tuple[TrackerRow, ...],
                 roles: tuple[dict[str, str], ...]) -> dict[str, Cell]:
    cells: dict[str, Cell] = {cell_ref(i, 0): t for i, t in enumerate(titles)}
    for r, header in enumerate(office_header(units), start=HEADER_ROW):
        cells.update({cell_ref(r, c): h for c, h in enumerate(header) if h})
    first = len(OFFICE_COLUMNS)
    names = [_column_name(c) for c in range(max(first + 2 * len(units), *(len(row.cells) for row in rows)))]
    for r, (row, row_roles) in enumerate(zip(rows, roles, strict=True), start=OFFICE_FIRST_ROW):
        number = str(r + 1)  # cell_ref(r, c), a row at a time
        cells.update({names[c] + number: v for c, v in enumerate(row.cells) if v is not None})
        cells.update({names[first + 2 * u] + number: row_roles[code] for u, (code, _) in enumerate(units)
                      if code in row_roles})
    return cells


def tracker_paths(output_dir: Path, agency: str, year: int, units: list[str] | tuple[str, ...]) -> dict[str, Path]:
    """Unit code -> workbook path, plus ``"tong-hop"`` -> the consolidated workbook."""
    code = check_code(agency)
    folder = output_dir / str(year) / code / "theo-doi"
    paths = {unit: folder / f"{code}-{year}-{check_code(unit)}.xlsx" for unit in units}
    paths[KIND_OFFICE] = folder / f"{code}-{year}-{KIND_OFFICE}.xlsx"
    return paths
