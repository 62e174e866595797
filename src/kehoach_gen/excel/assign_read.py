"""Read a phân công workbook back: an untrusted file, checked before any of it is used.

The same gate as a returned tracker (:mod:`untrusted`: size, zip, XML bombs), then openpyxl read-only
and values only. The file is identified by its hidden record, never by its name: a tracker, another
agency's or year's workbook is refused. The record holds every row as it was written; each locked cell
is compared with it (naming the cell), a row inserted or deleted is named once, and anything typed
below the table is refused rather than ignored.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl

from ..errors import InputError, Problem
from .assign_rows import COLUMNS, FORMAT, HEADER, IDENTITY, KIND, SHEET, AssignBook, AssignRow, Cells
from .return_cells import capped, moved_row_problem, plain, quoted, quoted_pair, text
from .trackers import FIRST_ROW, HEADER_ROW, cell_ref, digest
from .trackers import FORMAT as TRACKER_FORMAT
from .untrusted import check_archive

HINT = "Chỉ nhận bảng phân công do kehoach assign xuất ra (.xlsx); không chép nội dung sang tệp khác."
LOCKED = "ô khóa (nền xám) đã bị sửa"
LOCKED_HINT = "Chỉ sửa các cột nền trắng; không sửa Mã nhiệm vụ, Nhóm, không chèn hay xóa dòng, cột."
BELOW = 200  # rows read under the table, to refuse what was typed there


@dataclass(frozen=True)
class Returned:
    """A checked workbook: its rows as written (the record) and as edited (the sheet), by key."""

    shown: str
    written: tuple[AssignRow, ...]
    edited: dict[str, Cells]


def read_book(source: Path, current: AssignBook, shown: str) -> Returned:
    """Check a phân công workbook against the current plan's agency and year; raise InputError naming cells."""
    try:
        check_archive(source, shown)
    except InputError as exc:  # the same checks as a tracker's, with this workbook's advice
        raise InputError(exc.problems, hint=HINT if exc.hint else None) from None
    width = len(COLUMNS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an untrusted file's oddities must not become errors here
        try:
            book = openpyxl.load_workbook(source, read_only=True, data_only=True, keep_links=False)
        except Exception:  # any parser failure means the same thing to the user
            raise InputError.single("không đọc được bảng tính: tệp hỏng hoặc không phải tệp Excel (.xlsx)",
                                    file=shown, hint=HINT) from None
        try:
            written = _record(book, current, shown)
            if SHEET not in book.sheetnames:
                raise InputError.single(f"không có trang tính \"{SHEET}\"", file=shown, hint=HINT)
            last = FIRST_ROW + len(written) - 1
            grid = [list(r) + [None] * (width - len(r)) for r in
                    book[SHEET].iter_rows(min_row=1, max_row=last + 1 + BELOW, max_col=width, values_only=True)]
        finally:
            book.close()
    grid += [[None] * width for _ in range(last + 1 + BELOW - len(grid))]
    problems = _locked(grid, written, shown)
    if problems:
        raise InputError(capped(problems, shown), hint=LOCKED_HINT)
    edited = {row.key: tuple(text(v) for v in grid[r]) for r, row in enumerate(written, start=FIRST_ROW)}
    return Returned(shown, written, edited)


def _record(book: Any, current: AssignBook, shown: str) -> tuple[AssignRow, ...]:
    """The rows as written, from the hidden record, once it is known to be this agency's and year's."""
    if IDENTITY not in book.sheetnames:
        raise InputError.single("không phải bảng phân công do kehoach tạo (thiếu phần định danh)", file=shown,
                                hint=HINT)
    rows = [tuple("" if v is None else str(v) for v in r)
            for r in book[IDENTITY].iter_rows(max_row=20_000, max_col=3 + len(COLUMNS), values_only=True)]
    head = {r[0]: (i, r[1] if len(r) > 1 else "") for i, r in enumerate(rows) if r and r[0] not in ("", "dong")}
    if head.get("dinh_dang", (0, ""))[1] == TRACKER_FORMAT:
        raise InputError.single("đây là phiếu theo dõi của đơn vị, không phải bảng phân công", file=shown,
                                hint="Phiếu theo dõi đơn vị gửi lại được nhận bằng kehoach collect.")
    try:
        if head["dinh_dang"][1] != FORMAT or head["loai"][1] != KIND or not head["nam"][1].isdigit() \
                or not head["co_quan"][1]:
            raise ValueError
        written = tuple(_row(r) for r in rows if r and r[0] == "dong")
    except (KeyError, ValueError, IndexError):
        raise _damaged("phần định danh của bảng phân công bị hỏng", shown) from None
    if digest([[r.key, r.state, list(r.cells)] for r in written]) != head.get("phien_ban", (0, ""))[1]:
        raise _damaged("phần định danh của bảng phân công bị sửa", shown)
    for key, want, message in (("co_quan", current.agency, "bảng phân công của cơ quan khác"),
                               ("nam", str(current.year), "bảng phân công của năm khác")):
        index, found = head[key]
        if found != want:
            raise InputError.single(message, file=shown, field=f"{IDENTITY}!{cell_ref(index, 1)}",
                                    expected=f"\"{want}\"", found=f"\"{found}\"",
                                    hint=f"Xuất bảng phân công của kế hoạch này: kehoach assign --agency {current.agency} "
                                         f"--year {current.year}")
    return written


def _row(values: tuple[str, ...]) -> AssignRow:
    key, state = values[1], values[2]
    task, _, part = key.rpartition("#")
    cells = tuple(v or None for v in (*values[3:], *[""] * len(COLUMNS)))[:len(COLUMNS)]
    if not task or not part.isdigit():
        raise ValueError(key)
    return AssignRow(key, task, int(part), state, cells)


def _damaged(message: str, shown: str) -> InputError:
    return InputError.single(message, file=shown, field=IDENTITY, hint=HINT)


def _locked(grid: list[list[Any]], written: tuple[AssignRow, ...], shown: str) -> list[Problem]:
    """Header, locked cells of every row, a row inserted or deleted, anything typed under the table."""
    problems = [Problem(LOCKED, file=shown, field=f"{SHEET}!{cell_ref(HEADER_ROW, c)}", expected=quoted(h),
                        found=quoted(grid[HEADER_ROW][c]))
                for c, h in enumerate(HEADER) if plain(grid[HEADER_ROW][c]) != h]
    if (moved := _moved(grid, written, shown)) is not None:
        return [*problems, moved]
    for r, row in enumerate(written, start=FIRST_ROW):
        for c in row.locked():
            if plain(grid[r][c]) != row.cells[c]:
                want, found = quoted_pair(row.cells[c], grid[r][c])
                problems.append(Problem(LOCKED, file=shown, field=f"{SHEET}!{cell_ref(r, c)}", expected=want,
                                        found=found))
    for r in range(FIRST_ROW + len(written), len(grid)):
        if (c := next((c for c, v in enumerate(grid[r]) if text(v) is not None), None)) is not None:
            problems.append(Problem("có nội dung dưới bảng: bảng phân công không thêm được dòng", file=shown,
                                    field=f"{SHEET}!{cell_ref(r, c)}", expected="ô trống",
                                    found=quoted(grid[r][c])))
            break
    return problems


def _moved(grid: list[list[Any]], written: tuple[AssignRow, ...], shown: str) -> Problem | None:
    """The one row inserted into (or deleted from) the table, when that explains the Mã nhiệm vụ column."""
    want = [row.cells[0] for row in written]
    got = [plain(row[0]) for row in grid[FIRST_ROW:]]
    while got and got[-1] is None:
        got.pop()
    return moved_row_problem(got, want, SHEET, "bảng phân công;", "bảng đã xuất", shown)
