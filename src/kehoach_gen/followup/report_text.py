"""Small pieces of the Báo cáo's wording: dates, task names in sentences, the title's line breaks."""

from __future__ import annotations

import datetime as dt
import re

from .. import vnformat as vn
from ..word.docx_rules import text_width_twips

# The title (T2: 14 pt bold) sits in the text width of an A4 page with 30 mm and 15 mm margins;
# lines are filled to 90 % of it so Word's and LibreOffice's own metrics never wrap them again.
TITLE_WIDTH = round((210 - 30 - 15) / 25.4 * 1440 * 0.90)
_UNBREAKABLE = re.compile(r"\b(?:năm|quý|tháng|giai đoạn) [0-9IVX]+(?:[-–][0-9]+)?\b")
_NBSP = "\u00a0"


def date(day: dt.date) -> str:
    """H6 padding: days below 10 and months 1 and 2 with a leading zero: "02/4/2025", "14/3/2025", "05/02/2025"."""
    return f"{vn.pad_day(day.day)}/{vn.pad_month(day.month)}/{day.year}"


def sentence(text: str) -> str:
    """A task's content as one sentence: a capital first, one final full stop."""
    text = " ".join(text.split()).rstrip(" .;:,")
    return text[:1].upper() + text[1:] + "."


def short(text: str, words: int = 14) -> str:
    """A task named inside a sentence: its first words, without the final punctuation."""
    parts = " ".join(text.split()).rstrip(" .;:,").split(" ")
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


def title_lines(text: str, last: str, keep: tuple[str, ...] = ()) -> list[str]:
    """The title wrapped at word boundaries to fit the line, never inside a name in ``keep`` or
    inside "năm 2025", "quý I" …; ``last`` (the period) on a line of its own."""
    for phrase in sorted(keep, key=len, reverse=True):
        text = text.replace(phrase, phrase.replace(" ", _NBSP))
    text = _UNBREAKABLE.sub(lambda m: m.group(0).replace(" ", _NBSP), text)
    lines: list[str] = []
    for word in text.split(" "):
        candidate = f"{lines[-1]} {word}" if lines else word
        if lines and text_width_twips(candidate.replace(_NBSP, " "), 14, True) <= TITLE_WIDTH:
            lines[-1] = candidate
        else:
            lines.append(word)
    return [line.replace(_NBSP, " ") for line in lines] + [last]
