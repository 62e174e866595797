"""Writing outputs: every file appears whole or not at all, and a family of files all together or none.

Each output is rendered into a temporary file beside its place, then renamed over it. A
:class:`Family` (a plan's document, its trackers, its PDF) renders every member first and moves
them into place only when all rendered: an error in any member leaves every file as it was. A
failure while moving them (a folder that turned read-only, an immutable file) puts back the files
already moved (each replaced file is kept under a hard link until the family is in place).
A file open in Word, Excel or LibreOffice (their lock file ``~$…`` or ``.~lock.…#`` lies beside
it) is never replaced: that is an :class:`OutputError` (exit 3) naming the file.

Temporary files carry a recognisable name and are swept after a kill; a disk that fills up or a
folder that cannot be written becomes an :class:`OutputError` naming the folder and what to do
(exit 3), never a traceback: see :mod:`tempfiles`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError
from .tempfiles import cannot_write, keep_mode, keep_old, os_error, quietly, temp_beside
from .tempfiles import is_temp, probe, sweep, writing  # noqa: F401 (for the commands that write through output)

_notices: list[Callable[[str], None]] = []


def on_notice(show: Callable[[str], None]) -> None:
    """Register where notices go (the CLI prints them); a notice is news, not an error."""
    _notices.append(show)


def notice(text: str) -> None:
    for show in _notices:
        show(text)


def lock_file(path: Path) -> Path | None:
    """The lock file Word/Excel (``~$`` + name, its first one or two letters replaced) or LibreOffice leaves."""
    name = path.name
    for candidate in (f"~${name}", f"~${name[1:]}", f"~${name[2:]}", f".~lock.{name}#"):
        if (path.parent / candidate).exists():
            return path.parent / candidate
    return None


def check_not_open(path: Path, shown: str) -> None:
    """Refuse to replace a file that is open in an office program."""
    lock = lock_file(path)
    if lock is not None and path.exists():
        raise OutputError.single(f"tệp đang mở trong Word, Excel hoặc LibreOffice (có tệp khóa {lock.name} bên cạnh)",
                                 file=shown, exit_code=3,
                                 hint=f"Đóng tệp {path.name} trong Word/Excel/LibreOffice rồi chạy lại lệnh. Nếu tệp "
                                      f"không mở ở đâu (chương trình bị tắt đột ngột), xóa tệp {lock.name} rồi chạy lại.")


@dataclass
class _Member:
    path: Path
    tmp: Path | None  # None: the new bytes equal the file's
    shown: str
    before: Callable[[], None] | None
    after: Callable[[], None] | None
    old: Path | None = None  # the replaced file, kept under a hard link until the family is in place


@dataclass
class Family:
    """Outputs rendered first, moved into place together (see the module docstring)."""

    members: list[_Member] = field(default_factory=list)
    first: list[Callable[[], None]] = field(default_factory=list)  # run at commit before any file is replaced

    def before_all(self, action: Callable[[], None]) -> None:
        """Run ``action`` at commit, after every check and before the first file is moved into place."""
        if action not in self.first:
            self.first.append(action)

    def stage(self, path: Path, write: Callable[[Path], None], shown: str | None = None, *,
              before: Callable[[], None] | None = None, after: Callable[[], None] | None = None) -> bool:
        """Render ``path`` into a temporary file; False when its bytes equal the existing file's.

        ``before`` runs at commit just before the file is replaced (a backup), ``after`` once the family is in place."""
        shown = shown or str(path)
        check_not_open(path, shown)
        tmp = temp_beside(path)
        failure: OSError | None = None
        try:
            write(tmp)
            keep_mode(tmp, path)
            if path.is_file() and path.stat().st_size == tmp.stat().st_size and path.read_bytes() == tmp.read_bytes():
                tmp.unlink(missing_ok=True)
                self.members.append(_Member(path, None, shown, None, after))
                return False
        except Exception as exc:
            failure = os_error(exc)
            if failure is None:
                quietly(lambda: tmp.unlink(missing_ok=True))
                raise
        except BaseException:
            quietly(lambda: tmp.unlink(missing_ok=True))
            raise
        if failure is not None:  # outside the handler: the half-written zip dies here, quietly
            error, held = cannot_write(failure, path.parent), [failure]
            failure = None
            quietly(lambda: (held.clear(), tmp.unlink(missing_ok=True)))
            raise error
        self.members.append(_Member(path, tmp, shown, before, after))
        return True

    def rendered(self, path: Path) -> Path | None:
        """The bytes ``path`` will hold once committed: its temporary file, or the file itself when unchanged."""
        for member in self.members:
            if member.path == path:
                return member.tmp or path
        return None

    def commit(self) -> None:
        """Move every rendered member into place (files open in an office program are refused first)."""
        try:
            for member in self.members:
                if member.tmp is not None:
                    check_not_open(member.path, member.shown)
            for action in self.first:
                action()
            moved: list[_Member] = []
            try:
                for member in self.members:
                    if member.tmp is not None:
                        if member.before:
                            member.before()
                        member.old = keep_old(member.path)
                        os.replace(member.tmp, member.path)
                        member.tmp = None
                        moved.append(member)
            except OSError as exc:
                _put_back(moved)
                raise cannot_write(exc, member.path.parent) from None
            for member in self.members:
                if member.old is not None:
                    member.old.unlink(missing_ok=True)
                    member.old = None  # gone: nothing left for discard() to clear up
                if member.after:
                    member.after()
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary files of members not moved into place."""
        for member in self.members:
            for path in (member.tmp, member.old):
                if path is not None:
                    quietly(lambda p=path: p.unlink(missing_ok=True))
        self.members.clear()
        self.first.clear()


@contextmanager
def staged(family: Family | None = None) -> Iterator[Family]:
    """A family of outputs committed when the block ends without error, discarded otherwise.

    Inside an outer family (``family`` given) the members join it and the outer block commits."""
    if family is not None:
        yield family
        return
    family = Family()
    try:
        yield family
    except BaseException:
        family.discard()
        raise
    family.commit()


def write_atomic(path: Path, write: Callable[[Path], None], shown: str | None = None) -> bool:
    """Call ``write`` on a temporary file beside ``path``, then rename it over ``path``.

    Returns False, leaving ``path`` untouched, when the new bytes equal the existing file's.
    """
    family = Family()
    try:
        changed = family.stage(path, write, shown)
    except BaseException:
        family.discard()
        raise
    family.commit()
    return changed


def _put_back(moved: list[_Member]) -> None:
    for member in reversed(moved):
        if member.old is not None:
            quietly(lambda m=member: os.replace(m.old, m.path))
            member.old = None


