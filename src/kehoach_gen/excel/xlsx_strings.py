"""xlsxwriter's workbook with a faster writer of its shared strings: the same XML, byte for byte.

The office workbook of a 10,000-task plan holds some 40,000 distinct texts. xlsxwriter writes each
through three regular expressions and a list of attributes; here a text that needs none of its
special cases (a control character or ``_xHHHH_`` to escape, leading or trailing whitespace, a rich
text) is escaped and written in one expression, and any other is left to xlsxwriter's own code.
Used only with the xlsxwriter release :mod:`.xlsx_rows` was checked against; tests/test_trackers.py
checks the file against xlsxwriter's writer.
"""

from __future__ import annotations

import re
from typing import Any

from xlsxwriter.packager import Packager
from xlsxwriter.sharedstrings import SharedStrings
from xlsxwriter.workbook import Workbook

from .xlsx_rows import FastSheet

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


class FastBook(Workbook):
    """A workbook whose sheets are :class:`FastSheet` and whose shared strings are :class:`FastStrings`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.worksheet_class = FastSheet

    def _get_packager(self) -> Packager:
        return FastPackager()
