"""From the merged plan to the plain data a Word template is rendered with.

Everything printed is decided here: numbering (I., 1., a)), the number and date lines, the
assignment wording, the recipients list and the "./." closing the body. Renderers get
strings and lists only, never models or spec paths.
"""

from __future__ import annotations

from typing import Any

from .. import vnformat as vn
from .agencies import AgencyProfile
from .merge import Merged
from .models import Block, Heading, Lettered, Numbered, PersonRef, TaskPart
from .prose import prose_blocks
from .shapes import number
from .specs import Plan

Ctx = dict[str, Any]
DEFAULT_ALIGN = {"stt": "center", "deadline": "center", "content": "justify", "results": "justify"}


def agency_names(agency: AgencyProfile, plan: Plan) -> tuple[str, str, tuple[str, ...]]:
    """(name, full name, header lines) the agency bore on the document's date."""
    when = plan.date.as_date()
    for former in sorted(agency.former_names, key=lambda f: f.until):
        if when <= former.until:
            return former.name, former.full_name, former.header_lines
    header = agency.header_lines or (vn.upper_vi(agency.name),)
    return agency.name, agency.full_name, header


def plan_context(merged: Merged) -> Ctx:
    """The context of the Kế hoạch template (see render_docx for the contract)."""
    plan, agency = merged.plan, merged.agency
    name, full_name, header = agency_names(agency, plan)
    units = unit_names(agency)
    table = task_table(plan, units) if plan.layout.kind == "table" else None
    body = [{"kind": "intro", "text": t} for t in plan.opening.intro]
    for index, section in enumerate(plan.sections, start=1):
        body.append({"kind": "section", "text": f"{vn.roman(index)}. {vn.upper_vi(section.title)}"})
        body.extend(blocks(section.items, number_fmt=section.number_format, letter_fmt=section.letter_format))
        if section.tasks:
            body.extend(_task_blocks(plan, units))
    _close_body(body, plan.body_end)
    appendices = appendix_contexts(merged, full_name, units)
    spec_header = plan.header
    if spec_header is not None and spec_header.issuer_lines is not None:
        header = tuple(vn.upper_vi(line) for line in spec_header.issuer_lines)
    return {
        "header": {"left_mm": spec_header.left_mm, "right_mm": spec_header.right_mm,
                   "issuer_size": spec_header.issuer_size, "national_size": spec_header.national_size,
                   "keep_lines": spec_header.issuer_lines is not None}
        if spec_header is not None else None,
        "superior_lines": list(agency.superior_lines),
        "issuer_lines": list(header),
        "number_line": vn.number_line(plan.number, "KH", agency.symbol),
        "date_line": vn.date_line(agency.place or "", plan.date.day, plan.date.month, plan.date.year),
        "doc_type": "KẾ HOẠCH",
        "title_lines": list(plan.title),
        "bases": list(plan.opening.bases),
        "body": body,
        "task_table": table,
        "recipients_heading": "Nơi nhận:",
        "recipients": recipients(plan),
        "signer_lines": [f"{a.prefix} {vn.upper_vi(a.of)}" for a in plan.signer.authority]
        + [vn.upper_vi(plan.signer.title)],
        "signer_name": plan.signer.name,
        "appendices": appendices,
        "core": {"title": "Kế hoạch " + " ".join(plan.title), "subject": name},
    }


def appendix_contexts(merged: Merged, full_name: str, units: dict[str, str]) -> list[Ctx]:
    """One context per appendix; with several, "Phụ lục I", "Phụ lục II" … each with its own groups."""
    plan, agency = merged.plan, merged.agency
    if plan.layout.kind != "appendix":
        return []
    specs = plan.layout.appendices or ((plan.layout.appendix,) if plan.layout.appendix else ())
    default = (f"(Kèm theo Kế hoạch số {vn.doc_number(plan.number) or vn.BLANK}/{vn.symbol('KH', agency.symbol)} "
               f"{vn.date_phrase(plan.date.day, plan.date.month, plan.date.year)} của {full_name})")
    out = []
    for index, spec in enumerate(specs, start=1):
        groups = [g for g in plan.groups if not spec.groups or g.id in spec.groups]
        out.append({
            "label": spec.label if len(specs) == 1 else f"{spec.label} {vn.roman(index)}",
            "title_lines": [vn.upper_vi(t) for t in spec.title],
            "indication": spec.indication or default,
            "table": task_table(plan, units, groups),
        })
    return out


def blocks(items: tuple[Block, ...], depth: int = 0, number_fmt: str = "{n}.", letter_fmt: str = "{a})") -> list[Ctx]:
    """Numbered body blocks: headings and numbered paragraphs share 1., 2. … (or the section's
    own format, "1)"); lettered a), b) …"""
    out: list[Ctx] = []
    count = letter = 0
    for item in items:
        if isinstance(item, Heading):
            count += 1
            out.append({"kind": "heading", "text": f"{number(number_fmt, count)} {item.heading}"})
            out.extend(blocks(item.items, depth + 1, number_fmt, letter_fmt))
        elif isinstance(item, Numbered):
            count += 1
            out.append({"kind": "numbered", "text": f"{number(number_fmt, count)} {item.numbered}"})
            out.extend(blocks(item.items, depth + 1, number_fmt, letter_fmt))
        elif isinstance(item, Lettered):
            letter += 1
            out.append({"kind": "lettered", "text": f"{number(letter_fmt, letter)} {item.lettered}"})
        else:
            out.append({"kind": "para", "text": item})
    return out


