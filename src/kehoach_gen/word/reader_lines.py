"""Lines of a Word file and the rules drawn under them, for the reader of ND30 documents.

A paragraph becomes a :class:`Line` (visible text, printed runs, alignment, room on the page).
Tables are seen as columns of cells on their grid, so a header laid out as 1x2, 2x3, 3x3 or 4x3
cells (spacer columns, the Số/date on their own row) reads the same. A rule under a line is any
of what Word users draw: a paragraph border, a drawn line shape or VML line anchored in the line
or a paragraph just after it in the same column, an underscore-only paragraph, an underline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .docx_facts import W, Styles, has_bottom_border, paragraph_prop, paragraph_text, run_facts
from .reader_model import Line, Run
from .vntext import clean, has_letters, nfc, only_underscores

_WPS = "{http://schemas.microsoft.com/office/word/2010/wordprocessingShape}"
_V = "{urn:schemas-microsoft-com:vml}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_O = "{urn:schemas-microsoft-com:office:office}"
_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_EMU_PER_MM = 36000
_UNIT_MM = {"pt": 25.4 / 72, "in": 25.4, "cm": 10.0, "mm": 1.0, "px": 25.4 / 96, "": 25.4 / 96, "emu": 1 / 36000}
TWIPS_PER_MM = 1440 / 25.4
_TAB_STOP = 720  # Word's default tab stops, every 1,27 cm
_LINE_SHAPES = ("line", "straightConnector1", "straightConnector")


class LineMaker:
    """Turns w:p elements into :class:`Line` values, formatting resolved through ``styles``."""

    def __init__(self, styles: Styles, text_width_mm: float) -> None:
        self.styles = styles
        self.text_width_mm = text_width_mm

    def line(self, p: Any, room_mm: float | None = None, rule_below: str | None = None,
             rule_mm: float | None = None) -> Line:
        raw = paragraph_text(p)
        runs = tuple(Run(nfc(r.text), r.size, r.bold, r.italic, r.underline, r.printed_font, r.script)
                     for r in run_facts(p, self.styles))
        room = room_mm if room_mm is not None else self.text_width_mm
        indent = sum(int(paragraph_prop(p, self.styles, "ind", side) or 0) for side in ("left", "right"))
        first = paragraph_prop(p, self.styles, "ind", "firstLine")
        hanging = paragraph_prop(p, self.styles, "ind", "hanging")
        left = paragraph_prop(p, self.styles, "ind", "left") or paragraph_prop(p, self.styles, "ind", "start")
        start = int(left or 0) + int(first or 0) - int(hanging or 0)
        if raw.lstrip(" ").startswith("\t"):  # a leading tab moves the first line on to the next default stop
            start = (start // _TAB_STOP + 1) * _TAB_STOP
        first_mm = round(start / TWIPS_PER_MM, 1)
        spacing = {k: paragraph_prop(p, self.styles, "spacing", k) for k in ("before", "after", "line", "lineRule")}
        gap = (int(spacing["before"] or 0) + int(spacing["after"] or 0)) / 20
        pitch = (spacing["lineRule"] or "auto", int(spacing["line"]) / (240 if (spacing["lineRule"] or "auto") == "auto"
                                                                    else 20)) if spacing["line"] else ("auto", 1.0)
        return Line(clean(raw), runs, paragraph_prop(p, self.styles, "jc"), round(room - indent / TWIPS_PER_MM, 1),
                    raw.count("\n"), rule_below, p, rule_mm, first_mm, gap, pitch)

    def ruled_line(self, p: Any, room_mm: float | None, followers: list[Any]) -> Line:
        """The line of ``p`` with the rule drawn under it: how (``rule_below``) and how long (``rule_mm``)."""
        how, length = self.rule(p, followers, room_mm)
        return self.line(p, room_mm, how, length)

    def rule_under(self, p: Any, followers: list[Any]) -> str | None:
        """How the rule under paragraph ``p`` is drawn, looking at ``p`` and the paragraphs after it."""
        return self.rule(p, followers, None)[0]

    def rule(self, p: Any, followers: list[Any], room_mm: float | None) -> tuple[str | None, float | None]:
        """How the rule under ``p`` is drawn and its printed length in mm (None when it cannot be told)."""
        room = room_mm if room_mm is not None else self.text_width_mm
        if has_bottom_border(p, self.styles):
            return "viền dưới đoạn", self._border_mm(p, room)
        own = run_facts(p, self.styles)
        printed = [r for r in own if has_letters(r.text)]
        if printed and all(r.underline for r in printed):
            return "gạch chân", None
        if _has_line_shape(p) and _visible(_shape_mm(p)):
            return "đường kẻ vẽ", _shape_mm(p)
        for follower in followers:
            text = paragraph_text(follower)
            if paragraph_prop(follower, self.styles, "pBdr/" + W + "top") not in (None, "nil", "none"):
                return "viền trên đoạn sau", self._border_mm(follower, room)
            if _has_line_shape(follower) and _visible(_shape_mm(follower)):
                return "đường kẻ vẽ", _shape_mm(follower)
            if only_underscores(text):
                return "dòng gạch dưới", self._underscores_mm(follower)
            if has_letters(text):
                return None, None
            if has_bottom_border(follower, self.styles):
                return "viền dưới đoạn", self._border_mm(follower, room)
        return None, None

    def _border_mm(self, p: Any, room_mm: float) -> float:
        """A paragraph border runs from the left to the right indent."""
        indent = sum(int(paragraph_prop(p, self.styles, "ind", side) or 0) for side in ("left", "right"))
        return round(room_mm - indent / TWIPS_PER_MM, 1)

    def _underscores_mm(self, p: Any) -> float | None:
        """A typed "____" line: each underscore is half an em of its run's size (two thirds when raised)."""
        total = 0.0
        for run in run_facts(p, self.styles):
            size = (run.size or 12.0) * (2 / 3 if run.script else 1.0)
            total += run.text.count("_") * size * 0.5
        return round(total * 25.4 / 72, 1) if total else None


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


