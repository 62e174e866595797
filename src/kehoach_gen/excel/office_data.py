"""What the consolidated workbook shows, as plain data: the facts of the plan at one cut-off.

The follow-up room computes these (the same facts as the Báo cáo of that cut-off) and the
workbook writer only lays them out, so the two can never disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class OfficeTask:
    """One task (its parts together) as a row of "Tổng hợp"."""

    group: str  # "I. Công tác chỉ đạo điều hành"
    number: int  # running number over the plan
    content: str
    lead: str | None
    deadline: str | None
    due: dt.date | None
    status: str  # "Hoàn thành", "Quá hạn", "Chưa báo cáo" …
    progress: int | None
    latest: str | None  # the newest result, "Văn phòng Sở: …"
    units: dict[str, str] = field(default_factory=dict)  # unit code -> "Chủ trì: Hoàn thành"


@dataclass(frozen=True)
class OfficeReturn:
    """One unit's returns up to the cut-off ("Tình hình gửi phiếu")."""

    unit: str
    name: str
    source: str | None
    saved: dt.datetime | None  # local time, naive
    parts: int
    reported: int
    owing: tuple[str, ...]  # the tasks still owed, "3. Thực hiện công khai TTHC"


@dataclass(frozen=True)
class OfficeFacts:
    cutoff: dt.date | None  # None: nothing collected yet
    note: str  # the line under the titles: what the figures are and up to when
    counts: tuple[tuple[str, int], ...]
    units: tuple[tuple[str, str], ...]  # (code, name) of units with a tracker, profile order
    tasks: tuple[OfficeTask, ...]
    returns: tuple[OfficeReturn, ...]
