"""A Word template read and compiled once per file, then rendered many times (render_docx uses it).

docxtpl's ``render`` opens the package with python-docx, cleans the tags of the body and of each
header and footer (``patch_xml``: ``{%p …%}``, ``{{p …}}``, ``{{r …}}``, ``{%tr …%}`` and the like),
compiles them with Jinja, renders, turns tabs and breaks of the text into runs
(``resolve_listing``), re-parses the result (``fix_tables``), renumbers the pictures (docPr ids),
renders the core properties, and saves through python-docx, whose zip render_docx then read and
wrote again. Here, per (path, modification time, size) of the template, that is done once:

- each rendered part's cleaned source is compiled once (docxtpl's own ``patch_xml``);
- the members that no render changes are kept compressed, as python-docx saves them;
- what the checks need (the variables, the style ids, the text widths) is read once.

A render is then the Jinja render of the body, with each task table as a small slot element;
docxtpl's own steps on the result (the same string rewrites, ``resolve_listing`` when the text has
a tab or a break, ``fix_tables``, docPr ids); the parse of that skeleton, which render_docx
finishes (rule sizes, pagination, the appendix section, core properties); its serialization, and
the tables written at their slots as UTF-8 already in the form lxml itself writes
(docx_table.task_table_writer), while a document surely over 1 MB is deflated on a second thread
(docx_zip.Deflating). The tables are built consistent (as many grid columns as cells, see
docx_table), so ``fix_tables`` would not change them. Headers and footers are rendered too; one that
renders to its own text is kept as it is. The same context gives the same bytes (docx_zip).
"""

from __future__ import annotations

import re
import traceback
from itertools import chain
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import Any

from .. import deflate
from . import docx_zip

_DOC = "word/document.xml"
_CORE = "docProps/core.xml"
_RENDERED_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # as docxtpl
_CACHE: dict[str, tuple[tuple[int, int], "Compiled"]] = {}
_SLOT = '<w:tbl><w:tblGrid/><w:kehoachSlot w:n="{}"/></w:tbl>'  # fix_tables wants a grid


@dataclass
class _Part:
    """One rendered part: its name, its docxtpl source (tags cleaned, paragraphs on their own lines),
    its compiled template and, for a header or footer, its text as docxtpl reads it."""

    name: str
    source: str
    template: Any = None
    original: str = ""
    encoding: str = "utf-8"


@dataclass
class Compiled:
    """A template ready to render: see the module docstring."""

    body: _Part
    headers: list[_Part]
    shell: bytes  # the w:document without the content of its body
    core: bytes
    kept: dict[str, docx_zip.Member]
    names: list[str]
    undeclared: frozenset[str]
    style_ids: frozenset[str]
    widths: tuple[int, int]  # text width of the first and of the last section, twips
    heights: tuple[int, int]  # text height of the same sections, twips (where a tall table row may split)
    properties: dict[str, Any] = field(default_factory=dict)


class Slots:
    """The tables of one render: each one a slot element in the template, its text put in after."""

    def __init__(self) -> None:
        self.tables: list[Any] = []

    def add(self, xml: Any) -> "_Slot":
        self.tables.append(xml)
        return _Slot(len(self.tables) - 1)


class _Slot:
    def __init__(self, index: int) -> None:
        self.index = index

    def __html__(self) -> str:
        return _SLOT.format(self.index)


def is_current(template: Path) -> bool:
    """Whether ``template`` is compiled as it is on disk now."""
    stat = Path(template).stat()
    cached = _CACHE.get(str(template))
    return cached is not None and cached[0] == (stat.st_mtime_ns, stat.st_size)


def compiled(template: Path, env: Any) -> Compiled:
    """The compiled ``template`` (read again only when the file changed). Jinja syntax errors are
    raised as jinja2's TemplateError with docxtpl's ``docx_context``."""
    stat = Path(template).stat()
    key = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(str(template))
    if cached is None or cached[0] != key:
        if len(_CACHE) >= 8:
            _CACHE.clear()
        _CACHE[str(template)] = cached = (key, _compile(Path(template), env))
    return cached[1]


def _compile(template: Path, env: Any) -> Compiled:
    import docx
    from docxtpl import DocxTemplate
    from jinja2 import meta
    from lxml import etree

    document = docx.Document(str(template))
    patcher = DocxTemplate(str(template))
    body = _Part(_DOC, patcher.patch_xml(etree.tostring(document.element.body, encoding="unicode")))
    headers = []
    for rel in document.part.rels.values():
        if rel.reltype in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI) and rel.target_part.blob:
            original = patcher.get_part_xml(rel.target_part)
            headers.append(_Part(str(rel.target_part.partname).lstrip("/"), patcher.patch_xml(original),
                                 original=original, encoding=patcher.get_headers_footers_encoding(original)))
    for part in document.part.package.parts:  # docxtpl renders the footnotes too
        if part.content_type.endswith(".footnotes+xml"):
            original = part.blob.decode("utf-8")
            headers.append(_Part(str(part.partname).lstrip("/"), patcher.patch_xml(original), original=original))
    patched = body.source + "".join(p.source for p in headers if not p.name.startswith("word/footnotes"))
    for part in [body, *headers]:
        part.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", part.source)
        part.template = _jinja(env, part.source)
    undeclared = frozenset(meta.find_undeclared_variables(env.parse(patched)))  # as docxtpl finds them
    properties = {name: _jinja(env, getattr(document.core_properties, name) or "") for name in _RENDERED_PROPERTIES}
    root = document.element
    shell = etree.fromstring(etree.tostring(root))
    shell_body = shell.find(root.body.tag)
    for child in list(shell_body):
        shell_body.remove(child)
    saved = BytesIO()
    document.save(saved)
    with zipfile.ZipFile(saved) as package:
        contents = {info.filename: package.read(info) for info in package.infolist()}
    sections = document.sections
    return Compiled(body=body, headers=headers, shell=etree.tostring(shell, encoding="UTF-8", standalone=True),
                    core=contents[_CORE], kept={n: docx_zip.member(n, c) for n, c in contents.items()},
                    names=docx_zip.ordered(list(contents)), undeclared=undeclared,
                    style_ids=frozenset(s.style_id for s in document.styles),
                    widths=(text_width(sections[0]), text_width(sections[-1])),
                    heights=(text_height(sections[0]), text_height(sections[-1])), properties=properties)


