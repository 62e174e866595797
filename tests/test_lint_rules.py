"""Rules checked on copies of real documents with one thing changed (the originals are never edited).

Each case opens a real document, changes one line through the reader's nodes, saves a copy, and
pins the finding (or its absence) that the change must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document

from kehoach_gen.word.docx_facts import W
from kehoach_gen.word.lint import lint
from kehoach_gen.word.reader import read_opened
from test_lint_real import REAL

BC04 = "BC04-SCT-kho-khan-thanh-lap-CCN.docx"  # the one real file with no finding
CV01 = "CV01-SCT-cung-cap-thong-tin-BCH-quan-su.docx"
QD04 = "QD04-UBND-uy-quyen-VLNCN.docx"


def _sizes(p, half_points: int) -> None:
    for run in p.iter(f"{W}r"):
        rpr = run.find(f"{W}rPr")
        node = rpr.find(f"{W}sz") if rpr is not None else None
        if node is not None:
            node.set(f"{W}val", str(half_points))


def _text(p, old: str, new: str) -> None:
    texts = list(p.iter(f"{W}t"))
    joined = "".join(t.text or "" for t in texts).replace(old, new, 1)
    texts[0].text = joined
    for t in texts[1:]:
        t.text = ""


def _break_quoc_hieu(p) -> None:
    run = next(r for r in p.iter(f"{W}r") if "NGHĨA" in "".join(t.text or "" for t in r.iter(f"{W}t")))
    t = next(run.iter(f"{W}t"))
    head, tail = t.text.split("NGHĨA ")
    t.text = head + "NGHĨA"
    run.append(run.makeelement(f"{W}br", {}))
    second = run.makeelement(f"{W}t", {})
    second.text = tail
    run.append(second)


CASES = [  # (id, file, which line, change, rule, text of the finding or None for "no finding of that rule")
    ("pair-13-13", BC04, "tieu_ngu", lambda p: _sizes(p, 26), "P4",
     "Quốc hiệu và Tiêu ngữ: cỡ chữ 13 pt và 13 pt (cần một cặp cỡ chữ"),
    ("pair-12-13-is-fine", BC04, "both-12-13", None, "P4", None),
    ("quoc-hieu-two-lines", BC04, "quoc_hieu", _break_quoc_hieu, "H3", "Quốc hiệu: xuống dòng thành hai dòng"),
    ("vv-14pt", CV01, "subject", lambda p: _sizes(p, 28), "C1", "trích yếu công văn \"V/v cung cấp"),
    ("year-number", QD04, "number", lambda p: _text(p, "Số:             /", "Số: 05/2025/"), "H5", None),
    ("year-number-unpadded", QD04, "number", lambda p: _text(p, "Số:             /", "Số: 5/2025/"), "H5",
     "dòng số, ký hiệu \"Số: 5/2025/QĐ-UBND\": viết sai số, ký hiệu"),
    ("kind-lower-case", BC04, "kind_line", lambda p: _text(p, "BÁO CÁO", "Báo cáo"), "T1",
     "tên loại \"Báo cáo\": chưa viết in hoa"),
    ("date-month-padded", BC04, "date", lambda p: _text(p, "tháng      năm", "tháng 05 năm"), "H6",
     "viết sai ngày tháng"),
    ("date-month-12", BC04, "date", lambda p: _text(p, "tháng      năm", "tháng 12 năm"), "H6", None),
    ("date-month-02", BC04, "date", lambda p: _text(p, "tháng      năm", "tháng 2 năm"), "H6", "viết sai ngày tháng"),
    ("tieu-ngu-no-rule", BC04, "tieu_ngu_rule", None, "H4", "không có đường kẻ (cần đường kẻ liền dài bằng dòng chữ)"),
]


def _edit(name: str, which: str, change, tmp: Path) -> Path:
    doc = Document(str(REAL / name))
    read = read_opened(doc)
    h = read.header
    if which == "both-12-13":
        _sizes(h.quoc_hieu[0].node, 24)
        _sizes(h.tieu_ngu.node, 26)
    elif which == "tieu_ngu_rule":  # BC04 draws it as a line anchored in the date paragraph below
        for drawing in list(h.date.node.iter(f"{W}r")):
            if drawing.find(f".//{W}drawing") is not None or drawing.find(f".//{W}pict") is not None \
                    or drawing.tag.endswith("AlternateContent"):
                drawing.getparent().remove(drawing)
        for alt in list(h.date.node.iter("{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent")):
            alt.getparent().remove(alt)
    else:
        node = {"tieu_ngu": lambda: h.tieu_ngu.node, "quoc_hieu": lambda: h.quoc_hieu[0].node,
                "subject": lambda: h.subject[0].node, "number": lambda: h.number.node,
                "kind_line": lambda: read.kind_line.node, "date": lambda: h.date.node}[which]()
        change(node)
    out = tmp / f"{which}.docx"
    doc.save(str(out))
    return out


@pytest.mark.parametrize(("case", "name", "which", "change", "rule", "text"), CASES, ids=[c[0] for c in CASES])
def test_one_change_one_finding(case, name, which, change, rule, text, tmp_path):
    findings = [f.render("") for f in lint(_edit(name, which, change, tmp_path)) if f.rule == rule]
    if text is None:
        assert findings == []
    else:
        assert len([f for f in findings if text in f]) == 1, findings


_WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def _rule_width(old_emu: str, new_mm: float):
    """Make the drawn line that is ``old_emu`` wide ``new_mm`` long (its DrawingML extent)."""
    def change(doc, read) -> None:
        for extent in doc.element.body.iter(f"{_WP}extent"):
            if extent.get("cx") == old_emu:
                extent.set("cx", str(round(new_mm * 36000)))
    return change


def _first_running(read):
    return next(line for line in read.body if len(line.text) > 100).node


def _indent(twips: int | None):
    def change(doc, read) -> None:
        ppr = _first_running(read).find(f"{W}pPr")
        for ind in ppr.findall(f"{W}ind"):
            ppr.remove(ind)
        if twips is not None:
            ind = ppr.makeelement(f"{W}ind", {f"{W}firstLine": str(twips)})
            ppr.append(ind)
    return change


def _gap(before: int, after: int):
    def change(doc, read) -> None:
        ppr = _first_running(read).find(f"{W}pPr")
        for node in ppr.findall(f"{W}spacing"):
            ppr.remove(node)
        ppr.insert(1, ppr.makeelement(f"{W}spacing", {f"{W}before": str(before), f"{W}after": str(after)}))
    return change


def _page_number(size_half_points: int | None = None, font: str | None = None):
    """The digits of BC04's page number (its header) in another size or font."""
    def change(doc, read) -> None:
        header = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/header"))
        for run in header.element.iter(f"{W}r"):
            rpr = run.find(f"{W}rPr")
            if rpr is None:
                continue
            if size_half_points is not None and rpr.find(f"{W}sz") is not None:
                rpr.find(f"{W}sz").set(f"{W}val", str(size_half_points))
            if font is not None and rpr.find(f"{W}rFonts") is not None:
                for slot in ("ascii", "hAnsi"):
                    rpr.find(f"{W}rFonts").set(f"{W}{slot}", font)
    return change


