"""Vietnamese formatting, in one place: dates, numbers and symbols, Roman numerals, letters, case.

The rules come from Nghị định 30/2020/NĐ-CP (see shared/nd30.md, H5 and H6): days below 10
and the months 1 and 2 get a leading zero, nothing else does; a document number below 10
gets a leading zero; a draft leaves the number (and possibly the day) blank.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import Decimal

BLANK = " " * 6
"""The blank left in drafts for the number or the day, filled in by hand after signing."""

VI_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s",
              "t", "u", "v", "x", "y")
"""Lettered items follow the Vietnamese alphabet without ă â ê ô ơ ư (and without f j w z)."""

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def upper_vi(text: str) -> str:
    """Upper case keeping diacritics: "Sở Tư pháp" -> "SỞ TƯ PHÁP"; output NFC."""
    return nfc(nfc(text).upper())


def pad_day(day: int) -> str:
    if not 1 <= day <= 31:
        raise ValueError(f"day out of range: {day}")
    return f"{day:02d}" if day < 10 else str(day)


def pad_month(month: int) -> str:
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range: {month}")
    return f"{month:02d}" if month <= 2 else str(month)


def date_phrase(day: int | None, month: int, year: int) -> str:
    """"ngày 27 tháng 01 năm 2025"; a draft without a day: "ngày      tháng 01 năm 2025"."""
    if day is not None:
        dt.date(year, month, day)  # raises ValueError for an impossible date
        day_text = f"ngày {pad_day(day)} "
    else:
        day_text = f"ngày{BLANK}"
    return f"{day_text}tháng {pad_month(month)} năm {year}"


def date_line(place: str, day: int | None, month: int, year: int) -> str:
    """H6: "Sóc Trăng, ngày 26 tháng 01 năm 2021"."""
    return f"{place}, {date_phrase(day, month, year)}"


def short_date(when: dt.date) -> str:
    """dd/mm/yyyy as deadlines print it: "31/01/2025"."""
    return f"{when.day:02d}/{when.month:02d}/{when.year}"


def doc_number(number: int | None) -> str:
    """H5: "02", "12", "120"; a draft (None) gives ""."""
    if number is None:
        return ""
    if number < 1:
        raise ValueError(f"document number must be positive: {number}")
    return f"{number:02d}"


def symbol(type_abbr: str, agency_abbr: str) -> str:
    """"KH-STP": type and issuer joined by "-", no spaces."""
    parts = [type_abbr.strip(), agency_abbr.strip()]
    for part in parts:
        if not part or any(c.isspace() or c == "/" for c in part):
            raise ValueError(f"invalid symbol part: {part!r}")
    return "-".join(parts)


def number_line(number: int | None, type_abbr: str, agency_abbr: str) -> str:
    """"Số: 02/KH-STP"; draft: "Số:      /KH-STP"."""
    text = doc_number(number) if number is not None else BLANK
    sep = " " if number is not None else ""
    return f"Số:{sep}{text}/{symbol(type_abbr, agency_abbr)}"


def roman(n: int) -> str:
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1..3999, got {n}")
    out = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    return "".join(out)


def letter(n: int) -> str:
    """1 -> "a", 5 -> "đ", 23 -> "y"; beyond 23 the letters double: 24 -> "aa", 25 -> "bb" …"""
    if n < 1:
        raise ValueError(f"letters start at 1, got {n}")
    size = len(VI_LETTERS)
    return VI_LETTERS[(n - 1) % size] * ((n - 1) // size + 1)


def lettered(n: int) -> str:
    return f"{letter(n)})"


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """"1.600", "95,5": "." groups thousands, "," marks decimals (babel, locale vi_VN)."""
    from babel.numbers import format_decimal

    pattern = None if decimals is None else "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, format=pattern, locale="vi_VN")
    # babel may use narrow/no-break spaces in some locales; Vietnamese documents use plain "."
    return text.replace("\u00a0", ".").replace("\u202f", ".")


def percent(value: int | float | Decimal, decimals: int = 1) -> str:
    """"95,5%", "100%"."""
    if float(value).is_integer():
        return f"{format_number(int(value))}%"
    return f"{format_number(value, decimals)}%"


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def slug(text: str) -> str:
    """"Văn phòng Sở" -> "van-phong-so"."""
    plain = strip_diacritics(text).lower()
    words = "".join(c if c.isalnum() else " " for c in plain).split()
    return "-".join(words)
