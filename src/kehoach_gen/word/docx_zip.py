"""The deterministic zip writer of the Word packages: fixed member order, timestamps and attributes,
so the same content always gives the same bytes.

Members that do not change from one document to the next (styles, theme, settings, …) are
compressed once and kept (see ``Member``); a package is then one pass of writing, laid out by
:mod:`kehoach_gen.zipped` as ``zipfile`` writes it with mode 0644 (tests/test_render_docx.py checks it
byte for byte). A large member can be deflated while its content is still being written (``Deflating``).
"""

from __future__ import annotations

import sys
import threading
import zlib
from pathlib import Path
from queue import SimpleQueue
from types import TracebackType

from .. import zipped
from ..zipped import Member, member  # noqa: F401 (re-exported: a package's members)

FIRST = ("[Content_Types].xml", "_rels/.rels")

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
    """The zip archive of ``members`` (already in ``ordered`` order), as zipfile writes a package with mode 0644."""
    return zipped.package_bytes(members, 0o644)


def write_members(members: list[Member], out: Path) -> None:
    """Write the package of ``members`` to ``out`` (a path the caller makes atomic)."""
    Path(out).write_bytes(package_bytes(members))
