"""Cross-reference checks the schema alone cannot make; every problem is collected, then raised once.

Schema errors (types, unknown keys) are found while parsing each file. Here: duplicate
ids, unit codes that the agency does not have, deadlines and dates outside the plan's
years, agencies that no longer exist at the document's date, and layouts that cannot
print the tasks.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..errors import InputError, Problem
from .agencies import AgencyProfile, Registry
from .loading import Path_
from .merge import Merged, Source, problem_at
from .models import PersonRef
from .specs import MasterPlan


def check_registry(registry: Registry, source: Source) -> None:
    problems: list[Problem] = []
    codes = {a.code for a in registry.agencies}
    for path, dup in _duplicates((("agencies", i), a.code) for i, a in enumerate(registry.agencies)):
        problems.append(problem_at(source, (*path, "code"), "mã cơ quan bị lặp", found=f"\"{dup}\""))
    for ai, agency in enumerate(registry.agencies):
        base: Path_ = ("agencies", ai)
        units = {u.code for u in agency.units}
        for path, dup in _duplicates(((*base, "units", i), u.code) for i, u in enumerate(agency.units)):
            problems.append(problem_at(source, (*path, "code"), "mã đơn vị bị lặp", found=f"\"{dup}\""))
        for gi, group in enumerate(agency.unit_groups):
            if group.code in units:
                problems.append(problem_at(source, (*base, "unit_groups", gi, "code"), "mã nhóm trùng mã một đơn vị",
                                           found=f"\"{group.code}\""))
            for mi, member in enumerate(group.units):
                if member not in units:
                    problems.append(problem_at(source, (*base, "unit_groups", gi, "units", mi), "không có đơn vị này",
                                               expected=_one_of(units), found=f"\"{member}\""))
        if agency.focal_unit and agency.focal_unit not in units:
            problems.append(problem_at(source, (*base, "focal_unit"), "không có đơn vị này",
                                       expected=_one_of(units), found=f"\"{agency.focal_unit}\""))
        if agency.successor and agency.successor not in codes:
            problems.append(problem_at(source, (*base, "successor"), "không có cơ quan kế thừa này trong danh mục",
                                expected=_one_of(codes), found=f"\"{agency.successor}\""))
    _raise(problems)


def check_master(master: MasterPlan, source: Source) -> None:
    problems: list[Problem] = []
    for path, dup in _duplicates((("groups", i), g.id) for i, g in enumerate(master.groups)):
        problems.append(problem_at(source, (*path, "id"), "mã nhóm bị lặp", found=f"\"{dup}\""))
    tasks = ((("groups", gi, "tasks", ti), t.id) for gi, g in enumerate(master.groups) for ti, t in enumerate(g.tasks))
    for path, dup in _duplicates(tasks):
        problems.append(problem_at(source, (*path, "id"), "mã nhiệm vụ bị lặp", found=f"\"{dup}\""))
    first, last = master.year, max(master.end_year or master.year, master.year)  # a backwards span is reported once
    if master.end_year is not None and master.end_year < master.year:
        problems.append(problem_at(source, ("end_year",), "năm cuối nhỏ hơn năm đầu",
                            expected=f"từ {master.year} trở lên", found=str(master.end_year)))
    beyond: list[int] = []
    for gi, group in enumerate(master.groups):
        for ti, task in enumerate(group.tasks):
            if (years := _outside(task.deadline, first, last)) is not None:
                problems.append(problem_at(source, ("groups", gi, "tasks", ti, "deadline"),
                                    "thời hạn nằm ngoài thời gian của kế hoạch",
                                    expected=_span(first, last), found=years))
                beyond.append(task.deadline.years()[1])
    _raise(problems, _end_year_hint(master.end_year, first, beyond, source.shown))


def check_plan(merged: Merged) -> None:
    """Units, deadlines, dates, agency validity and layout of the merged plan."""
    plan, agency, origin = merged.plan, merged.agency, merged.origin
    problems: list[Problem] = []
    first, last = plan.years[0], max(plan.years)  # a backwards span is reported once, below
    allowed = {u.code for u in agency.units} | {g.code for g in agency.unit_groups}
    beyond: list[int] = []  # last years of deadlines beyond the plan's span (a missing end_year?)
    for gi, group in enumerate(plan.groups):
        if group.own_task and len(group.tasks) != 1:
            problems.append(origin.problem(("groups", gi, "own_task"), "nhóm là một nhiệm vụ (own_task) cần đúng một "
                                           "nhiệm vụ", expected="1 nhiệm vụ", found=f"{len(group.tasks)} nhiệm vụ"))
        if group.lettered is not None and plan.layout.kind != "prose":
            problems.append(origin.problem(("groups", gi, "lettered"), "các ý a), b) (lettered) chỉ được in khi trình "
                                           "bày văn xuôi", expected="layout: {kind: prose}",
                                           found=f"layout.kind: {plan.layout.kind}"))
        for ti, task in enumerate(group.tasks):
            if task.lettered is not None and plan.layout.kind != "prose":
                problems.append(origin.problem(("groups", gi, "tasks", ti, "lettered"), "các ý a), b) (lettered) chỉ "
                                               "được in khi trình bày văn xuôi", expected="layout: {kind: prose}",
                                               found=f"layout.kind: {plan.layout.kind}"))
            if task.items and plan.layout.kind != "prose":  # a table has no place for them: never drop them silently
                problems.append(origin.problem(
                    ("groups", gi, "tasks", ti, "items"), "các ý thêm (items) chỉ được in khi trình bày văn xuôi",
                    expected="layout: {kind: prose}, hoặc ghi các ý này vào results",
                    found=f"layout.kind: {plan.layout.kind}"))
            for pi, part in enumerate(task.parts):
                path = ("groups", gi, "tasks", ti, "parts", pi)
                for role in ("lead", "coordinate"):
                    for ri, ref in enumerate(getattr(part, role)):
                        code = ref.unit if isinstance(ref, PersonRef) else ref
                        if code is not None and code not in allowed:
                            sub = (*path, role, ri, "unit") if isinstance(ref, PersonRef) else (*path, role, ri)
                            problems.append(origin.problem(
                                sub, f"đơn vị \"{code}\" không có trong danh sách đơn vị của {agency.code}",
                                expected=_one_of(allowed), found=f"\"{code}\""))
                if not part.lead:  # nobody would get the task in a tracker, nor owe it in a report
                    problems.append(origin.problem(
                        (*path, "lead") if len(task.parts) > 1 else ("groups", gi, "tasks", ti, "lead"),
                        "nhiệm vụ chưa có đơn vị chủ trì (không đơn vị nào nhận nhiệm vụ này trong "
                        "phiếu theo dõi)", expected="ít nhất một mã đơn vị, ví dụ lead: [VP]",
                        found="để trống" if "lead" in part.model_fields_set else "không có lead"))
                if (years := _outside(part.deadline, first, last)) is not None:
                    problems.append(origin.problem((*path, "deadline"), "thời hạn nằm ngoài thời gian của kế hoạch",
                                                   expected=_span(first, last), found=years))
                    beyond.append(part.deadline.years()[1])
    if plan.end_year is not None and plan.end_year < plan.year:
        problems.append(origin.problem(("end_year",), "năm cuối nhỏ hơn năm đầu của kế hoạch",
                                       expected=f"từ {plan.year} trở lên", found=str(plan.end_year)))
    if not first - 1 <= plan.date.year <= last:
        problems.append(origin.problem(("date",), "ngày ban hành không thuộc năm của kế hoạch",
                                       expected=_span(first - 1, last), found=str(plan.date.year)))
    problems.extend(_before_master(merged))
    problems.extend(_agency_validity(merged))
    problems.extend(_layout(merged))
    problems.extend(_cell_sizes(merged))
    if not plan.groups:
        problems.append(origin.problem(("tasks",), "kế hoạch chưa có nhiệm vụ nào",
                                       expected="ít nhất một mục trong tasks"))
    # a table or prose plan prints its tasks in the part marked tasks: true: without one they would silently not
    # print (an appendix plan prints them in its appendix, whether or not the body refers to it)
    if plan.groups and plan.layout.kind != "appendix" and not any(s.tasks for s in plan.sections):
        problems.append(origin.problem(("sections",), "không phần nào của thân văn bản chứa các nhiệm vụ",
                                       expected="tasks: true ở phần Nội dung", found="không có"))
    _raise(problems, _end_year_hint(plan.end_year, first, beyond, origin.file_of(("year",))))


def _end_year_hint(end_year: int | None, first: int, beyond: list[int], file: str | None) -> str | None:
    """Deadlines after a one-year plan's year: most likely a multi-year plan without its end_year."""
    later = [year for year in beyond if year > first]
    if end_year is not None or not later:
        return None
    return (f"Nếu đây là kế hoạch nhiều năm ({first}–{max(later)}), ghi năm cuối: end_year: {max(later)} "
            f"trong {file or 'tệp kế hoạch'} (cạnh year: {first}); nếu không, sửa các thời hạn trên.")


