"""`kehoach init` scaffolds a workspace from shipped data; the wheel ships that data."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import REPO

KEHOACH = str(Path(sys.executable).parent / "kehoach")


def test_init_then_new_in_the_new_workspace(tmp_path):
    target = tmp_path / "vung-lam-viec"
    result = subprocess.run([KEHOACH, "init", str(target)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == f"Đã tạo vùng làm việc {target}:"
    assert (target / "kehoach.toml").read_text(encoding="utf-8") == (REPO / "kehoach.toml").read_text(encoding="utf-8")
    for template in ("ke-hoach.docx", "thu-gui-phieu.txt", "thu-nhac-bao-cao.txt"):
        assert (target / "templates" / template).read_bytes() == (REPO / "templates" / template).read_bytes()
    assert (target / "output").is_dir()
    spec = target / "plan_specs/soc-trang/STP/2025.yaml"
    spec.unlink()
    new = subprocess.run([KEHOACH, "new", "--agency", "STP", "--year", "2025"], cwd=target, capture_output=True,
                         text=True, check=False)
    assert new.returncode == 0, new.stderr
    lines = new.stdout.splitlines()
    assert lines[:3] == ["Đã tạo kế hoạch mới: plan_specs/soc-trang/STP/2025.yaml",
                         "Đã tạo output/2025/STP/KH-STP-2025.docx", "Đã tạo output/2025/STP/theo-doi/STP-2025-VP.xlsx"]
    assert lines[-1] == "Đã tạo output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx"
    again = subprocess.run([KEHOACH, "new", "--agency", "STP", "--year", "2025"], cwd=target, capture_output=True,
                           text=True, check=False)
    assert again.stdout.splitlines()[0] == "Đã có kế hoạch plan_specs/soc-trang/STP/2025.yaml: giữ nguyên, không ghi đè."


def test_init_refuses_an_existing_workspace(tmp_path):
    first = subprocess.run([KEHOACH, "init", str(tmp_path)], capture_output=True, text=True, check=False)
    assert first.returncode == 0
    second = subprocess.run([KEHOACH, "init", str(tmp_path)], capture_output=True, text=True, check=False)
    assert second.returncode == 3
    assert second.stderr.splitlines()[1] == (
        f"  {tmp_path}: thư mục đã là vùng làm việc (có kehoach.toml); không ghi đè")


def test_wheel_ships_templates_and_sample_data(tmp_path):
    result = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(REPO)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    wheel = next(tmp_path.glob("kehoach_gen-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for shipped in ("kehoach_gen/skeleton/kehoach.toml", "kehoach_gen/skeleton/templates/ke-hoach.docx",
                    "kehoach_gen/skeleton/templates/thu-gui-phieu.txt", "kehoach_gen/skeleton/templates/thu-nhac-bao-cao.txt",
                    "kehoach_gen/skeleton/plan_specs/soc-trang/registry.yaml",
                    "kehoach_gen/skeleton/plan_specs/soc-trang/master-2025.yaml",
                    "kehoach_gen/skeleton/plan_specs/soc-trang/STP/2025.yaml", "kehoach_gen/cli/app.py",
                    "kehoach_gen/excel/render_xlsx.py", "kehoach_gen/build/__init__.py", "kehoach_gen/build/pipeline.py"):
        assert shipped in names, shipped
