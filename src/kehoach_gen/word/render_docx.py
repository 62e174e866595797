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
context gives the same bytes.
"""

from __future__ import annotations

import io
import re
import traceback
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from .docx_rules import MEASURED, RULE_STYLES, rule_indent
from .header_fit import fit_header, fit_recipients
from .docx_table import STYLE_IDS, check_problems, check_table, protect, task_table_xml
from ..errors import OutputError, Problem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BLOCK_KINDS = ("intro", "section", "heading", "numbered", "lettered", "para", "addressee", "note", "task_table")
def render_plan(context: dict[str, Any], template: Path, out: Path) -> None:
    """Render ``context`` into ``template`` and write the .docx to ``out``."""
    from jinja2 import TemplateError

    _check_context(context)
    _check_package(Path(template))
    tpl = _template_class()(str(template))
    env = _environment()
    _check_template(tpl, Path(template), env, context)
    sections = tpl.get_docx().sections
    portrait, landscape = _text_width(sections[0]), _text_width(sections[-1])
    tall, tall_landscape = _text_height(sections[0]) // 3, _text_height(sections[-1]) // 3  # A4: may split
    ctx = dict(context)
    ctx["task_table"] = (_TableXml(task_table_xml(context["task_table"], portrait, split_above=tall))
                         if context.get("task_table") else "")
    ctx["appendices"] = [{**a, "table": _TableXml(task_table_xml(a["table"], landscape, True, tall_landscape))}
                         for a in context["appendices"]]
    try:
        tpl.render(ctx, env, autoescape=True)
    except TemplateError as exc:
        lines = [line.strip() for line in _template_lines(tpl, exc) if line.strip()]
        raise OutputError([Problem(f"không điền được mẫu Word: {exc}", file=str(template),
                                   found=" | ".join(lines) or None)], exit_code=3,
                          hint="Sửa thẻ Jinja quanh đoạn trên trong mẫu, hoặc dựng lại mẫu: "
                               "python tools/build_templates.py") from None
    body = tpl.docx.element.body
    fit_header(body, context.get("header"))
    fit_recipients(body, portrait)
    _size_rules(body, portrait)
    _keep_end_with_signature(body)
    if not context["appendices"]:
        _drop_appendix_section(body)
    _core_properties(tpl.docx.core_properties._element, context.get("core", {}))
    buffer = io.BytesIO()
    tpl.save(buffer)
    write_package(buffer.getvalue(), out)


def _template_lines(tpl: Any, exc: Exception) -> list[str]:
    """The template text around a Jinja error: docxtpl's ``docx_context`` for syntax errors;
    for errors while rendering (e.g. a missing key), the same lines found from the template
    line in the traceback, the way docxtpl would have cut them."""
    context = getattr(exc, "docx_context", None)
    if context is not None:
        return list(context)
    numbers = [n for frame, n in traceback.walk_tb(exc.__traceback__) if frame.f_code.co_filename == "<template>"]
    part = tpl.current_rendering_part
    if not numbers or part is None:
        return []
    xml = tpl.get_xml() if part is tpl.docx.part else tpl.get_part_xml(part)
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml)).splitlines()
    start = max(numbers[-1] - 4, 0)
    return [re.sub(r"<[^>]+>", "", line) for line in source[start:start + 7]]


@lru_cache(maxsize=1)
def _environment() -> Any:
    """One Jinja environment per process; it keeps every template it compiled (see _template_class)."""
    from jinja2 import Environment, StrictUndefined

    class CompilingOnce(Environment):
        """An environment that compiles a given template text once: in a batch every plan renders the
        same template parts, and compiling them is most of docxtpl's time."""

        compiled: dict[str, Any] = {}

        def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
            if globals is not None or template_class is not None or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            if source not in self.compiled:
                if len(self.compiled) >= _CACHED:
                    self.compiled.clear()
                self.compiled[source] = super().from_string(source)
            return self.compiled[source]

    return CompilingOnce(autoescape=True, undefined=StrictUndefined, finalize=_finalize)


