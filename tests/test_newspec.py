"""`kehoach new` creates a missing spec from master + profile (+ last year), never overwrites."""

from __future__ import annotations

from conftest import MASTER, write_tree
from kehoach_gen.spec.inputs import Target, resolve
from kehoach_gen.spec.newspec import create_spec

STP = Target("tinh-a", "STP", 2025)


def test_creates_a_valid_spec_covering_every_master_task(small_ws):
    small_ws.spec_file("tinh-a", "STP", 2025).unlink()
    path, created, previous = create_spec(small_ws, STP)
    assert created and previous is None
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Kế hoạch của Sở Tư pháp năm 2025, tạo bởi `kehoach new` từ Kế hoạch tỉnh")
    assert "  # Ban hành kế hoạch kiểm soát TTHC năm 2025\n  - id: chi-dao.ke-hoach\n    lead: [VP]\n" in text
    merged = resolve(small_ws, STP)
    assert merged.uncovered == ()
    assert [t.id for g in merged.plan.groups for t in g.tasks] == [
        "chi-dao.ke-hoach", "chi-dao.van-ban", "bao-cao.dinh-ky"]
    assert merged.plan.number is None and merged.plan.date.day is None and merged.plan.date.month == 1
    assert merged.plan.opening.intro == (
        "Thực hiện Kế hoạch số 08/KH-UBND ngày 15/01/2025 của Ủy ban nhân dân tỉnh A thực hiện công tác kiểm "
        "soát thủ tục hành chính năm 2025, Sở Tư pháp ban hành Kế hoạch với nội dung như sau:",)


def test_never_overwrites(small_ws):
    path = small_ws.spec_file("tinh-a", "STP", 2025)
    before = path.read_bytes()
    assert create_spec(small_ws, STP) == (path, False, None)
    assert path.read_bytes() == before


def test_carries_last_years_choices_forward(small_ws):
    write_tree(small_ws.root, {
        "plan_specs/tinh-a/master-2026.yaml": MASTER.replace("year: 2025", "year: 2026")
        .replace("2025-01-15", "2026-01-15").replace("31/01/2025", "31/01/2026"),
        "plan_specs/tinh-a/STP/2025.yaml": """\
agency: STP
year: 2025
date: 2025-01-26
layout: {kind: appendix, appendix: {title: Nội dung thực hiện}}
signer: {title: GIÁM ĐỐC, name: Lê Văn C}
tasks:
  - id: chi-dao.ke-hoach
    lead: [BTTP]
    coordinate: [VP]
  - id: chi-dao.rieng
    group: chi-dao
    content: Việc riêng
    lead: [VP]
drop:
  - {id: bao-cao.dinh-ky, reason: Báo cáo chung}
"""})
    target = Target("tinh-a", "STP", 2026)
    path, created, previous = create_spec(small_ws, target)
    assert created and previous == small_ws.spec_file("tinh-a", "STP", 2025)
    plan = resolve(small_ws, target).plan
    tasks = {t.id: t for g in plan.groups for t in g.tasks}
    assert tasks["chi-dao.ke-hoach"].parts[0].lead == ("BTTP",)
    assert tasks["chi-dao.ke-hoach"].parts[0].coordinate == ("VP",)
    assert tasks["chi-dao.van-ban"].parts[0].lead == ("VP",)  # new to the agency: the focal unit
    assert "chi-dao.rieng" in tasks
    assert [d.id for d in plan.dropped] == ["bao-cao.dinh-ky"]
    assert plan.layout.kind == "appendix"
    assert plan.signer.name == "Lê Văn C"
    assert tasks["chi-dao.ke-hoach"].parts[0].deadline.date.year == 2026  # wording from the new master
