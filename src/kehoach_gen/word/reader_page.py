"""Page facts of a Word file: paper and margins per section, where page numbers print, page count, theme fonts.

Headers and footers follow Word's own logic: a section without a header of some type inherits the
previous section's; page 1 uses the first-page header only with "Different First Page" (``w:titlePg``);
even pages use the even header only with "Different Odd & Even Pages" (``w:evenAndOddHeaders``).
"""

from __future__ import annotations

import re
from typing import Any

from .docx_facts import W, Styles, paragraph_prop, paragraph_text, run_facts
from .reader_model import PageSetup

TWIPS_PER_MM = 1440 / 25.4
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_PAGE_FIELD = re.compile(r"(^|\s)PAGE(\s|$|\\)")


def mm(twips: str | int | None) -> float:
    return round(int(twips or 0) / TWIPS_PER_MM, 1)


def theme_fonts(doc: Any) -> dict[str, str]:
    """Theme slot names (minorHAnsi …) -> the fonts the theme gives them."""
    part = next((rel.target_part for rel in doc.part.rels.values() if rel.reltype.endswith("/theme")), None)
    if part is None:
        return {}
    from lxml import etree

    root = etree.fromstring(part.blob)
    out = {}
    for scheme in ("major", "minor"):
        node = root.find(f".//{_A}{scheme}Font")
        if node is None:
            continue
        for slot, tag in (("HAnsi", "latin"), ("Ascii", "latin"), ("EastAsia", "ea"), ("Bidi", "cs")):
            face = node.find(f"{_A}{tag}")
            if face is not None and face.get("typeface"):
                out[f"{scheme}{slot}"] = face.get("typeface")
    return out


def _number_in(part_element: Any, styles: Styles) -> tuple[bool, bool, tuple[float | None, str | None] | None]:
    """(has a PAGE field, that field's paragraph is centred, (size, font) its digits print in) for a header or footer."""
    for paragraph in part_element.iter(f"{W}p"):
        instr = " ".join(t.text or "" for t in paragraph.iter(f"{W}instrText"))
        instr += " ".join(f.get(f"{W}instr") or "" for f in paragraph.iter(f"{W}fldSimple"))
        if _PAGE_FIELD.search(instr.upper()):
            align = paragraph_prop(paragraph, styles, "jc")
            tabbed = "\t" in paragraph_text(paragraph)  # "<tab>PAGE" on a centred tab stop
            digits = [r for r in run_facts(paragraph, styles) if r.text.strip().isdigit()]
            look = (digits[0].size, digits[0].printed_font) if digits else None
            return True, align == "center" or (tabbed and align in (None, "left")), look
    return False, False, None


def page_setups(doc: Any, styles: Styles) -> tuple[list[PageSetup], bool]:
    """Every section's page, and whether odd and even pages have their own headers."""
    settings = doc.settings.element
    even_odd = settings.find(f"{W}evenAndOddHeaders") is not None
    carried: dict[tuple[str, str], Any] = {}
    out = []
    for section in doc.sections:
        sect = section._sectPr
        for kind in ("header", "footer"):
            for ref in sect.findall(f"{W}{kind}Reference"):
                rid = ref.get(f"{_R}id")
                if rid in doc.part.rels:
                    carried[(kind, ref.get(f"{W}type") or "default")] = doc.part.rels[rid].target_part.element
        title_page = sect.find(f"{W}titlePg") is not None and sect.find(f"{W}titlePg").get(f"{W}val") not in ("0", "false")
        uses = {"first": "first" if title_page else "default", "even": "even" if even_odd else "default", "odd": "default"}
        numbers, centred, looks = {}, {}, {}
        for page, header_type in uses.items():
            numbers[page], centred[page] = "", False
            for kind in ("header", "footer"):
                part = carried.get((kind, header_type))
                found, centre, look = _number_in(part, styles) if part is not None else (False, False, None)
                if found:
                    numbers[page], centred[page] = kind, centre
                    if look is not None:
                        looks[page] = look
                    break
        size = sect.find(f"{W}pgSz")
        margins = sect.find(f"{W}pgMar")
        out.append(PageSetup(
            width_mm=mm(size.get(f"{W}w") if size is not None else 12240),
            height_mm=mm(size.get(f"{W}h") if size is not None else 15840),
            margins_mm={side: mm(margins.get(f"{W}{side}") if margins is not None else 1440)
                        for side in ("top", "bottom", "left", "right")},
            title_page=title_page, numbers=numbers, centred=centred, number_look=looks))
    return out, even_odd


def page_count(doc: Any, body: Any) -> int:
    """Pages as Word counted them when it last saved the file, else a cautious estimate."""
    for rel in doc.part.package.rels.values():
        if rel.reltype.endswith("/extended-properties"):
            found = re.search(rb"<(?:\w+:)?Pages>(\d+)</", rel.target_part.blob)
            if found and int(found.group(1)) > 0:
                return int(found.group(1))
    breaks = sum(1 for br in body.iter(f"{W}br") if br.get(f"{W}type") == "page")
    chars = sum(len(t.text or "") for t in body.iter(f"{W}t"))
    return 1 + breaks + chars // 2600  # about 2,600 characters fill a page of 14 pt text
