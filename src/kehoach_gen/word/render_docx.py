"""Render a Kế hoạch .docx from templates/ke-hoach.docx and the plain context of context.py.

Context (strings NFC and already formatted; multi-line text as lists of lines, never "\\n"):
header (None, or left_mm, right_mm, issuer_size, keep_lines: see header_fit), superior_lines,
issuer_lines, number_line, date_line, doc_type, title_lines, bases,
body (blocks: ``kind`` in BLOCK_KINDS and ``text``; kind "task_table" marks where the table
goes), task_table (TABLE or None), recipients_heading, recipients, signer_lines, signer_name,
appendices (label, title_lines, indication, table: TABLE), core (title, subject, keywords).
TABLE = {columns: [{key, header, width_mm, align}], rows: [{kind: "group", number, title,
points} | {kind: "task", align: {key: alignment}, shared: {key: lines}, parts: [{key: lines}]}]};
keys of shared and parts that are not a column are ignored, a column in neither is an empty cell;
align overrides a column's alignment in this task's cells.

Steps: check the context and the template (its variables and styles); build the tables as
WordprocessingML text (docx_table); render with autoescape and StrictUndefined, every text printed
literally (see _finalize); then what a template cannot express: the solid rules (H2, H4, T2)
get their length from the rendered text, and a plan without appendix loses the landscape
section; finally the package is written with fixed zip timestamps and order, so the same
context gives the same bytes. The template is read and compiled once per file (compiled.py:
docxtpl's tag clean-up and semantics, without its per-render package work).
"""

from __future__ import annotations

import io
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import compiled, docx_zip
from .docx_rules import MEASURED, RULE_STYLES, rule_indent
from .header_fit import fit_header, fit_recipients
from .docx_table import STYLE_IDS, check_problems, check_table, protect, task_table_writer
from ..errors import OutputError, Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLOCK_KINDS = ("intro", "section", "heading", "numbered", "lettered", "para", "addressee", "note", "task_table")
def render_plan(context: dict[str, Any], template: Path, out: Path) -> None:
    """Render ``context`` into ``template`` and write the .docx to ``out``."""
    from jinja2 import TemplateError

    _check_context(context)
    env = _environment()
    try:
        if not compiled.is_current(Path(template)):
            _check_package(Path(template))
        tpl = compiled.compiled(Path(template), env)
        _check_template(tpl, Path(template), context)
        portrait, landscape = tpl.widths
        tall, tall_landscape = tpl.heights[0] // 3, tpl.heights[1] // 3  # a row taller than this may split
        ctx, slots = dict(context), compiled.Slots()
        ctx["task_table"] = (slots.add(task_table_writer(context["task_table"], portrait, split_above=tall))
                             if context.get("task_table") else "")
        ctx["appendices"] = [{**a, "table": slots.add(task_table_writer(a["table"], landscape, True, tall_landscape))}
                             for a in context["appendices"]]
        rendered = compiled.render(tpl, ctx, slots)
    except TemplateError as exc:
        lines = [line.strip() for line in getattr(exc, "docx_context", []) if line.strip()]
        raise OutputError([Problem(f"không điền được mẫu Word: {exc}", file=str(template),
                                   found=" | ".join(lines) or None)], exit_code=3,
                          hint="Sửa thẻ Jinja quanh đoạn trên trong mẫu, hoặc " + ORIGINAL) from None
    body = rendered.body
    fit_header(body, context.get("header"))
    fit_recipients(body, portrait)
    _size_rules(body, portrait)
    _keep_end_with_signature(body)
    if not context["appendices"]:
        _drop_appendix_section(body)
    _core_properties(rendered.core, context.get("core", {}))
    rendered.write(out)


@lru_cache(maxsize=1)
def _environment() -> Any:
    """One Jinja environment per process (the templates it compiles are kept by compiled.py)."""
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


def _finalize(value: Any) -> Any:
    """Every value the template prints: XML-escaped, then protected from docxtpl (see docx_table.protect)."""
    from markupsafe import Markup

    if hasattr(value, "__html__"):  # a table: WordprocessingML whose text is already protected
        return Markup(value.__html__())
    return Markup(protect(str(value)))


def _check_context(context: dict[str, Any]) -> None:
    """The renderer's own preconditions, every problem at once."""
    problems = []
    for index, block in enumerate(context.get("body", [])):
        if block.get("kind") not in BLOCK_KINDS:
            problems.append(Problem("loại đoạn không hợp lệ", field=f"body[{index}].kind",
                                    expected=", ".join(BLOCK_KINDS), found=repr(block.get("kind"))))
        elif block["kind"] == "task_table" and not context.get("task_table"):
            problems.append(Problem("đoạn task_table cần bảng nhiệm vụ", field=f"body[{index}]",
                                    expected="task_table có dữ liệu", found="None"))
    if context.get("task_table"):
        problems += check_table(context["task_table"], "task_table")
    for index, appendix in enumerate(context.get("appendices", [])):
        problems += check_table(appendix.get("table"), f"appendices[{index}].table")
    check_problems(problems)


ORIGINAL = ("lấy mẫu gốc: kehoach init THƯ_MỤC_MỚI rồi chép tệp cùng tên trong THƯ_MỤC_MỚI/templates/ vào "
            "templates/.")
RESTORE = "Mở lại mẫu bằng Word và lưu dạng .docx, hoặc " + ORIGINAL


