"""Read a Word plan for ``kehoach import``: the lint reader's view of the document plus its tables, in order.

The header block, title, signature and appendices come from :func:`reader.read_opened` (found by
content, any table shape, formatting resolved through styles); this module adds what the importer
needs besides: every body paragraph and table in document order, each table as rows of cells on
its grid (spans, vertical merges, column widths), and the blocks of each appendix.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..spec.import_doc import AppendixDoc, Block, Cell, Para, Row, Table, WordPlan
from .docx_facts import W, paragraph_text
from .reader import open_docx, read_with_parts
from .reader_lines import TWIPS_PER_MM, LineMaker
from .vntext import clean, has_letters, nfc


def read_word_plan(path: Path, shown: str) -> WordPlan:
    """The plan in ``path`` as neutral data (UnreadableDocument for a .doc, .pdf or broken file)."""
    doc = open_docx(path)
    nd, maker, before, after = read_with_parts(doc)  # one reading, shared with lint's
    body = doc.element.body
    taken = {id(line.node) for line in (nd.kind_line, *nd.title, *nd.recipient) if line is not None}
    counter = _Counter(body)
    blocks = [b for b in (_block(n, maker, counter) for n in before if id(n) not in taken) if b is not None]
    signature = nd.signature
    appendices, outside = _appendices(nd, after, maker, counter)
    return WordPlan(
        source=shown, kind=nd.kind.name,
        superior=tuple(line.text for line in nd.header.superior),
        issuer=tuple(line.text for line in nd.header.issuer),
        number_line=nd.header.number.text if nd.header.number else None,
        date_line=nd.header.date.text if nd.header.date else None,
        title=tuple(raw_text(line.node) for line in nd.title), body=tuple(blocks),
        recipients=tuple(raw_text(line.node) for line in signature.recipients) if signature else (),
        authority=tuple(line.text for line in signature.authority) if signature else (),
        signer=signature.signer.text if signature and signature.signer else None,
        appendices=appendices, after_body=tuple(outside))


class _Counter:
    """Positions as a clerk counts them: body paragraphs with text, and tables, from the top."""

    def __init__(self, body: Any) -> None:
        self.paragraphs: dict[int, int] = {}
        self.tables: dict[int, int] = {}
        for node in body:
            if node.tag == f"{W}p" and has_letters(paragraph_text(node)):
                self.paragraphs[id(node)] = len(self.paragraphs) + 1
            elif node.tag == f"{W}tbl":
                self.tables[id(node)] = len(self.tables) + 1

    def where(self, node: Any) -> str:
        if node.tag == f"{W}tbl":
            return f"bảng {self.tables.get(id(node), '?')}"
        return f"đoạn {self.paragraphs.get(id(node), '?')}"


def _block(node: Any, maker: LineMaker, counter: _Counter) -> Block | None:
    if node.tag == f"{W}tbl":
        return _table(node, maker, counter.where(node))
    text = paragraph_text(node)
    if not clean(text):
        return None
    line = maker.line(node)
    printed = line.printed
    return Para(raw_text(node), bool(printed) and all(r.bold for r in printed),
                bool(printed) and all(r.italic for r in printed), counter.where(node))


def raw_text(p: Any) -> str:
    """The paragraph's text as typed (NFC, spaces inside kept: "số:      /KH" is how a draft leaves the number);
    tabs and line breaks become spaces, soft hyphens and zero-width marks go."""
    text = nfc(paragraph_text(p)).translate(_INVISIBLE).replace("\t", " ").replace("\n", " ")
    return _CONTROL.sub("", text).strip()


_INVISIBLE = str.maketrans({"\u00ad": None, "\u200b": None, "\ufeff": None, "\u2011": "-"})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff]")  # never printed; refused in specs


def _table(table: Any, maker: LineMaker, where: str) -> Table:
    grid = [_count(c.get(f"{W}w"), 0) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
    rows = []
    for r, tr in enumerate(table.findall(f"{W}tr"), start=1):
        cells, col = [], 0
        for tc in tr.findall(f"{W}tc"):
            span_node = tc.find(f"{W}tcPr/{W}gridSpan")
            span = _count(span_node.get(f"{W}val")) if span_node is not None else 1
            merge = tc.find(f"{W}tcPr/{W}vMerge")
            continued = merge is not None and merge.get(f"{W}val") in (None, "continue")
            lines = [maker.line(p) for p in tc.findall(f"{W}p") if clean(paragraph_text(p))]
            printed = [run for line in lines for run in line.printed]
            cells.append(Cell(tuple(raw_text(line.node) for line in lines), col, span, continued,
                              bool(printed) and all(run.bold for run in printed), lines[0].align if lines else None))
            col += span
        rows.append(Row(tuple(cells), f"{where}, dòng {r}"))
    return Table(tuple(rows), tuple(round(w / TWIPS_PER_MM, 1) for w in grid), where)


def _count(value: str | None, default: int = 1) -> int:
    """A span or width as Word wrote it; anything unreadable counts as ``default``."""
    try:
        return max(int(float(value or "")), 0)
    except ValueError:
        return default


def _appendices(nd: Any, after: list[Any], maker: LineMaker, counter: _Counter) -> tuple[tuple[AppendixDoc, ...], list[Block]]:
    """Each appendix with the blocks up to the next one; what comes before the first is ``outside``."""
    starts: dict[int, Any] = {}
    parts: set[int] = set()
    for appendix in nd.appendices:
        lines = [x for x in (appendix.label, *appendix.title, appendix.indication) if x is not None]
        starts[id(lines[0].node)] = appendix
        parts.update(id(x.node) for x in lines)
    out: list[tuple[Any, list[Block], str]] = []
    outside: list[Block] = []
    for node in after:
        if id(node) in starts:
            out.append((starts[id(node)], [], counter.where(node)))
            continue
        if id(node) in parts:
            continue
        block = _block(node, maker, counter)
        if block is not None:
            (out[-1][1] if out else outside).append(block)
    return tuple(AppendixDoc(raw_text(a.label.node) if a.label else None, tuple(raw_text(t.node) for t in a.title),
                             raw_text(a.indication.node) if a.indication else None, tuple(blocks), where)
                 for a, blocks, where in out), outside