def _before_master(merged: Merged) -> Iterable[Problem]:
    """A plan that carries out the master cannot be issued before it (a draft's month: by its last day)."""
    own, master = merged.plan.date, merged.master.date
    latest = own.as_date() if own.day else dt.date(own.year, own.month, calendar.monthrange(own.year, own.month)[1])
    if latest < master.as_date():
        shown = f"{own.day:02d}/{own.month:02d}/{own.year}" if own.day else f"tháng {own.month:02d}/{own.year}"
        yield merged.origin.problem(("date",), "ngày ban hành trước ngày của Kế hoạch tỉnh mà kế hoạch này thực hiện",
                                    expected=f"từ ngày {master.as_date():%d/%m/%Y} trở đi", found=shown)


def _agency_validity(merged: Merged) -> Iterable[Problem]:
    agency: AgencyProfile = merged.agency
    when = merged.plan.date.as_date()
    if agency.valid_until and when > agency.valid_until:
        nxt = f"; dùng cơ quan kế thừa {agency.successor}" if agency.successor else ""
        yield merged.origin.problem(("date",), f"{agency.code} đã ngừng hoạt động sau ngày "
                                    f"{agency.valid_until:%d/%m/%Y}{nxt}",
                                    expected=f"ngày đến {agency.valid_until:%d/%m/%Y}",
                                    found=f"{when:%d/%m/%Y}")