def _check_package(template: Path) -> None:
    """The template is a Word package (a damaged or renamed file is the user's to replace, not a crash)."""
    try:
        with zipfile.ZipFile(template) as package:
            readable = "word/document.xml" in package.namelist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
        readable = False
    if not readable:
        raise OutputError([Problem("mẫu Word hỏng hoặc không phải tệp Word (.docx)", file=str(template),
                                   expected="tệp .docx lưu bằng Word hoặc LibreOffice")], exit_code=3, hint=RESTORE)


def _check_template(tpl: Any, template: Path, context: dict[str, Any]) -> None:
    """Every variable the template uses is in the context; every style the code uses exists."""
    problems = []
    missing = sorted(tpl.undeclared - set(context))
    if missing:
        problems.append(Problem("mẫu Word dùng biến không có trong dữ liệu", file=str(template),
                                expected="dữ liệu có " + ", ".join(missing), found="thiếu"))
    lacking = sorted((STYLE_IDS | set(RULE_STYLES) | set(MEASURED)) - tpl.style_ids)
    if lacking:
        problems.append(Problem("mẫu Word thiếu kiểu (style)", file=str(template), found=", ".join(lacking)))
    if problems:
        raise OutputError(problems, exit_code=3,
                          hint="Thêm các kiểu còn thiếu vào mẫu trong Word, hoặc " + ORIGINAL)


_text_width = compiled.text_width



def _style(node: Any) -> str | None:
    style = node.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val") if style is not None else None


def _with_style(body: Any, *style_ids: str) -> list[Any]:
    """The paragraphs of ``body`` in any of these styles, in document order (XPath: fast on long plans)."""
    test = " or ".join(f"@w:val='{style}'" for style in style_ids)
    return body.xpath(f".//w:p[w:pPr/w:pStyle[{test}]]")  # python-docx maps the w: prefix


def _size_rules(body: Any, text_width: int) -> None:
    """Set each rule's indents from the lines of text right above it (same style, same cell)."""
    from docx.shared import Twips
    from docx.text.paragraph import Paragraph

    for rule in _with_style(body, *RULE_STYLES):
        lines: list[str] = []
        above, node = None, rule.getprevious()
        size = None  # the size a plan set on these lines (header.issuer_size, national_size), else the style's
        while node is not None and _style(node) in MEASURED and above in (None, _style(node)):
            above = _style(node)
            lines.append("".join(t.text or "" for t in node.iter(f"{W}t")))
            set_size = node.find(f"{W}r/{W}rPr/{W}sz")
            size = size or (int(set_size.get(f"{W}val")) / 2 if set_size is not None else None)
            node = node.getprevious()
        if above is None:
            continue
        cell = rule.getparent()
        width = cell.find(f"{W}tcPr/{W}tcW") if cell.tag == f"{W}tc" else None
        # the borderless tables have zero cell margins: a cell's text width is its tcW
        container = int(width.get(f"{W}w")) if width is not None else text_width
        fmt = Paragraph(rule, None).paragraph_format
        fmt.left_indent = fmt.right_indent = Twips(rule_indent(lines, above, container, size))


def _core_properties(element: Any, core: dict[str, str]) -> None:
    """Title, subject, keywords and language of the document. Written with lxml: importing
    docxcompose (through docxtpl) remaps python-docx's "cp" prefix to another namespace, so
    python-docx would write cp:keywords where no reader looks for it."""
    dc, cp = "{http://purl.org/dc/elements/1.1/}", "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}"
    values = {f"{dc}title": core.get("title", ""), f"{dc}subject": core.get("subject", ""),
              f"{cp}keywords": core.get("keywords", ""), f"{dc}language": "vi-VN",
              f"{dc}creator": core.get("subject", ""), f"{cp}lastModifiedBy": core.get("subject", "")}  # the agency
    for tag, value in values.items():
        node = element.find(tag)
        if node is None:
            node = element.makeelement(tag, {})
            element.append(node)
        node.text = value


def _keep_end_with_signature(body: Any) -> None:
    """The signature never stands alone on the last page: the paragraph ending the body (B4)
    keeps with the signature table (pagination only, nothing visible changes)."""
    heading = next(iter(_with_style(body, "KHNoiNhan")), None)
    table = next((a for a in heading.iterancestors(f"{W}tbl")), None) if heading is not None else None
    last = table.getprevious() if table is not None else None
    if last is not None and last.tag == f"{W}p":
        from docx.text.paragraph import Paragraph

        Paragraph(last, None).paragraph_format.keep_with_next = True


def _drop_appendix_section(body: Any) -> None:
    """No appendix: the portrait sectPr becomes the body's, so the document has one section
    and no landscape page. Its 1 pt paragraph (style "KH Ngắt phần") stays as the body's last,
    after the signature table, where Word wants a paragraph anyway."""
    ends = body.xpath("w:p[w:pPr/w:sectPr]")  # the paragraphs ending a section (one XPath: 4× faster than find)
    if not ends:
        return
    for node in list(ends[0].itersiblings()):
        if node.tag != f"{W}sectPr":
            body.remove(node)
    portrait = ends[0].find(f"{W}pPr/{W}sectPr")
    portrait.getparent().remove(portrait)
    body.replace(body.find(f"{W}sectPr"), portrait)


def write_package(data: bytes, out: Path) -> None:
    """Write the .docx ``data`` to ``out`` with fixed member order, timestamps and attributes:
    the same content always gives the same bytes (docx_zip)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    docx_zip.write_members([docx_zip.member(name, members[name]) for name in docx_zip.ordered(list(members))], out)
