"""Writing outputs: every file appears whole or not at all (temp file + rename)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from .errors import OutputError


def write_atomic(path: Path, write: Callable[[Path], None], shown: str | None = None) -> bool:
    """Call ``write`` on a temporary file beside ``path``, then rename it over ``path``.

    Returns False, leaving ``path`` untouched, when the new bytes equal the existing file's.
    """
    shown = shown or str(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
    except OSError as exc:
        raise OutputError.single(f"không tạo được thư mục/tệp tạm: {exc.strerror}", file=shown, exit_code=3) from None
    tmp = Path(tmp_name)
    try:
        write(tmp)
        if path.is_file() and path.stat().st_size == tmp.stat().st_size and path.read_bytes() == tmp.read_bytes():
            return False
        os.replace(tmp, path)
        return True
    except PermissionError:
        raise OutputError.single("không ghi được tệp (tệp đang mở trong Word/Excel hoặc không có quyền ghi)",
                                 file=shown, hint="Đóng tệp rồi chạy lại lệnh.", exit_code=3) from None
    finally:
        tmp.unlink(missing_ok=True)
