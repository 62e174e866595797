"""Repairs of `kehoach lint --fix` that change how lines look, never their words: bold and italic where the
decree leaves no choice, centring of the signer and the date, the page number's size and font; and the w:rPr
helpers that write run properties in the order the schema requires (Word refuses a file with them out of order).
"""

from __future__ import annotations

from typing import Any

from .docx_facts import W, Styles, run_facts, text_runs
from .reader_model import Line, Nd30Document
from .rules_page import FONT


# Lines whose bold and italic the decree fixes: (name, lines, bold, italic); None leaves it as it is.
def look_plan(doc: Nd30Document) -> list[tuple[str, tuple[Line, ...], bool | None, bool | None]]:
    h, sig = doc.header, doc.signature
    plan = [("tên cơ quan chủ quản", h.superior, False, None), ("tên cơ quan ban hành", h.issuer, True, None),
            ("Quốc hiệu", h.quoc_hieu, True, None), ("Tiêu ngữ", (h.tieu_ngu,) if h.tieu_ngu else (), True, None),
            ("dòng số, ký hiệu", (h.number,) if h.number else (), None, False),
            ("dòng ngày tháng", (h.date,) if h.date else (), None, True), ("trích yếu V/v", h.subject, None, False),
            ("tên loại", (doc.kind_line,) if doc.kind_line else (), True, None), ("căn cứ", _bases(doc), None, True)]
    if sig is not None:
        plan += [("Nơi nhận", (sig.heading,) if sig.heading else (), True, True),
                 ("nơi nhận", sig.recipients, False, False), ("chức vụ người ký", sig.authority, True, None),
                 ("họ tên người ký", (sig.signer,) if sig.signer else (), True, None)]
    return plan


def _bases(doc: Nd30Document) -> tuple[Line, ...]:
    """The "Căn cứ …" lines the body of a document with a tên loại opens with (B1: italic)."""
    if doc.kind_line is None:
        return ()
    out = []
    for line in doc.body:
        if not line.text.lower().startswith("căn cứ"):
            break
        out.append(line)
    return tuple(out)


def looks(doc: Nd30Document, styles: Styles) -> list[str]:
    """Bold and italic where the decree leaves no choice (Tiêu ngữ bold, "Nơi nhận:" bold italic …)."""
    out = []
    for name, lines, bold, italic in look_plan(doc):
        changed = 0
        for line in lines:
            for run, fact in zip(text_runs(line.node), run_facts(line.node, styles), strict=True):
                if fact.script or not fact.text.strip():
                    continue
                for want, have, tags in ((bold, fact.bold, ("b", "bCs")), (italic, fact.italic, ("i", "iCs"))):
                    if want is None or want == have:
                        continue
                    for tag in tags:
                        node = child(rpr(run), tag)
                        node.attrib.pop(f"{W}val", None)
                        if not want:
                            node.set(f"{W}val", "0")
                    changed += 1
        if changed:
            out.append(f"đậm, nghiêng: {name}")
    return out


def centre(doc: Nd30Document) -> list[str]:
    """The signer's title and name, and the date line, centred in their column (S1, S2, H6)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.text.paragraph import Paragraph

    sig = doc.signature
    lines = [*(sig.authority if sig else ()), *((sig.signer,) if sig and sig.signer else ()),
             *((doc.header.date,) if doc.header.date else ())]
    names = {id(line): name for name, group in (("chức vụ người ký", sig.authority if sig else ()),
                                                ("họ tên người ký", (sig.signer,) if sig and sig.signer else ()),
                                                ("ngày tháng", (doc.header.date,) if doc.header.date else ()))
             for line in group}
    moved = [line for line in lines if line.align != "center"]
    for line in moved:
        Paragraph(line.node, None).alignment = WD_ALIGN_PARAGRAPH.CENTER
    return ["căn giữa: " + ", ".join(dict.fromkeys(names[id(line)] for line in moved))] if moved else []


def page_numbers(doc: Any, styles: Styles) -> list[str]:
    """The page number's digits in Times New Roman 14 pt (P5, P3) in every header and footer that prints one."""
    changed = 0
    for rel in doc.part.rels.values():
        if not (rel.reltype.endswith("/header") or rel.reltype.endswith("/footer")):
            continue
        for paragraph in rel.target_part.element.iter(f"{W}p"):
            if "PAGE" not in " ".join(t.text or "" for t in paragraph.iter(f"{W}instrText")).upper():
                continue
            for run, fact in zip(text_runs(paragraph), run_facts(paragraph, styles), strict=True):
                if not fact.text.strip().isdigit():
                    continue
                if fact.size is None or not 13 <= fact.size <= 14:
                    for tag in ("sz", "szCs"):
                        child(rpr(run), tag).set(f"{W}val", "28")
                    changed += 1
                if fact.printed_font != FONT:
                    fonts = child(rpr(run), "rFonts")
                    fonts.attrib.clear()
                    for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                        fonts.set(f"{W}{slot}", FONT)
                    changed += 1
    return ["số trang: Times New Roman 14 pt"] if changed else []


def rpr(run: Any) -> Any:
    rpr = run.find(f"{W}rPr")
    if rpr is None:
        rpr = run.makeelement(f"{W}rPr", {})
        run.insert(0, rpr)
    return rpr


# Children of w:rPr in the order the schema (CT_RPr) requires: Word refuses a file with them out of order.
_RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline", "shadow",
              "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing", "w", "kern",
              "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText", "vertAlign", "rtl", "cs",
              "em", "lang", "eastAsianLayout", "specVanish", "oMath"]


def child(rpr: Any, tag: str) -> Any:
    """The w:rPr child ``tag``, created in its schema place when missing."""
    node = rpr.find(f"{W}{tag}")
    if node is not None:
        return node
    node = rpr.makeelement(f"{W}{tag}", {})
    rank = _RPR_ORDER.index(tag)
    for i, existing in enumerate(rpr):
        name = existing.tag.split("}")[-1]
        if name in _RPR_ORDER and _RPR_ORDER.index(name) > rank:
            rpr.insert(i, node)
            return node
    rpr.append(node)
    return node
