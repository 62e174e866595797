"""Shared fixtures: small workspaces built inline, the repository workspace, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
import textwrap
from pathlib import Path

import pytest

from kehoach_gen.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]

REGISTRY = """\
province: tinh-a
name: Tỉnh A
place: Tỉnh A
agencies:
  - code: STP
    name: Sở Tư pháp
    full_name: Sở Tư pháp tỉnh A
    superior_lines: UBND TỈNH A
    symbol: STP
    units:
      - {code: VP, name: Văn phòng Sở}
      - {code: BTTP, name: Phòng Bổ trợ tư pháp}
    unit_groups:
      - {code: ALL, name: "các Phòng, đơn vị có liên quan", units: [VP, BTTP]}
    focal_unit: VP
    signer:
      authority: [{prefix: KT., of: GIÁM ĐỐC}]
      title: PHÓ GIÁM ĐỐC
      name: Nguyễn Văn A
    recipients: [Văn phòng UBND tỉnh, Ban Giám đốc Sở]
    archive: [VP]
  - code: SNV
    name: Sở Nội vụ
    full_name: Sở Nội vụ tỉnh A
    superior_lines: UBND TỈNH A
    symbol: SNV
    units: [{code: VP, name: Văn phòng Sở}]
    signer: {title: GIÁM ĐỐC, name: Trần Thị B}
    recipients: [Văn phòng UBND tỉnh]
    archive: [VP]
"""

MASTER = """\
province: tinh-a
year: 2025
sample: true
issuer: Ủy ban nhân dân tỉnh A
symbol: KH-UBND
number: 8
date: 2025-01-15
title: thực hiện công tác kiểm soát thủ tục hành chính năm 2025
agency_title: Kiểm soát thủ tục hành chính năm 2025
legal_bases:
  - Căn cứ Nghị định số 63/2010/NĐ-CP ngày 08/6/2010 của Chính phủ;
sections:
  - title: Mục đích, yêu cầu
    items:
      - heading: Mục đích
        items: ["- Nâng cao chất lượng."]
  - title: Nội dung
    tasks: true
groups:
  - id: chi-dao
    title: Công tác chỉ đạo điều hành
    tasks:
      - id: chi-dao.ke-hoach
        content: Ban hành kế hoạch kiểm soát TTHC năm 2025
        results: Kế hoạch kiểm soát TTHC
        deadline: Trước ngày 31/01/2025
      - id: chi-dao.van-ban
        content: Ban hành văn bản triển khai
        deadline: Thường xuyên
  - id: bao-cao
    title: Chế độ thông tin báo cáo
    tasks:
      - id: bao-cao.dinh-ky
        content: Báo cáo định kỳ
        deadline: Định kỳ hàng quý và năm (trước ngày 19 của tháng cuối quý)
"""

SPEC = """\
agency: STP
year: 2025
number: 2
date: 2025-01-26
tasks:
  - id: chi-dao.ke-hoach
    lead: [VP]
    coordinate: [ALL]
  - id: chi-dao.van-ban
    lead: [BTTP]
drop:
  - id: bao-cao.dinh-ky
    reason: Văn phòng Sở báo cáo chung
"""


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


@pytest.fixture
def small_ws(tmp_path: Path) -> Workspace:
    """A workspace with one province, two agencies, a master plan and an STP 2025 spec."""
    write_tree(tmp_path, {
        "kehoach.toml": 'province = "tinh-a"\n',
        "plan_specs/tinh-a/registry.yaml": REGISTRY,
        "plan_specs/tinh-a/master-2025.yaml": MASTER,
        "plan_specs/tinh-a/STP/2025.yaml": SPEC,
    })
    return Workspace(root=tmp_path, province="tinh-a")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/*.txt from current output")


def copy_workspace(target: Path) -> Path:
    """A copy of the repository's own workspace (config, sample specs, templates) at ``target``."""
    import shutil

    target.mkdir(parents=True, exist_ok=True)
    for name in ("kehoach.toml", "plan_specs", "templates"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copyfile)(src, target / name)
    return target


@pytest.fixture(autouse=True, scope="session")
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests keep LibreOffice's profiles (pdf.py) in a folder of their own, not the user's cache."""
    import os

    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True, scope="session")
def _no_converter_left(_own_cache: None) -> Iterator[None]:
    """Warm PDF converters close at the end of each command (keep 0) and, whatever a test left, with the session."""
    import os

    os.environ.setdefault("KEHOACH_PDF_KEEP_MINUTES", "0")
    yield
    from kehoach_gen.build.pdf_warm import close_all

    close_all()


KEHOACH = str(Path(sys.executable).parent / "kehoach")


def run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real console entry point, as a clerk's shell runs it (a plain PATH, a UTF-8 locale)."""
    return subprocess.run([KEHOACH, *args], cwd=cwd, capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
                               "KEHOACH_PDF_KEEP_MINUTES": os.environ["KEHOACH_PDF_KEEP_MINUTES"]})
