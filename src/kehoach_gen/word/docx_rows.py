"""The bytes of a task table (docx_table has the layout and the contract), written chunk by chunk.

Only the texts are encoded; the markup is ASCII, made once per style and column. A chunk of rows is
written in one of two ways, with the same bytes:

- as a whole (the usual way): each row becomes a bytes format with a ``%s`` slot per line, the same
  format for every row of the same shape (line counts per cell), kept in ``_shapes``; the chunk's
  texts are joined, checked, escaped and encoded at once and formatted into the chunk's formats;
- line by line (``_direct``): a chunk with a line that is empty, starts or ends with a space (it
  keeps them: ``xml:space``) or holds a NUL, and docxtpl's protected text (task_table_xml).
"""

from __future__ import annotations

from itertools import chain
from operator import itemgetter, le
from typing import Any, Callable, Iterator

HEADER_ROW = b"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
ROW = b"<w:tr><w:trPr><w:cantSplit/></w:trPr>"
SPLITTABLE_ROW = b"<w:tr>"
END_RUN = b"</w:t></w:r></w:p>"
MERGES = (b'<w:vMerge w:val="restart"/>', b"<w:vMerge/>")
CHUNK = 200  # rows


def per_line(width: int, size: int) -> int:
    """Characters per line of a cell ``width`` twips wide (minus the table style's cell margins, 85 each)."""
    return max(int((width - 170) / (size * 0.5)), 1)  # a character: size/20 pt * 20 twips/pt * 0.5


def cell_height(lines: Any, chars: int, size: int) -> int:
    """A cell's height estimated in twips, ``chars`` characters a line (see docx_table.row_height)."""
    if not lines:
        return int(size * 1.15) + 60
    count = 0
    for line in lines:
        count += (len(line) + chars - 1) // chars or 1
    return int(count * size * 1.15) + 60 * len(lines)


class Paragraphs:
    """The fixed parts of a paragraph in one style: opening (plain, keeping its spaces), empty."""

    def __init__(self, style_id: str) -> None:
        start = f'<w:p><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr>'.encode()
        self.plain, self.spaced = start + b"<w:r><w:t>", start + b'<w:r><w:t xml:space="preserve">'
        self.empty = start + b"</w:p>"


class _Column:
    def __init__(self, column: dict[str, Any], width: int, size: int, paragraphs: dict[str, Paragraphs]) -> None:
        self.key, self.width, self.align = column["key"], width, column.get("align", "justify")
        self.style = paragraphs[self.align]
        self.opening = b'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="%d"/>' % width
        self.chars = per_line(width, size)


