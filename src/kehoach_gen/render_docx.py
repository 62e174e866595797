"""Render a Kế hoạch .docx from the template and the plain context (see context.py).

docxtpl renders the template with autoescape and StrictUndefined; every string is inserted
through :func:`docx_table.literal`, so XML specials, Jinja delimiters and docxtpl's own
markers print exactly as written. After rendering, three document-level steps that a
template cannot express: the rules under the issuing body, the Tiêu ngữ and the title
get their length from the text above them (H2, H4, T2); the appendix section is removed
when the plan has none; each further appendix gets its own section, numbered from 1. The file is then
re-zipped with fixed timestamps so that the same input gives the same bytes.
"""

from __future__ import annotations

import unicodedata
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .docx_table import RawXml, literal, table_xml
from .errors import OutputError, Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
RULE_STYLE = "KHDuongKe"
# (style of the text above a rule, font size, bold, share of the text's length the rule takes)
RULES = {"KHCoQuanBanHanh": (13, True, 0.4), "KHTieuNgu": (14, True, 1.0), "KHTrichYeu": (14, True, 0.4)}

# Advance widths (1/1000 em) of Times New Roman, regular and bold, for base Latin letters;
# Vietnamese diacritics do not change a letter's advance, so a letter is measured by its base.
_REGULAR = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                    [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667,
                     556, 611, 722, 722, 944, 722, 722, 611, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278,
                     500, 278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444], strict=True))
_BOLD = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
                 [722, 667, 722, 722, 667, 611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722,
                  556, 667, 722, 722, 1000, 722, 722, 667, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333,
                  556, 278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444], strict=True))
_OTHER = {" ": 250, "-": 333, ",": 250, ".": 250, ":": 278, ";": 278, "/": 278, "(": 333, ")": 333, "&": 778}


def text_width_twips(text: str, size_pt: float, bold: bool) -> int:
    """Estimated printed width of ``text`` in Times New Roman, in twips."""
    table = _BOLD if bold else _REGULAR
    total = 0
    for char in text:
        base = unicodedata.normalize("NFD", char.replace("Đ", "D").replace("đ", "d"))[0]
        total += table.get(base, _OTHER.get(base, 500))
    return round(total / 1000 * size_pt * 20)


def render_plan(context: dict[str, Any], template: Path, out: Path) -> None:
    """Render ``context`` into ``template`` and write the .docx to ``out``."""
    from docxtpl import DocxTemplate
    from jinja2 import TemplateError

    tpl = DocxTemplate(str(template))
    env = _environment()
    ctx = dict(context)
    portrait, landscape = _text_widths(tpl)
    ctx["task_table_xml"] = table_xml(context["task_table"], portrait) if context.get("task_table") else RawXml("")
    ctx["appendices"] = [{**a, "table_xml": table_xml(a["table"], landscape, appendix=True)}
                         for a in context.get("appendices", [])]
    missing = _undeclared(str(template), env) - set(ctx)
    if missing:
        raise OutputError.single("mẫu Word dùng biến không có trong dữ liệu", file=str(template), exit_code=3,
                                 found=", ".join(sorted(missing)))
    try:
        tpl.render(ctx, env, autoescape=True)
    except TemplateError as exc:
        where = " / ".join(line.strip() for line in getattr(exc, "docx_context", []) if line.strip())
        raise OutputError([Problem(f"lỗi mẫu Word: {exc}", file=str(template), found=where or None)],
                          exit_code=3) from None
    body = tpl.docx.element.body
    _size_rules(body, portrait)
    _finish_appendices(body, bool(ctx["appendices"]))
    props = tpl.docx.core_properties
    core = context.get("core", {})
    props.title, props.subject = core.get("title", ""), core.get("subject", "")
    props.language = "vi-VN"
    tpl.save(str(out))
    normalise_zip(out)


