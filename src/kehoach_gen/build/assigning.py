"""`kehoach assign`: the phân công workbook of a plan, and its changes written back into the spec.

Writing: resolve the plan, build the rows (:mod:`excel.assign_rows`), write the workbook beside the
spec. A workbook already there that holds changes not yet applied is kept unless ``force`` (then a
copy is kept beside it).

Applying, in stages, nothing written before the last: read the workbook as untrusted input (identity,
locked cells); compare every editable cell with the plan as it stands; refuse unknown names, drops
without reason, bad deadlines, naming the cell; update the spec text (ruamel round trip); refuse
when the spec changed since the workbook was written in a task the workbook would change (naming
it); check the updated spec as ``build`` would; then write it, unless ``dry_run``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem
from ..output import write_atomic
from ..workspace import Target, Workspace

STALE_HINT = ("Xuất lại bảng phân công: kehoach assign --agency {agency} --year {year} --force (bảng đang có được "
              "lưu lại bên cạnh), ghi lại các thay đổi vào bảng mới rồi áp dụng.")


def book_path(ws: Workspace, target: Target) -> Path:
    return ws.spec_file(target.province, target.agency, target.year).with_name(f"{target.year}-phan-cong.xlsx")


@dataclass
class Written:
    path: Path
    rows: int
    unused: int
    dropped: int
    changed: bool
    backup: Path | None = None


def write_assignment(ws: Workspace, target: Target, *, force: bool = False) -> Written:
    """Write the workbook of the plan as it stands."""
    from ..excel.assign_rows import DROPPED, UNUSED, build_book
    from ..excel.assign_xlsx import write_book
    from ..spec.inputs import resolve

    merged = resolve(ws, target)
    book = build_book(merged)
    path = book_path(ws, target)
    saved = None
    if path.exists() and not force and _pending(path, ws, target, book, merged):
        raise InputError.single("bảng phân công đang có thay đổi chưa cập nhật vào tệp kế hoạch (hoặc không đọc được)",
                                file=ws.shown(path), hint=(
                                    f"Cập nhật trước: kehoach assign --agency {target.agency} --year {target.year} "
                                    f"--apply {ws.shown(path)}; hoặc ghi đè: thêm --force (bảng đang có được lưu lại "
                                    "bên cạnh)."))
    if path.exists() and force:
        from .manifest import backup

        saved = backup(path)
    changed = write_atomic(path, lambda tmp: write_book(book, tmp), ws.shown(path))
    if saved is not None and not changed:
        saved.unlink()
        saved = None
    states = [r.state for r in book.rows]
    return Written(path, len(book.rows), states.count(UNUSED), states.count(DROPPED), changed, saved)


def _pending(path: Path, ws: Workspace, target: Target, book: Any, merged: Any) -> bool:
    """Whether the workbook at ``path`` holds changes the spec does not have yet (or cannot be read)."""
    from ..excel.assign_edits import book_edits, lines
    from ..excel.assign_read import read_book
    from ..excel.assign_rows import INDEX
    from ..spec.assign_yaml import update_spec
    from .assign_changes import spec_edits

    try:
        returned = read_book(path, book, ws.shown(path))
    except InputError:
        return True
    edits, problems = book_edits(returned, book, merged.plan.years)
    written = {r.key: r for r in returned.written}  # cells the officer did not touch would only undo spec edits
    edits = [e for e in edits if lines(returned.edited[e.key][INDEX[e.field]]) != lines(written[e.key].cell(e.field))]
    if problems or not edits:
        return bool(problems)
    text = ws.spec_file(target.province, target.agency, target.year).read_text(encoding="utf-8-sig")
    text = text.replace("\r\n", "\n")
    return update_spec(text, spec_edits(edits), merged.master) != text


@dataclass
class Applied:
    spec: Path
    changes: list[Any] = field(default_factory=list)  # assign_changes.Change
    notes: list[str] = field(default_factory=list)
    written: bool = False


def apply_assignment(ws: Workspace, target: Target, source: Path, *, dry_run: bool = False) -> Applied:
    """Read the workbook at ``source`` and update the spec (see the module docstring)."""
    from ..excel.assign_edits import book_edits
    from ..excel.assign_read import read_book
    from ..excel.assign_rows import build_book
    from ..spec.assign_yaml import update_spec
    from ..spec.inputs import resolve
    from .assign_changes import changed_tasks, describe, spec_edits, stale_problems

    merged = resolve(ws, target)
    current = build_book(merged)
    shown = ws.shown(source.resolve()) if source.is_absolute() or source.exists() else str(source)
    returned = read_book(source, current, shown)
    edits, problems = book_edits(returned, current, merged.plan.years)
    if problems:
        raise InputError(problems)
    spec_file = ws.spec_file(target.province, target.agency, target.year)
    raw = spec_file.read_bytes().decode("utf-8-sig")
    crlf = "\r\n" in raw
    text = raw.replace("\r\n", "\n")
    new_text = update_spec(text, spec_edits(edits), merged.master)
    after = _resolve_text(ws, target, new_text) if new_text != text else merged
    changed = changed_tasks(text, new_text)
    problems = stale_problems(returned, current, changed, shown)
    if problems:
        raise InputError(problems, hint=STALE_HINT.format(agency=target.agency, year=target.year))
    applied = Applied(spec_file, *describe(edits, changed, merged, build_book(after)))
    if new_text != text and not dry_run:
        data = (new_text.replace("\n", "\r\n") if crlf else new_text).encode("utf-8")
        if spec_file.read_bytes().startswith(b"\xef\xbb\xbf"):
            data = b"\xef\xbb\xbf" + data
        applied.written = write_atomic(spec_file, lambda tmp: tmp.write_bytes(data), ws.shown(spec_file))
    return applied


def _resolve_text(ws: Workspace, target: Target, text: str) -> Any:
    """The plan the updated spec would make, checked as build checks it (nothing written)."""
    from ..spec.inputs import find_agency, read_master, read_registry
    from ..spec.loading import load_yaml_text
    from ..spec.merge import Source, merge
    from ..spec.parsing import parse
    from ..spec.specs import AgencySpec
    from ..spec.validate import check_plan

    path = ws.spec_file(target.province, target.agency, target.year)
    shown = ws.shown(path)
    try:
        registry, registry_src = read_registry(ws, target.province)
        agency, index = find_agency(registry, registry_src, target.agency)
        loaded = load_yaml_text(text, path, shown)
        merged = merge(read_master(ws, target.province, target.year), (agency, registry_src, ("agencies", index)),
                       (parse(loaded, AgencySpec, shown), Source(shown, loaded)))
        check_plan(merged)
    except InputError as exc:
        raise InputError([Problem("sau khi cập nhật từ bảng phân công, kế hoạch sẽ không hợp lệ; chưa ghi gì",
                                  file=shown), *exc.problems],
                         hint="Sửa bảng phân công (hoặc tệp kế hoạch) rồi áp dụng lại.") from None
    return merged
