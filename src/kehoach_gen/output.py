"""Writing outputs: every file appears whole or not at all, and a family of files all together or none.

Each output is rendered into a temporary file beside its place, then renamed over it. A
:class:`Family` (a plan's document, its trackers, its PDF) renders every member first and moves
them into place only when all rendered: an error in any member leaves every file as it was. A
failure while moving them (a folder that turned read-only, an immutable file) puts back the files
already moved (each replaced file is kept under a hard link until the family is in place).
A file open in Word, Excel or LibreOffice (their lock file ``~$…`` or ``.~lock.…#`` lies beside
it) is never replaced: that is an :class:`OutputError` (exit 3) naming the file.

Temporary files are named ``.~kehoach.<name>.<pid>.<random>.tmp`` (``….old`` for a kept replaced file)
and created with the permissions of a normal file (the umask; a replaced file's own mode is kept). A
process killed half-way leaves them behind: :func:`sweep` (run by every command that takes the
workspace lock) and every later write of the same file remove those of processes no longer running.
A disk that fills up or a folder that cannot be written becomes an :class:`OutputError` naming the
folder and what to do (exit 3), never a traceback.
"""

from __future__ import annotations

import errno
import os
import re
import secrets
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import OutputError, os_reason

TEMP_PREFIX = ".~kehoach."
_TEMP = re.compile(r"^\.~kehoach\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.(tmp|old)$")
_LEGACY_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp names of versions before 2026-12
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


def cannot_write(exc: OSError, folder: Path | str, *, done: str = "",
                 what: str = "không ghi được vào thư mục") -> OutputError:
    """The message for a folder the system refused to write: why, and what the office can do about it."""
    code = errno.errorcode.get(exc.errno or 0, "")
    if code in ("ENOSPC", "EDQUOT"):
        todo = f"Giải phóng dung lượng trên ổ đĩa chứa thư mục {folder} (xóa tệp không cần, dọn thùng rác) rồi chạy lại lệnh."
    elif code == "EROFS":
        todo = (f"Thư mục {folder} nằm trên ổ chỉ đọc (ổ USB khóa ghi, ổ mạng chỉ đọc): cho phép ghi hoặc chép vùng làm "
                "việc sang ổ khác, rồi chạy lại lệnh.")
    else:
        todo = f"Kiểm tra quyền ghi vào thư mục {folder} (thuộc tính chỉ đọc, quyền của người dùng), rồi chạy lại lệnh."
    kept = "Các tệp đã ghi trước đó vẫn nguyên vẹn; lần chạy sau làm tiếp phần còn lại."
    return OutputError.single(f"{what} ({os_reason(exc)}){done}", file=str(folder), exit_code=3,
                              hint=f"{todo} {kept}")


@contextmanager
def writing(folder: Path | str) -> Iterator[None]:
    """Turn a refusal of the system (disk full, read-only, no permission) into :func:`cannot_write`."""
    try:
        yield
    except OSError as exc:
        where = Path(exc.filename).parent if isinstance(exc.filename, str) else folder
        raise cannot_write(exc, where) from None


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
            _keep_mode(tmp, path)
            if path.is_file() and path.stat().st_size == tmp.stat().st_size and path.read_bytes() == tmp.read_bytes():
                tmp.unlink(missing_ok=True)
                self.members.append(_Member(path, None, shown, None, after))
                return False
        except Exception as exc:
            failure = _os_error(exc)
            if failure is None:
                _quietly(lambda: tmp.unlink(missing_ok=True))
                raise
        except BaseException:
            _quietly(lambda: tmp.unlink(missing_ok=True))
            raise
        if failure is not None:  # outside the handler: the half-written zip dies here, quietly
            error, held = cannot_write(failure, path.parent), [failure]
            failure = None
            _quietly(lambda: (held.clear(), tmp.unlink(missing_ok=True)))
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
                        member.old = _keep_old(member.path)
                        os.replace(member.tmp, member.path)
                        member.tmp = None
                        moved.append(member)
            except OSError as exc:
                _put_back(moved)
                raise cannot_write(exc, member.path.parent) from None
            for member in self.members:
                if member.old is not None:
                    member.old.unlink(missing_ok=True)
                if member.after:
                    member.after()
        finally:
            self.discard()

    def discard(self) -> None:
        """Remove the temporary files of members not moved into place."""
        for member in self.members:
            for path in (member.tmp, member.old):
                if path is not None:
                    _quietly(lambda p=path: p.unlink(missing_ok=True))
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


