"""An agency's Word plan -> the data of its spec (``kehoach import --as spec``), against that year's master.

Pure: a :class:`WordPlan` in, an :class:`Imported` out (the spec as plain data, comments for the YAML,
what could not be placed, unknown unit names, counts). Only what differs from the defaults is
written: a task matched to the master keeps its id and names only what the agency wrote differently;
the assignment wording is written only when the registry's unit names would not print it the same.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import vnformat as vn
from .context import part_cells, unit_names
from .import_body import read_body
from .import_doc import Para, Table, WordPlan
from .import_fields import (NO_GROUP_TITLE, date_of, deadline_value, end_year, fixed_bases, number_of,
                            recipients_of, short, signer_of)
from .import_match import UnitRefs, leading_unit, make_id, match_tasks, similarity, split_assignment, split_units
from .import_tasks import FoundGroup, FoundPart, FoundTask, prose_tasks, table_tasks
from .agencies import AgencyProfile
from .models import TaskPart
from .specs import MasterPlan

@dataclass
class Imported:
    data: dict[str, Any]
    comments: dict[int, str] = field(default_factory=dict)  # task index -> comment above it
    unplaced: list[str] = field(default_factory=list)
    unknown_units: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    tasks: int = 0
    matched: int = 0


def import_spec(doc: WordPlan, agency: AgencyProfile, master: MasterPlan | None, year: int) -> Imported:
    body = read_body(doc.body, appendix=bool(doc.appendices))
    out = Imported({"agency": agency.code, "year": year})
    out.unplaced.extend(body.unplaced)
    out.unplaced.extend(f"{t.where}: bảng thứ hai trong phần, không dùng" for t in body.extra_tables)
    out.unplaced.extend(f"{b.where}: \"{short(b.text, 60)}\" sau phần ký, ngoài phụ lục" if isinstance(b, Para)
                        else f"{b.where}: bảng sau phần ký, ngoài phụ lục" for b in doc.after_body)
    number = number_of(doc.number_line)
    if number:
        out.data["number"] = number
    out.data["date"] = date_of(doc.date_line, year)
    end = master.end_year if master is not None and master.end_year else end_year(doc, year)
    if end:
        out.data["end_year"] = end
    out.data["title"] = list(doc.title)
    out.data["opening"] = {k: v for k, v in (("bases", fixed_bases(body.bases, out.notes)), ("intro", body.intro)) if v}
    out.data["sections"] = body.sections
    layout, groups = _layout(doc, body, out)
    out.data["layout"] = layout
    entries, tasks = _tasks(groups, master, agency, year, out)
    if entries:
        out.data["groups"] = entries
    out.data["tasks"] = tasks
    _closing(doc, agency, out)
    return out


def _layout(doc: WordPlan, body: Any, out: Imported) -> tuple[dict[str, Any], list[FoundGroup]]:
    if body.table is not None:
        columns, groups = table_tasks(body.table, out.unplaced)
        return {"kind": "table", "columns": [_column(c) for c in columns]}, groups
    tables = [(a, b) for a in doc.appendices for b in a.blocks if isinstance(b, Table)]
    if tables:
        return _appendix_layout(doc, body, tables, out)
    if body.prose:
        return {"kind": "prose"}, prose_tasks(body.prose, out.unplaced)
    out.notes.append("không tìm thấy bảng nhiệm vụ hay nhiệm vụ đánh số 1.1., 1.2. …: chưa có nhiệm vụ nào")
    return {"kind": "prose"}, []


def _appendix_layout(doc: WordPlan, body: Any, tables: list[Any], out: Imported) -> tuple[dict[str, Any], list[FoundGroup]]:
    specs, groups, columns = [], [], None
    for appendix, table in tables:
        found_columns, found = table_tasks(table, out.unplaced)
        columns = columns or found_columns
        label = appendix.label or "Phụ lục"
        if len(doc.appendices) > 1:
            label = re.sub(r"\s+[IVXL]+$", "", label)
        spec: dict[str, Any] = {"label": label, "title": list(appendix.title), "indication": appendix.indication,
                                "_groups": found}
        specs.append(spec)
        groups.extend(found)
        out.unplaced.extend(f"{b.where}: \"{b.text[:60]}\" trong phụ lục" for b in appendix.blocks
                            if not isinstance(b, Table))
    layout: dict[str, Any] = {"kind": "appendix", "columns": [_column(c) for c in columns or []]}
    if body.body_reference and body.body_reference != "Phụ lục đính kèm.":
        layout["body_reference"] = body.body_reference
    layout["_appendices"] = specs  # finished in _tasks, once the groups have ids
    return layout, groups


def _column(c: Any) -> dict[str, Any]:
    out = {"key": c.key, "header": c.header, "width_mm": c.width_mm}
    if c.align:
        out["align"] = c.align
    return out


def _tasks(groups: list[FoundGroup], master: MasterPlan | None, agency: AgencyProfile, year: int,
           out: Imported) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    names = unit_names(agency)
    focal = agency.focal_unit or (agency.units[0].code if agency.units else None)  # as kehoach new assigns
    found = [(g, t) for g in groups for t in g.tasks]
    master_tasks = [(t.id, " ".join(t.content)) for g in master.groups for t in g.tasks] if master else []
    matches = match_tasks([" ".join(t.content) for _, t in found], master_tasks)
    by_id = {t.id: (g, t) for g in master.groups for t in g.tasks} if master else {}
    group_ids = _group_ids(groups, found, matches, by_id, master)
    order = [g.id for g in master.groups] if master else []
    placed = [order.index(group_ids[id(g)]) for g in groups if group_ids[id(g)] in order]
    if placed != sorted(placed):
        out.notes.append("các nhóm trong văn bản xếp khác thứ tự của Kế hoạch tỉnh: văn bản dựng lại theo thứ tự của tỉnh")
    taken = {t.id for g in master.groups for t in g.tasks} if master else set()
    entries: list[dict[str, Any]] = []
    previous: str | None = None
    for group in groups:
        gid = group_ids[id(group)]
        mgroup = next((g for g in master.groups if g.id == gid), None) if master else None
        if mgroup is None:
            entry = {"id": gid, "title": group.title or NO_GROUP_TITLE}
            if group.points:
                entry["points"] = group.points
            if previous and master:
                entry["after"] = previous
            entries.append(entry)
            if not group.title:
                out.notes.append(f"{group.where}: bảng không có dòng nhóm: các nhiệm vụ được xếp vào nhóm "
                                 f"\"{NO_GROUP_TITLE}\" (văn bản dựng lại có thêm dòng nhóm này)")
        elif (group.title or NO_GROUP_TITLE) != mgroup.title or group.points != list(mgroup.points):
            entries.append({"id": gid, "title": group.title or NO_GROUP_TITLE, **({"points": group.points}
                                                                  if group.points != list(mgroup.points) else {})})
        previous = gid
    tasks = []
    for index, (group, task) in enumerate(found):
        gid = group_ids[id(group)]
        entry = _task_entry(task, gid, matches.get(index), by_id, (names, focal), out.data.get("end_year") or year,
                            taken, out, len(tasks), year)
        tasks.append(entry)
    out.tasks, out.matched = len(found), len(matches)
    _finish_appendices(out, agency, group_ids)
    if master is None:
        out.notes.append(f"chưa có Kế hoạch tỉnh năm {year}: các nhiệm vụ được nhập là nhiệm vụ riêng của cơ quan "
                         "(kèm nhóm của chúng)")
    return entries, tasks


def _finish_appendices(out: Imported, agency: AgencyProfile, group_ids: dict[int, str]) -> None:
    """One appendix: ``appendix``; several: ``appendices``, each with its groups. The "(Kèm theo …)" line is
    written only when it is not the one the renderer prints from the number, date and agency name."""
    layout = out.data["layout"]
    specs = layout.pop("_appendices", [])
    date = out.data["date"]
    default = (f"(Kèm theo Kế hoạch số {vn.doc_number(out.data.get('number')) or vn.BLANK}/"
               f"{vn.symbol('KH', agency.symbol)} {vn.date_phrase(date.get('day'), date['month'], date['year'])} "
               f"của {agency.full_name})")
    for spec in specs:
        spec["groups"] = [group_ids[id(g)] for g in spec.pop("_groups")]
        if spec["indication"] is None or " ".join(spec["indication"].split()) == " ".join(default.split()):
            spec.pop("indication")
        if spec["label"] == "Phụ lục":
            spec.pop("label")
    if len(specs) == 1:
        specs[0].pop("groups")
        layout["appendix"] = specs[0]
    elif specs:
        layout["appendices"] = specs


def _group_ids(groups: list[FoundGroup], found: list[tuple[FoundGroup, FoundTask]], matches: dict[int, Any],
               by_id: dict[str, Any], master: MasterPlan | None) -> dict[int, str]:
    """Each found group's id: the master group most of its matched tasks come from, or the master group of the
    most similar title, or a new id from its title."""
    votes: dict[int, dict[str, int]] = {}
    for index, (group, _) in enumerate(found):
        if index in matches:
            home = by_id[matches[index][0]][0].id
            votes.setdefault(id(group), {}).setdefault(home, 0)
            votes[id(group)][home] += 1
    out: dict[int, str] = {}
    used: set[str] = set()
    taken = {g.id for g in master.groups} if master else set()
    for group in groups:
        ranked = sorted(votes.get(id(group), {}).items(), key=lambda kv: -kv[1])
        choice = next((gid for gid, _ in ranked if gid not in used), None)
        if choice is None and master and group.title:
            best = max(((similarity(group.title, g.title), g.id) for g in master.groups if g.id not in used),
                       default=(0.0, None))
            choice = best[1] if best[0] >= 0.6 else None
        if choice is None:
            choice = make_id(group.title or NO_GROUP_TITLE, taken, words=3)
        used.add(choice)
        out[id(group)] = choice
    return out


def _task_entry(task: FoundTask, gid: str, match: tuple[str, float] | None, by_id: dict[str, Any],
                units: tuple[dict[str, str], str | None], end: int, taken: set[str], out: Imported, index: int,
                year: int) -> dict[str, Any]:
    parts = [_part(p, units, (year, end), out, task.where) for p in task.parts]
    if match is not None:
        mgroup, mtask = by_id[match[0]]
        entry: dict[str, Any] = {"id": mtask.id}
        if mgroup.id != gid:
            entry["group"] = gid
        if task.content != list(mtask.content):
            entry["content"] = task.content
        if match[1] < 1.0 or task.content != list(mtask.content):
            out.comments[index] = (f"khớp {round(match[1] * 100)}% nhiệm vụ tỉnh {mtask.id}: "
                                   f"{short(' '.join(mtask.content))}")
        defaults = {"results": list(mtask.results), "deadline": list(mtask.deadline.text) if mtask.deadline else None,
                    "note": list(mtask.note)}
    else:
        entry = {"id": make_id(" ".join(task.content), taken, prefix=gid + "."), "group": gid, "content": task.content}
        out.comments[index] = "nhiệm vụ mới (không có trong Kế hoạch tỉnh)" if by_id else ""
        defaults = {"results": [], "deadline": None, "note": []}
    if task.note != defaults["note"]:
        entry["note"] = task.note
    if len(parts) == 1:
        part = parts[0]
        for key in ("results", "deadline"):
            shown = part.pop(key, None)
            if _printed(shown, key) != defaults[key]:
                entry[key] = shown if shown else ([] if key == "results" else None)
        entry.update(part)
    else:
        entry["parts"] = parts
    if task.items:
        entry["items"] = [{"label": label, "text": lines} for label, lines in task.items]
    return entry


def _printed(value: Any, key: str) -> list[str] | None:
    """The printed lines of a results or deadline value (None: no deadline)."""
    if not value:
        return [] if key == "results" else None
    if isinstance(value, dict):
        return list(value["text"])
    return [value] if isinstance(value, str) else list(value)


def _part(part: FoundPart, units: tuple[dict[str, str], str | None], years: tuple[int, int], out: Imported,
          where: str) -> dict[str, Any]:
    """One row of assignment; every part gets a lead unit (the trackers need one): the names printed, else the
    name opening the wording, else the agency's focal unit as ``kehoach new`` does, each guess said in a note."""
    (names, focal), lines = units, part.lines
    data: dict[str, Any] = {}
    if lines.get("results"):
        data["results"] = lines["results"]
    lead_text, coord_text = ", ".join(lines.get("lead", [])), ", ".join(lines.get("coordinate", []))
    if "assignment" in lines:  # "X chủ trì, phối hợp với Y", or one name a line
        lead_text, coord_text = split_assignment(" ".join(lines["assignment"]))
        if len(lines["assignment"]) > 1 and not coord_text:
            lead_text = ", ".join(lines["assignment"])
    lead, coordinate = split_units(lead_text, names), split_units(coord_text, names)
    if not lead.refs and (opening := leading_unit(lead_text, names)):
        # wording, not a list of names: its opening name leads (the trackers need a lead); the wording is kept
        lead = UnitRefs((opening[0],), ())
        out.notes.append(f"{where}: đơn vị chủ trì lấy theo tên ở đầu lời văn \"{lead_text}\": {opening[0]} "
                         f"({opening[1]}); kiểm tra lại trong tệp kế hoạch")
    elif not lead.refs and focal:
        lead = UnitRefs((focal,), lead.unknown)
        wording = f"lời văn \"{lead_text}\" không nêu đơn vị nào trong danh mục" if lead_text else "không ghi đơn vị chủ trì"
        out.notes.append(f"{where}: {wording}: tạm giao đơn vị đầu mối {focal} chủ trì (để nhận nhiệm vụ trong phiếu "
                         f"theo dõi); sửa lead trong tệp kế hoạch nếu cần")
    for name in (*lead.unknown, *coordinate.unknown):
        if name not in out.unknown_units:
            out.unknown_units.append(name)
    if lead.refs:
        data["lead"] = list(lead.refs)
    if coordinate.refs:
        data["coordinate"] = list(coordinate.refs)
    cells = part_cells(TaskPart.model_validate({"lead": lead.refs, "coordinate": coordinate.refs}), names)
    for key, field_name in (("assignment", "assignment"), ("lead", "lead_text"), ("coordinate", "coordinate_text")):
        if key in lines and cells[key] != lines[key]:
            data[field_name] = lines[key]
    if lines.get("deadline"):
        data["deadline"] = deadline_value(lines["deadline"], years, where, out.notes)
    return data


def _closing(doc: WordPlan, agency: AgencyProfile, out: Imported) -> None:
    """Recipients, archive and signer, written only where they differ from the agency's profile."""
    recipients, archive = recipients_of(doc)
    if recipients != [r.removeprefix("- ").rstrip(" ;.") for r in agency.recipients]:
        out.data["recipients"] = recipients
    if archive is not None and archive != list(agency.archive):
        out.data["archive"] = archive
    signer = signer_of(doc, out.unplaced)
    if signer and signer != agency.signer.model_dump(mode="json", exclude_defaults=True):
        out.data["signer"] = signer
