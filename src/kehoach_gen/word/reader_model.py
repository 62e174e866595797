"""What the reader of real ND30 documents gives back: plain, frozen data, no Word objects.

Shared by `kehoach lint` (its rules judge these values) and by an importer of Word plans. Every
line carries its visible text, its printed runs with formatting resolved through styles and
defaults as Word does, its alignment, the room it has on the page and the rule drawn under it.
Sizes are in points, lengths in millimetres.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .vntext import has_letters


@dataclass(frozen=True)
class Run:
    """A run of text as it prints."""

    text: str
    size: float | None
    bold: bool
    italic: bool
    underline: bool
    font: str | None
    script: bool  # superscript or subscript


@dataclass(frozen=True)
class Line:
    """One paragraph of the document as a clerk sees it."""

    text: str  # visible text, normalised (NFC, one space, hyphens resolved)
    runs: tuple[Run, ...]
    align: str | None  # left, center, right, both (justified); None = left
    room_mm: float | None = None  # width available to the line (its table cell or the text area)
    breaks: int = 0  # manual line breaks inside the paragraph
    rule_below: str | None = None  # how the rule under the line is drawn, when the reader looked for one
    node: Any = field(default=None, repr=False, compare=False)  # the w:p element (for --fix only)
    rule_mm: float | None = None  # printed length of that rule, when it can be told
    first_indent_mm: float = 0.0  # where the first line starts: left + first-line indent (+ a leading tab)
    gap_pt: float = 0.0  # space before + after the paragraph
    line_spacing: tuple[str, float] = ("auto", 1.0)  # ("auto", lines) or ("exact"/"atLeast", pt)

    @property
    def printed(self) -> tuple[Run, ...]:
        """Runs whose look matters: with letters or digits, not raised or lowered."""
        return tuple(r for r in self.runs if has_letters(r.text) and not r.script)

    def sizes(self) -> set[float | None]:
        return {r.size for r in self.printed}


@dataclass(frozen=True)
class Symbol:
    """The "Số:" line parsed: "Số: 05/2025/QĐ-UBND" -> number 05, year 2025, type QĐ, issuer UBND."""

    number: str | None  # None for a draft (blank number)
    year: str | None
    type_code: str | None  # KH, QĐ, TTr …; None for a Công văn
    groups: tuple[str, ...]  # the symbol's groups after the type (agency, drafting unit)
    well_formed: bool


@dataclass(frozen=True)
class Kind:
    """Which kind of document this is, and from what the reader knows it."""

    name: str  # "Quyết định", "Công văn" …
    heading: str | None  # the tên loại as printed ("QUYẾT ĐỊNH"); None for a Công văn
    source: str  # "tên loại", "ký hiệu", "V/v" or "không rõ"


@dataclass(frozen=True)
class Header:
    """The header block (Mẫu 1.4), found by content wherever it sits in the first table or paragraphs."""

    superior: tuple[Line, ...] = ()  # cơ quan chủ quản (H1)
    issuer: tuple[Line, ...] = ()  # cơ quan ban hành (H2)
    quoc_hieu: tuple[Line, ...] = ()  # one line, or the pieces of a Quốc hiệu typed on two
    tieu_ngu: Line | None = None
    number: Line | None = None
    date: Line | None = None
    subject: tuple[Line, ...] = ()  # "V/v …" of a Công văn
    layout: str = ""  # e.g. "bảng 3x3", "đoạn văn"


@dataclass(frozen=True)
class PageSetup:
    """One section's page: paper, margins and page numbers."""

    width_mm: float
    height_mm: float
    margins_mm: dict[str, float]  # top, bottom, left, right
    title_page: bool  # "Different First Page"
    numbers: dict[str, str]  # page kind (first, even, odd) -> where its number prints: header, footer or ""
    centred: dict[str, bool]  # page kind -> the number is centred
    number_look: dict[str, tuple[float | None, str | None]] = field(default_factory=dict)  # page kind -> (pt, font)


@dataclass(frozen=True)
class Signature:
    heading: Line | None  # "Nơi nhận:"
    recipients: tuple[Line, ...]
    authority: tuple[Line, ...]  # quyền hạn, chức vụ (S1)
    signer: Line | None  # họ tên (S2)


@dataclass(frozen=True)
class Appendix:
    label: Line | None  # "Phụ lục", "Phụ lục II"
    title: tuple[Line, ...]
    indication: Line | None  # "(Kèm theo … số … ngày …)"


@dataclass(frozen=True)
class Nd30Document:
    """A Word document read the way a clerk reads it."""

    kind: Kind
    header: Header
    symbol: Symbol | None
    kind_line: Line | None  # the tên loại line
    title: tuple[Line, ...]  # trích yếu
    authority: Line | None  # Quyết định: "GIÁM ĐỐC SỞ …" / "ỦY BAN NHÂN DÂN TỈNH …"
    recipient: tuple[Line, ...]  # "Kính gửi: …" and its lines
    body: tuple[Line, ...]  # paragraphs of the body, in order (tables left out)
    signature: Signature | None
    appendices: tuple[Appendix, ...]
    pages: tuple[PageSetup, ...]  # one per section
    page_count: int  # as Word last counted it (docProps/app.xml), else estimated
    even_odd: bool  # "Different Odd & Even Pages"
    fonts: dict[str, str] = field(default_factory=dict)  # each font text prints in -> a sample of that text
