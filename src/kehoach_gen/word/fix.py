"""`kehoach lint --fix IN.docx OUT.docx`: repair what can be repaired without touching the words.

Safe repairs only: paper size (A4), margins (brought to the nearest end of the decree's range),
fonts that print (all four slots set to Times New Roman), sizes of the lines the decree fixes
(header, Số line, tên loại, recipients, signature, body), bold and italic where the decree leaves
no choice (agency names, Quốc hiệu, Tiêu ngữ, Số line, date, "Căn cứ" lines, "Nơi nhận:", recipients,
signer), the signer and the date centred, the page number in Times New Roman 14 pt, and
the leading zero of the Số number and of the date's day and month, wherever Word split the runs.
The text itself is never changed; a new file is written, the original is left as it was. What is
left is reported by linting the new file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import KehoachError
from ..output import write_atomic
from .docx_facts import W, Styles, run_facts, text_runs
from .findings import Finding, mm
from .lint import check
from .reader import open_docx, read_document, read_opened
from .reader_model import Line, Nd30Document
from .reader_page import TWIPS_PER_MM, theme_fonts
from .fix_looks import centre, child, looks, page_numbers, rpr
from .rules_page import FONT, MARGINS

_A4 = (11906, 16838)


@dataclass(frozen=True)
class FixResult:
    written: Path
    repairs: list[str]  # what was repaired, in words a clerk knows
    remaining: list[Finding]  # what the new file still breaks (to fix by hand)


def fix_document(src: Path, dst: Path) -> FixResult:
    if dst.resolve() == src.resolve():
        raise KehoachError.single("tệp kết quả phải khác tệp gốc (lệnh không sửa đè lên văn bản gốc)", file=str(dst))
    if dst.exists():
        raise KehoachError.single("tệp kết quả đã có; chọn tên khác hoặc xóa tệp đó trước", file=str(dst))
    doc = open_docx(src)
    read = read_opened(doc)
    styles = Styles(doc.styles.element)
    repairs = (_page(doc) + _fonts(doc) + _sizes(read, styles) + looks(read, styles) + centre(read)
               + page_numbers(doc, styles) + _padding(read))
    write_atomic(dst, lambda tmp: doc.save(str(tmp)), shown=str(dst))
    return FixResult(dst, repairs, check(read_document(dst)))


def _page(doc: Any) -> list[str]:
    out = []
    for section in doc.sections:
        sect = section._sectPr
        size = sect.find(f"{W}pgSz")
        if size is not None:
            w, h = int(size.get(f"{W}w") or 0), int(size.get(f"{W}h") or 0)
            landscape = w > h
            want = _A4[::-1] if landscape else _A4
            if abs(w - want[0]) > TWIPS_PER_MM or abs(h - want[1]) > TWIPS_PER_MM:
                size.set(f"{W}w", str(want[0]))
                size.set(f"{W}h", str(want[1]))
                out.append("khổ giấy: A4")
        margins = sect.find(f"{W}pgMar")
        for side, (name, low, high) in MARGINS.items():
            value = int(margins.get(f"{W}{side}") or 0) / TWIPS_PER_MM if margins is not None else None
            if value is None or low - 1 <= value <= high + 1:
                continue
            target = low if value < low else high
            margins.set(f"{W}{side}", str(round(target * TWIPS_PER_MM)))
            out.append(f"{name}: {mm(round(value, 1))} → {target} mm")
    return out


def _fonts(doc: Any) -> list[str]:
    """Times New Roman in all four slots of every run with text that prints in another font."""
    styles = Styles(doc.styles.element)
    styles.theme_fonts = theme_fonts(doc)
    changed = 0
    for paragraph in doc.element.body.iter(f"{W}p"):
        for run, fact in zip(text_runs(paragraph), run_facts(paragraph, styles), strict=True):
            if fact.printed_font == FONT or not fact.text.strip():
                continue
            face = fact.printed_font or ""
            fonts = child(rpr(run), "rFonts")
            for key in list(fonts.attrib):
                fonts.attrib.pop(key)
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(f"{W}{slot}", FONT)
            if face.startswith(FONT) and "Bold" in face:
                child(rpr(run), "b")
            if face.startswith(FONT) and "Italic" in face:
                child(rpr(run), "i")
            changed += 1
    return [f"phông: {changed} đoạn chữ đặt lại Times New Roman"] if changed else []


def _sizes(doc: Nd30Document, styles: Styles) -> list[str]:
    h, sig = doc.header, doc.signature
    plan: list[tuple[str, tuple[Line, ...], float, float]] = [
        ("tên cơ quan chủ quản", h.superior, 12, 13), ("tên cơ quan ban hành", h.issuer, 12, 13),
        ("Quốc hiệu", h.quoc_hieu, 12, 13), ("Tiêu ngữ", (h.tieu_ngu,) if h.tieu_ngu else (), 13, 14),
        ("dòng số, ký hiệu", (h.number,) if h.number else (), 13, 13),
        ("dòng ngày tháng", (h.date,) if h.date else (), 13, 14), ("trích yếu V/v", h.subject, 12, 13),
        ("tên loại", (doc.kind_line,) if doc.kind_line else (), 13, 14), ("trích yếu", doc.title, 13, 14),
        ("Kính gửi", doc.recipient, 13, 14), ("thân văn bản", doc.body, 13, 14)]
    if sig is not None:
        plan += [("Nơi nhận", (sig.heading,) if sig.heading else (), 12, 12), ("nơi nhận", sig.recipients, 11, 11),
                 ("chức vụ người ký", sig.authority, 13, 14), ("họ tên người ký", (sig.signer,) if sig.signer else (), 13, 14)]
    qh = {f.size for q in h.quoc_hieu for f in run_facts(q.node, styles) if f.text.strip() and f.size}
    qh_size = min(max(qh.pop(), 12), 13) if len(qh) == 1 else None
    if qh_size is not None and h.tieu_ngu is not None:  # P4: the Tiêu ngữ 1 pt above the Quốc hiệu (13/14, 12/13)
        plan = [(n, ls, qh_size + 1, qh_size + 1) if n == "Tiêu ngữ" else (n, ls, lo, hi) for n, ls, lo, hi in plan]
    out = []
    for name, lines, low, high in plan:
        count = sum(_resize(line, low, high, styles) for line in lines)
        if count:
            out.append(f"cỡ chữ {name}: {count} đoạn chữ" if name == "thân văn bản" else f"cỡ chữ {name}")
    return out


def _resize(line: Line, low: float, high: float, styles: Styles) -> int:
    """Bring every printed run of ``line`` into [low, high] pt; the number of runs changed."""
    changed = 0
    for run, fact in zip(text_runs(line.node), run_facts(line.node, styles), strict=True):
        if fact.script or not fact.text.strip():
            continue
        if fact.size is not None and low <= fact.size <= high:
            continue
        target = low if fact.size is not None and fact.size < low else high
        for tag in ("sz", "szCs"):
            child(rpr(run), tag).set(f"{W}val", str(int(target * 2)))
        changed += 1
    return changed


def _padding(doc: Nd30Document) -> list[str]:
    """A leading zero for the Số number and the date's day below 10 and months 1, 2; none for months 3–12.

    Word often splits "ngày 5 tháng 3" over several runs; the digit is found in the paragraph's joined text
    and changed in the run that holds it, whatever the split.
    """
    out = []
    if doc.header.number is not None and _edit(doc.header.number.node, r"(Số\s*:\s*)([1-9])(\s*/)", "0{}"):
        out.append("số văn bản: thêm số 0 đứng trước")
    date = doc.header.date
    if date is not None:
        if _edit(date.node, r"(ngày\s+)([1-9])(\s+tháng)", "0{}"):
            out.append("ngày: thêm số 0 đứng trước")
        if _edit(date.node, r"(tháng\s+)([12])(\s+năm)", "0{}"):
            out.append("tháng 1, 2: thêm số 0 đứng trước")
        if _edit(date.node, r"(tháng\s+)(0)([3-9]\s+năm)", ""):
            out.append("tháng 3–9: bỏ số 0 đứng trước")
    return out


def _edit(paragraph: Any, pattern: str, replacement: str) -> bool:
    """Replace group 2 of ``pattern`` (a digit, or the zero before one) with ``replacement`` ("{}" is the group),
    in the w:t that holds it; the runs around it and every other character are left as they are."""
    texts = list(paragraph.iter(f"{W}t"))
    joined = "".join(t.text or "" for t in texts)
    found = re.search(pattern, joined)
    if not found:
        return False
    start, end = found.span(2)
    offset = 0
    for t in texts:
        value = t.text or ""
        if offset <= start and end <= offset + len(value):
            i, j = start - offset, end - offset
            t.text = value[:i] + replacement.format(value[i:j]) + value[j:]
            return True
        offset += len(value)
    return False