def _environment():  # noqa: ANN202  (jinja2.Environment, imported lazily)
    from jinja2 import Environment, StrictUndefined
    from markupsafe import Markup

    def finalize(value: Any) -> Any:
        if hasattr(value, "__html__"):
            return Markup(value.__html__())
        return Markup(literal(str(value)))

    return Environment(autoescape=True, undefined=StrictUndefined, finalize=finalize)


@lru_cache(maxsize=8)
def _undeclared_cached(template: str, mtime: float) -> frozenset[str]:
    from docxtpl import DocxTemplate

    return frozenset(DocxTemplate(template).get_undeclared_template_variables(_environment()))


def _undeclared(template: str, env: Any) -> set[str]:
    return set(_undeclared_cached(template, Path(template).stat().st_mtime))


def _text_widths(tpl: Any) -> tuple[int, int]:
    """Text width (twips) of the first (portrait) and last (appendix) sections of the template."""
    sections = tpl.get_docx().sections
    def width(section: Any) -> int:
        return int((section.page_width - section.left_margin - section.right_margin) / 635)
    return width(sections[0]), width(sections[-1])


def _size_rules(body: Any, page_width: int) -> None:
    """Give each rule paragraph the length its rule asks, centred under the text above it."""
    for rule in body.iter(f"{W}p"):
        if _style(rule) != RULE_STYLE:
            continue
        above = []
        node = rule.getprevious()
        while node is not None and node.tag == f"{W}p" and _style(node) in RULES:
            if above and _style(node) != _style(above[-1]):
                break
            above.append(node)
            node = node.getprevious()
        if not above:
            continue
        size, bold, share = RULES[_style(above[0])]
        text = max((_text(p) for p in above), key=lambda t: text_width_twips(t, size, bold))
        length = text_width_twips(text, size, bold) * share
        container = _cell_width(rule) or page_width
        side = max(0, round((container - length) / 2))
        ppr = rule.find(f"{W}pPr")
        ind = ppr.makeelement(f"{W}ind", {f"{W}left": str(side), f"{W}right": str(side)})
        anchor = ppr.find(f"{W}jc")
        (anchor.addprevious if anchor is not None else ppr.append)(ind)


def _finish_appendices(body: Any, has_appendix: bool) -> None:
    """No appendix: drop the landscape section. Several: each starts on a new page."""
    breaks = [p for p in body.findall(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
    if not breaks:
        return
    section_end = breaks[-1]
    if not has_appendix:
        for node in list(section_end.itersiblings()):
            body.remove(node)
        body.append(section_end.find(f"{W}pPr/{W}sectPr"))
        body.remove(section_end)
        return
    # Several appendices: each is its own landscape section, numbered from 1 (P5), so the
    # paragraph before each later "Phụ lục" label carries a copy of the appendix section's sectPr.
    import copy

    labels = [p for p in section_end.itersiblings() if p.tag == f"{W}p" and _style(p) == "KHPhuLuc"]
    final = body.find(f"{W}sectPr")
    for label in labels[1:]:
        breaker = label.makeelement(f"{W}p", {})
        ppr = breaker.makeelement(f"{W}pPr", {})
        ppr.append(copy.deepcopy(final))
        breaker.append(ppr)
        label.addprevious(breaker)


def _style(paragraph: Any) -> str | None:
    node = paragraph.find(f"{W}pPr/{W}pStyle")
    return node.get(f"{W}val") if node is not None else None


def _text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in paragraph.iter(f"{W}t"))


def _cell_width(paragraph: Any) -> int | None:
    cell = paragraph.getparent()
    if cell is None or cell.tag != f"{W}tc":
        return None
    width = cell.find(f"{W}tcPr/{W}tcW")
    return int(width.get(f"{W}w")) if width is not None else None


def normalise_zip(path: Path) -> None:
    """Rewrite the package with fixed member order and timestamps: same content, same bytes."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    first = [m for m in members if m[0] == "[Content_Types].xml"]
    rest = sorted(m for m in members if m[0] != "[Content_Types].xml")
    tmp = path.with_suffix(path.suffix + ".zip")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in first + rest:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, data)
    tmp.replace(path)
