"""Báo cáo per period: window from the reporting calendar, prefilled from collected progress."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from conftest import copy_workspace
from year_play import fill
from kehoach_gen.spec.inputs import Target, resolve
from kehoach_gen.followup.periods import period
from kehoach_gen.workspace import Workspace

KEHOACH = str(Path(sys.executable).parent / "kehoach")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    root = copy_workspace(tmp_path_factory.mktemp("bc"))
    return resolve(Workspace(root, "soc-trang"), Target("soc-trang", "STP", 2025))


@pytest.mark.parametrize(("code", "start", "end", "due", "label"), [
    ("Q1", dt.date(2024, 12, 15), dt.date(2025, 3, 14), dt.date(2025, 3, 19), "quý I năm 2025"),
    ("Q2", dt.date(2025, 3, 15), dt.date(2025, 6, 14), dt.date(2025, 6, 19), "quý II năm 2025"),
    ("Q4", dt.date(2025, 9, 15), dt.date(2025, 12, 14), dt.date(2025, 12, 19), "quý IV năm 2025"),
    ("6T", dt.date(2024, 12, 15), dt.date(2025, 6, 14), dt.date(2025, 6, 19), "6 tháng đầu năm 2025"),
    ("9T", dt.date(2024, 12, 15), dt.date(2025, 9, 14), dt.date(2025, 9, 19), "9 tháng năm 2025"),
    ("NAM", dt.date(2024, 12, 15), dt.date(2025, 12, 14), dt.date(2025, 12, 19), "năm 2025"),
    ("T02", dt.date(2025, 1, 15), dt.date(2025, 2, 14), dt.date(2025, 2, 22), "tháng 02 năm 2025"),
])
def test_period_windows_come_from_the_reporting_calendar(merged, code, start, end, due, label):
    when = period(code, 2025, merged.master.reporting)
    assert (when.start, when.end, when.due, when.label) == (start, end, due, label)


def test_q1_report_prefilled_from_a_returned_tracker(tmp_path):
    root = copy_workspace(tmp_path)
    run = lambda *a: subprocess.run([KEHOACH, *a], cwd=root, capture_output=True, text=True, check=False)  # noqa: E731
    assert run("build", "--agency", "STP", "--year", "2025").returncode == 0
    sent = fill(root / "output/2025/STP/theo-doi/STP-2025-VP.xlsx", tmp_path / "VP-gui-lai.xlsx", {
        ("Xây dựng, ban hành và tổ chức thực hiện", "Chủ trì"): {
            "Tình trạng": "Hoàn thành", "Kết quả thực hiện": "Đã ban hành Kế hoạch số 12/KH-STP ngày 20/01/2025",
            "Văn bản / minh chứng": "'=HYPERLINK(\"x\")"}}, dt.datetime(2025, 2, 3, 2, 0))
    book = openpyxl.load_workbook(sent)  # typed as text: it must stay text all the way into the report
    assert (book["Theo dõi"]["L5"].value, book["Theo dõi"]["L5"].data_type) == ("=HYPERLINK(\"x\")", "s")
    collected = run("collect", "--agency", "STP", "--year", "2025", str(sent))
    assert collected.returncode == 0, collected.stderr
    result = run("report", "--agency", "STP", "--year", "2025", "--period", "Q1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["Đã tạo output/2025/STP/BC-STP-2025-Q1.docx",
                                              "Đã tạo output/2025/STP/BC-STP-2025-Q1-tong-hop.xlsx"]
    report = root / "output/2025/STP/BC-STP-2025-Q1.docx"
    doc = Document(str(report))
    texts = [p.text for p in doc.paragraphs if p.text]
    assert texts[:5] == ["BÁO CÁO", "Kết quả thực hiện Kế hoạch kiểm soát thủ tục hành chính năm 2025",
                         "tại Sở Tư pháp tỉnh Sóc Trăng", "Quý I năm 2025", "Kính gửi: Văn phòng UBND tỉnh."]
    assert [c.text for c in doc.tables[0].rows[1].cells] == ["Số:      /BC-STP", "Sóc Trăng, ngày      tháng 3 năm 2025"]
    task = texts.index("a) Xây dựng, ban hành và tổ chức thực hiện các văn bản triển khai thực hiện nhiệm vụ kiểm soát "
                       "TTHC năm 2025.")
    assert texts[task + 1:task + 3] == [
        "Tình trạng: đã hoàn thành.",
        "- Văn phòng Sở: Đã ban hành Kế hoạch số 12/KH-STP ngày 20/01/2025; văn bản: =HYPERLINK(\"x\")."]
    sections = [p.text for p in doc.paragraphs if p.style.name == "KH Mục I"]
    assert sections == ["I. TÌNH HÌNH, KẾT QUẢ THỰC HIỆN", "II. ĐÁNH GIÁ CHUNG",
                        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TIẾP THEO", "IV. ĐỀ XUẤT, KIẾN NGHỊ"]
    counts = next(t for t in texts if t.startswith("Tổng số"))
    assert counts == ("Tổng số 23 nhiệm vụ: hoàn thành 1; đang thực hiện 0; quá hạn 0; chưa triển khai 0; "
                      "không thực hiện 0; chưa báo cáo 22.")
    notes = [p.text for p in doc.paragraphs if p.style.name == "KH Ghi chú người soạn"]
    assert notes[0] == "[Phần cán bộ phụ trách viết: ưu điểm trong kỳ]" and len(notes) == 4
    assert texts[texts.index("IV. ĐỀ XUẤT, KIẾN NGHỊ") + 1].endswith("./.")
    recipients = [c.text for c in doc.tables[-1].rows[0].cells][0].splitlines()
    assert recipients == ["Nơi nhận:", "- Như trên;", "- Giám đốc Sở (b/c);", "- Các Phó Giám đốc Sở;", "- Lưu: VT, HCTH."]
    lint = run("lint", str(report))
    assert lint.returncode == 0, lint.stdout


def test_unknown_period(tmp_path):
    root = copy_workspace(tmp_path)
    result = subprocess.run([KEHOACH, "report", "--agency", "STP", "--year", "2025", "--period", "Q5"], cwd=root,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stderr.splitlines()[1] == (
        "  --period: kỳ báo cáo không hợp lệ (cần Q1, Q2, Q3, Q4, 6T, 9T, NAM hoặc T01…T12, gặp \"Q5\")")
