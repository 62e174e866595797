"""`kehoach import`: Word plans back into YAML. The test of record is the round trip: every plan the
sample province builds, imported with `--as spec` and built again, gives the same document text
(every paragraph and cell, tests/docx_dump.py)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_workspace
from docx_dump import dump

KEHOACH = str(Path(sys.executable).parent / "kehoach")
REAL = Path(__file__).parent / "real-docx"
PLANS = [("STP", 2025), ("SKHCN", 2025), ("UBNDNN", 2025), ("STP", 2021), ("SNV", 2021), ("SCT", 2025),
         ("SDTTG", 2025), ("SGDDT", 2025), ("SNNMT", 2025), ("SNV", 2025), ("STC", 2025), ("SVHTTDL", 2025),
         ("SXD", 2025), ("SYT", 2025), ("TTT", 2025), ("VPUBND", 2025)]


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The sample province, every plan built."""
    root = copy_workspace(tmp_path_factory.mktemp("built"))
    result = run(root, "build", "--all", "--jobs", "1")
    assert result.returncode == 0, result.stderr
    return root


def document(root: Path, agency: str, year: int) -> Path:
    return root / f"output/{year}/{agency}/KH-{agency}-{year}.docx"


def test_the_sample_province_builds_every_plan_listed(built):
    assert sorted(p.name for p in built.glob("output/*/*/KH-*.docx")) == sorted(
        f"KH-{a}-{y}.docx" for a, y in PLANS)


@pytest.mark.parametrize(("agency", "year"), PLANS)
def test_round_trip_gives_the_same_document_text(built, tmp_path, agency, year):
    ws = copy_workspace(tmp_path / "ws")
    spec = ws / f"plan_specs/soc-trang/{agency}/{year}.yaml"
    spec.unlink()
    imported = run(ws, "import", str(document(built, agency, year)), "--as", "spec", "--agency", agency,
                   "--year", str(year))
    assert imported.returncode == 0, imported.stderr
    assert f"Đã ghi plan_specs/soc-trang/{agency}/{year}.yaml" in imported.stdout
    assert "Chưa đặt được" not in imported.stdout
    rebuilt = run(ws, "build", "--agency", agency, "--year", str(year))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert dump(document(ws, agency, year)) == dump(document(built, agency, year))


def test_import_says_what_matched_the_master(built, tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    (ws / "plan_specs/soc-trang/STP/2025.yaml").unlink()
    out = run(ws, "import", str(document(built, "STP", 2025)), "--as", "spec", "--agency", "stp", "--year", "2025")
    lines = out.stdout.splitlines()
    assert lines[-1] == "23 nhiệm vụ, 22 khớp Kế hoạch tỉnh, 1 nhiệm vụ mới, 4 đơn vị chưa có trong danh mục."
    assert "Lưu ý: 1 nhiệm vụ của Kế hoạch tỉnh không có trong văn bản: noi-bo.tong-ket" in lines
    assert 'Lưu ý: đơn vị chưa có trong danh mục của STP: "Các Phòng, Trung tâm có liên quan"' in lines
    text = (ws / "plan_specs/soc-trang/STP/2025.yaml").read_text(encoding="utf-8")
    assert "# khớp 79% nhiệm vụ tỉnh ra-soat.ke-hoach: Xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025." in text
    assert "# nhiệm vụ mới (không có trong Kế hoạch tỉnh)" in text


def test_existing_spec_is_compared_never_overwritten(built, tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    spec = ws / "plan_specs/soc-trang/STP/2025.yaml"
    before = spec.read_bytes()
    out = run(ws, "import", str(document(built, "STP", 2025)), "--as", "spec", "--agency", "STP", "--year", "2025")
    assert out.returncode == 0, out.stderr
    assert "Đã có plan_specs/soc-trang/STP/2025.yaml: không ghi đè. Khác biệt với bản nhập:" in out.stdout
    assert "Để ghi bản nhập ra tệp khác: thêm --write TỆP_MỚI.yaml" in out.stdout
    assert spec.read_bytes() == before
    again = run(ws, "import", str(document(built, "STP", 2025)), "--as", "spec", "--agency", "STP", "--year", "2025",
                "--write", "ban-nhap.yaml")
    assert again.returncode == 0, again.stderr
    assert "Đã ghi ban-nhap.yaml" in again.stdout
    assert (ws / "ban-nhap.yaml").read_text(encoding="utf-8").startswith("# Kế hoạch của Sở Tư pháp năm 2025")
    third = run(ws, "import", str(document(built, "STP", 2025)), "--as", "spec", "--agency", "STP", "--year", "2025",
                "--write", "ban-nhap.yaml")
    assert third.returncode == 2
    assert "ban-nhap.yaml: tệp đã có, không ghi đè" in third.stderr


def test_reimport_of_the_same_document_is_the_same(built, tmp_path):
    ws = copy_workspace(tmp_path / "ws")
    (ws / "plan_specs/soc-trang/SKHCN/2025.yaml").unlink()
    args = (str(document(built, "SKHCN", 2025)), "--as", "spec", "--agency", "SKHCN", "--year", "2025")
    assert run(ws, "import", *args).returncode == 0
    again = run(ws, "import", *args)
    assert "Đã có plan_specs/soc-trang/SKHCN/2025.yaml, giống bản nhập: giữ nguyên." in again.stdout


@pytest.mark.parametrize(("name", "head", "what", "command"), [
    ("KH.doc", b"\xd0\xcf\x11\xe0rest", "tệp Word 97–2003 (.doc)", 'libreoffice --headless --convert-to docx "KH.doc"'),
    ("KH.pdf", b"%PDF-1.4", "tệp PDF",
     'libreoffice --headless --infilter=writer_pdf_import --convert-to docx "KH.pdf"'),
])
def test_doc_and_pdf_are_asked_to_be_saved_as_docx(built, tmp_path, name, head, what, command):
    path = tmp_path / name
    path.write_bytes(head)
    out = run(built, "import", str(path), "--as", "spec", "--agency", "STP", "--year", "2025")
    assert out.returncode == 2
    assert f"{what}: cần lưu thành .docx trước khi nhập" in out.stderr
    assert command in out.stderr
    assert "Traceback" not in out.stderr
