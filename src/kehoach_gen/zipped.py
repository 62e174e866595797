"""The zip layout of the Word and Excel packages: members deflated once (``member``), laid out as ``zipfile``
writes them (``package_bytes``), so the same content always gives the same bytes.

The layout is exactly what ``zipfile`` writes for ``ZipInfo(name, (1980, 1, 1, 0, 0, 0))`` deflated with
``create_system`` 3 and the given mode to a seekable file (tests/test_render_docx.py and tests/test_trackers.py
check it byte for byte), without zipfile's second pass over each member: a member made once (a template's styles,
a workbook's theme) is written again as it is.
"""

from __future__ import annotations

import struct
import zlib
from typing import NamedTuple

from . import deflate

_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION, _SYSTEM, _DEFLATED = 20, 3, 8


class Member(NamedTuple):
    """One member of a package, already compressed."""

    name: str
    crc: int
    size: int
    data: bytes  # raw deflate


def member(name: str, content: bytes, level: int | None = None) -> Member:
    """``content`` compressed as zipfile does (raw deflate, zlib's default strategy), at ``level`` or at the
    level of its size (:func:`kehoach_gen.deflate.level`)."""
    if level is None:
        level = deflate.level(len(content))
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return Member(name, zlib.crc32(content), len(content), compressor.compress(content) + compressor.flush())


def package_bytes(members: list[Member], mode: int) -> bytes:
    """The zip archive of ``members``, in their order, each with the file ``mode`` (0o644, 0o600)."""
    out, central, offset = [], [], 0
    for item in members:
        name = item.name.encode("ascii", "strict") if item.name.isascii() else item.name.encode("utf-8")
        flags = 0 if item.name.isascii() else 0x800
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, item.crc,
                             len(item.data), item.size, len(name), 0)
        out += (header, name, item.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                                     _DOS_DATE, item.crc, len(item.data), item.size, len(name), 0, 0, 0, 0, mode << 16,
                                     offset) + name)
        offset += len(header) + len(name) + len(item.data)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0))
    return b"".join(out)
