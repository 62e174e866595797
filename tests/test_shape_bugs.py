"""Bugs met writing other provinces' plans as specs (issue 17): each test failed before its fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import shutil

import pytest
from conftest import MASTER, REPO, SPEC, copy_workspace, write_tree
from docx import Document

KEHOACH = str(Path(sys.executable).parent / "kehoach")


@pytest.fixture
def small_ws(small_ws):  # noqa: F811
    """The small workspace with the shipped templates, so that it builds."""
    shutil.copytree(REPO / "templates", small_ws.root / "templates")
    return small_ws


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_new_against_a_master_without_sections_writes_a_spec_that_builds(tmp_path):
    root = copy_workspace(tmp_path / "ws")  # the shipped master-2021 has no sections
    result = run(root, "new", "--agency", "SKHCN", "--year", "2021")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == ["Đã tạo kế hoạch mới: plan_specs/soc-trang/SKHCN/2021.yaml",
                                              "Đã tạo output/2021/SKHCN/KH-SKHCN-2021.docx"]
    text = (root / "plan_specs/soc-trang/SKHCN/2021.yaml").read_text(encoding="utf-8")
    assert ("# Kế hoạch tỉnh không gợi ý các phần: thêm phần Mục đích, yêu cầu và Tổ chức thực hiện (title, items) "
            "trước và sau phần nhiệm vụ.\nsections:\n  - title: Nội dung kế hoạch\n    tasks: true\n") in text
    check = run(root, "check", "--agency", "SKHCN", "--year", "2021")
    assert check.returncode == 0, check.stderr
    doc = Document(str(root / "output/2021/SKHCN/KH-SKHCN-2021.docx"))
    assert "I. NỘI DUNG KẾ HOẠCH" in [p.text for p in doc.paragraphs]


def test_new_says_the_spec_was_written_when_its_build_fails(small_ws):
    """The spec is on disk: never "Chưa ghi tệp nào." after writing it."""
    small_ws.spec_file("tinh-a", "STP", 2025).unlink()
    write_tree(small_ws.root, {"plan_specs/tinh-a/STP/2024.yaml": (  # last year's unit since dissolved
        "agency: STP\nyear: 2024\ndate: 2024-01-20\ntasks:\n  - id: chi-dao.ke-hoach\n    lead: [PHCU]\n")})
    result = run(small_ws.root, "new", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert small_ws.spec_file("tinh-a", "STP", 2025).is_file()
    assert result.stdout.splitlines() == [
        "Đã tạo kế hoạch mới: plan_specs/tinh-a/STP/2025.yaml (mang sang lựa chọn của plan_specs/tinh-a/STP/2024.yaml)"]
    assert "PHCU" in result.stderr.splitlines()[1]
    assert "Chưa ghi tệp nào." not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        "Chưa xuất văn bản nào; kế hoạch plan_specs/tinh-a/STP/2025.yaml đã được tạo: sửa tệp này rồi chạy "
        "kehoach build --agency STP --year 2025.")
    assert not (small_ws.root / "output/2025").exists()


def test_a_spec_whose_sections_hold_no_tasks_is_refused(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC + "sections:\n  - title: Mục đích\n    items: [Một đoạn.]\n", encoding="utf-8")
    result = run(small_ws.root, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Lỗi:",
        "  plan_specs/tinh-a/STP/2025.yaml:14: sections: không phần nào của thân văn bản chứa các nhiệm vụ "
        "(cần tasks: true ở phần Nội dung, gặp không có)",
        "Chưa ghi tệp nào.",
    ]


def test_empty_sections_list_is_named_as_written(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC + "sections: []\n", encoding="utf-8")
    result = run(small_ws.root, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert "()" not in result.stderr
    assert result.stderr.splitlines()[1] == (
        "  plan_specs/tinh-a/STP/2025.yaml:14: sections: danh sách trống hoặc quá ngắn (cần ít nhất 1 mục, "
        "gặp để trống)")


def test_empty_archive_prints_the_archive_line_without_a_dangling_comma(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC + "archive: []\n", encoding="utf-8")
    result = run(small_ws.root, "build", "--agency", "STP", "--year", "2025")
    assert result.returncode == 0, result.stderr
    doc = Document(str(small_ws.root / "output/2025/STP/KH-STP-2025.docx"))
    cells = [p.text for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    assert "- Lưu: VT." in cells
    assert not [c for c in cells if c.startswith("- Lưu: VT,")]


def test_deadlines_after_a_one_year_plan_hint_at_end_year(small_ws):
    spec = small_ws.spec_file("tinh-a", "STP", 2025)
    spec.write_text(SPEC.replace("lead: [BTTP]", "lead: [BTTP]\n    deadline: Năm 2026-2027")
                    .replace("coordinate: [ALL]", "coordinate: [ALL]\n    deadline: Năm 2027"), encoding="utf-8")
    result = run(small_ws.root, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        "Có 2 lỗi:",
        "  plan_specs/tinh-a/STP/2025.yaml:9: tasks.chi-dao.ke-hoach.deadline: thời hạn nằm ngoài thời gian của kế "
        "hoạch (cần năm 2025, gặp năm 2027)",
        "  plan_specs/tinh-a/STP/2025.yaml:12: tasks.chi-dao.van-ban.deadline: thời hạn nằm ngoài thời gian của kế "
        "hoạch (cần năm 2025, gặp năm 2026–2027)",
        "Nếu đây là kế hoạch nhiều năm (2025–2027), ghi năm cuối: end_year: 2027 trong plan_specs/tinh-a/STP/2025.yaml "
        "(cạnh year: 2025); nếu không, sửa các thời hạn trên.",
        "Chưa ghi tệp nào.",
    ]
    fixed = spec.read_text(encoding="utf-8").replace("year: 2025\n", "year: 2025\nend_year: 2027\n", 1)
    spec.write_text(fixed, encoding="utf-8")
    assert run(small_ws.root, "check", "--agency", "STP", "--year", "2025").returncode == 0


def test_a_master_deadline_beyond_its_year_hints_at_the_masters_end_year(small_ws):
    """Reported once, at the master's line, with the end_year hint naming the master file."""
    write_tree(small_ws.root, {"plan_specs/tinh-a/master-2025.yaml": MASTER.replace(
        "deadline: Thường xuyên", "deadline: Năm 2027")})
    result = run(small_ws.root, "check", "--agency", "STP", "--year", "2025")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == "Lỗi:"
    assert len([line for line in lines if "thời hạn nằm ngoài" in line]) == 1
    assert lines[-2].startswith("Nếu đây là kế hoạch nhiều năm (2025–2027), ghi năm cuối: end_year: 2027 trong "
                                "plan_specs/tinh-a/master-2025.yaml")
