"""The one error family of kehoach_gen.

Every problem a user can fix is a :class:`Problem` (place, field, message, expected, found),
and every failure the user must see is a :class:`KehoachError` carrying one or more problems.
Only the CLI (``cli.common.fail``) turns these into printed messages and exit statuses; library code
raises them.
Messages are Vietnamese because office staff read them; code and comments stay English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    message: str
    file: Path | str | None = None
    line: int | None = None
    field: str | None = None
    expected: str | None = None
    found: str | None = None

    def render(self) -> str:
        """``file:line: field: message (cần …, gặp …)`` with absent parts left out."""
        place = ""
        if self.file is not None:
            place = str(self.file)
            if self.line is not None:
                place += f":{self.line}"
            place += ": "
        head = f"{self.field}: " if self.field else ""
        detail = []
        if self.expected is not None:
            detail.append(f"cần {self.expected}")
        if self.found is not None:
            detail.append(f"gặp {self.found}")
        tail = f" ({', '.join(detail)})" if detail else ""
        return f"{place}{head}{self.message}{tail}"


@dataclass
class KehoachError(Exception):
    """A failure caused by input or environment, explained to the user in Vietnamese."""

    problems: list[Problem] = field(default_factory=list)
    hint: str | None = None
    exit_code: int = 2

    def __post_init__(self) -> None:
        super().__init__(self.render())

    @classmethod
    def single(cls, message: str, *, hint: str | None = None, exit_code: int = 2, **where: object) -> KehoachError:
        return cls([Problem(message, **where)], hint=hint, exit_code=exit_code)  # type: ignore[arg-type]

    def __reduce__(self) -> tuple[type, tuple[list[Problem], str | None, int]]:
        """Picklable (a parallel build sends errors from its worker processes)."""
        return type(self), (self.problems, self.hint, self.exit_code)

    def render(self) -> str:
        lines = [p.render() for p in self.problems]
        if self.hint:
            lines.append(self.hint)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()


class InputError(KehoachError):
    """Specs, registry or master plan are wrong (exit status 2)."""


class OutputError(KehoachError):
    """An output cannot be written, or a converter is missing (exit status 3)."""


_REASONS = {  # errno name -> Vietnamese; what an office user can act on
    "EACCES": "không có quyền ghi", "EPERM": "không được phép (không có quyền, hoặc tệp đang được dùng)",
    "ENOSPC": "ổ đĩa đã đầy", "EROFS": "ổ đĩa chỉ đọc", "ENOTDIR": "một phần của đường dẫn là tệp, không phải thư mục",
    "EISDIR": "đây là thư mục, không phải tệp", "ENOENT": "không tìm thấy", "EEXIST": "đã có",
    "ENAMETOOLONG": "tên tệp quá dài", "EBUSY": "tệp đang được dùng", "EDQUOT": "đã hết hạn mức dung lượng",
}


def os_reason(exc: OSError) -> str:
    """Vietnamese for why the system refused a file operation."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _REASONS.get(name, "lỗi hệ thống tệp" + (f" {name}" if name else ""))


def broken(exc: BaseException) -> str:
    """Vietnamese for why a stored file could not be read (never an exception class name)."""
    import json

    if isinstance(exc, json.JSONDecodeError):
        return f"nội dung JSON hỏng ở dòng {exc.lineno}"
    if isinstance(exc, UnicodeDecodeError):
        return "không phải văn bản UTF-8"
    if isinstance(exc, OSError):
        return os_reason(exc)
    return "nội dung không đúng mẫu"
