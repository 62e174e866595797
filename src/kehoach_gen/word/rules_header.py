"""Header block rules (nd30 H1–H6, the P4 size pair, and a Công văn's "V/v" C1)."""

from __future__ import annotations

import re

from .docx_rules import text_width_twips
from .findings import (FIX_CENTER, FIX_RULE, FIX_TEXT, Finding, compact, missing, mm, pt, quoted, size_finding, style_finding,
                       upper_finding)
from .reader_header import QUOC_HIEU, TIEU_NGU
from .reader_lines import TWIPS_PER_MM
from .reader_model import Header, Line, Nd30Document
from .vntext import DASHES, clean, letters

_DATE = re.compile(r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2})? ?tháng (?P<m>\d{1,2})? ?năm (?P<y>\d{4})$")
PAIRS = {(13.0, 14.0), (12.0, 13.0)}


def header_findings(doc: Nd30Document) -> list[Finding]:
    h = doc.header
    if not h.quoc_hieu and h.number is None:
        return [missing("H3", "đầu văn bản", f"bảng tiêu đề: tên cơ quan bên trái, Quốc hiệu \"{QUOC_HIEU}\" bên phải")]
    out = _agency(h) + _quoc_hieu(h) + _tieu_ngu(h) + _pair(h) + _rule_lengths(h) + _number(doc) + _date(h)
    if doc.kind.name == "Công văn":
        out += _subject(h)
    return out


def _agency(h: Header) -> list[Finding]:
    out: list[Finding] = []
    for line in h.superior:
        out += compact([upper_finding("H1", "tên cơ quan chủ quản", line),
                        size_finding("H1", "tên cơ quan chủ quản", line, 12, 13, 13)])
        out += style_finding("H1", "tên cơ quan chủ quản", line, bold=False)
    if not h.issuer:
        return out + [missing("H2", "bảng tiêu đề, bên trái", "tên cơ quan ban hành IN HOA, đậm")]
    issuer: list[Finding] = []
    for line in h.issuer:  # a long name wraps over lines: one finding for the name, not one per line
        issuer += compact([upper_finding("H2", "tên cơ quan ban hành", line),
                           size_finding("H2", "tên cơ quan ban hành", line, 12, 13, 13)])
        issuer += style_finding("H2", "tên cơ quan ban hành", line, bold=True)
    out += _one_per_rule(issuer)
    if h.issuer[-1].rule_below is None:
        out.append(Finding("H2", f"dưới {quoted(h.issuer[-1])}", "không có đường kẻ",
                           "đường kẻ liền dài 1/3–1/2 dòng chữ, ở giữa", FIX_RULE))
    return out


def _quoc_hieu(h: Header) -> list[Finding]:
    if not h.quoc_hieu:
        return [missing("H3", "bảng tiêu đề, bên phải", f"Quốc hiệu \"{QUOC_HIEU}\"")]
    line = h.quoc_hieu[0]
    out: list[Finding] = []
    text = " ".join(q.text for q in h.quoc_hieu)
    if letters(text) != letters(QUOC_HIEU):
        out.append(Finding("H3", "Quốc hiệu", f"viết là {quoted(text)}", f"\"{QUOC_HIEU}\"", FIX_TEXT))
    for q in h.quoc_hieu:
        out += compact([upper_finding("H3", "Quốc hiệu", q), size_finding("H3", "Quốc hiệu", q, 12, 13, 13)])
        out += style_finding("H3", "Quốc hiệu", q, bold=True)
    sizes = [r.size for r in line.printed if r.size]
    width = text_width_twips(clean(text), max(sizes or [13.0]), True) / TWIPS_PER_MM
    if len(h.quoc_hieu) > 1 or line.breaks:
        out.append(Finding("H3", "Quốc hiệu", "xuống dòng thành hai dòng", "Quốc hiệu trên một dòng",
                           "xóa chỗ xuống dòng (Enter/Shift+Enter) trong Quốc hiệu"))
    elif line.room_mm and width > line.room_mm * 1.02:
        out.append(Finding("H3", "Quốc hiệu", f"dài khoảng {width:.0f} mm, cột phải chỉ rộng {line.room_mm:.0f} mm nên "
                           "Quốc hiệu bị xuống dòng", "Quốc hiệu trên một dòng",
                           "kéo rộng cột phải của bảng tiêu đề (Layout ▸ Properties ▸ Column)"))
    return out


