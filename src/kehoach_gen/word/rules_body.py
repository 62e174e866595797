"""Title, body and appendix rules (nd30 T1, T2, B1–B4, C2, P4 for the body, A1–A3), by kind of document.

A Công văn has no tên loại; a Quyết định has "QUYẾT ĐỊNH:" and articles "Điều 1." instead of
Roman parts; headings are checked only where the document has Roman-numbered parts; "Căn cứ"
lines are the legal bases at the start of a document with a tên loại.
"""

from __future__ import annotations

import re

from .findings import (FIX_CENTER, FIX_ITALIC, FIX_RULE, FIX_TEXT, Finding, compact, missing, pt, quoted,
                       size_finding, style_finding, upper_finding)
from .reader_model import Line, Nd30Document
from .vntext import fold, is_upper

_ROMAN = re.compile(r"^[IVXLC]+\.\s")
_LETTER_DOT = re.compile(r"^[a-eđg-ik-y]\.\s?[A-ZĐÀ-Ỹ]")  # "a. Về …" where the decree writes "a) …"
_ARTICLE = re.compile(r"^Điều\s+\d+")
_ARTICLE_HEAD = re.compile(r"^Điều\s+\d+\s*[:.]?")


def body_findings(doc: Nd30Document) -> list[Finding]:
    out: list[Finding] = []
    if doc.kind.name != "Công văn":
        out += _kind_line(doc) + _title(doc) + _bases(doc)
    out += _recipient(doc) + _body_sizes(doc) + _justified(doc) + _indent(doc) + _spacing(doc) + _headings(doc)
    out += _end(doc)
    out += _appendices(doc)
    return out


def _kind_line(doc: Nd30Document) -> list[Finding]:
    line = doc.kind_line
    if line is None:
        name = doc.kind.name.upper() if doc.kind.source == "ký hiệu" else "tên loại"
        return [missing("T1", "sau bảng tiêu đề", f"tên loại văn bản \"{name}\" IN HOA, đậm, ở giữa")]
    out = compact([size_finding("T1", "tên loại", line, 13, 14, 14), upper_finding("T1", "tên loại", line)])
    out += style_finding("T1", "tên loại", line, bold=True)
    if line.align != "center":
        out.append(Finding("T1", f"tên loại {quoted(line)}", "không ở giữa dòng", "căn giữa", FIX_CENTER))
    return out


def _title(doc: Nd30Document) -> list[Finding]:
    if doc.kind_line is None:
        return []
    if not doc.title:
        return [missing("T2", f"dưới {quoted(doc.kind_line)}", "trích yếu 13–14 pt, đậm, ở giữa")]
    out: list[Finding] = []
    for line in doc.title:
        out += compact([size_finding("T2", "trích yếu", line, 13, 14, 14)])
    text = " ".join(line.text for line in doc.title)
    if is_upper(text) and sum(ch.isalpha() for ch in text) > 12 and doc.title[0] is not doc.kind_line:
        out.append(Finding("T2", f"trích yếu {quoted(text)}", "viết in hoa toàn bộ",
                           "chữ thường, chỉ viết hoa chữ đầu và tên riêng", "chọn trích yếu, Home ▸ Change Case (Aa) ▸ "
                           "Sentence case, rồi viết hoa lại tên riêng"))
    if doc.title[-1].rule_below is None:
        out.append(Finding("T2", f"dưới {quoted(doc.title[-1])}", "không có đường kẻ",
                           "đường kẻ liền dài 1/3–1/2 dòng chữ, ở giữa", FIX_RULE))
    return out


def _bases(doc: Nd30Document) -> list[Finding]:
    """B1: the "Căn cứ …" lines the body opens with, in italics."""
    bases = []
    for line in doc.body:
        if not fold(line.text).startswith("căn cứ"):
            break
        bases.append(line)
    # the last one may be the plan's opening sentence too ("Căn cứ …, Sở … ban hành Kế hoạch … như sau:"), printed
    # upright like the "Thực hiện …" paragraph nd30 allows in its place
    opening = bases[-1] if bases and bases[-1].text.rstrip().endswith(":") else None
    upright = [b for b in bases if b is not opening and any(not r.italic for r in b.printed)]
    out = []
    if upright:
        count = f" ({len(upright)}/{len(bases)} dòng căn cứ)" if len(bases) > 1 else ""
        out.append(Finding("B1", f"căn cứ ban hành {quoted(upright[0])}", f"chữ đứng{count}",
                           "các dòng \"Căn cứ …\" in nghiêng", "chọn các dòng căn cứ, " + FIX_ITALIC.split(", ", 1)[1]))
    block = list(bases)
    for following in doc.body[len(bases):]:  # "Xét đề nghị …;" "Theo đề nghị của …." close the bases
        if not re.match(r"^(theo|xét) đề nghị", fold(following.text)):
            break
        block.append(following)
    early = [b for b in block[:-1] if b.text.rstrip().endswith(".")]
    if early:
        out.append(Finding("B1", f"căn cứ ban hành {quoted('…' + early[0].text[-40:])}", "kết thúc bằng dấu chấm",
                           "mỗi căn cứ kết thúc bằng \";\", căn cứ cuối cùng bằng \".\"", FIX_TEXT))
    after = doc.body[len(block)] if len(doc.body) > len(block) else None
    # Before "QUYẾT ĐỊNH:" the bases are closed with "."; elsewhere they may run on into the sentence that
    # follows ("…năm 2025, Sở … xây dựng Kế hoạch …", "…; Thực hiện … như sau:").
    closes = after is not None and fold(after.text).rstrip(":. ") == "quyết định"
    if block and block[-1].text.rstrip()[-1:] in (";", ",") and closes:
        out.append(Finding("B1", f"căn cứ cuối cùng {quoted('…' + block[-1].text[-40:])}",
                           f"kết thúc bằng \"{block[-1].text.rstrip()[-1]}\"", "căn cứ cuối cùng kết thúc bằng \".\"", FIX_TEXT))
    return out


