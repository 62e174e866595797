"""Page rules (nd30 P1, P2, P3, P5): paper, margins, fonts that print, page numbers.

Sizes and margins are judged in millimetres with Word's own rounding allowed (±1 mm): A4 as Word
writes it (11907x16840 twips) is A4. Page numbers are asked for only from two pages.
"""

from __future__ import annotations

from .findings import (FIX_FIRST_PAGE, FIX_FONT, FIX_MARGINS, FIX_ODD_EVEN, FIX_PAGE_NUMBER, FIX_PAPER, Finding,
                       mm, pt, quoted)
from .reader_model import Nd30Document, PageSetup

TOLERANCE_MM = 1.0
A4 = (210.0, 297.0)
MARGINS = {"top": ("lề trên", 20, 25), "bottom": ("lề dưới", 20, 25), "left": ("lề trái", 30, 35),
           "right": ("lề phải", 15, 20)}
_PAPERS = {(215.9, 279.4): "Letter", (215.9, 355.6): "Legal", (148.0, 210.0): "A5", (250.0, 353.0): "B4",
           (182.0, 257.0): "B5"}
FONT = "Times New Roman"


def page_findings(doc: Nd30Document) -> list[Finding]:
    out: list[Finding] = []
    many = len(doc.pages) > 1
    for index, page in enumerate(doc.pages, start=1):
        where = f"phần {index} của văn bản" if many else "trang giấy"
        out += _paper(page, where) + _margins(page, where)
    out += _fonts(doc) + _page_numbers(doc)
    return out


def _near(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE_MM


def _paper(page: PageSetup, where: str) -> list[Finding]:
    size = sorted((page.width_mm, page.height_mm))
    if _near(size[0], A4[0]) and _near(size[1], A4[1]):
        return []
    name = next((n for (w, h), n in _PAPERS.items() if _near(size[0], w) and _near(size[1], h)), "")
    found = f"khổ giấy {name + ' ' if name else ''}{mm(page.width_mm)[:-3]} x {mm(page.height_mm)}"
    return [Finding("P1", where, found, "khổ giấy A4 210 x 297 mm", FIX_PAPER)]


def _margins(page: PageSetup, where: str) -> list[Finding]:
    out = []
    for side, (name, low, high) in MARGINS.items():
        value = page.margins_mm[side]
        if low - TOLERANCE_MM <= value <= high + TOLERANCE_MM:
            continue
        out.append(Finding("P2", f"{where}, {name}", f"{name} {mm(value)}", f"{name} {low}–{high} mm", FIX_MARGINS))
    return out


def _fonts(doc: Nd30Document) -> list[Finding]:
    out = []
    for font, sample in doc.fonts.items():
        if font == FONT:
            continue
        if font.startswith(FONT):  # "Times New Roman Bold": a face's name typed as a font, not the font
            found = f"phông \"{font}\" (tên một kiểu chữ, không phải phông; máy không có phông này sẽ in bằng phông khác)"
        else:
            found = f"phông \"{font}\"" if font else "phông không đặt (in bằng phông mặc định của máy)"
        out.append(Finding("P3", f"đoạn chữ {quoted(sample)}", found, f"phông {FONT}", FIX_FONT, sample))
    return out


def _page_numbers(doc: Nd30Document) -> list[Finding]:
    if doc.page_count < 2 or not doc.pages:
        return []
    page = doc.pages[0]
    where = "số trang"
    out = []
    if page.numbers["first"]:
        out.append(Finding("P5", where, "trang 1 có số trang", "không đánh số trang 1", FIX_FIRST_PAGE))
    kinds = ["even"] + (["odd"] if doc.page_count >= 3 else [])
    shown = {k: page.numbers[k] for k in kinds}
    if not any(shown.values()):
        return out + [Finding("P5", where, f"văn bản {doc.page_count} trang không có số trang",
                              "số trang ở giữa lề trên từ trang 2", FIX_PAGE_NUMBER)]
    if "odd" in shown and not shown["odd"] and shown["even"]:
        out.append(Finding("P5", where, "chỉ trang chẵn có số trang, trang lẻ (3, 5 …) không có",
                           "số trang ở mọi trang từ trang 2", FIX_ODD_EVEN))
    if any(v == "footer" for v in shown.values()):
        out.append(Finding("P5", where, "số trang ở chân trang", "số trang ở giữa lề trên (đầu trang)",
                           "Insert ▸ Footer ▸ Remove Footer, rồi " + FIX_PAGE_NUMBER))
    if any(v == "header" and not page.centred[k] for k, v in shown.items()):
        out.append(Finding("P5", where, "số trang không ở giữa", "số trang ở giữa lề trên",
                           "Insert ▸ Header ▸ Edit Header, chọn số trang, Home ▸ Center"))
    return out + _number_look(page, [k for k, v in shown.items() if v])


def _number_look(page: PageSetup, kinds: list[str]) -> list[Finding]:
    """P5: the page number's digits 13–14 pt, in Times New Roman (P3), as they print."""
    out: list[Finding] = []
    looks = {page.number_look[k] for k in kinds if k in page.number_look}
    sizes = sorted({size for size, _ in looks if size is None or not 13 <= size <= 14}, key=lambda s: s or 0)
    if sizes:
        out.append(Finding("P5", "số trang ở đầu trang", f"cỡ chữ {pt(sizes[0])}", "cỡ chữ 13–14 pt",
                           "Insert ▸ Header ▸ Edit Header, chọn số trang, Home ▸ Font Size: 14"))
    fonts = sorted({font or "" for _, font in looks if font != FONT})
    if fonts:
        found = f"phông \"{fonts[0]}\"" if fonts[0] else "phông không đặt (in bằng phông mặc định của máy)"
        out.append(Finding("P3", "số trang ở đầu trang", found, f"phông {FONT}",
                           "Insert ▸ Header ▸ Edit Header, chọn số trang, Home ▸ Font: Times New Roman"))
    return out