def _jinja(env: Any, source: str) -> Any:
    from jinja2 import TemplateError

    try:
        return env.from_string(source)
    except TemplateError as exc:
        _attach_lines(exc, source, getattr(exc, "lineno", None))
        raise


def text_width(section: Any) -> int:
    return round((section.page_width - section.left_margin - section.right_margin) / 635)  # EMU -> twips


def text_height(section: Any) -> int:
    return round((section.page_height - section.top_margin - section.bottom_margin) / 635)  # EMU -> twips


@dataclass
class Rendered:
    """A render waiting for render_docx's finishing touches on ``body`` and ``core``, then ``write``."""

    compiled: Compiled
    root: Any
    core: Any
    headers: dict[str, bytes]
    tables: list[Any]  # docx_table.TableWriter

    @property
    def body(self) -> Any:
        return self.root.body

    def write(self, out: Path) -> None:
        from lxml import etree

        document = etree.tostring(self.root, encoding="UTF-8", standalone=True)
        fresh = {_CORE: etree.tostring(self.core, encoding="UTF-8", standalone=True), **self.headers}
        made = {name: docx_zip.member(name, content) for name, content in fresh.items()}
        made[_DOC] = self._document(document)
        kept = self.compiled.kept
        docx_zip.write_members([made.get(n) or kept[n] for n in self.compiled.names], out)

    def _document(self, skeleton: bytes) -> docx_zip.Member:
        """The document member: the skeleton with the tables at their slots. When it is surely over
        deflate.LARGE (deflated at deflate.FAST), it is deflated on a second thread while the tables are written."""
        if not self.tables:
            return docx_zip.member(_DOC, skeleton)
        pieces: list[Any] = re.split(rb'<w:tbl><w:tblGrid/><w:kehoachSlot w:n="(\d+)"/></w:tbl>', skeleton)
        pieces[1::2] = [self.tables[int(n)] for n in pieces[1::2]]
        if sum(map(len, pieces[::2])) + sum(table.least() for table in pieces[1::2]) <= deflate.LARGE:
            return docx_zip.member(_DOC, b"".join(chain.from_iterable(
                (piece,) if index % 2 == 0 else piece.chunks() for index, piece in enumerate(pieces))))
        with docx_zip.Deflating(_DOC, deflate.FAST) as stream:
            for index, piece in enumerate(pieces):
                for chunk in (piece,) if index % 2 == 0 else piece.chunks():
                    stream.write(chunk)
            return stream.member()


def render(compiled: Compiled, context: dict[str, Any], slots: Slots) -> Rendered:
    """Render ``context`` (its tables given as ``slots``) the way docxtpl's render would.
    Jinja errors are raised with the template lines around them as ``docx_context``."""
    from docx.opc.coreprops import CoreProperties
    from docx.oxml.parser import parse_xml
    from docxtpl import DocxTemplate
    from lxml import etree

    body = _render_part(compiled.body, context)
    tree = DocxTemplate.fix_tables(None, body)  # docxtpl's own (does not use its instance)
    for number, element in enumerate(tree.xpath("//wp:docPr", namespaces=_NS), start=1001):
        element.attrib["id"] = str(number)
    root = parse_xml(compiled.shell)
    root.replace(root.body, tree)
    del tree  # root.body is then found again with python-docx's element classes
    headers = {}
    for part in compiled.headers:
        xml = _render_part(part, context)
        if xml != part.original:
            headers[part.name] = etree.tostring(parse_xml(xml.encode(part.encoding)), encoding="UTF-8",
                                                standalone=True)
    core = parse_xml(compiled.core)
    properties = CoreProperties(core)
    for name, template in compiled.properties.items():
        setattr(properties, name, _render(template, context, ""))
    return Rendered(compiled, root, core, headers, slots.tables)


_NS = {"wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"}


def _render_part(part: _Part, context: dict[str, Any]) -> str:
    """docxtpl's render_xml_part on a compiled part."""
    xml = _render(part.template, context, part.source)
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(c in xml for c in "\t\a\n\f"):  # resolve_listing rewrites only these; a regex pass over all otherwise
        from docxtpl import DocxTemplate

        xml = DocxTemplate.resolve_listing(None, xml)
    return xml


def _render(template: Any, context: dict[str, Any], source: str) -> str:
    from jinja2 import TemplateError

    try:
        return template.render(context)
    except TemplateError as exc:
        numbers = [n for frame, n in traceback.walk_tb(exc.__traceback__) if frame.f_code.co_filename == "<template>"]
        _attach_lines(exc, source, getattr(exc, "lineno", None) or (numbers[-1] if numbers else None))
        raise


def _attach_lines(exc: Exception, source: str, lineno: int | None) -> None:
    """docxtpl's ``docx_context``: the seven template lines around ``lineno``, tags removed."""
    if lineno is not None and not hasattr(exc, "docx_context"):
        start = max(lineno - 4, 0)
        exc.docx_context = [re.sub(r"<[^>]+>", "", line) for line in source.splitlines()[start:start + 7]]
