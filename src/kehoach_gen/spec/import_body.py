"""Understand the body of a Word plan: opening, Roman sections and their items, and where the tasks are.

Paragraphs are recognised by their wording and weight, as a reader does: "I. …" opens a section,
a bold "1. …" is a heading and a plain one a numbered paragraph, "a) …" a lettered item, "Căn cứ …"
before the first section a legal basis and anything else there the opening. The task table (or
prose tasks "1.1. …" under bold group headings, or the sentence pointing to the appendix) marks
the section that holds the tasks. Every paragraph ends up somewhere or in ``unplaced``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .import_doc import Block, Para, Table

ROMAN = re.compile(r"^(?P<n>[IVXL]+)\s*[.:]\s*(?P<text>\S.*)$")
NUMBERED = re.compile(r"^(?P<n>\d{1,2})\s*\.\s*(?P<text>\S.*)$")
SUBNUMBERED = re.compile(r"^(?P<g>\d{1,2})\.(?P<t>\d{1,2})\.?\s+(?P<text>\S.*)$")
LETTERED = re.compile(r"^(?P<l>[a-zđ])\s*\)\s*(?P<text>\S.*)$")


@dataclass
class Body:
    bases: list[str] = field(default_factory=list)
    intro: list[str] = field(default_factory=list)
    sections: list[dict[str, Any]] = field(default_factory=list)
    task_section: int | None = None  # index of the section holding the tasks
    table: Table | None = None  # the task table in the body
    prose: list[Para] = field(default_factory=list)  # the prose tasks' paragraphs (group headings onward)
    body_reference: str | None = None  # the sentence pointing to the appendix
    unplaced: list[str] = field(default_factory=list)  # "đoạn 12: …" of what found no place
    extra_tables: list[Table] = field(default_factory=list)


def read_body(blocks: tuple[Block, ...], appendix: bool) -> Body:
    """Opening, sections and the place of the tasks; ``appendix``: the tasks are in an appendix."""
    out = Body()
    current: list[Block] | None = None
    chunks: list[tuple[str, list[Block]]] = []
    for block in blocks:
        if isinstance(block, Para) and (m := ROMAN.match(block.text)) and _is_title(m["text"], block):
            current = []
            chunks.append((m["text"], current))
        elif current is None:
            if isinstance(block, Para):
                basis = block.text.startswith(("Căn cứ", "Xét đề nghị", "Theo đề nghị"))
                (out.bases if basis and not out.intro else out.intro).append(block.text)
            else:
                out.unplaced.append(f"{block.where}: bảng trước phần I")
        else:
            current.append(block)
    for index, (title, chunk) in enumerate(chunks):
        out.sections.append(_section(title, chunk, index, out))
    if appendix and out.task_section is None:
        _find_reference(out)
    _strip_end(out)
    return out


def _is_title(text: str, para: Para) -> bool:
    """A section title: bold, or in capitals."""
    return para.bold or text == text.upper()


def _section(title: str, blocks: list[Block], index: int, out: Body) -> dict[str, Any]:
    section: dict[str, Any] = {"title": title}
    tables = [b for b in blocks if isinstance(b, Table)]
    paras = [b for b in blocks if isinstance(b, Para)]
    if tables and out.table is None:
        out.table, out.task_section = tables[0], index
        out.extra_tables.extend(tables[1:])
        section["tasks"] = True
    elif tables:
        out.extra_tables.extend(tables)
    start = _prose_start(paras) if out.task_section is None else None
    if start is not None:
        out.prose, paras, out.task_section = paras[start:], paras[:start], index
        section["tasks"] = True
    items = parse_items(paras)
    if items:
        section["items"] = items
    return section


def _prose_start(paras: list[Para]) -> int | None:
    """Where prose tasks begin: the bold group heading before the first "1.1. …" paragraph."""
    first = next((i for i, p in enumerate(paras) if SUBNUMBERED.match(p.text)), None)
    if first is None:
        return None
    heading = next((i for i in range(first - 1, -1, -1) if paras[i].bold and NUMBERED.match(paras[i].text)), None)
    return heading


def parse_items(paras: list[Para]) -> list[Any]:
    """Section items: headings (bold "1. …") holding what follows them, numbered paragraphs holding
    their lettered items, lettered items and plain paragraphs, numbered as the renderer numbers them."""
    items: list[Any] = []
    heading: dict[str, Any] | None = None  # the open heading
    numbered: dict[str, Any] | None = None  # the open numbered paragraph (holds lettered items)
    for para in paras:
        text = para.text
        m = NUMBERED.match(text)
        if m and para.bold:
            heading, numbered = {"heading": m["text"]}, None
            items.append(heading)
            continue
        target = heading.setdefault("items", []) if heading is not None else items
        if m and not SUBNUMBERED.match(text):
            count = sum(1 for i in target if isinstance(i, dict) and ("heading" in i or "numbered" in i))
            if int(m["n"]) == count + 1 or heading is None:
                numbered = {"numbered": m["text"]}
                target.append(numbered)
                continue
            if heading is not None and int(m["n"]) == sum(1 for i in items if isinstance(i, dict)) + 1:
                heading, numbered = None, {"numbered": m["text"]}  # back at the section's own numbering
                items.append(numbered)
                continue
        if (m := LETTERED.match(text)) and not para.bold:
            holder = numbered.setdefault("items", []) if numbered is not None else target
            holder.append({"lettered": m["text"]})
            continue
        (numbered.setdefault("items", []) if numbered is not None else target).append(text)  # same printed order
    return items


def _find_reference(out: Body) -> None:
    """The sentence pointing to the appendix: the last paragraph of a section that names "phụ lục"."""
    for index, section in enumerate(out.sections):
        items = section.get("items", [])
        if items and isinstance(items[-1], str) and "phụ lục" in items[-1].lower():
            out.body_reference = items.pop()
            if not items:
                section.pop("items")
            section["tasks"], out.task_section = True, index
            return


END = "./."


def _strip_end(out: Body) -> None:
    """The renderer ends the body with "./.": take it off the last paragraph (or drop it when alone)."""
    if out.prose and out.task_section == len(out.sections) - 1 and out.prose[-1].text.endswith(END):
        last = out.prose[-1]
        out.prose[-1] = Para(last.text.removesuffix(END).rstrip(), last.bold, last.italic, last.where)
        return
    if not out.sections:
        if out.intro and out.intro[-1].endswith(END):
            out.intro[-1] = out.intro[-1].removesuffix(END).rstrip() or out.intro.pop()
        return
    last = out.sections[-1]
    holder, key = _last_text(last)
    if holder is None:
        return
    text = holder[key] if isinstance(key, str) else holder[key]
    if not text.endswith(END):
        return
    rest = text.removesuffix(END).rstrip()
    if rest:
        holder[key] = rest
    elif isinstance(key, int):
        holder.pop(key)


def _last_text(node: Any) -> tuple[Any, Any]:
    items = node.get("items") if isinstance(node, dict) else None
    if not items:
        for name in ("heading", "numbered", "lettered"):
            if isinstance(node, dict) and name in node:
                return node, name
        return None, None
    last = items[-1]
    if isinstance(last, str):
        return items, len(items) - 1
    return _last_text(last)
