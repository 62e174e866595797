"""`kehoach lint --fix` on broken copies of a real document: bold/italic where the decree leaves no choice, and the
leading zero of the Số number and the date when Word has split them over runs. The fixed file is read back and
linted; its words are the original's (only the padding digits change, as the decree asks)."""

from __future__ import annotations

import copy
import subprocess
from pathlib import Path

from docx import Document
from test_lint_real import KEHOACH, REAL

from kehoach_gen.word.docx_facts import W, Styles, run_facts
from kehoach_gen.word.lint import lint
from kehoach_gen.word.reader import open_docx, read_document, read_opened

BC04 = REAL / "BC04-SCT-kho-khan-thanh-lap-CCN.docx"  # the one real file with no finding


def _toggle(p, tag: str, on: bool) -> None:
    for run in p.iter(f"{W}r"):
        rpr = run.find(f"{W}rPr")
        if rpr is None:
            continue
        for node in rpr.findall(f"{W}{tag}"):
            rpr.remove(node)
        node = rpr.makeelement(f"{W}{tag}", {} if on else {f"{W}val": "0"})
        rpr.insert(1, node)


def _split(p, pieces: list[str]) -> None:
    """Retype paragraph ``p`` as one run per piece, each with the first run's formatting (as Word saves edits)."""
    runs = [r for r in p.findall(f"{W}r") if r.find(f"{W}t") is not None]
    rpr = runs[0].find(f"{W}rPr")
    for run in runs:
        p.remove(run)
    for piece in pieces:
        run = p.makeelement(f"{W}r", {})
        if rpr is not None:
            run.append(copy.deepcopy(rpr))
        t = run.makeelement(f"{W}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        t.text = piece
        run.append(t)
        p.append(run)


def _fix(src: Path, tmp: Path) -> tuple[Path, subprocess.CompletedProcess]:
    out = tmp / "da-sua.docx"
    return out, subprocess.run([KEHOACH, "lint", "--fix", str(src), str(out)], capture_output=True, text=True, check=False)


def test_fix_sets_bold_and_italic_the_decree_fixes(tmp_path):
    doc = Document(str(BC04))
    read = read_opened(doc)
    _toggle(read.header.tieu_ngu.node, "b", False)  # H4: the Tiêu ngữ is bold
    _toggle(read.header.date.node, "i", False)  # H6: the date is italic
    _toggle(read.signature.heading.node, "i", False)  # S3: "Nơi nhận:" is bold italic
    for line in read.signature.recipients:
        _toggle(line.node, "i", True)  # S4: recipients are upright
    broken = tmp_path / "hong.docx"
    doc.save(str(broken))
    before = sorted((f.rule, f.found) for f in lint(broken))
    assert before == [("H4", "chữ không đậm"), ("H6", "chữ đứng"), ("S3", "chữ đứng"), ("S4", "chữ nghiêng")]

    out, result = _fix(broken, tmp_path)
    assert result.returncode == 0, result.stdout
    assert "đậm, nghiêng: Tiêu ngữ" in result.stdout and "đậm, nghiêng: Nơi nhận" in result.stdout
    assert lint(out) == []
    fixed = open_docx(out)
    styles = Styles(fixed.styles.element)
    again = read_opened(fixed)
    assert all(r.bold for r in run_facts(again.header.tieu_ngu.node, styles) if r.text.strip())
    assert all(r.bold and r.italic for r in run_facts(again.signature.heading.node, styles) if r.text.strip())
    words = lambda d: [x.text for x in (d.header.tieu_ngu, d.header.date, d.signature.heading, *d.body)]  # noqa: E731
    assert words(again) == words(read_document(BC04))


def test_fix_pads_the_number_and_date_split_over_runs(tmp_path):
    doc = Document(str(BC04))
    read = read_opened(doc)
    _split(read.header.number.node, ["Số: ", "7", "/BC-SCT"])
    _split(read.header.date.node, ["Lào Cai, ngày ", "5", " tháng ", "0", "3", " năm 2026"])
    broken = tmp_path / "hong.docx"
    doc.save(str(broken))
    found = [f.render("") for f in lint(broken)]
    assert [f for f in found if "H5:" in f and "viết sai số, ký hiệu" in f]
    assert [f for f in found if "H6:" in f and "viết sai ngày tháng" in f]

    out, result = _fix(broken, tmp_path)
    assert "số văn bản: thêm số 0 đứng trước" in result.stdout
    assert "ngày: thêm số 0 đứng trước" in result.stdout and "tháng 3–9: bỏ số 0 đứng trước" in result.stdout
    again = read_document(out)
    assert again.header.number.text == "Số: 07/BC-SCT"
    assert again.header.date.text == "Lào Cai, ngày 05 tháng 3 năm 2026"
    # each run kept its place: the zero went into the run holding the day, the month's zero run is left empty
    assert [r.text for r in again.header.date.runs] == ["Lào Cai, ngày ", "05", " tháng ", "3", " năm 2026"]
    assert [f.render("") for f in lint(out) if f.rule in ("H5", "H6")] == []


def test_fix_centres_the_signer_and_sets_the_page_number(tmp_path):
    doc = Document(str(BC04))
    read = read_opened(doc)
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.text.paragraph import Paragraph

    Paragraph(read.signature.signer.node, None).alignment = WD_ALIGN_PARAGRAPH.LEFT
    header = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/header"))
    for size in header.element.iter(f"{W}sz"):
        size.set(f"{W}val", "20")
    broken = tmp_path / "hong.docx"
    doc.save(str(broken))
    assert sorted(f.rule for f in lint(broken)) == ["P5", "S2"]
    out, result = _fix(broken, tmp_path)
    assert result.returncode == 0 and lint(out) == []
    assert read_document(out).pages[0].number_look["odd"] == (14.0, "Times New Roman")
