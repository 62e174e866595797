"""`kehoach lint` on ten real documents typed by hand in Word (tests/real-docx, never edited).

EXPECTED is the truth table: every finding checked against the document itself (python-docx,
the XML, and the page rendered by LibreOffice), rule by rule, with the text it quotes. Lint must
report exactly these: a finding not in the table is a false alarm, a row it does not report is a
miss. Rows marked in NOT_DEFECTS are things an earlier lint flagged that are right as printed.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kehoach_gen.word.lint import lint
from kehoach_gen.word.reader import read_document

# The ten documents, copied unchanged (byte for byte, checked below) from ../shared/real-docx with its README.
REAL = Path(__file__).resolve().parent / "real-docx"
KEHOACH = str(Path(sys.executable).parent / "kehoach")

# file -> (kind read, [(rule id, text the message must contain)])
EXPECTED: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "BC01-SCT-CN-bao-cao-hoa-chat-gui-Cuc.docx": ("Công văn", [  # filed as a report; its form is a Công văn (V/v)
        ("P2", "lề dưới 12,5 mm (cần lề dưới 20–25 mm)"),
        ("H1", "\"UBND TỈNH LÀO CAI\": cỡ chữ 14 pt (cần cỡ chữ 12–13 pt)"),
        ("H2", "\"SỞ CÔNG THƯƠNG\": cỡ chữ 14 pt"),
        ("H3", "Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\": cỡ chữ 14 pt"),
        ("H4", "\"Độc lập – Tự do – Hạnh phúc\": dùng dấu gạch dài (–) thay cho dấu gạch nối (-)"),
        ("H5", "\"Số: /SCT-CN\": cỡ chữ 14 pt (cần cỡ chữ 13 pt)"),
        ("S3", "\"Nơi nhận:\": cỡ chữ 14 pt (cần cỡ chữ 12 pt)"),
        ("S4", "các dòng nơi nhận: cỡ chữ 12 pt (cần cỡ chữ 11 pt)"),
    ]),
    "BC04-SCT-kho-khan-thanh-lap-CCN.docx": ("Báo cáo", []),
    "CV01-SCT-cung-cap-thong-tin-BCH-quan-su.docx": ("Công văn", [
        ("P1", "khổ giấy Letter 215,9 x 279,4 mm (cần khổ giấy A4 210 x 297 mm)"),
    ]),
    "CV03-SCT-gui-Cty-Mong-Son-kho-VLN.docx": ("Công văn", [
        ("P5", "trang 1 có số trang"),  # no "Different First Page": LibreOffice prints "1" on page 1
        ("H5", "\"Số: /SCT-CN\": cỡ chữ 14 pt"),
        ("S3", "\"Nơi nhận:\": cỡ chữ 11 pt (cần cỡ chữ 12 pt)"),
    ]),
    "CV06-UBND-KT-chi-dao-di-doi-CCN.docx": ("Công văn", [
        ("P5", "văn bản 2 trang không có số trang"),  # no header part at all
        ("H2", "\"ỦY BAN NHÂN DÂN\": cỡ chữ 13,5 pt (cần cỡ chữ 12–13 pt)"),
        ("H3", "Quốc hiệu \"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\": cỡ chữ 13,5 pt"),
        ("H5", "\"Số: /UBND-KT\": cỡ chữ 13,5 pt (cần cỡ chữ 13 pt)"),
    ]),
    "KH02-SCT-3898-huan-luyen-nguoi-quan-ly.docx": ("Kế hoạch", [
        ("P2", "lề trên 15 mm"), ("P2", "lề dưới 12,5 mm"),
        ("H5", "\"Số: /KH-SCT\": cỡ chữ 14 pt"),
        ("B1", "chữ đứng (5/5 dòng căn cứ)"),
        ("B1", "\"…ổ công nghiệp trên địa bàn tỉnh Lào Cai.\": kết thúc bằng dấu chấm"),  # 3rd of 5 bases ends "."
        ("A1", "phụ lục \"PHÂN CÔNG NHIỆM VỤ CỦA TỔ CÔNG TÁC"),  # appendix title with no "Phụ lục" line above it
        ("S4", "các dòng nơi nhận: cỡ chữ 12 pt"),
    ]),
    "QD01-SCT-thanh-lap-doan-kiem-tra-hoa-chat.docx": ("Quyết định", [
        ("P5", "chỉ trang chẵn có số trang, trang lẻ (3, 5 …) không có"),  # evenAndOddHeaders, even header only
        ("H4", "\"Độc lập -Tự do - Hạnh phúc\": thiếu hoặc thừa khoảng trắng"),
        ("B3", "dòng \"QUYẾT ĐỊNH\": thiếu dấu hai chấm"),
        ("B3", "\"Điều 1:\", \"Điều 2:\", \"Điều 4:\", \"Điều 5:\": viết sai dấu sau số điều"),
        ("A1", "\"Phụ lục: DANH SÁCH CÁC ĐƠN VỊ KIỂM TRA\": chữ \"Phụ lục\" và tên phụ lục trên cùng một dòng"),
    ]),
    "QD04-UBND-uy-quyen-VLNCN.docx": ("Quyết định", [
        ("P3", "phông \"Times New Roman Italic\""),  # LibreOffice prints part of it in DejaVu Sans Oblique
    ]),
    "TB02-SCT-ket-qua-kiem-tra-PCCC-kho.docx": ("Thông báo", [
        ("P3", "\"THÔNG BÁO\": phông \"Times New Roman Bold\""),  # rendered in a sans font by LibreOffice
        ("P3", "\"(Kèm theo Thông báo số\": phông \"Times New Roman Italic\""),
        ("H1", "\"UBND TỈNH LÀO CAI\": cỡ chữ 14 pt"),
        ("H5", "\"Số: /TB-SCT\": cỡ chữ 14 pt"),
        ("T2", "viết in hoa toàn bộ"),
        ("B1", "chữ đứng (7/7 dòng căn cứ)"),
        ("A2", "\"Thông số kỹ thuật chính của Kho chứa vật liệu nổ công nghiệp…\": chưa viết in hoa"),
    ]),
    "TTr01-SCT-PANM-va-chap-thuan.docx": ("Tờ trình", [
        ("H5", "\"Số: /TTr-SCT\": cỡ chữ 14 pt"),
        ("S4", "các dòng nơi nhận: cỡ chữ 12 pt"),
    ]),
}
# Right as printed, though an earlier lint (or a first look) said otherwise.
NOT_DEFECTS = [
    "A4 written 11907x16840 twips (all but CV01, CV06, QD04)",
    "eastAsia/cs slots in MS Mincho or a theme font (CV01 and others): those slots never print Vietnamese",
    "\"Nơi nhận\" with an upright colon or trailing space (KH02, CV06, QD01)",
    "the drafter's initials \"(Dũng).\" (TB02) and \"(T.Q.Hùng)\" (CV06) in 14 pt: subscript, printed small on purpose",
    "15 pt subscript \"t\" in TTr01's body",
    "page numbers of the one-page BC01 and CV01",
    "rules drawn as shapes, VML lines or underscore lines (every file has them under H2, H4, T2)",
]


def _matches(findings, rule: str, text: str) -> list:
    return [f for f in findings if f.rule == rule and text in f.render("")]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_findings_are_exactly_the_checked_defects(name):
    kind, expected = EXPECTED[name]
    doc = read_document(REAL / name)
    findings = lint(REAL / name)
    assert doc.kind.name == kind
    unmatched = list(findings)
    for rule, text in expected:
        hits = _matches(unmatched, rule, text)
        assert len(hits) == 1, (rule, text, [f.render("") for f in findings])
        unmatched.remove(hits[0])
    assert [f.render("") for f in unmatched] == []  # no false alarm


def test_precision_and_recall_on_the_table():
    true = found = 0
    for name, (_, expected) in EXPECTED.items():
        findings = lint(REAL / name)
        found += len(findings)
        true += sum(1 for rule, text in expected if _matches(findings, rule, text))
    defects = sum(len(rows) for _, rows in EXPECTED.values())
    assert (true, found, defects) == (38, 38, 38)


def test_the_reader_finds_each_part_by_content():
    doc = read_document(REAL / "KH02-SCT-3898-huan-luyen-nguoi-quan-ly.docx")  # a 3x3 header with a spacer column
    h = doc.header
    assert (h.layout, [x.text for x in h.superior], [x.text for x in h.issuer]) == \
        ("bảng 3x3", ["UBND TỈNH LÀO CAI"], ["SỞ CÔNG THƯƠNG"])
    assert h.quoc_hieu[0].text == "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" and h.issuer[-1].rule_below == "đường kẻ vẽ"
    assert (doc.symbol.type_code, doc.symbol.number, doc.kind_line.text) == ("KH", None, "KẾ HOẠCH")
    assert [x.text for x in doc.title][-1] == "trên địa bàn tỉnh Lào Cai" and doc.title[-1].rule_below
    assert doc.signature.signer.text == "Hoàng Văn Thuân" and doc.page_count == 3
    qd = read_document(REAL / "QD04-UBND-uy-quyen-VLNCN.docx")  # Tiêu ngữ typed with non-breaking hyphens
    assert qd.header.tieu_ngu.text == "Độc lập - Tự do - Hạnh phúc" and qd.authority.text == "ỦY BAN NHÂN DÂN TỈNH LÀO CAI"
    cv = read_document(REAL / "BC01-SCT-CN-bao-cao-hoa-chat-gui-Cuc.docx")
    assert cv.header.subject[0].text.startswith("V/v cập nhật") and cv.header.issuer[-1].rule_below == "dòng gạch dưới"
    assert [x.text for x in cv.recipient] == ["Kính gửi: Cục Hóa chất"]


def test_a_batch_with_broken_files_reports_every_file_as_json(tmp_path):
    doc, pdf, junk = tmp_path / "cu.doc", tmp_path / "ban-in.pdf", tmp_path / "hong.docx"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    pdf.write_bytes(b"%PDF-1.7\n")
    junk.write_bytes(b"PK\x03\x04 not really")
    files = [str(doc), *(str(REAL / n) for n in sorted(EXPECTED)), str(pdf), str(junk)]
    result = subprocess.run([KEHOACH, "lint", "--format", "json", *files], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert list(report) == files
    assert report[str(doc)]["error"].startswith("tệp Word 97–2003 (.doc), chưa đọc được: mở bằng Word, File ▸ Save As")
    assert report[str(pdf)]["error"].startswith("tệp PDF, không kiểm được thể thức")
    assert report[str(junk)]["error"].startswith("không phải tệp Word .docx hoặc tệp bị hỏng")
    assert {report[str(REAL / n)]["status"] for n in EXPECTED} == {"đạt", "lỗi thể thức"}
    assert sum(len(report[str(REAL / n)]["findings"]) for n in EXPECTED) == 38


FIXABLE = {"P1", "P2", "H1", "H2", "H3", "H5", "S3", "S4", "P3"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_fix_writes_a_new_file_with_the_same_words(name, tmp_path):
    src = REAL / name
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "da-sua.docx"
    result = subprocess.run([KEHOACH, "lint", "--fix", str(src), str(out)], capture_output=True, text=True, check=False)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before  # the original is never touched
    assert result.stdout.startswith(f"Đã ghi {out}: ")
    old, new = read_document(src), read_document(out)
    words = lambda d: [line.text for line in (*d.header.issuer, *d.title, *d.body)]  # noqa: E731
    assert words(new) == words(old)
    left = {f.rule for f in lint(out) if f.rule in FIXABLE and "phông" not in f.found}
    assert left == set()
    expected_left = [r for r in EXPECTED[name][1] if r[0] not in FIXABLE]
    assert result.returncode == (1 if expected_left else 0)


def test_fix_refuses_to_write_over_a_file(tmp_path):
    out = tmp_path / "co-san.docx"
    out.write_bytes(b"x")
    src = REAL / "CV01-SCT-cung-cap-thong-tin-BCH-quan-su.docx"
    result = subprocess.run([KEHOACH, "lint", "--fix", str(src), str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert f"{out}: tệp kết quả đã có; chọn tên khác hoặc xóa tệp đó trước" in result.stderr
    assert out.read_bytes() == b"x"


def test_the_real_documents_are_the_published_ones_unchanged():
    """Each copy's size and git blob id are those the README gives for the public original."""
    rows = [line.split("|") for line in (REAL / "README.md").read_text(encoding="utf-8").splitlines()
            if line.startswith("| ") and line.split("|")[1].strip().endswith(".docx")]
    assert len(rows) == 10
    for row in rows:
        name, blob, size = row[1].strip(), row[5].strip().strip("`"), int(row[6].strip())
        data = (REAL / name).read_bytes()
        assert len(data) == size, name
        assert hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest().startswith(blob), name