def _visible(length: float | None) -> bool:
    """A drawn line of no length (a connector left at width 0) prints nothing."""
    return length is None or length >= 1.0


def _shape_mm(p: Any) -> float | None:
    """The width of the first drawn line in ``p``: DrawingML extent, else VML from/to or style width."""
    for geom in p.iter(f"{_A}prstGeom"):
        if geom.get("prst") not in _LINE_SHAPES:
            continue
        node = geom.getparent()
        while node is not None and node.tag not in (f"{_WP}anchor", f"{_WP}inline"):
            node = node.getparent()
        extent = node.find(f"{_WP}extent") if node is not None else None
        if extent is not None and extent.get("cx"):
            return round(int(extent.get("cx")) / _EMU_PER_MM, 1)
    for shape in (*p.iter(f"{_V}line"), *p.iter(f"{_V}shape")):
        if shape.tag == f"{_V}line" and shape.get("from") and shape.get("to"):
            (x1, y1), (x2, y2) = (_vml_point(shape.get("from")), _vml_point(shape.get("to")))
            if None not in (x1, x2, y1, y2):
                return round(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1)
        found = re.search(r"(?:^|;)\s*width:\s*([-\d.]+)\s*([a-z]*)", shape.get("style") or "")
        if found and found.group(2) in _UNIT_MM:
            return round(float(found.group(1)) * _UNIT_MM[found.group(2)], 1)
    return None


def _vml_point(text: str) -> tuple[float | None, float | None]:
    out = []
    for part in (text.split(",") + ["0"])[:2]:
        found = re.match(r"\s*([-\d.]+)\s*([a-z]*)", part)
        out.append(float(found.group(1)) * _UNIT_MM[found.group(2)] if found and found.group(2) in _UNIT_MM else None)
    return out[0], out[1]


@dataclass
class Cell:
    row: int
    col: int  # first grid column
    span: int
    room_mm: float
    paragraphs: list[Any]


def table_cells(table: Any, styles: Styles | None = None) -> list[Cell]:
    """The cells of a table on its grid, with the room each gives its text (width less cell margins).

    Cell margins come from the table, else its table style (``styles``), else Word's default 0,19 cm a side."""
    grid = [int(c.get(f"{W}w") or 0) for c in table.findall(f"{W}tblGrid/{W}gridCol")]
    style = table.find(f"{W}tblPr/{W}tblStyle")
    sources = [table.find(f"{W}tblPr")]
    if styles is not None and style is not None:
        sources += [s.find(f"{W}tblPr") for s in styles.chain(style.get(f"{W}val"))]
    margins = 216
    for source in sources:
        nodes = [source.find(f"{W}tblCellMar/{W}{side}") for side in ("left", "right", "start", "end")] \
            if source is not None else []
        if any(n is not None for n in nodes):
            margins = sum(int(n.get(f"{W}w") or 0) for n in nodes if n is not None)
            break
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
