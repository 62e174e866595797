"""The facts at a cut-off, from history records as collect keeps them (no workbooks needed here)."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach_gen.followup.facts import period_facts
from kehoach_gen.followup.periods import grace, period
from kehoach_gen.spec.inputs import Target, resolve

# small_ws (conftest): chi-dao.ke-hoach led by VP (BTTP coordinates), due 31/01/2025;
# chi-dao.van-ban led by BTTP, Thường xuyên. Cut-off day 14, quarterly due day 19.
KE_HOACH, VAN_BAN = "chi-dao.ke-hoach#1", "chi-dao.van-ban#1"


def record(unit: str, saved: str, rows: dict[str, dict[str, object]], name: str = "") -> dict[str, object]:
    return {"agency": "STP", "year": 2025, "unit": unit, "saved": saved, "hash": saved + unit, "revision": "r",
            "source": name or f"{unit}.xlsx", "rows": rows}


@pytest.fixture
def merged(small_ws):
    return resolve(small_ws, Target("tinh-a", "STP", 2025))


def at(merged, records, code: str):
    cal = merged.master.reporting
    when = period(code, 2025, cal)
    return period_facts(merged, records, when.start, when.end, grace(2025, cal))


def task(facts, number: int):
    return facts.tasks[number - 1]


def test_nothing_reported_is_chua_bao_cao_and_the_lead_owes(merged):
    facts = at(merged, [], "Q1")
    assert [(t.status, t.category, t.owing) for t in facts.tasks] == [
        ("Chưa báo cáo", "Chưa báo cáo", ("Văn phòng Sở",)), ("Chưa báo cáo", "Chưa báo cáo", ("Phòng Bổ trợ tư pháp",))]
    assert facts.counts()["Chưa báo cáo"] == 2


@pytest.mark.parametrize(("saved", "q1", "q2"), [
    ("2025-03-10T02:00:00Z", "Đang thực hiện", "Đang thực hiện"),  # before the cut-off: Q1
    ("2025-03-16T02:00:00Z", "Đang thực hiện", "Đang thực hiện"),  # after it, before the due day 19/3: still Q1
    ("2025-03-20T02:00:00Z", "Chưa báo cáo", "Đang thực hiện"),  # after the due day: Q2
    ("2025-03-19T18:00:00Z", "Chưa báo cáo", "Đang thực hiện"),  # 20/3 01:00 in Vietnam: Q2
])
def test_an_undated_result_counts_from_its_save_day(merged, saved, q1, q2):
    records = [record("VP", saved, {KE_HOACH: {"status": "Đang thực hiện", "result": "Đang soạn"}})]
    assert task(at(merged, records, "Q1"), 1).status == q1
    assert task(at(merged, records, "Q2"), 1).status == q2


def test_the_units_date_wins_over_the_save_day(merged):
    # saved in May, the unit says it was done on 05/3: a fact of Q1, known since May
    records = [record("VP", "2025-05-20T02:00:00Z", {KE_HOACH: {"status": "Hoàn thành", "done_date": "2025-03-05"}})]
    first = task(at(merged, records, "Q1"), 1)
    assert (first.status, first.done_on) == ("Hoàn thành trễ hạn", dt.date(2025, 3, 5))  # due 31/01
    assert task(at(merged, records, "Q2"), 1).parts[0].units[0].shown is None  # nothing new in Q2


def test_status_at_the_cut_off_comes_from_the_history_not_the_newest_file(merged):
    records = [record("VP", "2025-03-01T02:00:00Z", {KE_HOACH: {"status": "Đang thực hiện", "percent": 40}}),
               record("VP", "2025-04-02T02:00:00Z", {KE_HOACH: {"status": "Hoàn thành"}})]
    assert task(at(merged, records, "Q1"), 1).category == "Quá hạn"
    done = task(at(merged, records, "Q2"), 1)
    # done by the file of 02/4, after the due day 31/01; no date of the unit's own to print
    assert (done.status, done.done_on) == ("Hoàn thành trễ hạn", None)


def test_a_row_sent_again_unchanged_keeps_its_first_date(merged):
    row = {KE_HOACH: {"status": "Đang thực hiện", "result": "Đang soạn"}}
    records = [record("VP", "2025-03-01T02:00:00Z", row), record("VP", "2025-05-01T02:00:00Z", row)]
    unit = task(at(merged, records, "Q2"), 1).parts[0].units[0]
    assert unit.shown is None and unit.latest is not None and unit.latest.date == dt.date(2025, 3, 1)


def test_ongoing_task_is_in_progress_once_reported_even_marked_done(merged):
    records = [record("BTTP", "2025-03-01T02:00:00Z", {VAN_BAN: {"status": "Hoàn thành", "percent": 100}})]
    second = task(at(merged, records, "Q1"), 2)
    assert (second.status, second.category) == ("Đang thực hiện", "Đang thực hiện")


def test_a_coordinators_report_stands_in_while_the_lead_owes(merged):
    records = [record("BTTP", "2025-03-01T02:00:00Z", {KE_HOACH: {"status": "Đang thực hiện"}})]
    first = task(at(merged, records, "Q1"), 1)
    assert (first.status, first.category, first.owing) == ("Đang thực hiện", "Quá hạn", ("Văn phòng Sở",))


def test_not_done_and_not_started_as_the_unit_said(merged):
    """Even for a "Thường xuyên" task: what the unit states is printed, never "đang thực hiện" instead."""
    records = [record("VP", "2025-01-10T02:00:00Z", {KE_HOACH: {"status": "Không thực hiện (nêu lý do)",
                                                               "note": "Không có dự thảo"}}),
               record("BTTP", "2025-01-10T02:00:00Z", {VAN_BAN: {"status": "Chưa thực hiện"}})]
    facts = at(merged, records, "Q1")
    assert [t.category for t in facts.tasks] == ["Không thực hiện (nêu lý do)", "Chưa thực hiện"]


def test_removed_rows_and_other_units_rows_are_not_facts(merged):
    records = [record("VP", "2025-03-01T02:00:00Z", {"chi-dao.da-bo#1": {"status": "Hoàn thành"},
                                                    VAN_BAN: {"status": "Hoàn thành"}})]
    assert [t.status for t in at(merged, records, "Q1").tasks] == ["Chưa báo cáo", "Chưa báo cáo"]


def test_returns_per_unit(merged):
    records = [record("VP", "2025-03-01T02:00:00Z", {KE_HOACH: {"status": "Hoàn thành"}}, "vp-quy-1.xlsx"),
               record("VP", "2025-06-20T02:00:00Z", {KE_HOACH: {"status": "Hoàn thành", "note": "x"}}, "vp-6.xlsx")]
    q1 = at(merged, records, "Q1")
    assert [(r.name, r.last_source, r.parts, r.reported, r.owing) for r in q1.returns] == [
        ("Văn phòng Sở", "vp-quy-1.xlsx", 1, 1, ()), ("Phòng Bổ trợ tư pháp", None, 2, 0, (VAN_BAN,))]
    assert at(merged, records, "NAM").returns[0].last_source == "vp-6.xlsx"


def test_a_file_saved_after_the_due_day_does_not_make_the_task_late(merged):
    """Done, no date given, file saved on 03/02 (due 31/01): the unit may have finished on time."""
    records = [record("VP", "2025-02-03T02:00:00Z", {KE_HOACH: {"status": "Hoàn thành"}})]
    first = task(at(merged, records, "Q1"), 1)
    assert (first.status, first.done_on) == ("Hoàn thành", None)
