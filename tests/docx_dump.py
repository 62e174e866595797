"""A text dump of a .docx for golden tests: body order, paragraph style facts, table cells.

Each paragraph: ``P <style> [<align>] text``; each table row: ``R<n> | cell | cell``, a cell's
paragraphs joined with `` / ``; merged cells marked ``<gridSpan n>`` / ``<vMerge>``; section
breaks ``§ <orientation> <w>x<h>``.
"""

from __future__ import annotations

from pathlib import Path

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _para_text(p) -> str:  # noqa: ANN001
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def _style(p) -> str:  # noqa: ANN001
    node = p.find(f"{W}pPr/{W}pStyle")
    return node.get(f"{W}val") if node is not None else "-"


def _cell(tc) -> str:  # noqa: ANN001
    marks = []
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    if span is not None:
        marks.append(f"<gridSpan {span.get(f'{W}val')}>")
    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
    if vmerge is not None:
        marks.append(f"<vMerge {vmerge.get(f'{W}val') or 'continue'}>")
    text = " / ".join(_para_text(p) for p in tc.iter(f"{W}p") if _para_text(p))
    return " ".join([*marks, text]).strip()


def dump(path: Path) -> str:
    from docx import Document

    body = Document(str(path)).element.body
    lines: list[str] = []
    for child in body:
        if child.tag == f"{W}p":
            text = _para_text(child)
            if text:
                lines.append(f"P {_style(child)} {text}")
            sect = child.find(f"{W}pPr/{W}sectPr")
            if sect is not None:
                lines.append(_section(sect))
        elif child.tag == f"{W}tbl":
            for number, row in enumerate(child.findall(f"{W}tr"), start=1):
                lines.append(f"R{number} | " + " | ".join(_cell(tc) for tc in row.findall(f"{W}tc")))
        elif child.tag == f"{W}sectPr":
            lines.append(_section(child))
    return "\n".join(lines) + "\n"


def _section(sect) -> str:  # noqa: ANN001
    size = sect.find(f"{W}pgSz")
    w, h = size.get(f"{W}w"), size.get(f"{W}h")
    return f"§ {'landscape' if int(w) > int(h) else 'portrait'} {w}x{h}"