def _recipient(doc: Nd30Document) -> list[Finding]:
    """C2: "Kính gửi:" and its lines, 13–14 pt, upright."""
    out: list[Finding] = []
    for line in doc.recipient:
        out += compact([size_finding("C2", "dòng Kính gửi", line, 13, 14, 14)])
        out += style_finding("C2", "dòng Kính gửi", line, italic=False, bold=False)
    return out[:2]


def _body_sizes(doc: Nd30Document) -> list[Finding]:
    """P4: the body in the document's size (13–14 pt); one finding, the first line quoted."""
    wrong = [(line, r) for line in doc.body for r in line.printed if r.size is None or not 13 <= r.size <= 14]
    if not wrong:
        return []
    line, run = wrong[0]
    lines = len({id(w[0]) for w in wrong})
    return [Finding("P4", f"thân văn bản, đoạn {quoted(line, 40)}", f"cỡ chữ {pt(run.size)} ở \"{run.text.strip()[:40]}\""
                    + (f" (và {lines - 1} đoạn khác)" if lines > 1 else ""), "cỡ chữ 13–14 pt trong thân văn bản",
                    "chọn đoạn đó, Home ▸ Font Size: 14", run.text.strip()[:40])]


def _justified(doc: Nd30Document) -> list[Finding]:
    """B2: paragraphs of running text (more than a line) justified; one finding, the first quoted."""
    ragged = [line for line in doc.body if len(line.text) > 100 and line.align != "both"]
    if not ragged:
        return []
    more = f" (và {len(ragged) - 1} đoạn khác)" if len(ragged) > 1 else ""
    return [Finding("B2", f"đoạn {quoted(ragged[0], 40)}", f"căn lề {'giữa' if ragged[0].align == 'center' else 'trái'}"
                    + more, "căn đều hai bên", "đặt con trỏ vào đoạn đó, Home ▸ Justify (Ctrl+J)")]


INDENT_MM = (9.5, 13.2)  # 1 cm or 1.27 cm, with what Word's rounding and a ruler drag leave


def _indent(doc: Nd30Document) -> list[Finding]:
    """B2: paragraphs of running text (more than a line) start with a first-line indent of 1 cm or 1,27 cm."""
    wrong = [line for line in doc.body if len(line.text) > 100 and not INDENT_MM[0] <= line.first_indent_mm <= INDENT_MM[1]]
    if not wrong:
        return []
    more = f" (và {len(wrong) - 1} đoạn khác)" if len(wrong) > 1 else ""
    found = "không thụt đầu dòng" if wrong[0].first_indent_mm == 0 else f"thụt đầu dòng {wrong[0].first_indent_mm:g} mm".replace(".", ",")
    return [Finding("B2", f"đoạn {quoted(wrong[0], 40)}", found + more, "thụt đầu dòng 1 cm hoặc 1,27 cm",
                    "chọn đoạn đó, Home ▸ Paragraph ▸ Indentation ▸ Special: First line, By: 1,27 cm")]


SINGLE = 1.15  # Times New Roman's single line is about 1,15 of its size


def _spacing(doc: Nd30Document) -> list[Finding]:
    """B2: at least 6 pt between paragraphs of running text; line spacing from single to 1,5 lines."""
    running = [line for line in doc.body if len(line.text) > 100]
    out: list[Finding] = []
    tight = [line for line in running if line.gap_pt < 6 - 0.01]
    if tight:
        more = f" (và {len(tight) - 1} đoạn khác)" if len(tight) > 1 else ""
        out.append(Finding("B2", f"đoạn {quoted(tight[0], 40)}", f"cách đoạn {tight[0].gap_pt:g} pt".replace(".", ",") + more,
                           "khoảng cách giữa các đoạn tối thiểu 6 pt",
                           "chọn các đoạn, Home ▸ Paragraph ▸ Spacing ▸ Before: 6 pt"))
    loose = [line for line in running if not _pitch_ok(line)]
    if loose:
        rule, value = loose[0].line_spacing
        found = f"giãn dòng {value:g} dòng" if rule == "auto" else f"giãn dòng {value:g} pt"
        more = f" (và {len(loose) - 1} đoạn khác)" if len(loose) > 1 else ""
        out.append(Finding("B2", f"đoạn {quoted(loose[0], 40)}", found.replace(".", ",") + more,
                           "giãn dòng từ một dòng (Single) đến 1,5 dòng",
                           "chọn các đoạn, Home ▸ Paragraph ▸ Line spacing: Exactly 17 pt (hoặc Single)"))
    return out


