"""Propose an agency's registry entry from its Word plan (``kehoach import --as registry-units``).

The header gives the superior body and the issuing body's lines, the "Số:" line its symbol, the
signature its signer, recipients and archive; the units are every name the task table or prose
assigns work to (one per name, a code made from its initials). The result is a proposal to check and
paste into registry.yaml, never written into it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import vnformat as vn
from .import_body import read_body
from .import_doc import Table, WordPlan
from .context import unit_names
from .import_fields import recipients_of, sentence_case, short, signer_of
from .import_match import split_assignment, split_units
from .import_tasks import prose_tasks, table_tasks
from .import_yaml import to_yaml
from .agencies import AgencyProfile


@dataclass
class ProposedUnits:
    code: str
    text: str
    summary: str
    unplaced: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def unit_code(name: str, taken: set[str]) -> str:
    """"Phòng Quản lý công nghiệp" -> "PQLCN" (initials, ASCII upper case), unique among ``taken``."""
    words = [w for w in vn.strip_diacritics(name).upper().split() if w[:1].isalnum()]
    base = "".join(w[0] for w in words)[:12] or "DV"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    taken.add(code)
    return code


def _looks_like_a_name(text: str) -> bool:
    """A unit or a person: a few words, no sentence punctuation."""
    return len(text.split()) <= 8 and not any(ch in text for ch in ";()")


def propose_units(doc: WordPlan, agency: str | None, known: AgencyProfile | None = None) -> ProposedUnits:
    """The proposed registry entry; with ``known`` (the agency already in the registry) only its new units,
    its names and codes kept."""
    body = read_body(doc.body, appendix=bool(doc.appendices))
    unplaced = list(body.unplaced)
    tables = ([body.table] if body.table else []) + [b for a in doc.appendices for b in a.blocks if isinstance(b, Table)]
    groups = [g for t in tables for g in table_tasks(t, unplaced)[1]] or prose_tasks(body.prose, unplaced)
    known_names = unit_names(known) if known else {}
    names, skipped = [], []
    for part in (p for g in groups for t in g.tasks for p in t.parts):
        for key in ("assignment", "lead", "coordinate"):
            lines = part.lines.get(key, [])
            if key == "assignment" and len(lines) == 1:
                lines = [x for x in split_assignment(lines[0]) if x]
            for line in lines:
                for name in split_units(line.strip(" .;"), known_names).unknown:
                    if not _looks_like_a_name(name):
                        skipped.append(name) if name not in skipped else None
                    elif name.lower() not in {n.lower() for n in names}:
                        names.append(name[:1].upper() + name[1:])
    symbol = re.search(r"/\s*KH-([^\s/]+)", doc.number_line or "")
    code = (agency or (symbol.group(1) if symbol else "COQUAN")).upper()
    notes: list[str] = []
    name = sentence_case(" ".join(doc.issuer)) if doc.issuer else code
    if known is None:
        notes.append(f"tên cơ quan \"{name}\" viết theo chữ in hoa của văn bản: kiểm tra chữ hoa (ví dụ Sở Công Thương)")
    taken = {u.code for u in known.units} | {g.code for g in known.unit_groups} if known else set()
    new = names
    notes.extend(f"\"{short(n, 70)}\" không giống tên đơn vị (dài hoặc có dấu ; ( )), không đề xuất" for n in skipped)
    entry: dict[str, Any] = {"code": code, "name": known.name if known else name,
                             "full_name": known.full_name if known else name, "superior_lines": list(doc.superior),
                             "header_lines": list(doc.issuer), "symbol": symbol.group(1) if symbol else code,
                             "units": [{"code": unit_code(n, taken), "name": n} for n in new]}
    signer = signer_of(doc, unplaced)
    if signer:
        entry["signer"] = signer
    recipients, archive = recipients_of(doc)
    entry["recipients"] = recipients
    entry["archive"] = archive or []
    heading = (f"Đề xuất hồ sơ cơ quan {code} từ {doc.source} (kehoach import --as registry-units).\n"
               "Kiểm tra tên, mã đơn vị và người ký, rồi chép mục này vào agencies: của registry.yaml "
               "(thêm full_name đầy đủ, place nếu cần).")
    text = to_yaml({"agencies": [entry]}, heading)
    summary = f"{len(new)} đơn vị, người ký {signer['name'] if signer else 'chưa rõ'}"
    return ProposedUnits(code, text, summary, unplaced, notes)
