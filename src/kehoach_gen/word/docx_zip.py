"""The deterministic zip writer of the Word packages: fixed member order, timestamps and attributes,
so the same content always gives the same bytes.

Members that do not change from one document to the next (styles, theme, settings, …) are
compressed once and kept (see ``Member``); a package is then one pass of writing. The layout is
exactly what ``zipfile`` writes for ``ZipInfo(name, (1980, 1, 1, 0, 0, 0))`` deflated with
``create_system`` 3 and mode 0644 to a seekable file (tests/test_render_docx.py checks it byte for
byte), without zipfile's second pass over each member. A large member can be deflated while its
content is still being written (``Deflating``).
"""

from __future__ import annotations

import struct
import sys
import threading
import zlib
from pathlib import Path
from queue import SimpleQueue
from types import TracebackType
from typing import NamedTuple

from .. import deflate

FIRST = ("[Content_Types].xml", "_rels/.rels")
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_VERSION, _SYSTEM, _DEFLATED, _MODE = 20, 3, 8, 0o644 << 16


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


_SWITCHING = threading.Lock()
_SWITCHED: list[float] = []  # the switch interval before the first running stream, then one entry per stream


class Deflating:
    """A member deflated on a second thread while its content is still being made (``write`` the
    pieces in order, then ``member``): what ``member`` gives for the whole content at ``level``.

    zlib works without Python's lock, so a document's deflate runs beside the writing of its table
    (Carbone's zip library does the same on Node's thread pool). While it runs, Python's switch
    interval is 0.5 ms instead of 5: the deflating thread takes the lock back that soon after each
    piece, instead of waiting up to 5 ms for the writer to let go of it.
    """

    SWITCH = 0.0005  # seconds

    def __init__(self, name: str, level: int) -> None:
        self.name, self.level = name, level
        self._queue: SimpleQueue[bytes | None] = SimpleQueue()
        self._result: list[Member] = []
        self._thread = threading.Thread(target=self._deflate, name="kehoach-deflate", daemon=True)

    def __enter__(self) -> "Deflating":
        with _SWITCHING:
            if not _SWITCHED:
                _SWITCHED.append(sys.getswitchinterval())
                sys.setswitchinterval(min(_SWITCHED[0], self.SWITCH))
            _SWITCHED.append(self.SWITCH)  # one more stream running
        self._thread.start()
        return self

    def write(self, data: bytes) -> None:
        self._queue.put(data)

    def member(self) -> Member:
        """The member, once every piece is written (waits for the thread)."""
        self._queue.put(None)
        self._thread.join()
        return self._result[0]

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        with _SWITCHING:
            _SWITCHED.pop()
            if len(_SWITCHED) == 1:  # the last stream: the interval as it was
                sys.setswitchinterval(_SWITCHED.pop())

    def _deflate(self) -> None:
        compressor = zlib.compressobj(self.level, zlib.DEFLATED, -15)
        out, crc, size = [], 0, 0
        while (data := self._queue.get()) is not None:
            out.append(compressor.compress(data))
            crc, size = zlib.crc32(data, crc), size + len(data)
        out.append(compressor.flush())
        self._result.append(Member(self.name, crc, size, b"".join(out)))


def ordered(names: list[str]) -> list[str]:
    """The order of the members: the content types and the package relationships first, then by name."""
    return [n for n in FIRST if n in names] + sorted(n for n in names if n not in FIRST)


def package_bytes(members: list[Member]) -> bytes:
    """The zip archive of ``members`` (already in ``ordered`` order)."""
    out, central, offset = [], [], 0
    for item in members:
        name = item.name.encode("ascii", "strict") if item.name.isascii() else item.name.encode("utf-8")
        flags = 0 if item.name.isascii() else 0x800
        header = _LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME, _DOS_DATE, item.crc,
                             len(item.data), item.size, len(name), 0)
        out += (header, name, item.data)
        central.append(_CENTRAL.pack(b"PK\x01\x02", _VERSION, _SYSTEM, _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                                     _DOS_DATE, item.crc, len(item.data), item.size, len(name), 0, 0, 0, 0, _MODE,
                                     offset) + name)
        offset += len(header) + len(name) + len(item.data)
    directory = b"".join(central)
    out += (directory, _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), offset, 0))
    return b"".join(out)


def write_members(members: list[Member], out: Path) -> None:
    """Write the package of ``members`` to ``out`` (a path the caller makes atomic)."""
    Path(out).write_bytes(package_bytes(members))
