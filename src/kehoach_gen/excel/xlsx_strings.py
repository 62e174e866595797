"""xlsxwriter's workbook with a faster writer of its shared strings (the same XML, byte for byte), its members
over 1 MB deflated faster and its fixed parts (theme, styles, …) deflated once.

The office workbook of a 10,000-task plan holds some 40,000 distinct texts. xlsxwriter writes each
through three regular expressions and a list of attributes; here a text that needs none of its
special cases (a control character or ``_xHHHH_`` to escape, leading or trailing whitespace, a rich
text) is escaped and written in one expression, and any other is left to xlsxwriter's own code.
Used only with an xlsxwriter release they were checked against (``TESTED``); tests/test_trackers.py
checks the file against xlsxwriter's writer.
"""

from __future__ import annotations

import re
import threading
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.workbook import Workbook

from .. import zipped
from .xlsx_rows import FastSheet

TESTED = ("3.3.",)  # xlsxwriter releases whose internals FastBook and FastSheet were checked against


def fast_rows() -> bool:
    """FastBook and FastSheet rely on xlsxwriter's internals (its cell table and tuples, its packager): they are used
    only with a release they were checked against; with another one the trackers are written by xlsxwriter's own
    (slower) code, with the same bytes."""
    from xlsxwriter import __version__

    return __version__.startswith(TESTED)


# What sends a text to xlsxwriter's own writer, besides leading or trailing whitespace (its ``^\s`` and ``\s$``,
# which are str.isspace) and a rich text (``<r>``): its control character escapes (``_xHHHH_``, U+0000-U+0008,
# U+000B-U+001F, U+FFFE, U+FFFF).
_ESCAPED = re.compile(r"_x[0-9a-fA-F]{4}_").search
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]").search


class FastStrings(SharedStrings):
    """sharedStrings.xml with the common texts written in one expression each."""

    def _write_sst_strings(self) -> None:
        own, write = super()._write_si, self.fh.write
        parts: list[str] = []
        for string in self.string_table.string_array:
            if (string[:1].isspace() or string[-1:].isspace() or string.startswith("<r>") or _CONTROL(string)
                    or ("_x" in string and _ESCAPED(string))):
                write("".join(parts))
                parts.clear()
                own(string)
            else:
                if "&" in string or "<" in string or ">" in string:
                    string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                parts.append(f"<si><t>{string}</t></si>")
        write("".join(parts))


class FastPackager(Packager):
    def _write_shared_strings_file(self) -> None:
        if not self.workbook.str_table.count:
            return
        sst = FastStrings()
        sst.string_table = self.workbook.str_table
        sst._set_xml_writer(self._filename("xl/sharedStrings.xml"))
        sst._assemble_xml_file()


_STORING = threading.Lock()  # FastBook's package writer is put in xlsxwriter's module for one workbook at a time
# the parts xlsxwriter writes alike in most workbooks: deflated once, kept by their content
_FIXED = frozenset({"xl/theme/theme1.xml", "xl/styles.xml", "[Content_Types].xml", "_rels/.rels",
                    "xl/_rels/workbook.xml.rels"})


@lru_cache(maxsize=64)  # a few contents a part
def _fixed(name: str, content: bytes) -> zipped.Member:
    return zipped.member(name, content)


class _Package:
    """What xlsxwriter's in-memory ``_store_workbook`` asks of its ``ZipFile``: the members, in the order given,
    each deflated at the level of its size (:func:`kehoach_gen.deflate.level`) or, for a fixed part seen before
    with the same content, as deflated then; the file laid out as zipfile writes it (:mod:`kehoach_gen.zipped`,
    mode 0600 as zipfile's ``writestr`` gives)."""

    def __init__(self, file: Any, mode: str = "w", compression: int = zipfile.ZIP_DEFLATED, **_: Any) -> None:
        if mode != "w" or compression != zipfile.ZIP_DEFLATED:
            raise ValueError(f"_Package writes deflated packages only, not {mode!r}, {compression!r}")
        self.file, self.compression, self.members = file, compression, []

    def writestr(self, zinfo: zipfile.ZipInfo, data: bytes, *_: Any) -> None:
        if zinfo.date_time != (1980, 1, 1, 0, 0, 0) or zinfo.compress_type != zipfile.ZIP_DEFLATED:
            raise ValueError(f"unexpected member {zinfo.filename}: {zinfo.date_time}, {zinfo.compress_type}")
        made = _fixed if zinfo.filename in _FIXED else zipped.member
        self.members.append(made(zinfo.filename, data))

    def close(self) -> None:
        package = zipped.package_bytes(self.members, 0o600)
        if hasattr(self.file, "write"):
            self.file.write(package)
        else:
            Path(self.file).write_bytes(package)


class FastBook(Workbook):
    """A workbook whose sheets are :class:`FastSheet`, whose shared strings are :class:`FastStrings` and whose
    members are deflated at the level of their size (:func:`kehoach_gen.deflate.level`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worksheet_class = FastSheet

    def _get_packager(self) -> Packager:
        return FastPackager()

    def _store_workbook(self) -> None:
        from xlsxwriter import workbook

        if not self.in_memory:  # xlsxwriter's temporary files: its own ZipFile
            super()._store_workbook()
            return
        with _STORING:
            own, workbook.ZipFile = workbook.ZipFile, _Package
            try:
                super()._store_workbook()
            finally:
                workbook.ZipFile = own