def _task_blocks(plan: Plan, units: dict[str, str]) -> list[Ctx]:
    if plan.layout.kind == "table":
        return [{"kind": "task_table"}]
    if plan.layout.kind == "appendix":
        return [{"kind": "para", "text": plan.layout.body_reference}]
    return prose_blocks(plan, lambda part: part_cells(part, units))


def task_table(plan: Plan, units: dict[str, str], groups: list[Any] | None = None) -> Ctx:
    """The task table as columns and rows of lines (see render_docx's TABLE contract)."""
    columns = [{"key": c.key, "header": c.header, "width_mm": c.width_mm,
                "align": c.align or DEFAULT_ALIGN.get(c.key, "left")} for c in plan.layout.columns]
    fmt = plan.layout.numbering
    rows: list[Ctx] = []
    for gi, group in enumerate(plan.groups if groups is None else groups, start=1):
        head = number(fmt.table_group, gi)
        if group.own_task:  # one row: the group's number and title (bold), its points, then the task's own cells
            task = group.tasks[0]
            content = [line for line in task.content if line != group.title]
            rows.append({"kind": "task", "align": dict(task.align), "heading": group.title,
                         "shared": {"stt": [head], "content": [*group.points, *content], "note": list(task.note)},
                         "parts": [part_cells(p, units) for p in task.parts]})
            continue
        rows.append({"kind": "group", "number": head, "title": group.title, "points": list(group.points)})
        for ti, task in enumerate(group.tasks, start=1):
            stt = [number(fmt.table_task, ti, head.rstrip(".)"))]
            rows.append({"kind": "task", "align": dict(task.align),
                         "shared": {"stt": stt, "content": list(task.content), "note": list(task.note)},
                         "parts": [part_cells(p, units) for p in task.parts]})
    return {"columns": columns, "rows": rows}


def part_cells(part: TaskPart, units: dict[str, str]) -> dict[str, list[str]]:
    """A part's cells as lines of text, each call a new set (the Word context and the trackers make their own)."""
    lead, coordinate = _assigned(part.lead, part.coordinate, units)
    if part.assignment is not None:
        assignment = list(part.assignment)
    elif lead and coordinate:
        assignment = [f"{lead} chủ trì, phối hợp với {coordinate}"]
    else:
        assignment = [lead] if lead else []
    return {
        "results": list(part.results),
        "assignment": assignment,
        "lead": list(part.lead_text) if part.lead_text is not None else ([lead] if lead else []),
        "coordinate": list(part.coordinate_text) if part.coordinate_text is not None
        else ([_capital(coordinate)] if coordinate else []),
        "deadline": list(part.deadline.text) if part.deadline else [],
    }


def unit_names(agency: AgencyProfile) -> dict[str, str]:
    names = {u.code: u.name for u in agency.units}
    names.update({g.code: g.name for g in agency.unit_groups})
    return names


def _assigned(lead: tuple[str | PersonRef, ...], coordinate: tuple[str | PersonRef, ...],
              units: dict[str, str]) -> tuple[str, str]:
    """The lead's names (capitalised) and the coordinators' names of a part. A plan repeats a few pairs over all
    its parts: each pair is named once per ``units`` mapping (the one asked about last, kept with its names)."""
    if not _NAMED or _NAMED[0] is not units:
        _NAMED[:] = [units, {}]
    named = _NAMED[1]
    if (pair := named.get((lead, coordinate))) is None:
        pair = named[(lead, coordinate)] = (_capital(_names(lead, units)), _names(coordinate, units))
    return pair


_NAMED: list = []  # [the units mapping last asked about, (lead, coordinate) -> their names]


def _names(refs: tuple[str | PersonRef, ...], units: dict[str, str]) -> str:
    return ", ".join(f"Đ/c {r.person}" if isinstance(r, PersonRef) else units.get(r, r) for r in refs)


def _capital(text: str) -> str:
    """A cell or sentence starts with a capital: "các Phòng …" -> "Các Phòng …"."""
    return text[:1].upper() + text[1:]


def recipients(plan: Plan) -> list[str]:
    lines = [f"- {r.removeprefix('- ').rstrip(' ;.')};" for r in plan.recipients]
    return [*lines, archive_line(plan.archive)]


def archive_line(archive: tuple[str, ...]) -> str:
    """S4's last line: "- Lưu: VT, VP." ("- Lưu: VT." when no drafting unit is named)."""
    names = [a.strip(" ,.;") for a in archive if a.strip(" ,.;")]
    return f"- Lưu: VT, {', '.join(names)}." if names else "- Lưu: VT."


def _close_body(body: list[Ctx], end: str) -> None:
    """B4: the last paragraph before the signature ends with "./."."""
    last = body[-1] if body else None
    if last is None or "text" not in last:
        body.append({"kind": "para", "text": end})
        return
    text = last["text"].rstrip()
    if not text.endswith(end):
        last["text"] = text.rstrip(".;,:") + end
