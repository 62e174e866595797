"""Merge the master plan, the agency profile and the agency spec into one plan.

Precedence, lowest first (a later layer replaces a value of an earlier one; mappings are
merged key by key, lists are replaced whole):

    1. built-in defaults   (layout with the usual five columns, body end "./.")
    2. master plan         (suggested title, legal bases, opening, sections; task contents,
                            results and deadlines, group titles)
    3. agency profile      (signer, recipients, archive units)
    4. this agency spec    (everything it writes; previous-year choices are carried into
                            the spec by ``kehoach new``, so they sit at this level)
    5. command-line overrides (``--set number=3`` …)

Tasks are merged by id: a spec entry whose id is a master task starts from that task and
overrides the fields it names; an entry with a new id adds a task (its ``group`` says
where); ``drop`` removes master tasks, with a reason. The merge is pure: it reads models
and returns the plan with a map of where each value came from, so later stages can name
the file and line of any problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Problem
from .loading import Path_
from .origin import Origin, Source, TaskMounts
from .agencies import AgencyProfile
from .models import PART_FIELDS, Layout
from .parsing import label, problems_from
from .specs import AgencySpec, MasterPlan, Plan, fold_task


@dataclass(frozen=True)
class Merged:
    """The merged plan, the models it came from, its provenance and its coverage."""

    plan: Plan
    agency: AgencyProfile
    master: MasterPlan
    origin: Origin
    uncovered: tuple[str, ...]


def merge(master: tuple[MasterPlan, Source], profile: tuple[AgencyProfile, Source, Path_],
          spec: tuple[AgencySpec, Source], overrides: tuple[dict[str, Any], Source] | None = None) -> Merged:
    """Merge the layers in the documented precedence; raise InputError listing every problem."""
    master_model, master_src = master
    agency, profile_src, profile_path = profile
    spec_model, spec_src = spec
    origin = Origin()
    problems: list[Problem] = []

    data: dict[str, Any] = {}
    _layer(data, origin, _defaults(), None, ())
    _layer(data, origin, _from_master(master_model, agency), master_src, ())
    _layer(data, origin, _from_profile(agency), profile_src, profile_path)
    spec_data = spec_model.model_dump(exclude_unset=True, exclude={"groups", "tasks", "drop"})
    spec_data.update(agency=spec_model.agency, year=spec_model.year)
    _layer(data, origin, spec_data, spec_src, ())
    if overrides:
        _layer(data, origin, overrides[0], overrides[1], ())
    data["groups"] = _groups(master_model, master_src, spec_model, spec_src, origin, problems)
    data["dropped"] = [d.model_dump() for d in spec_model.drop]
    origin.mount(("dropped",), spec_src, ("drop",))
    uncovered = _coverage(master_model, spec_model, origin, problems)
    if problems:
        raise InputError(problems)
    try:
        plan = Plan.model_validate(data)
    except ValidationError as exc:
        raise InputError(problems_from(exc, data, lambda p: origin.locate(p)[:2], Plan)) from None
    return Merged(plan=plan, agency=agency, master=master_model, origin=origin, uncovered=uncovered)


def _layer(data: dict[str, Any], origin: Origin, layer: dict[str, Any], source: Source | None, base: Path_,
           path: Path_ = ()) -> None:
    for key, value in layer.items():
        here = (*path, key)
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            _layer(data[key], origin, value, source, base, here)
            continue
        data[key] = value
        if source is not None:
            origin.mount(here, source, (*base, *here))


def _defaults() -> dict[str, Any]:
    return {"layout": Layout().model_dump(), "body_end": "./."}


def master_defaults(master: MasterPlan, name: str, full_name: str) -> dict[str, Any]:
    """What an agency plan takes from the master unless its spec says otherwise."""
    number = f"{master.number:02d}" if master.number else " " * 6
    day = f"{master.date.day:02d}" if master.date.day else " " * 4
    when = f"{day}/{master.date.month:02d}/{master.date.year}"
    intro = (f"Thực hiện Kế hoạch số {number}/{master.symbol} ngày {when} của {master.issuer} "
             f"{master.title}, {name} ban hành Kế hoạch với nội dung như sau:")
    return {
        "title": [*master.agency_title, f"tại {full_name}"],
        "opening": {"bases": list(master.legal_bases), "intro": [intro]},
    }


def _from_master(master: MasterPlan, agency: AgencyProfile) -> dict[str, Any]:
    return {**master_defaults(master, agency.name, agency.full_name),
            "sections": [s.model_dump() for s in master.sections], "end_year": master.end_year}


def _from_profile(agency: AgencyProfile) -> dict[str, Any]:
    return {"signer": agency.signer.model_dump(), "recipients": list(agency.recipients),
            "archive": list(agency.archive)}


def _groups(master: MasterPlan, master_src: Source, spec: AgencySpec, spec_src: Source,
            origin: Origin, problems: list[Problem]) -> list[dict[str, Any]]:
    """Assemble the plan's groups: master order, new groups placed by ``after``, tasks in spec order."""
    groups: dict[str, dict[str, Any]] = {}
    where: dict[str, tuple[Source, Path_]] = {}
    home: dict[str, tuple[str, int, int]] = {}
    for gi, group in enumerate(master.groups):
        groups[group.id] = {"id": group.id, "title": group.title, "points": list(group.points), "tasks": []}
        where[group.id] = (master_src, ("groups", gi))
        for ti, task in enumerate(group.tasks):
            home[task.id] = (group.id, gi, ti)
    order = list(groups)
    for ei, entry in enumerate(spec.groups):
        path = ("groups", ei)
        if entry.id not in groups:
            if entry.title is None:
                problems.append(problem_at(spec_src, (*path, "title"), "nhóm mới cần tên nhóm (title)",
                                    expected="tên nhóm", found="không có"))
                continue
            groups[entry.id] = {"id": entry.id, "title": entry.title, "points": [], "tasks": []}
            if entry.after is not None and entry.after not in order:
                problems.append(problem_at(spec_src, (*path, "after"), "không có nhóm này", found=f"\"{entry.after}\""))
            order.insert(order.index(entry.after) + 1 if entry.after in order else len(order), entry.id)
        where[entry.id] = (spec_src, path)
        groups[entry.id].update(entry.model_dump(exclude_unset=True, exclude={"id", "after"}))

    seen: dict[str, int] = {}
    task_mounts: dict[str, list[tuple[int, TaskMounts]]] = {}  # group -> [(task's place, its mounts)]
    for ei, entry in enumerate(spec.tasks):
        path = ("tasks", ei)
        if entry.id in seen:
            problems.append(problem_at(spec_src, path, f"mã nhiệm vụ bị lặp (đã dùng ở mục thứ {seen[entry.id] + 1})",
                                found=f"\"{entry.id}\""))
            continue
        seen[entry.id] = ei
        group_id = entry.group or (home[entry.id][0] if entry.id in home else None)
        if group_id is None:
            problems.append(problem_at(spec_src, path, "nhiệm vụ không có trong Kế hoạch tỉnh nên cần ghi nhóm (group)"
                                + _did_you_mean(entry.id, home),
                                expected="group: <mã nhóm>, một trong: " + ", ".join(order), found=f"\"{entry.id}\""))
            continue
        if group_id not in groups:
            problems.append(problem_at(spec_src, (*path, "group"), "không có nhóm này",
                                expected="một trong: " + ", ".join(order), found=f"\"{group_id}\""))
            continue
        place = home.get(entry.id)
        task, master_keys, overlay_keys = _task(master, place, entry)
        tasks = groups[group_id]["tasks"]
        mounts = TaskMounts(spec_src, path, master_src if place else None, place[1:] if place else None,
                            master_keys, overlay_keys)
        task_mounts.setdefault(group_id, []).append((len(tasks), mounts))  # mounted below, by the group's place
        tasks.append(task)

    out = []
    for group_id in order:
        if groups[group_id]["tasks"]:
            index = len(out)
            src, src_path = where[group_id]
            for key in ("title", "points", "own_task", "lettered"):
                origin.mount(("groups", index, key), src, (*src_path, key))
            for ti, mounts in task_mounts.get(group_id, []):
                origin.tasks[(index, ti)] = mounts
            out.append(groups[group_id])
    return out


