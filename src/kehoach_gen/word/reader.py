"""Read a real ND30 document (.docx) into plain data: :func:`read_document` -> :class:`Nd30Document`.

The reader finds each element by its content, not its position: the header block anywhere in the
first table(s) or paragraphs, the kind from the tên loại, the symbol's type or a "V/v" subject,
then title, Kính gửi, body, signature and appendices. Every property is resolved through styles
and document defaults as Word does. Used by `kehoach lint`; meant for an importer of Word plans too.

Files that are not .docx are refused with :class:`UnreadableDocument`, whose message says what the
file is and what to do in Word.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from ..errors import KehoachError, Problem
from .docx_facts import Styles
from .reader_header import TYPE_CODES, find_header, parse_symbol
from .reader_lines import LineMaker
from .reader_model import Header, Kind, Nd30Document, Symbol
from .reader_page import page_count, page_setups, theme_fonts
from .reader_parts import KIND_NAMES, kind_name, read_appendices, read_opening, read_signature, split_after_header
from .vntext import fold

_MAGIC = {b"\xd0\xcf\x11\xe0": "doc", b"%PDF": "pdf", b"{\\rt": "rtf"}
WHY = {
    "doc": "tệp Word 97–2003 (.doc), chưa đọc được: mở bằng Word, File ▸ Save As, chọn \"Word Document (*.docx)\"",
    "pdf": "tệp PDF, không kiểm được thể thức: hãy kiểm bản Word (.docx) của văn bản",
    "rtf": "tệp RTF, chưa đọc được: mở bằng Word, File ▸ Save As, chọn \"Word Document (*.docx)\"",
    "broken": "không phải tệp Word .docx hoặc tệp bị hỏng: mở lại bằng Word, File ▸ Save As, chọn \"Word Document (*.docx)\"",
    "missing": "không có tệp này: kiểm tra lại tên và thư mục",
    "folder": "đây là thư mục, không phải tệp Word",
}


class UnreadableDocument(KehoachError):
    """A file the reader cannot read as a Word document; ``reason`` is a key of :data:`WHY`."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__([Problem(WHY[reason], file=str(path))], exit_code=2)


def sniff(path: Path) -> str | None:
    """Why ``path`` cannot be read as .docx, or None when it looks like one."""
    if path.is_dir():
        return "folder"
    if not path.exists():
        return "missing"
    with path.open("rb") as handle:
        head = handle.read(4)
    for magic, kind in _MAGIC.items():
        if head.startswith(magic):
            return kind
    return None if zipfile.is_zipfile(path) else "broken"


def open_docx(path: Path) -> Any:
    """A python-docx Document, or :class:`UnreadableDocument` saying in Vietnamese what the file is."""
    reason = sniff(path)
    if reason:
        raise UnreadableDocument(path, reason)
    from docx import Document

    try:
        return Document(str(path))
    except Exception:  # noqa: BLE001 - any failure to open is the same news for a clerk: the file is broken
        raise UnreadableDocument(path, "broken") from None


def read_document(path: Path) -> Nd30Document:
    return read_opened(open_docx(path))


def read_opened(doc: Any) -> Nd30Document:
    """Read an opened python-docx Document."""
    return read_with_parts(doc)[0]


def read_with_parts(doc: Any) -> tuple[Nd30Document, LineMaker, list[Any], list[Any]]:
    """The document read, with what a further reader needs of the same pass: the line maker, and the body's
    nodes before the signature and after it (kehoach import reads its tables and paragraphs from those)."""
    styles = Styles(doc.styles.element)
    styles.theme_fonts = theme_fonts(doc)
    pages, even_odd = page_setups(doc, styles)
    first = pages[0]
    maker = LineMaker(styles, first.width_mm - first.margins_mm["left"] - first.margins_mm["right"])
    body = doc.element.body
    header, header_end = find_header(body, maker)
    symbol = parse_symbol(header.number)
    before, signature_table, after = split_after_header(body, header_end)
    decision = symbol is not None and symbol.type_code == "QĐ"
    opening = read_opening(before, maker, decision or _starts_with_decision(before))
    kind = _kind(opening["kind_line"], symbol, header)
    if kind.name in ("Quyết định", "Giấy phép") and not decision and opening["authority"] is None:
        opening = read_opening(before, maker, True)
    return Nd30Document(
        kind=kind, header=header, symbol=symbol, kind_line=opening["kind_line"], title=opening["title"],
        authority=opening["authority"], recipient=opening["recipient"], body=opening["body"],
        signature=read_signature(signature_table, maker) if signature_table is not None else None,
        appendices=read_appendices(after, maker), pages=tuple(pages), page_count=page_count(doc, body),
        even_odd=even_odd, fonts=_printed_fonts(body, styles)), maker, before, after


def _printed_fonts(body: Any, styles: Styles) -> dict[str, str]:
    """Every font that prints text of the document (ascii/hAnsi of runs with letters), with a sample."""
    from .docx_facts import W, run_facts

    out: dict[str, str] = {}
    for paragraph in body.iter(f"{W}p"):
        for run in run_facts(paragraph, styles):
            if any(ch.isalnum() for ch in run.text):
                out.setdefault(run.printed_font or "", run.text.strip()[:40])
    return out


def _starts_with_decision(nodes: list[Any]) -> bool:
    from .docx_facts import W, paragraph_text

    first = next((paragraph_text(n) for n in nodes if n.tag == f"{W}p" and paragraph_text(n).strip()), "")
    return fold(first).rstrip(":") == "quyết định"


def _kind(kind_line: Any, symbol: Symbol | None, header: Header) -> Kind:
    if kind_line is not None:
        return Kind(kind_name(kind_line.text) or KIND_NAMES[fold(kind_line.text).rstrip(":.")], kind_line.text, "tên loại")
    if symbol is not None and symbol.type_code:
        return Kind(TYPE_CODES[symbol.type_code], None, "ký hiệu")
    if header.subject:
        return Kind("Công văn", None, "V/v")
    if symbol is not None and symbol.groups:
        return Kind("Công văn", None, "ký hiệu")
    return Kind("không rõ", None, "không rõ")
