"""A provincial Kế hoạch from Word -> the data of ``master-<năm>.yaml`` (``kehoach import --as master``).

Groups from the Roman group rows (or the bold "1. …" headings of prose), tasks with their content,
results, responsible bodies and deadline (recognised where the wording allows, on_demand otherwise,
said in a note), ids derived from the text (short, ASCII, unique, the same on a re-import of the same
document), and the reporting calendar when the plan states one ("hàng quý … trước ngày 19 …").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .import_body import read_body
from .import_doc import Table, WordPlan
from .import_match import make_id
from .import_fields import NO_GROUP_TITLE, date_of, deadline_value, end_year, fixed_bases, number_of, sentence_case
from .import_tasks import FoundGroup, prose_tasks, table_tasks

@dataclass
class ImportedMaster:
    data: dict[str, Any]
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_master(doc: WordPlan, province: str, year: int) -> ImportedMaster:
    body = read_body(doc.body, appendix=bool(doc.appendices))
    out = ImportedMaster({"province": province, "year": year})
    out.unplaced.extend(body.unplaced)
    end = end_year(doc, year)
    if end:
        out.data["end_year"] = end
    out.data["issuer"] = sentence_case(" ".join(doc.issuer)) if doc.issuer else "Ủy ban nhân dân tỉnh"
    symbol = re.search(r"/\s*([^\s/]+)\s*$", doc.number_line or "")
    out.data["symbol"] = symbol.group(1) if symbol else "KH-UBND"
    if number_of(doc.number_line):
        out.data["number"] = number_of(doc.number_line)
    out.data["date"] = date_of(doc.date_line, year)
    title = " ".join(doc.title) or "Kế hoạch"
    out.data["title"] = title[:1].lower() + title[1:] if title[1:2].islower() else title
    out.data["agency_title"] = list(doc.title) or [title]
    if body.bases:
        out.data["legal_bases"] = fixed_bases(body.bases, out.notes)
    reporting = reporting_calendar(doc, year)
    if reporting:
        out.data["reporting"] = reporting
    out.data["sections"] = body.sections
    groups = _groups(doc, body, out.unplaced)
    if not groups:
        out.notes.append("không tìm thấy bảng nhiệm vụ hay nhiệm vụ đánh số 1.1., 1.2. …")
    out.data["groups"] = _master_groups(groups, (year, end or year), out)
    return out


def _groups(doc: WordPlan, body: Any, unplaced: list[str]) -> list[FoundGroup]:
    if body.table is not None:
        return table_tasks(body.table, unplaced)[1]
    tables = [b for a in doc.appendices for b in a.blocks if isinstance(b, Table)]
    if tables:
        return [g for t in tables for g in table_tasks(t, unplaced)[1]]
    return prose_tasks(body.prose, unplaced) if body.prose else []


def _master_groups(groups: list[FoundGroup], years: tuple[int, int], out: ImportedMaster) -> list[dict[str, Any]]:
    taken: set[str] = set()
    result = []
    for group in groups:
        if not group.tasks:
            out.unplaced.append(f"{group.where}: nhóm \"{group.title}\" không có nhiệm vụ nào")
            continue
        gid = make_id(group.title or NO_GROUP_TITLE, taken, words=2)
        entry: dict[str, Any] = {"id": gid, "title": group.title or NO_GROUP_TITLE}
        if group.points:
            entry["points"] = group.points
        tasks = []
        for task in group.tasks:
            if not task.content:
                out.unplaced.append(f"{task.where}: nhiệm vụ không có nội dung")
                continue
            data: dict[str, Any] = {"id": make_id(" ".join(task.content), taken, words=3, prefix=gid + "."),
                                    "content": task.content}
            lines = task.parts[0].lines
            results = [r for p in task.parts for r in p.lines.get("results", [])]
            if results:
                data["results"] = results
            if lines.get("deadline"):
                data["deadline"] = deadline_value(lines["deadline"], years, task.where, out.notes)
            responsible = [r for p in task.parts for k in ("assignment", "lead", "coordinate")
                           for r in p.lines.get(k, [])]
            if responsible:
                data["responsible"] = responsible
            if task.note:
                data["note"] = task.note
            tasks.append(data)
        entry["tasks"] = tasks
        result.append(entry)
    return result


_QUARTERLY = re.compile(r"(?:hàng|hằng) quý[^.;]*?trước ngày (\d{1,2})(?!\s*/)", re.IGNORECASE)
_MONTHLY = re.compile(r"(?:hàng|hằng) tháng[^.;]*?trước ngày (\d{1,2})(?!\s*/)", re.IGNORECASE)
_ANNUAL = re.compile(r"năm[^.;]*?trước ngày (\d{1,2})/(\d{1,2})", re.IGNORECASE)
_CUTOFF = re.compile(r"số liệu[^.;]*?(?:từ|đến) ngày (\d{1,2}) ", re.IGNORECASE)


def reporting_calendar(doc: WordPlan, year: int) -> dict[str, Any]:
    """The reporting calendar the plan states (only what it states; the rest keeps its defaults)."""
    texts = [b.text for b in doc.body if not isinstance(b, Table)]
    for table in [b for b in doc.body if isinstance(b, Table)] + [b for a in doc.appendices for b in a.blocks
                                                                   if isinstance(b, Table)]:
        texts.extend(line for row in table.rows for cell in row.cells for line in cell.lines)
    about = [t for t in texts if "báo cáo" in t.lower()]
    out: dict[str, Any] = {}
    for text in about:
        if "quarterly_due_day" not in out and (m := _QUARTERLY.search(text)):
            out["quarterly_due_day"] = int(m.group(1))
        if "monthly_due_day" not in out and (m := _MONTHLY.search(text)):
            out["monthly_due_day"] = int(m.group(1))
        if "annual_due" not in out and (m := _ANNUAL.search(text)) and 1 <= int(m.group(2)) <= 12:
            out["annual_due"] = {"day": int(m.group(1)), "month": int(m.group(2)), "year": year}
        if "cutoff_day" not in out and (m := _CUTOFF.search(text)):
            out["cutoff_day"] = int(m.group(1))
    return out
