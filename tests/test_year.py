"""A year of STP 2025 played through the CLI: Q1 and Q2 returns, reports by period, the consolidated
workbook of the same cut-off. Each report must state only what the units' files say, dated as they
dated it (or by the file's save day), and the workbook the same facts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import datetime as dt

import openpyxl
import pytest
from docx import Document

from conftest import REPO, copy_workspace
from docx_dump import dump
from kehoach_gen.followup.report_text import short
from year_play import MOT_CUA_MAY, TARGET, amend_in_may, old_hctp_return, q1_returns, q2_returns, run


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    root = copy_workspace(tmp_path_factory.mktemp("year") / "ws")
    inbox = root.parent / "hop-thu"
    assert run(root, "build", *TARGET).returncode == 0
    q1 = q1_returns(root, inbox)
    collected = run(root, "collect", *TARGET, *map(str, q1))
    assert collected.returncode == 0, collected.stderr
    q2 = q2_returns(root, inbox, q1[0])  # VP fills on in the file it sent in March
    collected = run(root, "collect", *TARGET, *map(str, q2))
    assert collected.returncode == 0, collected.stderr
    amend_in_may(root)
    rebuilt = run(root, "build", *TARGET)
    assert rebuilt.returncode == 0, rebuilt.stderr
    (root / "build.txt").write_text(rebuilt.stdout, encoding="utf-8")
    late = run(root, "collect", *TARGET, str(old_hctp_return(inbox)))
    assert late.returncode == 0, late.stderr
    (root / "collect.txt").write_text(late.stdout, encoding="utf-8")
    for code in ("Q1", "Q2", "NAM", "T03"):
        made = run(root, "report", *TARGET, "--period", code)
        assert made.returncode == 0, made.stderr
    return root


def texts(root: Path, code: str) -> list[str]:
    return [p.text for p in Document(str(root / f"output/2025/STP/BC-STP-2025-{code}.docx")).paragraphs if p.text]


def after(lines: list[str], heading: str, count: int) -> list[str]:
    at = next(i for i, line in enumerate(lines) if line.startswith(heading))
    return lines[at + 1:at + 1 + count]


GOLDEN = REPO / "tests/golden"
def listed(body: list[str], heading: str) -> list[str]:
    """The tasks of a "- task (…)." list under ``heading`` (empty when the report has no such list)."""
    if heading not in body:
        return []
    lines = []
    for line in body[body.index(heading) + 1:]:
        if not line.startswith("- "):
            break
        lines.append(line[2:line.rindex(" (")])
    return lines


KIEN_TOAN = "b) Kiện toàn đội ngũ cán bộ, công chức đầu mối"
RA_SOAT = "a) Nghiên cứu, xây dựng Kế hoạch rà soát"
MOT_CUA = "a) Thực hiện có hiệu quả cơ chế một cửa"  # reworded in May


def test_q1_shows_only_q1_work(year):
    q1 = texts(year, "Q1")
    assert after(q1, KIEN_TOAN, 2) == ["Tình trạng: đang thực hiện.",
                                        "- Văn phòng Sở: Đang rà soát, đề xuất danh sách công chức đầu mối; tiến độ 50%."]
    assert not any("02/4/2025" in line for line in q1)  # done in April: not a fact of Q1
    assert after(q1, RA_SOAT, 2) == ["Tình trạng: chưa hoàn thành, đã quá hạn (hạn 31/01/2025).",
                                      "- Văn phòng Sở: Đã xây dựng dự thảo Kế hoạch rà soát; tiến độ 80%."]
    # HCTP saved on 16/3, after the cut-off of 14/3 but before the due day 19/3: its file counts for Q1
    assert "- Phòng Hành chính tư pháp: Đã góp ý dự thảo Quyết định công bố TTHC của Sở; văn bản: Công văn số " \
           "12/HCTP ngày 05/3/2025; tiến độ 100%." in q1


def test_q2_shows_what_was_done_in_q2(year):
    q2 = texts(year, "Q2")
    assert after(q2, KIEN_TOAN, 2) == [
        "Tình trạng: đã hoàn thành ngày 02/4/2025, trễ hạn (hạn 31/3/2025).",
        "- Văn phòng Sở: Đã kiện toàn đội ngũ công chức đầu mối; văn bản: Quyết định số 15/QĐ-STP ngày 02/4/2025; "
        "hoàn thành ngày 02/4/2025."]
    # only the line added in Q2, not what Q1 already reported
    assert after(q2, RA_SOAT, 2) == ["Tình trạng: đã hoàn thành ngày 10/4/2025, trễ hạn (hạn 31/01/2025).",
                                      "- Văn phòng Sở: Đã ban hành Kế hoạch rà soát; hoàn thành ngày 10/4/2025."]
    assert after(q2, MOT_CUA, 3) == ["Tình trạng: đang thực hiện (nhiệm vụ thường xuyên); Phòng Xây dựng và kiểm tra "
                                      "văn bản QPPL, Phòng Bổ trợ tư pháp, Phòng Phổ biến, giáo dục pháp luật, Trung tâm "
                                      "Trợ giúp pháp lý nhà nước và Trung tâm Dịch vụ đấu giá tài sản chưa báo cáo phần "
                                      "việc được giao.",
                                      "- Văn phòng Sở: Quý II: tiếp nhận 1.410 hồ sơ, trả đúng hạn 100%.",
                                      "- Phòng Hành chính tư pháp: Tiếp nhận 320 hồ sơ hộ tịch, trả đúng hạn 100%."]
    # done in Q1: its status stands, no unit line repeats it
    assert after(q2, "a) Xây dựng, ban hành và tổ chức thực hiện", 2)[0] == "Tình trạng: đã hoàn thành ngày 20/01/2025."
    assert after(q2, "a) Xây dựng, ban hành và tổ chức thực hiện", 2)[1].startswith("b) ")


def test_the_march_report_is_not_januarys(year):
    t03 = texts(year, "T03")
    assert "(số liệu tính từ ngày 15/02/2025 đến ngày 14/3/2025)" in t03[5]
    # done on 20/01: before the window; still a fact (its status), but no line of January's work
    assert after(t03, "a) Xây dựng, ban hành và tổ chức thực hiện", 1) == ["Tình trạng: đã hoàn thành ngày 20/01/2025."]
    assert not any(line.startswith("- Văn phòng Sở: Đã ban hành Kế hoạch kiểm soát") for line in t03)


def test_unreported_is_not_not_done(year):
    q1 = texts(year, "Q1")
    assert after(q1, "b) Thẩm định dự thảo văn bản QPPL", 1) == [
        "Tình trạng: chưa báo cáo; Phòng Xây dựng và kiểm tra văn bản QPPL chưa gửi kết quả thực hiện."]
    assert not any("chưa thực hiện" in line for line in q1)
    assert "Tổng số 23 nhiệm vụ: hoàn thành 1; đang thực hiện 3; quá hạn 1; chưa triển khai 0; không thực hiện 1; " \
           "chưa báo cáo 17." in q1
    assert "- Thẩm định dự thảo văn bản QPPL của HĐND, UBND tỉnh có quy định … (Phòng Xây dựng và kiểm tra văn bản " \
           "QPPL chưa báo cáo)." in q1


def test_difficulties_and_reasons_reach_the_report(year):
    q1 = texts(year, "Q1")
    assert after(q1, "Khó khăn, vướng mắc các đơn vị nêu trong kỳ:", 2) == [
        "- Văn phòng Sở (nhiệm vụ \"Kiện toàn đội ngũ cán bộ, công chức đầu mối thực hiện nhiệm vụ …\"): Thiếu công "
        "chức có chuyên môn công nghệ thông tin.",
        "- Phòng Hành chính tư pháp không thực hiện nhiệm vụ \"Kiểm soát chặt chẽ việc ban hành mới các TTHC thông qua "
        "việc đánh …\", lý do: Trong kỳ không có dự thảo văn bản quy phạm pháp luật quy định TTHC."]
    assert after(q1, "III. PHƯƠNG HƯỚNG", 1) == [
        "- Khẩn trương hoàn thành nhiệm vụ đã quá hạn: Nghiên cứu, xây dựng Kế hoạch rà soát, đánh giá TTHC năm 2025 "
        "của … (hạn 31/01/2025)."]
    q2 = texts(year, "Q2")  # the difficulty was cleared in Q2's file
    assert not any("Thiếu công chức" in line for line in q2)


def test_no_unit_code_and_one_date_style(year):
    for code in ("Q1", "Q2", "NAM"):
        body = texts(year, code)
        assert not any(f"{unit}:" in line for line in body for unit in ("VP", "HCTP", "BTTP"))
        assert not any(".," in line or ";." in line for line in body)
        assert not any("14/03/2025" in line or "02/04/2025" in line for line in body)


@pytest.mark.parametrize("code", ["Q1", "NAM"])
def test_golden_report(year, code, request):
    text = dump(year / f"output/2025/STP/BC-STP-2025-{code}.docx")
    golden = GOLDEN / f"BC-STP-2025-{code}.txt"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("code", ["Q1", "Q2", "NAM"])
def test_reports_are_lint_clean(year, code):
    checked = run(year, "lint", f"output/2025/STP/BC-STP-2025-{code}.docx")
    assert checked.returncode == 0, checked.stdout


@pytest.mark.parametrize("code", ["Q1", "Q2"])
def test_period_workbook_states_the_reports_facts(year, code):
    body = texts(year, code)
    book = openpyxl.load_workbook(year / f"output/2025/STP/BC-STP-2025-{code}-tong-hop.xlsx")
    sheet = book["Tổng hợp"]
    counts = next(line for line in body if line.startswith("Tổng số"))
    assert sheet["A5"].value == counts
    statuses = {row[1]: row[5] for row in sheet.iter_rows(min_row=8, values_only=True) if isinstance(row[0], int)}
    assert len(statuses) == 23 and set(statuses.values()) <= {"Hoàn thành", "Hoàn thành trễ hạn", "Đang thực hiện",
                                                               "Quá hạn", "Không thực hiện (nêu lý do)", "Chưa báo cáo"}
    assert listed(body, "Các nhiệm vụ đã quá hạn mà chưa hoàn thành:") == [
        short(content) for content, status in statuses.items() if status == "Quá hạn"]
    assert listed(body, "Các nhiệm vụ chưa có báo cáo của đơn vị:") == [
        short(content) for content, status in statuses.items() if status == "Chưa báo cáo"]
    sent = book["Tình hình gửi phiếu"]
    rows = {r[0]: r for r in sent.iter_rows(min_row=6, values_only=True)}
    assert rows["Văn phòng Sở"][1] == ("VP-quy-1.xlsx" if code == "Q1" else "VP-quy-2.xlsx")
    assert rows["Thanh tra Sở"][1:3] == ("Chưa gửi phiếu", None)


def test_live_workbook_is_up_to_the_newest_file(year):
    book = openpyxl.load_workbook(year / "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx")
    assert book["Tổng hợp"]["A4"].value == "Số liệu đến ngày 25/5/2025, theo các phiếu theo dõi các đơn vị đã gửi."
    row = next(r for r in book["Tổng hợp"].iter_rows(min_row=8, values_only=True)
               if str(r[1]).startswith("Kiện toàn đội ngũ"))
    assert row[2:] == ("Văn phòng Sở", "Trong quý I/2025", row[4], "Hoàn thành trễ hạn", 100,
                       "Văn phòng Sở: Đã kiện toàn đội ngũ công chức đầu mối")


def test_consolidated_workbook_prints_at_nine_points_or_more(year, tmp_path):
    """Render the workbook as LibreOffice prints it and measure every word's height on the page."""
    from kehoach_gen.build.pdf import convert

    book = year / "output/2025/STP/BC-STP-2025-Q1-tong-hop.xlsx"
    copy = tmp_path / book.name
    copy.write_bytes(book.read_bytes())
    [pdf] = convert([copy])
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    import re

    heights = [float(m.group(2)) - float(m.group(1))
               for m in re.finditer(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">', boxes)]
    assert len(heights) > 500
    # a word box is about 1.15 times the font size: 9 pt text gives boxes of about 10.3 pt
    assert min(heights) >= 9 * 1.1, sorted(heights)[:5]


def test_the_amendment_in_may_keeps_what_was_accepted(year):
    """VP's regenerated tracker holds what VP sent; the reworded row is marked; the build says to resend."""
    built = (year / "build.txt").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("Đã cập nhật output/2025/STP/theo-doi/STP-2025-VP.xlsx: ") and "sửa đổi" in line
               and line.endswith("gửi lại phiếu này cho đơn vị") for line in built), built
    sheet = openpyxl.load_workbook(year / "output/2025/STP/theo-doi/STP-2025-VP.xlsx")["Theo dõi"]
    header = [c.value for c in sheet[4]]
    rows = {str(sheet.cell(r, 3).value): [sheet.cell(r, header.index(h) + 1).value for h in
                                          ("Tình trạng", "Tiến độ (%)", "Ngày hoàn thành", "Kết quả thực hiện")]
            for r in range(5, sheet.max_row + 1)}
    kien_toan = next(v for k, v in rows.items() if k.startswith("Kiện toàn đội ngũ"))
    assert kien_toan[:3] == ["Hoàn thành", 100, dt.datetime(2025, 4, 2)]
    assert kien_toan[3] == "Đã kiện toàn đội ngũ công chức đầu mối"
    reworded = next(k for k in rows if k.startswith(MOT_CUA_MAY))
    assert "(Sửa đổi ngày " in reworded and rows[reworded][3] == (
        "Tiếp nhận 1.250 hồ sơ, trả đúng hạn 99,5%\nQuý II: tiếp nhận 1.410 hồ sơ, trả đúng hạn 100%")


def test_an_old_tracker_after_the_amendment_is_taken_with_a_warning(year):
    lines = (year / "collect.txt").read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith("HCTP-thang-5.xlsx: HCTP, lưu lúc 09:00 ngày 25/05/2025: đã nhận (số liệu mới nhất của đơn vị)")
    assert lines[1].startswith("  kế hoạch đã sửa ngày ") and lines[1].endswith(
        ": nhiệm vụ \"Thực hiện có hiệu quả cơ chế một cửa, một cửa liên thông …\" đổi nội dung; "
        "đã nhận kết quả của đơn vị, đề nghị kiểm tra lại")
    q2 = texts(year, "Q2")
    assert "- Phòng Hành chính tư pháp: Tiếp nhận 320 hồ sơ hộ tịch, trả đúng hạn 100%." in q2
    assert not any("320 hồ sơ" in line for line in texts(year, "Q1"))


def test_what_a_unit_owes_is_capped_in_one_cell(monkeypatch, tmp_path):
    """A unit owing hundreds of tasks must not overflow Excel's 32,767-character cell: the list stops, says how
    many more, and points to the matrix (found with a 2,000-task plan: the workbook could not be written)."""
    from kehoach_gen.followup import office
    from kehoach_gen.spec.inputs import Target, resolve
    from kehoach_gen.workspace import Workspace

    merged = resolve(Workspace(copy_workspace(tmp_path), "soc-trang"), Target("soc-trang", "STP", 2025))
    monkeypatch.setattr(office, "OWED_LISTED", 5)
    [vp] = [r for r in office.live_facts(merged, []).returns if r.unit == "VP"]
    assert len(vp.owing) == 6 and vp.owing[-1] == "… và 11 nhiệm vụ khác (xem trang \"Theo đơn vị\")"
    # the names, for every unit: each task of its owed parts once, in plan order, numbered as in the workbook
    from kehoach_gen.followup.facts import period_facts
    from kehoach_gen.followup.periods import grace, year_start
    from kehoach_gen.followup.report_text import short

    cal = merged.master.reporting
    facts = period_facts(merged, [], year_start(2025, cal), year_start(2025, cal), grace(2025, cal))
    numbers = {t.id: n for n, t in enumerate(facts.tasks, start=1)}
    by_part = {p.key: t for t in facts.tasks for p in t.parts}
    shown = {r.unit: r.owing for r in office.live_facts(merged, []).returns}
    for unit in facts.returns:
        named = list(dict.fromkeys(f"{numbers[by_part[k].id]}. {short(by_part[k].content, 10)}" for k in unit.owing))
        assert list(shown[unit.unit][:5]) == named[:5], unit.unit


def test_a_task_owed_for_two_parts_is_named_once(monkeypatch):
    from types import SimpleNamespace

    from kehoach_gen.followup import office

    monkeypatch.setattr(office, "OWED_LISTED", 2)
    one, two, three = (SimpleNamespace(id=f"n.{i}", content=f"Việc số {i} của nhóm") for i in (1, 2, 3))
    numbers = {"n.1": 4, "n.2": 7, "n.3": 9}
    assert office._listed([one, one, two], numbers) == ("4. Việc số 1 của nhóm", "7. Việc số 2 của nhóm")
    assert office._listed([one, two, one, three, three], numbers) == (
        "4. Việc số 1 của nhóm", "7. Việc số 2 của nhóm", "… và 1 nhiệm vụ khác (xem trang \"Theo đơn vị\")")