def temp_beside(path: Path, suffix: str = "tmp") -> Path:
    """A new empty file beside ``path`` with a recognisable name, readable as the folder's other files are."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep_folder(path.parent, path.name)
        tmp = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{secrets.token_hex(4)}.{suffix}")
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))  # the umask applies
    except OSError as exc:
        if isinstance(exc, FileExistsError):  # a file where a folder of the path should be
            exc = NotADirectoryError(errno.ENOTDIR, exc.strerror)
        raise cannot_write(exc, path.parent, what="không tạo được thư mục hoặc tệp tạm") from None
    return tmp


def _keep_mode(tmp: Path, path: Path) -> None:
    """The replaced file's permissions (else those the umask gave the new file), whatever ``write`` did."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        mode = 0o666 & ~_umask()
    os.chmod(tmp, mode)


def _umask() -> int:
    """The process's umask (read without changing it where the system allows)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _keep_old(path: Path) -> Path | None:
    """A hard link to the file about to be replaced, to put it back if the family cannot be completed."""
    if not path.is_file():
        return None
    old = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{secrets.token_hex(4)}.old")
    try:
        os.link(path, old)
    except OSError:  # a file system without hard links (FAT, some network shares): no putting back
        return None
    return old


def _put_back(moved: list[_Member]) -> None:
    for member in reversed(moved):
        if member.old is not None:
            _quietly(lambda m=member: os.replace(m.old, m.path))
            member.old = None


def _os_error(exc: BaseException | None, depth: int = 0) -> OSError | None:
    """The refusal of the system behind ``exc`` (a writer library may wrap it: xlsxwriter's FileCreateError)."""
    if exc is None or depth > 5:
        return None
    if isinstance(exc, OSError):
        return exc
    if exc.args and isinstance(exc.args[0], OSError):
        return exc.args[0]
    return _os_error(exc.__cause__ or exc.__context__, depth + 1)


def _quietly(action: Callable[[], object]) -> None:
    """Run a clean-up step whose failure must not hide the error being reported (nor print noise)."""
    import gc

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _info: None  # a half-written zip's destructor cannot finish writing
    try:
        action()
        gc.collect()
    except OSError:
        pass
    finally:
        sys.unraisablehook = hook


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    try:  # a killed process whose parent died too may linger as a zombie until the system reaps it
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] not in ("Z", "X")
    except (OSError, IndexError):
        return True


def is_temp(name: str) -> bool:
    return bool(_TEMP.match(name) or _LEGACY_TEMP.match(name))


def _stale(name: str, target: str | None = None) -> bool:
    match = _TEMP.match(name)
    if match:
        return (target is None or match["name"] == target) and not _alive(int(match["pid"]))
    return target is None and bool(_LEGACY_TEMP.match(name))


def _sweep_folder(folder: Path, target: str) -> None:
    for entry in os.scandir(folder):
        if entry.name.startswith(TEMP_PREFIX) and _stale(entry.name, target):
            Path(entry.path).unlink(missing_ok=True)


def sweep(root: Path) -> list[Path]:
    """Remove the temporary files left under ``root`` by processes no longer running; the files removed."""
    removed = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") and _stale(name):
                path = Path(folder) / name
                try:
                    path.unlink()
                    removed.append(path)
                except OSError:
                    pass  # a read-only folder: the probe that follows says so
    return removed


def probe(folder: Path, room: int = 0) -> None:
    """Check before anything is replaced that ``folder`` takes a new file (and ``room`` bytes more)."""
    import shutil

    shown = folder
    while not folder.is_dir() and folder.parent != folder:  # not made yet: the folder it will be made in
        folder = folder.parent
    try:
        tmp = temp_beside(folder / ".probe")
        try:
            with open(tmp, "wb") as out:
                out.write(b"\0" * min(room, 1 << 16))
                out.flush()
                os.fsync(out.fileno())
        finally:
            tmp.unlink(missing_ok=True)
        free = shutil.disk_usage(folder).free
    except OutputError:
        raise
    except OSError as exc:
        raise cannot_write(exc, shown) from None
    if free < room:
        raise cannot_write(OSError(errno.ENOSPC, "full"), shown,
                           done=f": còn {free / 1e6:.1f} MB, cần khoảng {room / 1e6:.1f} MB".replace(".", ","))
