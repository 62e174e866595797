"""Writing outputs: every file appears whole or not at all, and a family of files all together or none.

Each output is rendered into a temporary file beside its place, then renamed over it. A
:class:`Family` (a plan's document, its trackers, its PDF) renders every member first and moves
them into place only when all rendered: an error in any member leaves every file as it was.
A file open in Word, Excel or LibreOffice (their lock file ``~$…`` or ``.~lock.…#`` lies beside
it) is never replaced: that is an :class:`OutputError` (exit 3) naming the file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, os_reason


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


@dataclass
class Family:
    """Outputs rendered first, moved into place together (see the module docstring)."""

    members: list[_Member] = field(default_factory=list)
    first: list[Callable[[], None]] = field(default_factory=list)  # run at commit before any file is replaced

    def before_all(self, action: Callable[[], None]) -> None:
        """Run ``action`` at commit, after every check and before the first file is moved into place."""
        self.first.append(action)

    def stage(self, path: Path, write: Callable[[Path], None], shown: str | None = None, *,
              before: Callable[[], None] | None = None, after: Callable[[], None] | None = None) -> bool:
        """Render ``path`` into a temporary file; False when its bytes equal the existing file's.

        ``before`` runs at commit just before the file is replaced (a backup), ``after`` once it is in place."""
        shown = shown or str(path)
        check_not_open(path, shown)
        tmp = _temp_beside(path, shown)
        try:
            write(tmp)
            if path.is_file() and path.stat().st_size == tmp.stat().st_size and path.read_bytes() == tmp.read_bytes():
                tmp.unlink(missing_ok=True)
                self.members.append(_Member(path, None, shown, None, after))
                return False
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
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
            for member in self.members:
                if member.tmp is not None:
                    if member.before:
                        member.before()
                    _replace(member.tmp, member.path, member.shown)
                    member.tmp = None
                if member.after:
                    member.after()
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary files of members not moved into place."""
        for member in self.members:
            if member.tmp is not None:
                member.tmp.unlink(missing_ok=True)
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


def _temp_beside(path: Path, shown: str) -> Path:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError.single(f"không tạo được thư mục hoặc tệp tạm ({os_reason(exc)})", file=shown, exit_code=3,
                                 hint=f"Kiểm tra quyền ghi vào thư mục {path.parent} (và ổ đĩa còn trống), "
                                      "rồi chạy lại lệnh.") from None
    return Path(tmp_name)


def _replace(tmp: Path, path: Path, shown: str) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError.single(f"không ghi được tệp ({os_reason(exc)})", file=shown, exit_code=3,
                                 hint="Đóng tệp nếu đang mở trong Word/Excel, kiểm tra quyền ghi, rồi chạy lại lệnh.") \
            from None
