"""How long the solid rules under the header lines and the title are (nd30 rules H2, H4, T2).

A rule is the bottom border of an empty 3 pt paragraph (style "KH Đường kẻ"): Word and
LibreOffice both draw it, and a checker finds it as w:pBdr/w:bottom with w:ind. Its length
comes from the text's printed width, estimated with Times New Roman advance widths (1/1000
em, regular and bold; Liberation Serif has the same metrics). Tone marks do not change a
letter's advance, so a letter is measured by its base letter; the horn letters Ơ ơ Ư ư are
wider than O o U u and have their own entries. Used by the renderer and the template builder.
"""

from __future__ import annotations

import unicodedata

RULE_STYLES = ("KHDuongKe", "KHDuongKeTrichYeu")
# Style of the text above a rule -> (size pt, bold, printed in capitals, share of its length):
# H2 and T2 want 1/3–1/2 (5/12 is the middle, so a ±20 % measuring error stays in range);
# H4 wants exactly the length of the Tiêu ngữ.
MEASURED = {"KHCoQuanBanHanh": (13, True, True, 5 / 12), "KHTieuNgu": (14, True, False, 1.0),
            "KHTrichYeu": (14, True, False, 5 / 12)}

_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzƠơƯưĐđ0123456789 -,.:;/()%&"
_ADVANCE = {bold: dict(zip(_CHARS, widths, strict=True)) for bold, widths in {
    False: [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611,
            722, 722, 944, 722, 722, 611, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500,
            500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 722, 529, 776, 542, 722, 500,
            *[500] * 10, 250, 333, 250, 250, 278, 278, 278, 333, 333, 833, 778],
    True: [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667,
           722, 722, 1000, 722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556, 278, 833, 556,
           500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 778, 554, 796, 600, 722, 556,
           *[500] * 10, 250, 333, 250, 250, 333, 333, 278, 333, 333, 1000, 833],
}.items()}


def text_width_twips(text: str, size_pt: float, bold: bool) -> int:
    """Printed width of one line of ``text`` in Times New Roman, in twips (1/20 pt)."""
    table = _ADVANCE[bold]
    total = 0
    for char in text:
        if char not in table:
            char = unicodedata.normalize("NFD", char)[0]
        total += table.get(char, 500)
    return round(total * size_pt * 20 / 1000)


def rule_indent(lines: list[str], text_style: str, container: int, size: float | None = None) -> int:
    """Left and right indent (twips) that centre the rule under ``lines`` in ``container`` (``size``: the size
    the lines are printed in when the plan set one, else their style's)."""
    default, bold, caps, share = MEASURED[text_style]
    size = size or default
    longest = max(min(text_width_twips(line.upper() if caps else line, size, bold), container) for line in lines)
    return max(0, round((container - longest * share) / 2))
