"""Temporary files and the system's refusals: what :mod:`output` writes through.

A temporary file is named ``.~kehoach.<name>.<pid>.<random>.tmp`` (``….old`` for a replaced file kept
until its family is in place), beside its output, and created with the permissions of a normal
file (the umask applies; a replaced file's own mode is kept). A process killed half-way leaves
them behind: :func:`sweep` (run by every command that takes the workspace lock) and every later
write of the same file remove those of processes no longer running, and those of earlier versions
(``.<name>.<random>.tmp``). A refusal of the system (disk full, read-only folder, no permission)
becomes :func:`cannot_write`: a message naming the folder and what to do (exit 3), never a traceback;
:func:`probe` checks before anything is replaced that a folder takes new files, with room to spare.
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
from pathlib import Path

from .errors import OutputError, os_reason

TEMP_PREFIX = ".~kehoach."
_TEMP = re.compile(r"^\.~kehoach\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.(tmp|old)$")
_LEGACY_TEMP = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile.mkstemp names of versions before 2026-12

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


def keep_mode(tmp: Path, path: Path) -> None:
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


def keep_old(path: Path) -> Path | None:
    """A hard link to the file about to be replaced, to put it back if the family cannot be completed."""
    if not path.is_file():
        return None
    old = path.with_name(f"{TEMP_PREFIX}{path.name}.{os.getpid()}.{secrets.token_hex(4)}.old")
    try:
        os.link(path, old)
    except OSError:  # a file system without hard links (FAT, some network shares): no putting back
        return None
    return old


def os_error(exc: BaseException | None, depth: int = 0) -> OSError | None:
    """The refusal of the system behind ``exc`` (a writer library may wrap it: xlsxwriter's FileCreateError)."""
    if exc is None or depth > 5:
        return None
    if isinstance(exc, OSError):
        return exc
    if exc.args and isinstance(exc.args[0], OSError):
        return exc.args[0]
    return os_error(exc.__cause__ or exc.__context__, depth + 1)


def cache_dir() -> Path:
    """The user's cache folder of kehoach (warm converters' profiles, parsed YAML): never the workspace's."""
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData/Local")) / "kehoach"
    if sys.platform == "darwin":
        return Path.home() / "Library/Caches/kehoach"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kehoach"


def quietly(action: Callable[[], object]) -> None:
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
    """Whether process ``pid`` is running (a zombie is not)."""
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return _alive_on_windows(pid)
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


def _alive_on_windows(pid: int) -> bool:
    """On Windows ``os.kill(pid, 0)`` does not probe: it ends the process (TerminateProcess). Ask the system."""
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.GetLastError() == 5  # type: ignore[attr-defined]  # ERROR_ACCESS_DENIED: it exists, another user's
    try:
        code = ctypes.c_ulong()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


alive = _alive  # for the scratch folders and the warm PDF converters of other modules (build.pdf, build.pdf_pool)


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
