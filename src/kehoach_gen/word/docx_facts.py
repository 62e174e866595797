"""Effective formatting of a .docx, resolved the way Word does, for the decree checker.

A run property comes from the run itself, then its character style chain, then the paragraph
style chain, then the document defaults; a paragraph property from the paragraph, then its
style chain, then the defaults. Works on any Word file, not only ours.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_TOGGLES = ("b", "i", "caps")


@dataclass(frozen=True)
class RunFacts:
    text: str
    size: float | None
    bold: bool
    italic: bool
    caps: bool
    fonts: dict[str, str]
    underline: bool = False
    script: bool = False  # superscript or subscript: printed smaller on purpose

    @property
    def printed_font(self) -> str | None:
        """The font Word prints Vietnamese text in: hAnsi (ascii for plain ASCII text)."""
        if self.text.isascii():
            return self.fonts.get("ascii") or self.fonts.get("hAnsi")
        return self.fonts.get("hAnsi") or self.fonts.get("ascii")


class Styles:
    """Style lookup with inheritance (``w:basedOn``) and document defaults."""

    def __init__(self, styles_root: Any) -> None:
        self.by_id = {s.get(f"{W}styleId"): s for s in styles_root.findall(f"{W}style")} if styles_root is not None else {}
        self.default_rpr = styles_root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr") if styles_root is not None else None
        self.default_ppr = styles_root.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr") if styles_root is not None else None
        self.theme_fonts: dict[str, str] = {}
        self.default_para = next((s.get(f"{W}styleId") for s in self.by_id.values()
                                  if s.get(f"{W}type") == "paragraph" and s.get(f"{W}default") in ("1", "true")), None)

    def chain(self, style_id: str | None) -> list[Any]:
        out, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            out.append(style)
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        return out

    def name(self, style_id: str | None) -> str | None:
        style = self.by_id.get(style_id or "")
        node = style.find(f"{W}name") if style is not None else None
        return node.get(f"{W}val") if node is not None else None


def _val(node: Any, attr: str = "val") -> str | None:
    return node.get(f"{W}{attr}") if node is not None else None


def _toggle(node: Any) -> bool | None:
    if node is None:
        return None
    return _val(node) not in ("0", "false", "off")


def paragraph_style(paragraph: Any, styles: Styles) -> str | None:
    return _val(paragraph.find(f"{W}pPr/{W}pStyle")) or styles.default_para


def paragraph_prop(paragraph: Any, styles: Styles, path: str, attr: str = "val") -> str | None:
    """A paragraph property (e.g. ``jc``, ``ind`` with attr ``firstLine``) resolved through styles."""
    direct = paragraph.find(f"{W}pPr/{W}{path}")
    if direct is not None and direct.get(f"{W}{attr}") is not None:
        return direct.get(f"{W}{attr}")
    for style in styles.chain(paragraph_style(paragraph, styles)):
        node = style.find(f"{W}pPr/{W}{path}")
        if node is not None and node.get(f"{W}{attr}") is not None:
            return node.get(f"{W}{attr}")
    node = styles.default_ppr.find(f"{W}{path}") if styles.default_ppr is not None else None
    return node.get(f"{W}{attr}") if node is not None else None


def has_bottom_border(paragraph: Any, styles: Styles) -> bool:
    return paragraph_prop(paragraph, styles, "pBdr/" + "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                          "bottom") not in (None, "nil", "none")


def run_text(run: Any) -> str:
    """What a run shows: its text, non-breaking hyphens, tabs and line breaks."""
    parts = []
    for child in run:
        if child.tag == f"{W}t":
            parts.append(child.text or "")
        elif child.tag == f"{W}noBreakHyphen":
            parts.append("\u2011")
        elif child.tag == f"{W}tab":
            parts.append("\t")
        elif child.tag in (f"{W}br", f"{W}cr") and child.get(f"{W}type") in (None, "textWrapping"):
            parts.append("\n")
    return "".join(parts)


def paragraph_text(paragraph: Any) -> str:
    """The visible text of a paragraph (runs inside drawings and text boxes left out)."""
    return "".join(run_text(r) for r in paragraph.iter(f"{W}r") if not _in_drawing(r, paragraph))


def _in_drawing(run: Any, paragraph: Any) -> bool:
    node = run.getparent()
    while node is not None and node is not paragraph:
        if node.tag in (f"{W}txbxContent",):
            return True
        node = node.getparent()
    return False


def text_runs(paragraph: Any) -> list[Any]:
    """The w:r elements of ``paragraph`` that show text, in the order :func:`run_facts` reports them."""
    return [r for r in paragraph.iter(f"{W}r") if run_text(r) and not _in_drawing(r, paragraph)]


def run_facts(paragraph: Any, styles: Styles) -> list[RunFacts]:
    """Each text run of ``paragraph`` with its effective size, bold, italic, caps and fonts."""
    pchain = styles.chain(paragraph_style(paragraph, styles))
    out = []
    for run in text_runs(paragraph):
        text = run_text(run)
        rpr = run.find(f"{W}rPr")
        rchain = styles.chain(_val(rpr.find(f"{W}rStyle")) if rpr is not None else None)
        layers = [rpr, *[s.find(f"{W}rPr") for s in rchain], *[s.find(f"{W}rPr") for s in pchain], styles.default_rpr]
        layers = [layer for layer in layers if layer is not None]
        facts: dict[str, Any] = {"size": None, "fonts": {}}
        for name in _TOGGLES:
            facts[name] = next((v for v in (_toggle(layer.find(f"{W}{name}")) for layer in layers) if v is not None),
                               False)
        size = next((_val(layer.find(f"{W}sz")) for layer in layers if layer.find(f"{W}sz") is not None), None)
        facts["size"] = int(size) / 2 if size else None
        for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
            for layer in layers:
                node = layer.find(f"{W}rFonts")
                if node is not None and (node.get(f"{W}{slot}") or node.get(f"{W}{slot}Theme")):
                    theme = node.get(f"{W}{slot}Theme")
                    # A theme slot wins over a named one in Word; it prints the theme's font.
                    facts["fonts"][slot] = (styles.theme_fonts.get(theme, theme) if theme else node.get(f"{W}{slot}"))
                    break
        underline = next((_val(layer.find(f"{W}u")) for layer in layers if layer.find(f"{W}u") is not None), None)
        script = next((_val(layer.find(f"{W}vertAlign")) for layer in layers
                       if layer.find(f"{W}vertAlign") is not None), None)
        out.append(RunFacts(text, facts["size"], facts["b"], facts["i"], facts["caps"], facts["fonts"],
                            underline not in (None, "none"), script in ("superscript", "subscript")))
    return out


def text_of(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(f"{W}t"))