def _tieu_ngu(h: Header) -> list[Finding]:
    line = h.tieu_ngu
    if line is None:
        return [missing("H4", "dưới Quốc hiệu", f"Tiêu ngữ \"{TIEU_NGU}\"")]
    out: list[Finding] = []
    if letters(line.text) != letters(TIEU_NGU):
        out.append(Finding("H4", "Tiêu ngữ", f"viết là {quoted(line)}", f"\"{TIEU_NGU}\"", FIX_TEXT))
    elif line.text != TIEU_NGU:
        what = ("dùng dấu gạch dài (–) thay cho dấu gạch nối (-)" if any(d in line.text for d in DASHES)
                else "thiếu hoặc thừa khoảng trắng quanh dấu gạch nối")
        out.append(Finding("H4", f"Tiêu ngữ {quoted(line)}", what, f"\"{TIEU_NGU}\" (gạch nối, cách một khoảng trắng "
                           "hai bên)", FIX_TEXT))
    out += compact([size_finding("H4", "Tiêu ngữ", line, 13, 14, 14)])
    out += style_finding("H4", "Tiêu ngữ", line, bold=True)
    if line.rule_below is None:
        out.append(Finding("H4", f"dưới {quoted(line)}", "không có đường kẻ", "đường kẻ liền dài bằng dòng chữ",
                           FIX_RULE))
    return out


def _pair(h: Header) -> list[Finding]:
    """P4: Quốc hiệu and Tiêu ngữ in one of the decree's size pairs (13/14 or 12/13).

    A Quốc hiệu outside 12–13 pt is H3's finding; the Tiêu ngữ is then judged alone (13 or 14 pt).
    """
    if not h.quoc_hieu or h.tieu_ngu is None:
        return []
    qh = {r.size for r in h.quoc_hieu[0].printed}
    tn = {r.size for r in h.tieu_ngu.printed}
    if len(qh) != 1 or len(tn) != 1 or None in qh | tn:
        return []
    pair = (qh.pop(), tn.pop())
    if pair in PAIRS or (not 12 <= pair[0] <= 13 and pair[1] in (13.0, 14.0)) or not 13 <= pair[1] <= 14:
        return []  # a Tiêu ngữ outside 13–14 pt is H4's finding
    return [Finding("P4", "Quốc hiệu và Tiêu ngữ", f"cỡ chữ {pt(pair[0])} và {pt(pair[1])}",
                    "một cặp cỡ chữ: Quốc hiệu 13 pt với Tiêu ngữ 14 pt, hoặc 12 pt với 13 pt",
                    "chọn Tiêu ngữ, Home ▸ Font Size: lớn hơn Quốc hiệu 1 pt")]


# Measured lengths carry error (estimated advance widths, hand-drawn lines): judge with this slack.
RULE_SLACK = 0.2
FIX_RULE_LENGTH = "bấm vào đường kẻ, Shape Format ▸ Size ▸ Width: {mm} cm"


def _rule_lengths(h: Header) -> list[Finding]:
    """H2: the rule under the issuer 1/3–1/2 of the name's longest printed line; H4: as long as the Tiêu ngữ."""
    out: list[Finding] = []
    checks = []
    if h.issuer and h.issuer[-1].rule_mm is not None:
        checks.append(("H2", h.issuer, h.issuer[-1], 1 / 3, 1 / 2, "1/3–1/2 độ dài dòng chữ"))
    if h.tieu_ngu is not None and h.tieu_ngu.rule_mm is not None:
        checks.append(("H4", (h.tieu_ngu,), h.tieu_ngu, 1.0, 1.0, "bằng độ dài dòng chữ"))
    for rule, lines, last, low, high, words in checks:
        text_mm = max(printed_width_mm(line) for line in lines)
        if not text_mm:
            continue
        share = last.rule_mm / text_mm
        if low * (1 - RULE_SLACK) <= share <= high * (1 + RULE_SLACK):
            continue
        want = text_mm * (low + high) / 2
        out.append(Finding(rule, f"đường kẻ dưới {quoted(last)}",
                           f"dài {mm(round(last.rule_mm))} ({'ngắn' if share < low else 'dài'} hơn quy định; dòng chữ dài "
                           f"khoảng {mm(round(text_mm))})", f"đường kẻ {words}, khoảng {mm(round(want))}",
                           FIX_RULE_LENGTH.format(mm=f"{want / 10:.1f}".replace(".", ","))))
    return out


