"""The compiled template (word/compiled.py) and the package writer (word/docx_zip.py): the template
is read again when it changes on disk, its headers are rendered like the body, a broken tag is
said with the template lines around it, and the zip layout is zipfile's own."""

from __future__ import annotations

import io
import os
import shutil
import sys
import zipfile
import zlib

import pytest
from docx import Document
from docx.shared import Pt

from test_render_docx import TEMPLATE, context
from kehoach_gen.errors import OutputError
from kehoach_gen import deflate
from kehoach_gen.word import docx_zip
from kehoach_gen.word.render_docx import render_plan


def _zipfile_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            target.writestr(info, content)
    return buffer.getvalue()


def test_the_writer_writes_what_zipfile_writes():
    members = {"[Content_Types].xml": b"<Types/>", "word/document.xml": "<w:t>Kế hoạch</w:t>".encode() * 500,
               "word/tệp.xml": b"", "z.bin": os.urandom(3000)}
    ours = docx_zip.package_bytes([docx_zip.member(name, content) for name, content in members.items()])
    assert ours == _zipfile_bytes(members)


def test_a_large_member_is_deflated_fast_and_reads_back():
    content = "".join(f"<w:p><w:r><w:t>Nhiệm vụ số {i}</w:t></w:r></w:p>" for i in range(40000)).encode()
    assert len(content) > deflate.LARGE
    item = docx_zip.member("word/document.xml", content)
    fast = zlib.compressobj(deflate.FAST, zlib.DEFLATED, -15)
    assert item.data == fast.compress(content) + fast.flush()
    with zipfile.ZipFile(io.BytesIO(docx_zip.package_bytes([item]))) as package:
        assert package.testzip() is None
        assert package.read("word/document.xml") == content


def test_a_member_deflated_beside_its_writer_is_the_same_member():
    pieces = [f"<w:tr><w:t>Nhiệm vụ số {i}</w:t></w:tr>".encode() * (i % 7 * 300) for i in range(60)]
    content = b"".join(pieces)
    assert len(content) > deflate.LARGE
    interval = sys.getswitchinterval()
    with docx_zip.Deflating("word/document.xml", deflate.FAST) as stream:
        for piece in pieces:
            stream.write(piece)
        assert sys.getswitchinterval() <= docx_zip.Deflating.SWITCH
        streamed = stream.member()
    assert streamed == docx_zip.member("word/document.xml", content)
    assert sys.getswitchinterval() == interval


def test_the_switch_interval_comes_back_after_the_last_of_overlapping_streams():
    interval = sys.getswitchinterval()
    first, second = docx_zip.Deflating("a.xml", 1), docx_zip.Deflating("b.xml", 1)
    with first:
        with second:
            second.write(b"b")
            second.member()
        assert sys.getswitchinterval() <= docx_zip.Deflating.SWITCH
        first.write(b"a")
        assert first.member().size == 1
    assert sys.getswitchinterval() == interval


def test_a_failed_writer_stops_the_deflating_thread():
    interval = sys.getswitchinterval()
    with pytest.raises(KeyError), docx_zip.Deflating("word/document.xml", deflate.FAST) as stream:
        stream.write(b"<w:document>")
        raise KeyError("rows")
    assert not stream._thread.is_alive()
    assert sys.getswitchinterval() == interval


def test_a_large_plan_deflated_beside_its_tables_is_what_one_pass_gives(tmp_path, monkeypatch):
    ctx = context("appendix", appendices=2)
    for appendix in ctx["appendices"]:
        appendix["table"]["rows"] *= 300  # 1,500 rows each, some with texts to escape or keep spaced
    streamed = []
    real = docx_zip.Deflating.member
    monkeypatch.setattr(docx_zip.Deflating, "member", lambda self: streamed.append(self.name) or real(self))
    render_plan(ctx, TEMPLATE, tmp_path / "big.docx")
    assert streamed == ["word/document.xml"]
    with zipfile.ZipFile(tmp_path / "big.docx") as package:
        members = {info.filename: package.read(info) for info in package.infolist()}
    assert len(members["word/document.xml"]) > deflate.LARGE
    assert (tmp_path / "big.docx").read_bytes() == docx_zip.package_bytes(
        [docx_zip.member(name, members[name]) for name in docx_zip.ordered(list(members))])
    assert [len(t.rows) for t in Document(str(tmp_path / "big.docx")).tables[-2:]] == [1 + 1800, 1 + 1800]


def _style_size(path, style_id):  # noqa: ANN001, ANN202
    return next(s for s in Document(str(path)).styles if s.style_id == style_id).font.size


def test_a_template_changed_on_disk_is_read_again(tmp_path):
    template = tmp_path / "ke-hoach.docx"
    shutil.copy(TEMPLATE, template)
    render_plan(context(), template, tmp_path / "a.docx")
    before = _style_size(tmp_path / "a.docx", "KHBangO")
    restyled = Document(str(template))
    next(s for s in restyled.styles if s.style_id == "KHBangO").font.size = Pt(11)
    restyled.save(str(template))
    os.utime(template, ns=(1, 1))  # a different modification time even on a coarse clock
    render_plan(context(), template, tmp_path / "b.docx")
    assert before != Pt(11)
    assert _style_size(tmp_path / "b.docx", "KHBangO") == Pt(11)


def test_header_tags_are_rendered_and_plain_headers_kept(tmp_path):
    template = tmp_path / "ke-hoach.docx"
    document = Document(str(TEMPLATE))
    document.sections[0].header.paragraphs[0].add_run("{{ number_line }}")
    document.save(str(template))
    ctx = context()
    render_plan(ctx, template, tmp_path / "out.docx")
    out = Document(str(tmp_path / "out.docx"))
    assert out.sections[0].header.paragraphs[0].text.endswith(ctx["number_line"])
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(tmp_path / "out.docx") as rendered:
        untouched = [n for n in source.namelist() if n.startswith("word/header")]
        changed = [n for n in untouched if source.read(n) != rendered.read(n)]
    assert len(untouched) == 4 and len(changed) == 1


def test_a_broken_tag_is_said_with_its_lines(tmp_path):
    template = tmp_path / "ke-hoach.docx"
    document = Document(str(TEMPLATE))
    document.add_paragraph("Đoạn hỏng {{ signer_name ")
    document.save(str(template))
    with pytest.raises(OutputError) as error:
        render_plan(context(), template, tmp_path / "out.docx")
    message = str(error.value)
    assert error.value.exit_code == 3
    assert f"{template}: không điền được mẫu Word: " in message
    assert "Đoạn hỏng {{ signer_name" in message
    assert not (tmp_path / "out.docx").exists()