def _task(master: MasterPlan, home: tuple[str, int, int] | None,
          entry: Any) -> tuple[dict[str, Any], tuple[str, ...], tuple[str, ...]]:
    """One task dict: the master task overlaid by the spec entry; with the keys each gave (see :class:`TaskMounts`)."""
    base: dict[str, Any] = {}
    if home is not None:
        _, gi, ti = home
        master_task = master.groups[gi].tasks[ti]
        base = master_task.model_dump(exclude={"responsible"}, exclude_none=True)
    master_keys = tuple(base)
    overlay = entry.model_dump(exclude_unset=True, exclude={"group"})
    if "parts" in overlay:
        for key in PART_FIELDS:
            base.pop(key, None)
    merged = {**base, **overlay}
    folded = fold_task(merged) if "parts" not in merged else merged
    return folded, master_keys, tuple(overlay)


def _coverage(master: MasterPlan, spec: AgencySpec, origin: Origin, problems: list[Problem]) -> tuple[str, ...]:
    used = {t.id for t in spec.tasks}
    master_ids = [t.id for g in master.groups for t in g.tasks]
    known = set(master_ids)
    for di, drop in enumerate(spec.drop):
        path = ("drop", di)
        source = origin.mounts[("dropped",)][0]
        if drop.id not in known:
            problems.append(problem_at(source, (*path, "id"), "không có nhiệm vụ này trong Kế hoạch tỉnh"
                                + _did_you_mean(drop.id, master_ids), found=f"\"{drop.id}\""))
        elif drop.id in used:
            problems.append(problem_at(source, (*path, "id"), "nhiệm vụ vừa được dùng trong tasks vừa bị bỏ (drop)",
                                found=f"\"{drop.id}\""))
    dropped = {d.id for d in spec.drop}
    return tuple(i for i in master_ids if i not in used and i not in dropped)


def problem_at(source: Source, path: Path_, message: str, **detail: Any) -> Problem:
    return Problem(message, file=source.shown, line=source.loaded.line_of(path),
                   field=label(source.loaded.data, path) or None, **detail)


def _did_you_mean(ident: str, known: Any) -> str:
    """ "; có phải \"pakn.cong-khai\"?" for a misspelt master task id (empty when nothing is close)."""
    import difflib

    close = difflib.get_close_matches(ident, list(known), n=1, cutoff=0.8)
    return f" (có phải \"{close[0]}\"?)" if close else ""