def printed_width_mm(line: Line) -> float:
    """The longest printed line of ``line``'s text, wrapped word by word in the room it has."""
    sizes = [r.size for r in line.printed if r.size]
    size, bold = max(sizes or [13.0]), all(r.bold for r in line.printed)
    room = line.room_mm or 1e9
    longest = current = 0.0
    for word in line.text.split(" "):
        width = text_width_twips(word, size, bold) / TWIPS_PER_MM
        space = text_width_twips(" ", size, bold) / TWIPS_PER_MM if current else 0.0
        if current and current + space + width > room:
            longest, current = max(longest, current), width
        else:
            current += space + width
    return round(max(longest, current), 1)


def _number(doc: Nd30Document) -> list[Finding]:
    line = doc.header.number
    if line is None:
        return [missing("H5", "bảng tiêu đề, dưới tên cơ quan", "dòng \"Số: …/…\"")]
    out = compact([size_finding("H5", "dòng số, ký hiệu", line, 13, 13)])
    out += style_finding("H5", "dòng số, ký hiệu", line, italic=False)
    if doc.symbol is not None and not doc.symbol.well_formed:
        out.append(Finding("H5", f"dòng số, ký hiệu {quoted(line)}", "viết sai số, ký hiệu",
                           "\"Số: 02/KH-STP\" (số dưới 10 có 0 đứng trước; \"/\" trước ký hiệu, \"-\" giữa các nhóm, "
                           "không có khoảng trắng), hoặc \"Số: 05/2025/QĐ-UBND\"; để trống số khi dự thảo", FIX_TEXT))
    return out


def _date(h: Header) -> list[Finding]:
    line = h.date
    if line is None:
        return [missing("H6", "bảng tiêu đề, dưới Tiêu ngữ", "dòng \"<địa danh>, ngày … tháng … năm …\"")]
    out = compact([size_finding("H6", "dòng địa danh, ngày tháng", line, 13, 14, 14)])
    out += style_finding("H6", "dòng địa danh, ngày tháng", line, italic=True)
    if line.align != "center" and line.room_mm and printed_width_mm(line) < line.room_mm - 10:
        out.append(Finding("H6", f"dòng địa danh, ngày tháng {quoted(line)}", "không ở giữa cột",
                           "căn giữa dưới Quốc hiệu và Tiêu ngữ", FIX_CENTER))
    found = _DATE.match(line.text)
    day, month = (found.group("d"), found.group("m")) if found else (None, None)
    bad_day = day is not None and (len(day) != 2 or not 1 <= int(day) <= 31)
    bad_month = month is not None and (not 1 <= int(month) <= 12 or (int(month) <= 2 and len(month) != 2)
                                       or (3 <= int(month) <= 9 and len(month) != 1))
    if not found or bad_day or bad_month:
        out.append(Finding("H6", f"dòng địa danh, ngày tháng {quoted(line)}", "viết sai ngày tháng",
                           "\"Sóc Trăng, ngày 05 tháng 02 năm 2025\" (ngày dưới 10 và tháng 1, 2 có 0 đứng trước; "
                           "tháng 3–12 không)", FIX_TEXT))
    return out


def _subject(h: Header) -> list[Finding]:
    """C1: a Công văn's "V/v …" subject, 12–13 pt, upright, under the "Số:" line."""
    if not h.subject:
        return [missing("C1", "công văn, dưới dòng \"Số:\"", "trích yếu \"V/v …\" 12–13 pt")]
    out: list[Finding] = []
    for line in h.subject:
        out += compact([size_finding("C1", "trích yếu công văn", line, 12, 13, 13)])
        out += style_finding("C1", "trích yếu công văn", line, italic=False)
    return _one_per_rule(out)


def _one_per_rule(findings: list[Finding]) -> list[Finding]:
    seen, out = set(), []
    for f in findings:
        if (f.rule, f.found.split(" ở ")[0]) not in seen:
            seen.add((f.rule, f.found.split(" ở ")[0]))
            out.append(f)
    return out