def _align_left(which: str):
    def change(doc, read) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.text.paragraph import Paragraph

        node = read.signature.signer.node if which == "signer" else read.header.date.node
        Paragraph(node, None).alignment = WD_ALIGN_PARAGRAPH.LEFT
    return change


# BC04 draws the rule under "SỞ CÔNG THƯƠNG" 25,4 mm long (914400 EMU) and under the Tiêu ngữ 57,7 mm (2078355).
DOC_CASES = [  # (id, change, rule, text of the finding or None for "no finding with that text")
    ("issuer-rule-40mm", _rule_width("914400", 40), "H2",
     "đường kẻ dưới \"SỞ CÔNG THƯƠNG\": dài 40 mm (dài hơn quy định; dòng chữ dài khoảng 43 mm) (cần đường kẻ "
     "1/3–1/2 độ dài dòng chữ, khoảng 18 mm). Sửa trong Word: bấm vào đường kẻ, Shape Format ▸ Size ▸ Width: 1,8 cm."),
    ("issuer-rule-10mm", _rule_width("914400", 10), "H2", "dài 10 mm (ngắn hơn quy định"),
    ("issuer-rule-20mm-is-fine", _rule_width("914400", 20), "H2", None),
    ("tieu-ngu-rule-40mm", _rule_width("2078355", 40), "H4",
     "đường kẻ dưới \"Độc lập - Tự do - Hạnh phúc\": dài 40 mm (ngắn hơn quy định; dòng chữ dài khoảng 60 mm) "
     "(cần đường kẻ bằng độ dài dòng chữ, khoảng 60 mm)"),
    ("tieu-ngu-rule-62mm-is-fine", _rule_width("2078355", 62), "H4", None),
    ("no-first-line-indent", _indent(None), "B2",
     "đoạn \"Qua thực tiễn thẩm định thành lập, mở rộ…\": không thụt đầu dòng (cần thụt đầu dòng 1 cm hoặc 1,27 cm)"),
    ("indent-2cm", _indent(1134), "B2", "thụt đầu dòng 20 mm (cần thụt đầu dòng 1 cm hoặc 1,27 cm)"),
    ("indent-1,27cm-is-fine", _indent(720), "B2", None),
    ("no-space-between", _gap(0, 0), "B2", "cách đoạn 0 pt (cần khoảng cách giữa các đoạn tối thiểu 6 pt)"),
    ("page-number-10pt", _page_number(size_half_points=20), "P5",
     "số trang ở đầu trang: cỡ chữ 10 pt (cần cỡ chữ 13–14 pt). Sửa trong Word: Insert ▸ Header ▸ Edit Header, "
     "chọn số trang, Home ▸ Font Size: 14."),
    ("page-number-13pt-is-fine", _page_number(size_half_points=26), "P5", None),
    ("page-number-arial", _page_number(font="Arial"), "P3", "số trang ở đầu trang: phông \"Arial\""),
    ("signer-left", _align_left("signer"), "S2", "họ tên người ký \"Nguyễn Đình Chiến\": không ở giữa cột"),
    ("date-left", _align_left("date"), "H6", "không ở giữa cột (cần căn giữa dưới Quốc hiệu và Tiêu ngữ)"),
]


@pytest.mark.parametrize(("case", "change", "rule", "text"), DOC_CASES, ids=[c[0] for c in DOC_CASES])
def test_new_rules_on_a_broken_copy(case, change, rule, text, tmp_path):
    doc = Document(str(REAL / BC04))
    change(doc, read_opened(doc))
    out = tmp_path / f"{case}.docx"
    doc.save(str(out))
    findings = [f.render("") for f in lint(out) if f.rule == rule]
    if text is None:
        assert [f for f in findings if "đường kẻ dưới" in f or "thụt" in f or "số trang" in f] == []
    else:
        assert len([f for f in findings if text in f]) == 1, findings
