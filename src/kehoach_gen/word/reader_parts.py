"""The parts of an ND30 document after its header: tên loại, trích yếu, Kính gửi, body, signature, appendices.

The signature is the first table after the header with a cell that starts "Nơi nhận"; what comes
after it is appendices, each starting at a "Phụ lục" line or, when that line is missing, at the
lines before a "(Kèm theo …)" indication.
"""

from __future__ import annotations

from typing import Any

from .docx_facts import W, paragraph_text
from .reader_lines import LineMaker, paragraphs_after, table_cells
from .reader_model import Appendix, Line, Signature
from .vntext import clean, fold, has_letters, is_upper

# Tên loại of Phụ lục III (and the kinds offices send): folded heading -> the kind's name.
KIND_NAMES = {fold(n): n.capitalize() for n in (
    "QUYẾT ĐỊNH", "TỜ TRÌNH", "THÔNG BÁO", "GIẤY MỜI", "KẾ HOẠCH", "BÁO CÁO", "CHƯƠNG TRÌNH", "HƯỚNG DẪN",
    "PHƯƠNG ÁN", "ĐỀ ÁN", "BIÊN BẢN", "NGHỊ QUYẾT", "CHỈ THỊ", "QUY CHẾ", "QUY ĐỊNH", "NGHỊ ĐỊNH", "THÔNG TƯ",
    "DỰ ÁN", "HỢP ĐỒNG", "CÔNG ĐIỆN", "BẢN GHI NHỚ", "BẢN THỎA THUẬN", "GIẤY ỦY QUYỀN", "GIẤY GIỚI THIỆU",
    "GIẤY NGHỈ PHÉP", "GIẤY PHÉP", "PHIẾU GỬI", "PHIẾU CHUYỂN", "PHIẾU BÁO", "THƯ CÔNG", "BẢN CAM KẾT")}


def is_kind_heading(text: str) -> bool:
    return fold(text).rstrip(":.") in KIND_NAMES  # any case: "Tờ trình" is a tên loại not in capitals (T1 says so)


def kind_name(text: str) -> str | None:
    """The kind a tên loại line names: the whole line, or its start when the trích yếu follows on the same
    line in capitals ("GIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP", as the licence forms print it)."""
    key = fold(text).rstrip(":.")
    if key in KIND_NAMES:
        return KIND_NAMES[key]
    if is_upper(text) and has_letters(text):
        for name in sorted(KIND_NAMES, key=len, reverse=True):
            if key.startswith(name + " ") and " " in name:
                return KIND_NAMES[name]
    return None


def split_after_header(body: Any, header_end: Any) -> tuple[list[Any], Any, list[Any]]:
    """Body-level elements between the header and the signature, the signature table, and what follows."""
    nodes = list(body)
    start = nodes.index(header_end) + 1 if header_end is not None else 0
    rest = [n for n in nodes[start:] if n.tag in (f"{W}p", f"{W}tbl")]
    for i, node in enumerate(rest):
        if node.tag == f"{W}tbl" and _starts_recipients(node):
            return rest[:i], node, rest[i + 1:]
    return rest, None, []


def _starts_recipients(table: Any) -> bool:
    for cell in table_cells(table):
        texts = [paragraph_text(p) for p in cell.paragraphs if has_letters(paragraph_text(p))]
        if texts and fold(texts[0]).startswith("nơi nhận"):
            return True
    return False


def read_opening(nodes: list[Any], maker: LineMaker, decision: bool) -> dict[str, Any]:
    """Tên loại, trích yếu (with its rule), the Quyết định's authority line, Kính gửi, and the body lines."""
    out: dict[str, Any] = {"kind_line": None, "title": (), "authority": None, "recipient": (), "body": ()}
    paragraphs = [n for n in nodes if n.tag == f"{W}p"]
    texts = [p for p in paragraphs if clean(paragraph_text(p))]  # "./." alone on its line is body text too
    used: set[int] = set()
    if texts and is_kind_heading(paragraph_text(texts[0])):
        out["kind_line"] = maker.line(texts[0])
        used.add(id(texts[0]))
        out["title"] = _title(texts[0], maker, used)
    elif texts and kind_name(paragraph_text(texts[0])):  # tên loại and trích yếu on one line
        out["kind_line"] = maker.ruled_line(texts[0], None, paragraphs_after(texts[0]))
        used.add(id(texts[0]))
        out["title"] = (out["kind_line"],)
    if decision:
        after = [p for p in texts if id(p) not in used][:1]
        if after and is_upper(paragraph_text(after[0])) and not is_kind_heading(paragraph_text(after[0])):
            out["authority"] = maker.line(after[0])
            used.add(id(after[0]))
    out["recipient"] = _recipient(nodes, maker, used)
    out["body"] = tuple(maker.line(p) for p in texts if id(p) not in used)
    return out


