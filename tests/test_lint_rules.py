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