def _pitch_ok(line: Line) -> bool:
    rule, value = line.line_spacing
    size = max((r.size for r in line.printed if r.size), default=14.0)
    if rule == "auto":
        return 1.0 - 0.01 <= value <= 1.5 + 0.01
    low, high = size * SINGLE * 0.95, size * SINGLE * 1.5 + 0.5
    return value <= high if rule == "atLeast" else low <= value <= high


def _headings(doc: Nd30Document) -> list[Finding]:
    """B3: Roman parts upper case and bold; a Quyết định's "QUYẾT ĐỊNH:" and "Điều 1." articles."""
    out: list[Finding] = []
    for line in doc.body:
        if _ROMAN.match(line.text):
            out += compact([upper_finding("B3", "đề mục", line)]) + style_finding("B3", "đề mục", line, bold=True)
    dotted = [line for line in doc.body if _LETTER_DOT.match(line.text)]
    if dotted and any(_ROMAN.match(line.text) for line in doc.body):
        heads = ", ".join(quoted(line.text[:2]) for line in dotted[:4])
        out.append(Finding("B3", f"đề mục {heads}", "chữ cái đánh số viết với dấu chấm", "\"a)\", \"b)\" … (dấu ngoặc đơn)",
                           FIX_TEXT, dotted[0].text[:40]))
    if doc.kind.name != "Quyết định":
        return out
    announce = next((line for line in doc.body if fold(line.text).rstrip(":. ") == "quyết định"), None)
    if announce is None:
        out.append(missing("B3", "sau các căn cứ", "dòng \"QUYẾT ĐỊNH:\" đậm, ở giữa"))
    elif announce.text != "QUYẾT ĐỊNH:":
        out.append(Finding("B3", f"dòng {quoted(announce)}", "thiếu dấu hai chấm" if ":" not in announce.text else
                           "viết khác mẫu", "\"QUYẾT ĐỊNH:\"", FIX_TEXT))
    articles = [line for line in doc.body if _ARTICLE.match(line.text)]
    wrong = [a for a in articles if not re.match(r"^Điều \d+\.", a.text)]
    if wrong:
        heads = ", ".join(quoted(_ARTICLE_HEAD.match(a.text).group(0)) for a in wrong[:4])
        out.append(Finding("B3", f"tên điều {heads}", "viết sai dấu sau số điều", "\"Điều 1.\" (dấu chấm sau số điều)",
                           FIX_TEXT, wrong[0].text[:40]))
    return out


def _end(doc: Nd30Document) -> list[Finding]:
    if doc.signature is None or not doc.body:
        return []
    last = doc.body[-1]
    if last.text.rstrip().endswith("./."):
        return []
    return [Finding("B4", f"đoạn cuối trước phần ký {quoted('…' + last.text[-40:])}", "không kết thúc bằng \"./.\"",
                    "kết thúc phần nội dung bằng \"./.\"", FIX_TEXT)]


def _appendices(doc: Nd30Document) -> list[Finding]:
    out: list[Finding] = []
    for appendix in doc.appendices:
        label = appendix.label
        if label is None:
            first = appendix.title[0] if appendix.title else appendix.indication
            out.append(missing("A1", f"phụ lục {quoted(first)}", "dòng \"Phụ lục\" riêng, ở giữa, đậm, 14 pt, trên tên phụ lục"))
        elif not re.match(r"^phụ lục( [ivxlc]+| \d+)?$", fold(label.text)):
            out.append(Finding("A1", f"dòng {quoted(label)}", "chữ \"Phụ lục\" và tên phụ lục trên cùng một dòng",
                               "\"Phụ lục\" (kèm số La Mã khi có nhiều) trên một dòng riêng, tên phụ lục ở dòng dưới",
                               "đặt con trỏ sau chữ \"Phụ lục\", nhấn Enter"))
        else:
            out += compact([size_finding("A1", "dòng", label, 14, 14)]) + style_finding("A1", "dòng", label, bold=True)
        for line in appendix.title:
            out += compact([upper_finding("A2", "tên phụ lục", line), size_finding("A2", "tên phụ lục", line, 13, 14, 14)])
            out += style_finding("A2", "tên phụ lục", line, bold=True)
        if appendix.indication is not None:
            out += style_finding("A3", "dòng", appendix.indication, italic=True)
    return out

