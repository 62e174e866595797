"""A workspace holding several provinces: outputs kept apart, --all-provinces builds them all.

The default province (kehoach.toml) keeps output/<năm>/<CƠ QUAN>/ as before; any other province
writes under output/<tỉnh>/<năm>/<CƠ QUAN>/ (issue 17: Khánh Hòa's STP 2021 replaced Sóc Trăng's).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from docx import Document

from conftest import copy_workspace
from conftest import run_cli as run


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def two(tmp_path_factory) -> Path:
    return copy_workspace(tmp_path_factory.mktemp("two"))


def test_same_agency_and_year_in_two_provinces_do_not_overwrite_each_other(two):
    first = run(two, "build", "--agency", "STP", "--year", "2021")
    assert first.returncode == 0, first.stderr
    soc_trang = two / "output/2021/STP/KH-STP-2021.docx"  # the default province: the layout it always had
    before = _sha(soc_trang)
    second = run(two, "build", "--agency", "STP", "--year", "2021", "--province", "khanh-hoa")
    assert second.returncode == 0, second.stderr
    assert second.stdout.splitlines()[0] == "Đã tạo output/khanh-hoa/2021/STP/KH-STP-2021.docx"
    assert _sha(soc_trang) == before
    khanh_hoa = two / "output/khanh-hoa/2021/STP/KH-STP-2021.docx"
    assert Document(str(khanh_hoa)).tables[0].cell(0, 0).paragraphs[0].text == "UBND TỈNH KHÁNH HÒA"
    assert Document(str(soc_trang)).tables[0].cell(0, 0).paragraphs[0].text == "UBND TỈNH SÓC TRĂNG"
    trackers = sorted(p.name for p in (two / "output/khanh-hoa/2021/STP/theo-doi").glob("*.xlsx"))
    assert trackers == ["STP-2021-HCTP.xlsx", "STP-2021-VBPL.xlsx", "STP-2021-VP.xlsx", "STP-2021-tong-hop.xlsx"]
    assert not (two / "output/2021/STP/theo-doi/STP-2021-VBPL.xlsx").exists()  # no Khánh Hòa unit mixed in
    status = run(two, "status", "--agency", "STP", "--year", "2021", "--province", "khanh-hoa")
    assert status.stdout.splitlines() == ["output/khanh-hoa/2021/STP/KH-STP-2021.docx: mới nhất"]


def test_build_all_provinces_builds_every_plan_once(two):
    result = run(two, "build", "--all", "--all-provinces", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"Tổng cộng: tạo mới \d+, không đổi 2 \(19 kế hoạch, \d+,\d giây\)\.",
                        result.stdout.splitlines()[-1]), result.stdout.splitlines()[-1]
    for agency in ("STNMT", "STP", "UBNDDK"):
        assert (two / f"output/khanh-hoa/2021/{agency}/KH-{agency}-2021.docx").is_file()
    again = run(two, "build", "--all", "--all-provinces")
    assert re.fullmatch(r"Tổng cộng: không đổi 19 \(19 kế hoạch, \d+,\d giây\)\.", again.stdout.splitlines()[-1])
    check = run(two, "check", "--all-provinces", "--agency", "STP", "--year", "2021")
    assert [line for line in check.stdout.splitlines() if "hợp lệ" in line] == [
        "soc-trang STP 2021: hợp lệ (11 nhóm, 20 nhiệm vụ, bỏ 0).",
        "khanh-hoa STP 2021: hợp lệ (5 nhóm, 5 nhiệm vụ, bỏ 0)."]


def test_a_province_code_of_digits_only_is_refused(two):
    (two / "plan_specs/2021").mkdir()
    result = run(two, "build", "--agency", "STP", "--year", "2021", "--province", "2021")
    assert result.returncode == 2
    assert result.stderr.splitlines()[:2] == [
        "Lỗi:", "  --province: mã tỉnh chỉ gồm chữ số trùng với thư mục năm trong output/ (cần mã có chữ cái, ví dụ "
                "khanh-hoa, gặp \"2021\")"]


def test_a_tracker_of_the_same_agency_in_another_province_is_refused(two, tmp_path):
    """Both provinces have an STP plan for 2021 with a unit VP: Sóc Trăng's returned VP tracker was taken into
    Khánh Hòa's plan (the hidden identity named agency, year and unit, not the province)."""
    import datetime as dt

    from mail_helpers import filled

    for province in ("soc-trang", "khanh-hoa"):
        built = run(two, "build", "--agency", "STP", "--year", "2021", "--province", province)
        assert built.returncode == 0, built.stderr
    returned = tmp_path / "VP.xlsx"
    returned.write_bytes(filled((two / "output/2021/STP/theo-doi/STP-2021-VP.xlsx").read_bytes(),
                                {"H5": "Hoàn thành"}, dt.datetime(2021, 3, 3, 2, 0)))
    progress = two / "output/khanh-hoa/2021/STP/tien-do"
    before = sorted(p.name for p in progress.rglob("*")) if progress.exists() else []
    wrong = run(two, "collect", "--agency", "STP", "--year", "2021", "--province", "khanh-hoa", str(returned))
    assert wrong.returncode == 2
    assert (f"{returned}: phiếu của cơ quan cùng mã ở tỉnh khác (cần tỉnh \"khanh-hoa\", gặp tỉnh \"soc-trang\")"
            in wrong.stdout + wrong.stderr)
    assert "kehoach collect --province soc-trang" in wrong.stdout + wrong.stderr
    assert (sorted(p.name for p in progress.rglob("*")) if progress.exists() else []) == before
    right = run(two, "collect", "--agency", "STP", "--year", "2021", str(returned))
    assert right.returncode == 0, right.stdout + right.stderr
    assert "đã nhận" in right.stdout
