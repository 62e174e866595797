"""Vietnamese formatting, in one place: dates, numbers and symbols, Roman numerals, letters, case.

The rules come from Nghị định 30/2020/NĐ-CP (see shared/nd30.md, H5, H6 and B3): days below 10
and the months 1 and 2 get a leading zero, nothing else does; a document number below 10
gets a leading zero; a draft leaves the number (and possibly the day) blank. Numbers in text
use "." for thousands and "," for decimals. Every function here is pure (no I/O).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

BLANK = " " * 6
"""The blank left in drafts for the number or the day, filled in by hand after signing."""

VI_LETTERS: tuple[str, ...] = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q",
                               "r", "s", "t", "u", "v", "x", "y")
"""Lettered items (B3) follow the Vietnamese alphabet without the letters that differ only by a
diacritic (ă â ê ô ơ ư) and without the foreign letters f j w z: 23 letters."""

_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))

_DEFAULT_DECIMALS = 3
"""Without an explicit ``decimals``, numbers keep up to this many decimals (babel's default pattern)."""

# babel gives "." and "," for vi_VN (checked with babel 2.18); should a CLDR update ever switch the
# group separator to a (narrow) no-break or thin space, or the minus to U+2212, map them back.
_SEPARATORS = str.maketrans({"\u00a0": ".", "\u202f": ".", "\u2009": ".", " ": ".", "\u2212": "-"})


def nfc(text: str) -> str:
    """Unicode NFC (precomposed) form, the form Vietnamese text must have in a document (P3)."""
    return unicodedata.normalize("NFC", text)


def upper_vi(text: str) -> str:
    """Upper case keeping diacritics: "Sở Tư pháp" -> "SỞ TƯ PHÁP", "đ" -> "Đ"; NFD in, NFC out."""
    return nfc(nfc(text).upper())


def pad_day(day: int) -> str:
    """H6: days 1-9 get a leading zero ("05"), 10-31 are plain."""
    if not 1 <= day <= 31:
        raise ValueError(f"day out of range 1..31: {day}")
    return f"0{day}" if day < 10 else str(day)


def pad_month(month: int) -> str:
    """H6: months 1 and 2 get a leading zero ("01", "02"); months 3-12 do not ("3" … "12")."""
    if not 1 <= month <= 12:
        raise ValueError(f"month out of range 1..12: {month}")
    return f"0{month}" if month <= 2 else str(month)


def date_phrase(day: int | None, month: int, year: int) -> str:
    """"ngày 27 tháng 01 năm 2025"; a draft without a day: "ngày      tháng 01 năm 2025".

    With a day the whole date must exist (31/4 or 29/2/2025 raise ValueError).
    """
    if not 1 <= year <= 9999:
        raise ValueError(f"year out of range 1..9999: {year}")
    if day is None:
        return f"ngày{BLANK}tháng {pad_month(month)} năm {year}"
    day_text, month_text = pad_day(day), pad_month(month)
    dt.date(year, month, day)  # raises ValueError for an impossible calendar date
    return f"ngày {day_text} tháng {month_text} năm {year}"


def date_line(place: str, day: int | None, month: int, year: int) -> str:
    """H6: "Sóc Trăng, ngày 26 tháng 01 năm 2021"; draft: "Sóc Trăng, ngày      tháng 01 năm 2026"."""
    return f"{place}, {date_phrase(day, month, year)}"


def short_date(d: dt.date) -> str:
    """dd/mm/yyyy as deadlines print it, both padded: "31/01/2025" ("trước ngày 31/01/2021")."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def doc_number(number: int | None) -> str:
    """H5: below 10 with a leading zero ("02"), 10 and up plain ("12", "120"); a draft (None) gives ""."""
    if number is None:
        return ""
    if number < 1:
        raise ValueError(f"document number must be positive: {number}")
    return f"0{number}" if number < 10 else str(number)


def symbol(type_abbr: str, agency_abbr: str) -> str:
    """H5: "KH-STP": type and issuer abbreviations joined by "-", no spaces, no "/"."""
    parts = [type_abbr.strip(), agency_abbr.strip()]
    for part in parts:
        if not part or any(c.isspace() or c == "/" for c in part):
            raise ValueError(f"invalid symbol part (empty, space or '/'): {part!r}")
    return "-".join(parts)


def number_line(number: int | None, type_abbr: str, agency_abbr: str) -> str:
    """H5: "Số: 02/KH-STP"; a draft without a number: "Số:      /KH-STP" (never invent a number)."""
    sym = symbol(type_abbr, agency_abbr)
    if number is None:
        return f"Số:{BLANK}/{sym}"
    return f"Số: {doc_number(number)}/{sym}"


def roman(n: int) -> str:
    """Upper-case Roman numeral for section headings (B3): 1 -> "I", 40 -> "XL", 2025 -> "MMXXV"."""
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1..3999, got {n}")
    out: list[str] = []
    for value, glyph in _ROMAN:
        count, n = divmod(n, value)
        out.append(glyph * count)
    return "".join(out)


def letter(n: int) -> str:
    """B3 letter of the n-th item (1-based): 1 -> "a", 5 -> "đ", 7 -> "g", 23 -> "y".

    The decree has no rule past "y"; we chose to double the letter, then triple it, and so on:
    24 -> "aa", 25 -> "bb", 28 -> "đđ", 46 -> "yy", 47 -> "aaa". This keeps every label distinct,
    Vietnamese-only and readable; a list that long should be split into numbered items anyway.
    """
    if n < 1:
        raise ValueError(f"letters start at 1, got {n}")
    rounds, index = divmod(n - 1, len(VI_LETTERS))
    return VI_LETTERS[index] * (rounds + 1)


def lettered(n: int) -> str:
    """The label of a lettered item: "a)", "đ)", "k)"."""
    return f"{letter(n)})"


def _to_decimal(value: int | float | Decimal) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise TypeError(f"not a number: {value!r}")
    # str() of a float is its shortest round-trip form, so 2.675 stays 2.675 (not 2.67499…).
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite():
        raise ValueError(f"cannot print a non-finite number: {value!r}")
    return number


def _round(number: Decimal, decimals: int) -> Decimal:
    """Round half up (95,25 -> 95,3), as readers expect; babel alone would round half to even."""
    if decimals < 0:
        raise ValueError(f"decimals must be >= 0: {decimals}")
    with localcontext() as ctx:  # enough precision for any size (the default 28 digits is not)
        ctx.prec = max(ctx.prec, number.adjusted() + decimals + 2)
        rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded if rounded else abs(rounded)  # no "-0"


def format_number(value: int | float | Decimal, decimals: int | None = None) -> str:
    """"1.600", "1.234.567", "95,5": "." groups thousands, "," marks decimals (babel, locale vi_VN).

    ``decimals=None`` prints up to 3 decimals and drops trailing zeros ("95,5", "0,333");
    an explicit ``decimals`` prints exactly that many ("1.600,0" for 1 decimal, "96" for 0).
    Rounding is half up. Raises TypeError for non-numbers and ValueError for NaN/infinity.
    """
    from babel.numbers import format_decimal

    places = _DEFAULT_DECIMALS if decimals is None else decimals
    number = _round(_to_decimal(value), places)
    fraction = "#" * places if decimals is None else "0" * places  # "#": optional digit, "0": fixed
    pattern = "#,##0" + (f".{fraction}" if places else "")
    with localcontext() as ctx:  # babel quantizes again: give it the same headroom
        ctx.prec = max(ctx.prec, number.adjusted() + places + 2)
        text = format_decimal(number, format=pattern, locale="vi_VN")
    return text.translate(_SEPARATORS)


def percent(value: int | float | Decimal, decimals: int = 1) -> str:
    """``value`` is already in percent: 95.5 -> "95,5%", 100 -> "100%" (no space before "%").

    Values that are whole after rounding to ``decimals`` print without decimals (99.96 -> "100%").
    """
    number = _round(_to_decimal(value), decimals)
    if number == number.to_integral_value():
        return f"{format_number(number, 0)}%"
    return f"{format_number(number, decimals)}%"


def strip_diacritics(text: str) -> str:
    """Vietnamese text without tone or vowel marks, "đ" as "d": "Đồng Tháp" -> "Dong Thap"."""
    # đ/Đ (and the look-alike Ð, U+00D0, left by old font converters) have no decomposition.
    text = text.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return nfc("".join(c for c in decomposed if not unicodedata.combining(c)))


def slug(text: str) -> str:
    """File-name-safe ASCII slug: "Văn phòng Sở" -> "van-phong-so"; other characters separate words."""
    plain = strip_diacritics(text).lower()
    words = "".join(c if c.isascii() and c.isalnum() else " " for c in plain).split()
    return "-".join(words)


VIETNAM = dt.timezone(dt.timedelta(hours=7), "ICT")


def local_time(saved: str | dt.datetime) -> str:
    """A moment as office users read it, in Vietnam time: "10:51 ngày 01/12/2026".

    Accepts the UTC stamps the tool stores ("2026-12-01T03:51:00Z"); other text is returned as it is."""
    when = saved
    if isinstance(saved, str):
        try:
            when = dt.datetime.strptime(saved, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            return saved
    if when.tzinfo is not None:
        when = when.astimezone(VIETNAM)
    return f"{when:%H:%M} ngày {when:%d/%m/%Y}"
