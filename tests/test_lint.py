"""`kehoach lint`: every generated document passes; a gallery of broken ones is caught by rule id."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import copy_workspace

KEHOACH = str(Path(sys.executable).parent / "kehoach")
PLANS = ["output/2025/STP/KH-STP-2025.docx", "output/2021/STP/KH-STP-2021.docx", "output/2025/SKHCN/KH-SKHCN-2025.docx",
         "output/2025/UBNDNN/KH-UBNDNN-2025.docx", "output/2021/SNV/KH-SNV-2021.docx",
         *(f"output/2025/{a}/KH-{a}-2025.docx" for a in ("SNV", "STC", "SNNMT", "SXD", "SCT", "SYT", "SGDDT", "SVHTTDL",
                                                          "SDTTG", "VPUBND", "TTT"))]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("lint"))
    assert subprocess.run([KEHOACH, "build", "--all"], cwd=root, capture_output=True, check=False).returncode == 0
    return root


def test_every_generated_plan_passes(built):
    result = subprocess.run([KEHOACH, "lint", *PLANS], cwd=built, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout
    assert result.stdout.splitlines() == [f"{p}: đạt" for p in PLANS]


def _mutate(src: Path, dst: Path, part: str, old: str, new: str, count: int = 1) -> Path:
    with zipfile.ZipFile(src) as archive:
        members = {i.filename: archive.read(i.filename) for i in archive.infolist()}
    text = members[part].decode("utf-8")
    assert old in text, old
    members[part] = text.replace(old, new, count).encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return dst


BROKEN = [
    ("wrong-margins", "word/document.xml", 'w:left="1701"', 'w:left="1134"', 2, "P2", "phần 1, lề left"),
    ("arial", "word/styles.xml", 'w:ascii="Times New Roman"', 'w:ascii="Arial"', 99, "P3", None),
    ("month-padded", "word/document.xml", "tháng 01 năm 2025", "tháng 05 năm 2025", 1, None, None),
    ("no-page-number", "word/header1.xml", "PAGE", "DATE", 1, "P5", "đầu trang (header)"),
    ("issuer-not-bold", "word/document.xml", "SỞ TƯ PHÁP</w:t>", "SỞ TƯ PHÁP</w:t>", 1, None, None),
    ("tieu-ngu-no-rule", "word/styles.xml",
     '<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>', "", 1, "H4", None),
    ("recipients-13pt", "word/styles.xml",
     '<w:color w:val="000000"/><w:sz w:val="22"/><w:szCs w:val="22"/>',
     '<w:color w:val="000000"/><w:sz w:val="26"/><w:szCs w:val="26"/>', 1, "S4", None),
]


@pytest.mark.parametrize(("name", "part", "old", "new", "count", "rule", "where"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_documents_are_caught(built, tmp_path, name, part, old, new, count, rule, where):
    src = built / PLANS[0]
    if name == "month-padded":  # a date the decree forbids: May written "05"
        src = _mutate(src, tmp_path / "a.docx", part, "ngày      tháng 01 năm 2025", "ngày 15 tháng 01 năm 2025")
        old, new, rule, where = "tháng 01 năm 2025", "tháng 05 năm 2025", "H6", "địa danh, ngày tháng"
    if name == "issuer-not-bold":  # direct formatting on the issuer's run switches bold off
        old = '<w:r><w:t xml:space="preserve">SỞ TƯ PHÁP</w:t>'
        new = '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t xml:space="preserve">SỞ TƯ PHÁP</w:t>'
        rule, where = "H2", "\"SỞ TƯ PHÁP\""
    broken = _mutate(src, tmp_path / f"{name}.docx", part, old, new, count)
    result = subprocess.run([KEHOACH, "lint", "--format", "json", str(broken)], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 1, result.stdout
    findings = json.loads(result.stdout)[str(broken)]
    assert rule in {f["rule"] for f in findings}, findings
    if where:
        assert where in {f["where"] for f in findings if f["rule"] == rule}, findings


def test_not_a_word_file(tmp_path):
    junk = tmp_path / "x.docx"
    junk.write_bytes(b"not a zip")
    result = subprocess.run([KEHOACH, "lint", str(junk)], capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == f"  {junk}: không mở được tệp Word (.docx): tệp hỏng, không phải .docx, hoặc là tệp .doc cũ"
