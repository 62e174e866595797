"""Text as a clerk reads it: what Word shows, normalised so that equal-looking lines compare equal.

Word files carry the same visible text in many ways: decomposed tone marks, non-breaking spaces,
non-breaking hyphens (``w:noBreakHyphen``), soft hyphens, runs of spaces used to push text into
place, and the old tone placement "HOÀ", "Uỷ" next to the new "HÒA", "Ủy". :func:`clean` keeps
the words and collapses the rest; :func:`fold` also unifies the tone placement and the case,
for finding a line by its content (never for quoting it).
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u2002\u2003\u2009]+")
_HYPHENS = str.maketrans({"\u2011": "-", "\u2010": "-", "\u00ad": None, "\u200b": None, "\ufeff": None})
# Old-style tone placement on "oa", "oe", "uy" (Hoà, Uỷ) and the new one (Hòa, Ủy) are the same word.
_TONE_PLACES = [("oà", "òa"), ("oá", "óa"), ("oả", "ỏa"), ("oã", "õa"), ("oạ", "ọa"),
                ("oè", "òe"), ("oé", "óe"), ("oẻ", "ỏe"), ("oẽ", "õe"), ("oẹ", "ọe"),
                ("uỳ", "ùy"), ("uý", "úy"), ("uỷ", "ủy"), ("uỹ", "ũy"), ("uỵ", "ụy")]
DASHES = "\u2013\u2014\u2212"  # en dash, em dash, minus: look like a hyphen, are not one


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """Visible text: NFC, non-breaking and soft hyphens resolved, every run of spaces made one space."""
    return _SPACES.sub(" ", nfc(text).translate(_HYPHENS)).strip()


def fold(text: str) -> str:
    """A key for finding a line by content: :func:`clean`, lower case, one tone placement."""
    out = clean(text).lower()
    for old, new in _TONE_PLACES:
        out = out.replace(old, new)
    return out


def letters(text: str) -> str:
    """Only the letters and digits of ``text`` (folded): equal for lines that differ in spacing or dashes."""
    return "".join(ch for ch in fold(text) if ch.isalnum())


def has_letters(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def is_upper(text: str) -> bool:
    """Upper case as printed: every cased letter is a capital."""
    return all(not ch.isalpha() or not ch.islower() for ch in nfc(text))


def only_underscores(text: str) -> bool:
    """A line of "____" typed to draw a rule."""
    stripped = clean(text).replace(" ", "")
    return len(stripped) >= 3 and set(stripped) <= {"_"}