@lru_cache(maxsize=1)
def _template_class() -> Any:
    """docxtpl's DocxTemplate, keeping the result of its tag clean-up (patch_xml) of each template part."""
    from docxtpl import DocxTemplate

    class PatchingOnce(DocxTemplate):
        patched: dict[str, str] = {}

        def patch_xml(self, src_xml: str) -> str:
            if src_xml not in self.patched:
                if len(self.patched) >= _CACHED:
                    self.patched.clear()
                self.patched[src_xml] = super().patch_xml(src_xml)
            return self.patched[src_xml]

    return PatchingOnce


_CACHED = 64  # template parts kept per process: a few templates of a few parts each


def _finalize(value: Any) -> Any:
    """Every value the template prints: XML-escaped, then protected from docxtpl (see docx_table.protect)."""
    from markupsafe import Markup

    if hasattr(value, "__html__"):  # a table: WordprocessingML whose text is already protected
        return Markup(value.__html__())
    return Markup(protect(str(value)))


class _TableXml:
    """A task table ready for a ``{{p …}}`` tag of the template."""

    def __init__(self, xml: str) -> None:
        self.xml = xml

    def __html__(self) -> str:
        return self.xml


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


_UNDECLARED: dict[tuple[str, int, int], frozenset[str]] = {}
RESTORE = ("Mở lại mẫu bằng Word và lưu dạng .docx, hoặc lấy mẫu gốc: kehoach init THƯ_MỤC_MỚI rồi chép tệp "
           "cùng tên trong THƯ_MỤC_MỚI/templates/ vào templates/.")


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


def _check_template(tpl: Any, template: Path, env: Any, context: dict[str, Any]) -> None:
    """Every variable the template uses is in the context; every style the code uses exists."""
    stat = template.stat()
    key = (str(template), stat.st_mtime_ns, stat.st_size)
    if key not in _UNDECLARED:  # reading the template's tags again costs a parse: once per file
        _UNDECLARED[key] = frozenset(tpl.get_undeclared_template_variables(env))
    problems = []
    missing = sorted(_UNDECLARED[key] - set(context))
    if missing:
        problems.append(Problem("mẫu Word dùng biến không có trong dữ liệu", file=str(template),
                                expected="dữ liệu có " + ", ".join(missing), found="thiếu"))
    lacking = sorted((STYLE_IDS | set(RULE_STYLES) | set(MEASURED)) - {s.style_id for s in tpl.get_docx().styles})
    if lacking:
        problems.append(Problem("mẫu Word thiếu kiểu (style)", file=str(template), found=", ".join(lacking)))
    if problems:
        raise OutputError(problems, exit_code=3,
                          hint="Thêm các kiểu còn thiếu vào mẫu trong Word, hoặc " + RESTORE[RESTORE.index("lấy"):])


def _text_width(section: Any) -> int:
    return round((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips


def _text_height(section: Any) -> int:
    return round((section.page_height - section.top_margin - section.bottom_margin) / 635)  # EMU -> twips


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
        while node is not None and _style(node) in MEASURED and above in (None, _style(node)):
            above = _style(node)
            lines.append("".join(t.text or "" for t in node.iter(f"{W}t")))
            node = node.getprevious()
        if above is None:
            continue
        cell = rule.getparent()
        width = cell.find(f"{W}tcPr/{W}tcW") if cell.tag == f"{W}tc" else None
        # the borderless tables have zero cell margins: a cell's text width is its tcW
        container = int(width.get(f"{W}w")) if width is not None else text_width
        fmt = Paragraph(rule, None).paragraph_format
        fmt.left_indent = fmt.right_indent = Twips(rule_indent(lines, above, container))


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
    ends = [p for p in body.iterchildren(f"{W}p") if p.find(f"{W}pPr/{W}sectPr") is not None]
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
    the same content always gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {info.filename: source.read(info) for info in source.infolist()}
    first = ["[Content_Types].xml", "_rels/.rels"]
    names = [n for n in first if n in members] + sorted(n for n in members if n not in first)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            target.writestr(info, members[name])
