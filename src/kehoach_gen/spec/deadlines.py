"""Deadlines as data: the wording to print plus a structured kind for trackers and reports.

A spec may write a deadline as its wording only (``deadline: Thường xuyên``); the kind is
then recognised from the wording. When the wording is not recognised the spec must say the
kind explicitly (``deadline: {text: …, kind: on_demand}``), so nothing is guessed silently.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from .dates import Day, real_date
from .text import Lines

DeadlineKind = Literal["ongoing", "by_date", "quarters", "recurring", "on_demand", "year_range"]

KIND_HELP = "ongoing, by_date, quarters, recurring, on_demand, year_range"

_KIND_FIELDS = ("date", "quarters", "every", "day", "from_year", "to_year")
_USES: dict[str, tuple[str, ...]] = {"ongoing": ("from_year",), "by_date": ("date",), "quarters": ("quarters", "from_year"),
                                     "recurring": ("every", "day"), "on_demand": (), "year_range": ("from_year", "to_year")}
_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4}
_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_QUARTERS = re.compile(r"quý\s+((?:I{1,3}|IV)(?:\s*(?:,|và)\s*(?:I{1,3}|IV))*)\s*(?:/|năm\s+)(\d{4})", re.IGNORECASE)
_HALF = re.compile(r"6\s+tháng\s+(đầu|cuối)\s+năm\s+(\d{4})", re.IGNORECASE)
_MONTH = re.compile(r"tháng\s+(\d{1,2})\s*/\s*(\d{4})", re.IGNORECASE)
_RANGE = re.compile(r"(\d{4})\s*[-–]\s*(\d{4})")
_YEAR = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)


class Deadline(BaseModel):
    """When a task is due: printed wording and its structured meaning."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Lines = Field(description="Lời văn in trong văn bản, một hoặc nhiều dòng.")
    kind: DeadlineKind = Field(description=f"Loại thời hạn: {KIND_HELP}.")
    date: Day | None = Field(None, description="Hạn chót (kind: by_date): 2025-06-30 hoặc 30/06/2025.")
    quarters: tuple[int, ...] = Field((), description="Các quý 1–4 (kind: quarters).")
    every: Literal["month", "quarter", "year"] | None = Field(
        None, description="Chu kỳ (kind: recurring): month, quarter hoặc year."
    )
    day: int | None = Field(None, ge=1, le=31, description="Trước ngày này của tháng đến hạn (kind: recurring).")
    from_year: int | None = Field(None, ge=2000, le=2100, description="Năm bắt đầu (kind: year_range, quarters).")
    to_year: int | None = Field(None, ge=2000, le=2100, description="Năm kết thúc (kind: year_range).")

    @model_validator(mode="before")
    @classmethod
    def _from_wording(cls, value: Any) -> Any:
        if isinstance(value, str | list):
            text = value if isinstance(value, str) else "\n".join(str(v) for v in value)
            inferred = infer(text)
            if inferred is None:
                raise ValueError(
                    f"không nhận ra loại thời hạn của \"{_first_line(text)}\"; "
                    f"ghi dạng {{text: …, kind: …}} với kind là một trong: {KIND_HELP}"
                )
            return {"text": value, **inferred}
        return value

    @model_validator(mode="after")
    def _complete(self) -> Deadline:
        need = {"by_date": ("date",), "quarters": ("quarters", "from_year"),
                "recurring": ("every",), "year_range": ("from_year", "to_year")}
        for name in need.get(self.kind, ()):
            if not getattr(self, name):
                raise ValueError(f"thời hạn loại {self.kind} cần trường {name}")
        unused = [name for name in _KIND_FIELDS if getattr(self, name) not in (None, ()) and name not in _USES[self.kind]]
        if unused:  # never drop what the clerk wrote without a word
            raise ValueError(f"thời hạn loại {self.kind} không dùng trường {', '.join(unused)}: bỏ trường này "
                             f"hoặc đổi kind (loại {self.kind} dùng: {', '.join(_USES[self.kind]) or 'chỉ text'})")
        if any(q not in (1, 2, 3, 4) for q in self.quarters):
            raise ValueError("quý phải là 1, 2, 3 hoặc 4")
        if self.from_year and self.to_year and self.to_year < self.from_year:
            raise ValueError("to_year phải không nhỏ hơn from_year")
        return self

    def years(self) -> tuple[int, int] | None:
        """The calendar years the deadline names, if any (for range checks)."""
        if self.kind == "by_date" and self.date:
            return (self.date.year, self.date.year)
        if self.from_year:
            return (self.from_year, self.to_year or self.from_year)
        return None

    def due_date(self, year: int) -> dt.date | None:
        """The last day the task may be done in ``year``, where the deadline fixes one."""
        if self.kind == "by_date":
            return self.date
        if self.kind == "quarters" and self.quarters and (self.from_year or year) == year:
            month = max(self.quarters) * 3
            return _month_end(year, month)
        if self.kind == "year_range" and self.to_year == year:
            return dt.date(year, 12, 31)
        return None


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).lower()


def infer(text: str) -> dict[str, Any] | None:
    """Recognise the kind of a deadline from its Vietnamese wording; ``None`` if unsure."""
    folded = _fold(text)
    named = [(m.group(1), int(m.group(2))) for m in _QUARTERS.finditer(text)]
    if named and len({year for _, year in named}) == 1:  # "quý II/2025 và quý III/2025" too
        quarters = sorted({_ROMAN_Q[q.strip().upper()] for group, _ in named for q in re.split(r",|và", group)})
        return {"kind": "quarters", "quarters": tuple(quarters), "from_year": named[0][1]}
    if any(w in folded for w in ("định kỳ", "hàng quý", "hằng quý", "hàng tháng", "hằng tháng")):
        every = "month" if ("hàng tháng" in folded or "hằng tháng" in folded) else "quarter"
        if every == "quarter" and "quý" not in folded:
            every = "year"
        day = re.search(r"trước ngày (\d{1,2})(?!\d)", folded)  # "trước ngày 25/01/2025": the 25th
        return {"kind": "recurring", "every": every, "day": int(day.group(1)) if day else None}
    if m := _DATE.search(text):
        when = real_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))  # "31/6/2025": say it does not exist
        return {"kind": "by_date", "date": when}
    if m := _HALF.search(text):  # "6 tháng đầu năm 2025": by 30/6
        year = int(m.group(2))
        return {"kind": "by_date", "date": dt.date(year, 6, 30) if _fold(m.group(1)) == "đầu" else dt.date(year, 12, 31)}
    if (m := _MONTH.search(text)) and 1 <= int(m.group(1)) <= 12:  # "Tháng 3/2025": by the month's end
        return {"kind": "by_date", "date": _month_end(int(m.group(2)), int(m.group(1)))}
    if "thường xuyên" in folded:
        return {"kind": "ongoing"}
    if any(w in folded for w in ("khi có phát sinh", "đột xuất", "đợt xuất", "khi có yêu cầu", "theo yêu cầu")):
        return {"kind": "on_demand"}
    if "tiếp theo" in folded and (m := _YEAR.search(text)):
        return {"kind": "ongoing", "from_year": int(m.group(1))}
    if m := _RANGE.search(text):
        return {"kind": "year_range", "from_year": int(m.group(1)), "to_year": int(m.group(2))}
    if m := _YEAR.search(text):
        year = int(m.group(1))
        return {"kind": "year_range", "from_year": year, "to_year": year}
    return None
