"""The one way every date in every input file is read and checked.

YAML timestamps (``2025-01-24``), dates as clerks write them (``24/01/2025``, ``24/1/2025``), the
``{day, month, year}`` of a document date and the dates inside deadline wording ("Trước ngày
31/6/2025") all pass through :func:`real_date`, so an impossible date is refused with the same
Vietnamese message wherever it is written. The loader keeps a YAML timestamp that does not exist
(``2025-02-30``) as text, and the schema's :data:`Day` type reports it here, with its line.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

DATE_HELP = "một ngày dạng 2025-01-31 hoặc 31/01/2025"
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_CLERK = re.compile(r"^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$")


def real_date(year: int, month: int, day: int) -> dt.date:
    """The date, or ValueError with a Vietnamese message saying why it does not exist."""
    if not 1 <= month <= 12:
        raise ValueError(f"ngày {day:02d}/{month:02d}/{year} không có thật: tháng phải từ 1 đến 12")
    if not 1 <= year <= 9999:
        raise ValueError(f"năm {year} không hợp lệ")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"ngày {day:02d}/{month:02d}/{year} không có thật: tháng {month} năm {year} có {last} ngày")
    return dt.date(year, month, day)


def read_date(value: Any) -> Any:
    """A date from a YAML date or a text in either accepted form; other shapes pass on to the schema."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date) or not isinstance(value, str):
        return value
    if m := _ISO.match(value):
        return real_date(int(m[1]), int(m[2]), int(m[3]))
    if m := _CLERK.match(value):
        return real_date(int(m[3]), int(m[2]), int(m[1]))
    raise ValueError(f"không đọc được ngày \"{value.strip()[:40]}\" (cần {DATE_HELP})")


Day = Annotated[dt.date, BeforeValidator(read_date)]