def _title(kind_line: Any, maker: LineMaker, used: set[int]) -> tuple[Line, ...]:
    lines, node = [], kind_line.getnext()
    while node is not None and node.tag == f"{W}p":
        text = paragraph_text(node)
        if not has_letters(text):
            if lines:
                break
        else:
            line = maker.line(node)
            if line.align != "center" or not all(r.bold for r in line.printed) or fold(text).startswith("kính gửi"):
                break
            lines.append(node)
        node = node.getnext()
    for p in lines:
        used.add(id(p))
    out = [maker.line(p) for p in lines]
    if lines:
        out[-1] = maker.ruled_line(lines[-1], None, paragraphs_after(lines[-1]))
    return tuple(out)


def _recipient(nodes: list[Any], maker: LineMaker, used: set[int]) -> tuple[Line, ...]:
    for node in nodes:
        paragraphs = [node] if node.tag == f"{W}p" else [p for c in table_cells(node) for p in c.paragraphs]
        paragraphs = [p for p in paragraphs if has_letters(paragraph_text(p))]
        for i, p in enumerate(paragraphs):
            if fold(paragraph_text(p)).startswith("kính gửi"):
                lines = [p]
                if node.tag == f"{W}tbl":
                    lines = paragraphs[i:]
                else:
                    for q in _following_paragraphs(p):
                        if not clean(paragraph_text(q)).startswith("-"):
                            break
                        lines.append(q)
                used.update(id(q) for q in lines)
                return tuple(maker.line(q) for q in lines)
    return ()


def _following_paragraphs(p: Any) -> list[Any]:
    out, node = [], p.getnext()
    while node is not None and node.tag == f"{W}p":
        if has_letters(paragraph_text(node)):
            out.append(node)
        node = node.getnext()
        if len(out) >= 12:
            break
    return out


def read_signature(table: Any, maker: LineMaker) -> Signature:
    cells = table_cells(table, maker.styles)
    left = next(c for c in cells if any(fold(paragraph_text(p)).startswith("nơi nhận") for p in c.paragraphs))
    right = [c for c in cells if c.row == left.row and c.col > left.col
             and any(has_letters(paragraph_text(p)) for p in c.paragraphs)]
    texts = [p for p in left.paragraphs if has_letters(paragraph_text(p))]
    heading = next(p for p in texts if fold(paragraph_text(p)).startswith("nơi nhận"))
    recipients = tuple(maker.line(p, left.room_mm) for p in texts[texts.index(heading) + 1:])
    signing = [maker.line(p, right[-1].room_mm) for p in right[-1].paragraphs if has_letters(paragraph_text(p))] if right else []
    # The name is the last line in normal case; a title printed under it ("PHÓ GIÁM ĐỐC SỞ …") is not the name.
    named = [i for i, line in enumerate(signing) if not is_upper(line.text)]
    cut = named[-1] if named else len(signing) - 1
    return Signature(maker.line(heading, left.room_mm), recipients, tuple(signing[:cut]) if signing else (),
                     signing[cut] if signing else None)


def read_appendices(nodes: list[Any], maker: LineMaker) -> tuple[Appendix, ...]:
    """Appendices after the signature: a "Phụ lục" line, the title, the "(Kèm theo …)" line."""
    lines = [n for n in nodes if n.tag == f"{W}p" and has_letters(paragraph_text(n))]
    out, start = [], 0
    for i, p in enumerate(lines):
        if not fold(paragraph_text(p)).startswith("(kèm theo"):
            continue
        before = lines[max(start, i - 4):i]
        labels = [j for j, q in enumerate(before) if fold(paragraph_text(q)).startswith("phụ lục")]
        label = before[labels[-1]] if labels else None
        title = before[labels[-1] + 1:] if labels else before[-2:]
        title = [q for q in title if maker.line(q).align == "center"] or title[-1:]
        out.append(Appendix(maker.line(label) if label is not None else None, tuple(maker.line(q) for q in title),
                            maker.line(p)))
        start = i + 1
    return tuple(out)
