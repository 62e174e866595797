"""Vietnamese formatting rules, exhaustively: every month, every day, numbers 1–120."""

from __future__ import annotations

import datetime as dt

import pytest

from kehoach_gen import vnformat as vn

MONTH_TEXT = {1: "01", 2: "02", 3: "3", 4: "4", 5: "5", 6: "6", 7: "7", 8: "8", 9: "9", 10: "10", 11: "11", 12: "12"}


@pytest.mark.parametrize("month", range(1, 13))
def test_month_padding_only_january_and_february(month):
    assert vn.pad_month(month) == MONTH_TEXT[month]


@pytest.mark.parametrize("day", range(1, 32))
def test_day_padding_below_ten(day):
    assert vn.pad_day(day) == (f"0{day}" if day < 10 else str(day))


@pytest.mark.parametrize("month", range(1, 13))
def test_date_line_every_month(month):
    assert vn.date_line("Sóc Trăng", 5, month, 2025) == f"Sóc Trăng, ngày 05 tháng {MONTH_TEXT[month]} năm 2025"
    assert vn.date_line("Sóc Trăng", 28, month, 2025) == f"Sóc Trăng, ngày 28 tháng {MONTH_TEXT[month]} năm 2025"


def test_reference_dates():
    assert vn.date_line("Sóc Trăng", 26, 1, 2021) == "Sóc Trăng, ngày 26 tháng 01 năm 2021"
    assert vn.date_line("Sóc Trăng", 29, 6, 2021) == "Sóc Trăng, ngày 29 tháng 6 năm 2021"
    assert vn.date_phrase(5, 2, 2025) == "ngày 05 tháng 02 năm 2025"


@pytest.mark.parametrize(("day", "month", "year"), [(31, 4, 2025), (29, 2, 2025), (30, 2, 2024), (32, 1, 2025),
                                                   (0, 1, 2025), (1, 13, 2025), (1, 0, 2025)])
def test_impossible_dates_raise(day, month, year):
    with pytest.raises(ValueError):
        vn.date_line("X", day, month, year)


def test_leap_day_is_a_date():
    assert vn.date_phrase(29, 2, 2024) == "ngày 29 tháng 02 năm 2024"


def test_draft_blank_day_and_number():
    assert vn.date_line("Sóc Trăng", None, 1, 2026) == "Sóc Trăng, ngày      tháng 01 năm 2026"
    assert vn.number_line(None, "KH", "STP") == "Số:      /KH-STP"
    assert vn.number_line(2, "KH", "STP") == "Số: 02/KH-STP"
    assert vn.number_line(12, "BC", "SKHCN") == "Số: 12/BC-SKHCN"


@pytest.mark.parametrize("n", range(1, 121))
def test_document_number(n):
    assert vn.doc_number(n) == (f"0{n}" if n < 10 else str(n))


def _roman_by_table(n: int) -> str:
    """Independent construction: thousands, hundreds, tens and units from digit tables."""
    ones = ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"]
    tens = ["", "X", "XX", "XXX", "XL", "L", "LX", "LXX", "LXXX", "XC"]
    hundreds = ["", "C", "CC", "CCC", "CD", "D", "DC", "DCC", "DCCC", "CM"]
    return "M" * (n // 1000) + hundreds[n // 100 % 10] + tens[n // 10 % 10] + ones[n % 10]


@pytest.mark.parametrize("n", range(1, 121))
def test_roman_1_to_120(n):
    assert vn.roman(n) == _roman_by_table(n)


@pytest.mark.parametrize(("n", "text"), [(1, "I"), (4, "IV"), (9, "IX"), (11, "XI"), (14, "XIV"), (40, "XL"),
                                         (90, "XC"), (99, "XCIX"), (120, "CXX"), (2025, "MMXXV")])
def test_roman_pins(n, text):
    assert vn.roman(n) == text


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_out_of_range(n):
    with pytest.raises(ValueError):
        vn.roman(n)


def test_vietnamese_letters():
    expected = ["a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y"]
    assert [vn.letter(n) for n in range(1, 24)] == expected
    assert [vn.lettered(n) for n in (1, 5, 6, 10)] == ["a)", "đ)", "e)", "k)"]
    assert vn.letter(24) == "aa" and vn.letter(28) == "đđ"
    with pytest.raises(ValueError):
        vn.letter(0)


@pytest.mark.parametrize("n", range(1, 121))
def test_numbers_1_to_120(n):
    expected = str(n) if n < 1000 else f"{n // 1000}.{n % 1000:03d}"
    assert vn.format_number(n) == expected


@pytest.mark.parametrize(("value", "decimals", "text"), [
    (1600, None, "1.600"), (1234567, None, "1.234.567"), (95.5, None, "95,5"), (95.5, 1, "95,5"),
    (1000000, 0, "1.000.000"), (0.25, 2, "0,25")])
def test_numbers_thousands_and_decimals(value, decimals, text):
    assert vn.format_number(value, decimals) == text


def test_percent():
    assert vn.percent(95.5) == "95,5%"
    assert vn.percent(100) == "100%"


def test_upper_case_keeps_diacritics_and_normalises():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Sở Tư pháp đồng bằng")
    assert vn.upper_vi(nfd) == "SỞ TƯ PHÁP ĐỒNG BẰNG"
    assert unicodedata.is_normalized("NFC", vn.upper_vi(nfd))
    assert vn.nfc(nfd) == "Sở Tư pháp đồng bằng"


def test_short_date_and_slug():
    assert vn.short_date(dt.date(2025, 1, 31)) == "31/01/2025"
    assert vn.slug("Văn phòng Sở") == "van-phong-so"
    assert vn.slug("Đội Quản lý  thị trường") == "doi-quan-ly-thi-truong"


@pytest.mark.parametrize("part", ["K H", "KH/", ""])
def test_symbol_parts_without_spaces_or_slashes(part):
    with pytest.raises(ValueError):
        vn.symbol(part, "STP")