class TableWriter:
    """One table: ``chunks()`` yields its bytes; ``least()`` is a cheap lower bound of their length."""

    def __init__(self, table: dict[str, Any], widths: list[int], width: int, table_style: str, styles: dict[str, str],
                 split_above: int | None, size: int, text: Callable[[str], bytes], whole: bool) -> None:
        self.rows, self.widths, self.text, self.whole = table.get("rows", []), widths, text, whole
        self.split_above, self.size = split_above, size
        self.paragraphs = {role: Paragraphs(style) for role, style in styles.items()}
        self.columns = [_Column(c, w, size, self.paragraphs) for c, w in zip(table["columns"], widths, strict=True)]
        self.keys, self.none = [c.key for c in self.columns], [()] * len(self.columns)
        self._shapes: dict[tuple[int, ...], tuple[bytes, bytes, tuple[int, ...]]] = {}
        out = [b'<w:tbl><w:tblPr><w:tblStyle w:val="%s"/><w:tblW w:type="dxa" w:w="%d"/>' % (table_style.encode(), width),
               b'<w:jc w:val="center"/><w:tblLayout w:type="fixed"/><w:tblLook w:firstColumn="1" w:firstRow="1" '
               b'w:lastColumn="0" w:lastRow="0" w:noHBand="0" w:noVBand="1" w:val="04A0"/></w:tblPr><w:tblGrid>',
               *(b'<w:gridCol w:w="%d"/>' % w for w in widths), b"</w:tblGrid>", HEADER_ROW]
        for column, given in zip(self.columns, table["columns"]):
            out.append(column.opening + b'<w:vAlign w:val="center"/></w:tcPr>')
            self._lines(out, [given["header"]], self.paragraphs["head"])
            out.append(b"</w:tc>")
        out.append(b"</w:tr>")
        self.head = b"".join(out)

    def least(self) -> int:
        """At most the length of the table's bytes: every row at least as short as it can be, every cell
        at least an empty paragraph."""
        cell = min(len(c.opening) for c in self.columns) + len(b"</w:tcPr></w:tc>") + \
            min(len(p.empty) for p in self.paragraphs.values())
        groups = list(map(itemgetter("kind"), self.rows)).count("group")
        row = len(SPLITTABLE_ROW) + len(b"</w:tr>")
        return (len(self.head) + (len(self.rows) - groups) * (row + len(self.columns) * cell)
                + groups * (row + min(len(self.columns), 2) * cell) + len(b"</w:tbl>"))

    def chunks(self) -> Iterator[bytes]:
        yield self.head
        for start in range(0, len(self.rows), CHUNK):
            rows = self.rows[start:start + CHUNK]
            written = self._whole(rows) if self.whole else None
            yield written if written is not None else self._direct(rows)
        yield b"</w:tbl>"

    # line by line

    def _direct(self, rows: list[dict[str, Any]]) -> bytes:
        out: list[bytes] = []
        for row in rows:
            if row["kind"] == "group":
                self._group_row(out, row, self._lines)
            else:
                self._task_rows(out, row, self._lines)
        return b"".join(out)

    def _lines(self, out: list[bytes], lines: Any, style: Paragraphs) -> None:
        """One paragraph per line (bullets such as "- …" stay literal); an empty line is an empty paragraph."""
        text = self.text
        for line in lines:
            if line:
                out += (style.spaced if line[0].isspace() or line[-1].isspace() else style.plain, text(line), END_RUN)
            else:
                out.append(style.empty)

    def _group_row(self, out: list[bytes], row: dict[str, Any], lines: Callable[..., None]) -> None:
        """Roman numeral in the first column; the title (bold) and its sub-points span the rest."""
        widths, paragraphs = self.widths, self.paragraphs
        out += (ROW, self.columns[0].opening, b"</w:tcPr>")
        lines(out, [row.get("number", "")], paragraphs["number"])
        out.append(b"</w:tc>")
        if len(widths) > 1:
            span = b'<w:gridSpan w:val="%d"/>' % (len(widths) - 1) if len(widths) > 2 else b""
            out.append(b'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="%d"/>%s</w:tcPr>' % (sum(widths[1:]), span))
            lines(out, [row.get("title", "")], paragraphs["group"])
            lines(out, row.get("points", []), paragraphs["justify"])
            out.append(b"</w:tc>")
        out.append(b"</w:tr>")

    def _task_rows(self, out: list[bytes], row: dict[str, Any], lines: Callable[..., None]) -> None:
        """One table row per part; with several parts the ``shared`` columns are merged down.
        ``row["align"]`` (column key -> alignment) overrides a column's alignment for this task; a group
        that is its own task (own_task) has a ``heading``: its number and title set as a group row's."""
        shared, parts = row.get("shared", {}), row.get("parts") or [{}]
        aligns, paragraphs, split_above = row.get("align") or {}, self.paragraphs, self.split_above
        heading = row.get("heading")
        for index, part in enumerate(parts):
            at, tall = len(out), False
            out.append(ROW)
            for column in self.columns:
                key = column.key
                style = paragraphs[aligns.get(key) or column.align]
                first = None
                if key not in shared:
                    texts = part.get(key, ())
                    out += (column.opening, b"</w:tcPr>")
                else:
                    texts = shared[key] if index == 0 else ()
                    out += (column.opening, b"</w:tcPr>" if len(parts) == 1 else MERGES[index > 0] + b"</w:tcPr>")
                    if heading and index == 0:
                        if key == "stt":
                            style = paragraphs["number"]
                        elif key == "content":
                            first = heading
                            lines(out, (heading,), paragraphs["group"])
                if texts:
                    lines(out, texts, style)
                elif first is None:
                    out.append(style.empty)
                out.append(b"</w:tc>")
                if split_above is not None and not tall:
                    tall = cell_height([first, *texts] if first else texts, column.chars, self.size) > split_above
            if tall:
                out[at] = SPLITTABLE_ROW
            out.append(b"</w:tr>")

    # as a whole

    def _whole(self, rows: list[dict[str, Any]]) -> bytes | None:
        """The chunk written through formats, or None when a line needs the line-by-line way."""
        formats: list[bytes] = []
        texts: list[str] = []
        keys, none, shapes, split_above = self.keys, self.none, self._shapes, self.split_above
        for row in rows:
            if row["kind"] == "group":
                self._group_row(formats, row, _slots(texts))
                continue
            parts = row.get("parts") or [{}]
            if len(parts) > 1 or row.get("align") or row.get("heading"):
                self._task_rows(formats, row, _slots(texts))
                continue
            # a task of one part, no heading, no alignment of its own: a row of a known shape
            shared = row.get("shared")
            cells = list(map({**parts[0], **shared}.get if shared else parts[0].get, keys, none))
            counts = tuple(map(len, cells))
            shape = shapes.get(counts) or self._shape(counts)
            if split_above is not None and not all(map(le, map(len, map("".join, cells)), shape[2])) and any(
                    cell_height(lines, c.chars, self.size) > split_above for lines, c in zip(cells, self.columns)):
                formats.append(shape[1])
            else:
                formats.append(shape[0])
            texts += chain.from_iterable(cells)
        if not texts:
            return b"".join(formats)
        if not all(texts) or list(map(str.strip, texts)) != texts:  # an empty line, or one to keep spaced
            return None
        encoded = "\x00".join(texts).encode("utf-8")
        if b"&" in encoded or b"<" in encoded or b">" in encoded or b"\r" in encoded:  # UTF-8: ASCII bytes are ASCII
            encoded = (encoded.replace(b"&", b"&amp;").replace(b"<", b"&lt;").replace(b">", b"&gt;")
                       .replace(b"\r", b"&#13;"))
        encoded_texts = encoded.split(b"\x00")
        if len(encoded_texts) != len(texts):  # a text holding a NUL
            return None
        return b"".join(formats) % tuple(encoded_texts)

    def _shape(self, counts: tuple[int, ...]) -> tuple[bytes, bytes, tuple[int, ...]]:
        """The row formats (short, splittable) of a plain task whose cells have ``counts`` lines, and the
        most characters each cell can hold and surely not be taller than ``split_above``."""
        out = [ROW]
        limits = []
        for column, count in zip(self.columns, counts):
            out += (column.opening, b"</w:tcPr>",
                    (column.style.plain + b"%s" + END_RUN) * count if count else column.style.empty, b"</w:tc>")
            limits.append(self._most(column.chars, count))
        out.append(b"</w:tr>")
        short = b"".join(out)
        self._shapes[counts] = shape = (short, SPLITTABLE_ROW + short[len(ROW):], tuple(limits))
        return shape

    def _most(self, chars: int, count: int) -> int:
        """The most characters in ``count`` lines of a cell such that its height is surely not above
        ``split_above``: a cell of n characters has at most n // chars + count wrapped lines."""
        if self.split_above is None:
            return 0
        lines = count
        while int((lines + 1) * self.size * 1.15) + 60 * max(count, 1) <= self.split_above:
            lines += 1
        if int(max(lines, 1) * self.size * 1.15) + 60 * max(count, 1) > self.split_above:
            return -1  # even the fewest lines may be too tall: always count exactly
        return (lines - count + 1) * chars - 1


def _slots(texts: list[str]) -> Callable[..., None]:
    """A ``_lines`` for formats: each line a ``%s`` slot and its text kept in ``texts``."""

    def lines(out: list[bytes], these: Any, style: Paragraphs) -> None:
        for line in these:
            out += (style.plain, b"%s", END_RUN)
            texts.append(line)

    return lines
