"""A Word plan as neutral data, for ``kehoach import``: what the document says, before it is understood.

The Word room reads a .docx into these values (word/import_read.py); the spec room turns them into
a master plan, an agency spec or registry units. Nothing here knows Word or YAML. Every piece keeps
``where``, its place in the document in Vietnamese ("đoạn 12", "bảng 2, dòng 5"), so whatever the
importer cannot place is reported with its position.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Para:
    """One paragraph with letters, as printed."""

    text: str  # NFC, one space
    bold: bool  # every printed run bold
    italic: bool  # every printed run italic
    where: str


@dataclass(frozen=True)
class Cell:
    lines: tuple[str, ...]  # one per paragraph with text
    col: int  # first grid column
    span: int
    continued: bool  # vertically merged with the cell above (w:vMerge continue)
    bold: bool = False
    align: str | None = None  # of its first paragraph


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: str


@dataclass(frozen=True)
class Table:
    rows: tuple[Row, ...]
    widths_mm: tuple[float, ...]  # grid columns
    where: str


Block = Para | Table


@dataclass(frozen=True)
class AppendixDoc:
    label: str | None  # "Phụ lục", "Phụ lục II"
    title: tuple[str, ...]
    indication: str | None  # "(Kèm theo …)"
    blocks: tuple[Block, ...]  # its tables and any other paragraph
    where: str


@dataclass(frozen=True)
class WordPlan:
    """A Kế hoạch (or any ND30 document) read from Word."""

    source: str  # the file as shown
    kind: str  # "Kế hoạch", "Quyết định" …
    superior: tuple[str, ...]
    issuer: tuple[str, ...]
    number_line: str | None
    date_line: str | None
    title: tuple[str, ...]
    body: tuple[Block, ...]  # between the title and the signature
    recipients: tuple[str, ...]  # after "Nơi nhận:"
    authority: tuple[str, ...]  # KT. GIÁM ĐỐC, PHÓ GIÁM ĐỐC …
    signer: str | None
    appendices: tuple[AppendixDoc, ...] = ()
    after_body: tuple[Block, ...] = field(default=())  # after the signature, outside any appendix
