"""Lines of a Word file and the rules drawn under them, for the reader of ND30 documents.

A paragraph becomes a :class:`Line` (visible text, printed runs, alignment, room on the page).
Tables are seen as columns of cells on their grid, so a header laid out as 1x2, 2x3, 3x3 or 4x3
cells (spacer columns, the Số/date on their own row) reads the same. A rule under a line is any
of what Word users draw: a paragraph border, a drawn line shape or VML line anchored in the line
or a paragraph just after it in the same column, an underscore-only paragraph, an underline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .docx_facts import W, Styles, has_bottom_border, paragraph_prop, paragraph_text, run_facts
from .reader_model import Line, Run
from .vntext import clean, has_letters, nfc, only_underscores

_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_V = "{urn:schemas-microsoft-com:vml}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_O = "{urn:schemas-microsoft-com:office:office}"
TWIPS_PER_MM = 1440 / 25.4
_LINE_SHAPES = ("line", "straightConnector1", "straightConnector")


class LineMaker:
    """Turns w:p elements into :class:`Line` values, formatting resolved through ``styles``."""

    def __init__(self, styles: Styles, text_width_mm: float) -> None:
        self.styles = styles
        self.text_width_mm = text_width_mm

    def line(self, p: Any, room_mm: float | None = None, rule_below: str | None = None) -> Line:
        raw = paragraph_text(p)
        runs = tuple(Run(nfc(r.text), r.size, r.bold, r.italic, r.underline, r.printed_font, r.script)
                     for r in run_facts(p, self.styles))
        room = room_mm if room_mm is not None else self.text_width_mm
        indent = sum(int(paragraph_prop(p, self.styles, "ind", side) or 0) for side in ("left", "right"))
        return Line(clean(raw), runs, paragraph_prop(p, self.styles, "jc"), round(room - indent / TWIPS_PER_MM, 1),
                    raw.count("\n"), rule_below, p)

    def rule_under(self, p: Any, followers: list[Any]) -> str | None:
        """How the rule under paragraph ``p`` is drawn, looking at ``p`` and the paragraphs after it."""
        if has_bottom_border(p, self.styles):
            return "viền dưới đoạn"
        own = run_facts(p, self.styles)
        printed = [r for r in own if has_letters(r.text)]
        if printed and all(r.underline for r in printed):
            return "gạch chân"
        if _has_line_shape(p):
            return "đường kẻ vẽ"
        for follower in followers:
            text = paragraph_text(follower)
            if paragraph_prop(follower, self.styles, "pBdr/" + W + "top") not in (None, "nil", "none"):
                return "viền trên đoạn sau"
            if _has_line_shape(follower):
                return "đường kẻ vẽ"
            if only_underscores(text):
                return "dòng gạch dưới"
            if has_letters(text):
                return None
            if has_bottom_border(follower, self.styles):
                return "viền dưới đoạn"
        return None


def _has_line_shape(p: Any) -> bool:
    """A drawn straight line (DrawingML shape or VML line/connector) anchored in paragraph ``p``."""
    for geom in p.iter(f"{_A}prstGeom"):
        if geom.get("prst") in _LINE_SHAPES:
            return True
    for shape in p.iter(f"{_V}line"):
        return True
    for shape in p.iter(f"{_V}shape"):
        if shape.get("type") in ("#_x0000_t32", "#_x0000_t20") or shape.get(f"{_O}connectortype"):
            return True
        style = shape.get("style") or ""
        if "height:0" in style.replace(" ", "") or "height:.0" in style.replace(" ", ""):
            return True
    return False


@dataclass
class Cell:
    row: int
    col: int  # first grid column
    span: int
    room_mm: float
    paragraphs: list[Any]


def table_cells(table: Any) -> list[Cell]:
    """The cells of a table on its grid, with the room each gives its text (width less cell margins)."""
    grid = [int(c.get(f"{W}w") or 0) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
    margins = 0
    for side in ("left", "right", "start", "end"):
        node = table.find(f"{W}tblPr/{W}tblCellMar/{W}{side}")
        margins += int(node.get(f"{W}w") or 0) if node is not None else 0
    margins = margins or 216  # Word's default 0.19 cm each side
    out = []
    for r, row in enumerate(table.findall(f"{W}tr")):
        col = 0
        for tc in row.findall(f"{W}tc"):
            span_node = tc.find(f"{W}tcPr/{W}gridSpan")
            span = int(span_node.get(f"{W}val")) if span_node is not None else 1
            width = sum(grid[col:col + span]) if grid else 0
            paragraphs = [p for p in tc.iter(f"{W}p") if not _in_nested_table(p, tc)]
            out.append(Cell(r, col, span, round(max(width - margins, 0) / TWIPS_PER_MM, 1), paragraphs))
            col += span
    return out


def _in_nested_table(p: Any, tc: Any) -> bool:
    node = p.getparent()
    while node is not None and node is not tc:
        if node.tag == f"{W}tc":
            return True
        node = node.getparent()
    return False


def column_after(cells: list[Cell], cell: Cell, p: Any) -> list[Any]:
    """Paragraphs after ``p`` in its column: the rest of its cell, then the cells below it."""
    after = cell.paragraphs[cell.paragraphs.index(p) + 1:]
    for below in cells:
        if below.col == cell.col and below.row > cell.row:
            after.extend(below.paragraphs)
    return after


def paragraphs_after(p: Any, limit: int = 4) -> list[Any]:
    """The body-level paragraphs after ``p`` (up to ``limit``), for finding a rule drawn under it."""
    out = []
    node = p.getnext()
    while node is not None and len(out) < limit:
        if node.tag == f"{W}p":
            out.append(node)
        elif node.tag == f"{W}tbl":
            break
        node = node.getnext()
    return out