CELL_TEXT_MAX = 32_500  # an Excel cell holds 32,767 characters; the trackers add an amendment mark


def _cell_sizes(merged: Merged) -> Iterable[Problem]:
    """Every text that becomes one tracker cell must fit one Excel cell (checked here, not while writing)."""
    for gi, group in enumerate(merged.plan.groups):
        for ti, task in enumerate(group.tasks):
            base = ("groups", gi, "tasks", ti)
            texts = [((*base, "content"), task.content), ((*base, "note"), task.note)]
            for pi, part in enumerate(task.parts):
                texts += [((*base, "parts", pi, name), getattr(part, name) or ())
                          for name in ("results", "assignment", "lead_text", "coordinate_text")]
                if part.deadline:
                    texts.append(((*base, "parts", pi, "deadline"), part.deadline.text))
            for path, lines in texts:
                size = sum(len(line) for line in lines) + max(len(lines) - 1, 0)
                if size > CELL_TEXT_MAX:
                    yield merged.origin.problem(path, "văn bản quá dài cho một ô của phiếu theo dõi Excel; chia thành "
                                                "nhiều nhiệm vụ hoặc dòng phân công (parts)",
                                                expected=f"tối đa {_thousands(CELL_TEXT_MAX)} ký tự, kể cả các dòng",
                                                found=f"{_thousands(size)} ký tự")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _appendix_groups(merged: Merged) -> Iterable[Problem]:
    layout = merged.plan.layout
    if len(layout.appendices) < 2:
        return
    groups = [g.id for g in merged.plan.groups]
    seen: dict[str, int] = {}
    for ai, appendix in enumerate(layout.appendices):
        if not appendix.groups:
            yield merged.origin.problem(("layout", "appendices", ai, "groups"), "khi có nhiều phụ lục, mỗi phụ lục cần "
                                        "ghi các nhóm của mình", expected="groups: [mã nhóm, …]", found="không có")
        for gi, group in enumerate(appendix.groups):
            path = ("layout", "appendices", ai, "groups", gi)
            if group not in groups:
                yield merged.origin.problem(path, "không có nhóm này trong kế hoạch", expected=_one_of(groups),
                                            found=f"\"{group}\"")
            elif group in seen:
                yield merged.origin.problem(path, f"nhóm đã thuộc phụ lục thứ {seen[group] + 1}", found=f"\"{group}\"")
            seen.setdefault(group, ai)
    for group in groups:
        if group not in seen:
            yield merged.origin.problem(("layout", "appendices"), "nhóm không thuộc phụ lục nào",
                                        expected="thêm vào groups của một phụ lục", found=f"\"{group}\"")


def _layout(merged: Merged) -> Iterable[Problem]:
    yield from _appendix_groups(merged)
    layout = merged.plan.layout
    if layout.kind == "prose":
        return
    keys = {c.key for c in layout.columns}
    if "content" not in keys:
        yield merged.origin.problem(("layout", "columns"), "bảng nhiệm vụ cần cột nội dung",
                                    expected="một cột key: content", found=", ".join(sorted(keys)))
    if not keys & {"assignment", "lead"}:
        yield merged.origin.problem(("layout", "columns"), "bảng nhiệm vụ cần cột phân công",
                                    expected="một cột key: assignment hoặc lead", found=", ".join(sorted(keys)))


def _outside(deadline: Any, first: int, last: int) -> str | None:
    """How a deadline falls outside the plan's years, or None.

    A due date must lie within the plan's years ("Trước ngày 30/6/2024" in a 2025 plan is a slip);
    a named span may start the year before (work begun under the previous plan).
    """
    years = deadline.years() if deadline else None
    if not years:
        return None
    if deadline.kind == "by_date":
        return None if first <= deadline.date.year <= last else _span(*years)
    return _span(*years) if years[0] > last or years[1] < first - 1 else None


def _duplicates(items: Iterable[tuple[Path_, Any]]) -> Iterable[tuple[Path_, Any]]:
    seen: set[Any] = set()
    for path, value in items:
        if value in seen:
            yield path, value
        seen.add(value)


def _one_of(values: Iterable[str]) -> str:
    return "một trong: " + ", ".join(sorted(values))


def _span(first: int, last: int) -> str:
    return f"năm {first}" if first == last else f"năm {first}–{last}"


def _raise(problems: list[Problem], hint: str | None = None) -> None:
    if problems:
        unique = list(dict.fromkeys(problems))  # the same place and words once, however often it was met
        raise InputError(unique, hint=hint)


deadline_outside = _outside  # for the phân công workbook, whose deadline cells are checked as a spec's
year_span = _span
