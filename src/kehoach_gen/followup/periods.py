"""Reporting periods from the master plan's calendar: Q1–Q4, 6T, 9T, NAM, T01–T12.

A period's data window runs from the day after ``cutoff_day`` of the month before its first month
to ``cutoff_day`` of its last month (nd30 "Reporting periods"); 6T, 9T and NAM start with the year,
and so do quarters and months when the province asks for figures cumulated from the start of the
year (``cumulative``). The report is due on the calendar's due day of the last month (the annual
due date for NAM). Between a cut-off and its due day units are still sending: :func:`grace` gives
those days so the facts count such files for the period just closed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import vnformat as vn
from ..errors import InputError
from ..spec.specs import ReportingCalendar

PERIOD_HELP = "Q1, Q2, Q3, Q4, 6T, 9T, NAM hoặc T01…T12"


@dataclass(frozen=True)
class Period:
    code: str
    label: str  # "quý I năm 2025"
    first_month: int
    last_month: int
    start: dt.date
    end: dt.date  # the cut-off
    due: dt.date
    cumulative: bool  # a quarter or month reported from the start of the year ("lũy kế từ đầu năm")


def period(code: str, year: int, cal: ReportingCalendar) -> Period:
    """The period ``code`` of ``year`` with its data window and due date from the reporting calendar."""
    code = code.upper()
    quarter = re.fullmatch(r"Q([1-4])", code)
    month = re.fullmatch(r"T(0[1-9]|1[0-2])", code)
    if quarter:
        last = int(quarter.group(1)) * 3
        first, label = last - 2, f"quý {vn.roman(last // 3)} năm {year}"
    elif month:
        first = last = int(month.group(1))
        label = f"tháng {vn.pad_month(last)} năm {year}"
    elif code in ("6T", "9T", "NAM"):
        first, last = 1, {"6T": 6, "9T": 9, "NAM": 12}[code]
        label = {"6T": f"6 tháng đầu năm {year}", "9T": f"9 tháng năm {year}", "NAM": f"năm {year}"}[code]
    else:
        raise InputError.single("kỳ báo cáo không hợp lệ", field="--period", expected=PERIOD_HELP, found=f"\"{code}\"")
    cumulative = cal.cumulative and first > 1
    start = year_start(year, cal) if cumulative else _window_start(year, first, cal)
    end = dt.date(year, last, cal.cutoff_day)
    if code == "NAM" and cal.annual_due:
        due = dt.date(year, cal.annual_due.month, cal.annual_due.day or 1)
    elif month and cal.monthly_due_day:
        due = dt.date(year, last, min(cal.monthly_due_day, 28))
    else:
        due = dt.date(year, last, min(cal.quarterly_due_day, 28))
    return Period(code, label, first, last, start, end, due, cumulative)


def asked_period(code: str, year: int, cal: ReportingCalendar) -> Period:
    """The period a user asked for with ``--period``: only those the master plan's calendar has a report for."""
    upper = code.strip().upper()
    for name, wanted, label in (("6T", cal.six_month, "6 tháng"), ("9T", cal.nine_month, "9 tháng")):
        if upper == name and not wanted:
            offered = ", ".join(["Q1", "Q2", "Q3", "Q4"] + (["6T"] if cal.six_month else [])
                                + (["9T"] if cal.nine_month else []) + ["NAM", "T01…T12"])
            key = "six_month" if name == "6T" else "nine_month"
            raise InputError.single(f"Kế hoạch tỉnh năm {year} không có báo cáo {label} "
                                    f"(reporting.{key}: false)", field="--period",
                                    expected=f"một trong: {offered}", found=f"\"{code}\"",
                                    hint=f"Nếu tỉnh có yêu cầu báo cáo {label}, ghi {key}: true trong mục reporting "
                                         f"của Kế hoạch tỉnh (master-{year}.yaml).")
    return period(upper, year, cal)


def year_start(year: int, cal: ReportingCalendar) -> dt.date:
    """The first day of the year's data (the day after the cut-off of December before)."""
    return _window_start(year, 1, cal)


def _window_start(year: int, first: int, cal: ReportingCalendar) -> dt.date:
    before = dt.date(year, first, 1) - dt.timedelta(days=1)
    return dt.date(before.year, before.month, cal.cutoff_day) + dt.timedelta(days=1)


def grace(year: int, cal: ReportingCalendar) -> dict[dt.date, dt.date]:
    """Report due day -> its cut-off, for every period of the year whose report is due after its cut-off."""
    codes = ["Q1", "Q2", "Q3", "Q4", "NAM"] + ([f"T{m:02d}" for m in range(1, 13)] if cal.monthly_due_day else [])
    out = {}
    for code in codes:
        when = period(code, year, cal)
        if when.due > when.end:
            out[when.due] = when.end
    return dict(sorted(out.items()))
