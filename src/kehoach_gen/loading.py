"""Read YAML specs as untrusted text, keeping the line of every key and list item.

The result is plain Python data (dict, list, str, int, float, bool, date, None) plus a map
from each value's path to its 1-based line, so that later stages can say
``plan_specs/soc-trang/STP/2025.yaml:42: tasks.cong-bo.quy-trinh.lead: …``. Any YAML tag
that would construct an object, duplicate keys, binary junk and oversized files are refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, Problem

MAX_SPEC_BYTES = 2_000_000
_PLAIN_TAGS = {None, "", "?", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
               "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
               "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """One YAML document: its data and where each value stands in the file."""

    file: Path
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        for cut in range(len(path), -1, -1):
            if (line := self.lines.get(path[:cut])) is not None:
                return line
        return None


def display_path(path: Path, root: Path | None = None) -> str:
    """A path as the user should see it: relative to the workspace when possible."""
    try:
        return str(path.relative_to(root)) if root else str(path)
    except ValueError:
        return str(path)


def load_yaml(path: Path, shown: str | None = None) -> Loaded:
    """Parse one YAML file; raise :class:`InputError` with its place for anything malformed."""
    shown = shown or str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError.single("không tìm thấy tệp", file=shown) from None
    except OSError as exc:
        raise InputError.single(f"không đọc được tệp: {exc.strerror}", file=shown) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise InputError.single("tệp quá lớn", file=shown,
                                expected=f"tối đa {MAX_SPEC_BYTES:,} byte".replace(",", "."),
                                found=f"{len(raw):,} byte".replace(",", "."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single("tệp không phải văn bản UTF-8 (có thể là tệp nhị phân)",
                                file=shown, line=line, expected="văn bản YAML mã hóa UTF-8",
                                found=f"byte 0x{raw[exc.start]:02X}") from None
    if not text.strip():
        raise InputError.single("tệp rỗng", file=shown, expected="nội dung YAML")
    return _parse(text, path, shown)


def _parse(text: str, path: Path, shown: str) -> Loaded:
    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import DuplicateKeyError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        tree = yaml.load(text)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError.single("khóa bị lặp lại trong cùng một mục", file=shown, line=line,
                                found=_problem_text(exc)) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        raise InputError.single("lỗi cú pháp YAML", file=shown, line=mark.line + 1 if mark else None,
                                found=_problem_text(exc),
                                hint="Kiểm tra thụt lề (dùng dấu cách, không dùng Tab) và dấu \":\" sau mỗi khóa.") from None
    except YAMLError as exc:
        raise InputError.single("lỗi cú pháp YAML", file=shown, found=str(exc).splitlines()[0]) from None
    loaded = Loaded(file=path, data=None)
    problems: list[Problem] = []
    loaded.data = _plain(tree, (), loaded, problems, shown)
    if problems:
        raise InputError(problems)
    return loaded


def _problem_text(exc: Any) -> str:
    return str(getattr(exc, "problem", None) or exc).strip()


def _tag_of(node: Any) -> str | None:
    tag = getattr(node, "tag", None)
    value = getattr(tag, "value", tag)
    return value if isinstance(value, str) else None


def _plain(node: Any, path: Path_, loaded: Loaded, problems: list[Problem], shown: str) -> Any:
    """Convert ruamel's round-trip nodes to plain data, recording lines and refusing tags."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar

    tag = _tag_of(node)
    if isinstance(node, TaggedScalar) or tag not in _PLAIN_TAGS:
        problems.append(Problem("thẻ YAML không được phép (dữ liệu chỉ gồm văn bản, số, ngày, danh sách, mục)",
                                file=shown, line=loaded.line_of(path), field=_dotted(path) or None,
                                found=str(tag)))
        return None
    if isinstance(node, CommentedMap):
        out: dict[str, Any] = {}
        for key, value in node.items():
            line = node.lc.key(key)[0] + 1
            if not isinstance(key, str):
                problems.append(Problem("tên khóa phải là chữ", file=shown, line=line, found=repr(key)))
                continue
            loaded.lines[(*path, key)] = line
            out[key] = _plain(value, (*path, key), loaded, problems, shown)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            loaded.lines[(*path, index)] = node.lc.item(index)[0] + 1
            items.append(_plain(value, (*path, index), loaded, problems, shown))
        return items
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, dt.datetime):
        return node if (node.hour, node.minute, node.second) != (0, 0, 0) else node.date()
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    problems.append(Problem("giá trị không hỗ trợ", file=shown, line=loaded.line_of(path),
                            field=_dotted(path) or None, found=type(node).__name__))
    return None


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
