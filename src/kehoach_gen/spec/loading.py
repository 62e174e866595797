"""Read YAML specs as untrusted text, keeping the line of every key and list item.

The result is plain Python data (dict, list, str, int, float, bool, date, None) plus a map
from each value's path to its 1-based line, so that later stages can say
``plan_specs/soc-trang/STP/2025.yaml:42: tasks.cong-bo.quy-trinh.lead: …``. Any YAML tag
that would construct an object, duplicate keys, binary junk and oversized files are refused.
"""

from __future__ import annotations

import codecs
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem, os_reason
from . import yaml_cache, yaml_events, yaml_resolver
from .syntax import HINT as SYNTAX_HINT
from .syntax import yaml_problem

# what the parse cache's key holds of the loader
_SOURCE = (Path(__file__), Path(yaml_events.__file__), Path(yaml_resolver.__file__))
MAX_SPEC_BYTES = 6_000_000  # README "Giới hạn kích thước": a 10,000-task master is ~4.1 MB
_PLAIN_TAGS = {None, "", "?", "!", "tag:yaml.org,2002:str", "tag:yaml.org,2002:int",
               "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool", "tag:yaml.org,2002:null",
               "tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}

Path_ = tuple[str | int, ...]


class Loaded:
    """One YAML document: its data and where each value stands in the file.

    The line map of a parsed file is worked out the first time it is asked for, from the file's text
    kept until then: only a message about a problem needs it (82,000 entries for a 10,000-task master)."""

    def __init__(self, file: Path, data: Any, lines: dict[Path_, int] | None = None) -> None:
        self.file, self.data = file, data
        self._lines: dict[Path_, int] | None = {} if lines is None else lines
        self._later: tuple[bytes, str] | None = None  # (UTF-8 text, shown name) to map the lines from

    def map_later(self, text: bytes, shown: str) -> Loaded:
        """Keep the file's UTF-8 text to map the lines from when they are first asked for."""
        self._lines, self._later = None, (text, shown)
        return self

    @property
    def lines(self) -> dict[Path_, int]:
        if self._lines is None:
            text, shown = self._later or (b"", "")
            mapped = Loaded(self.file, None)
            _walked(_compose(text.decode("utf-8"), shown), mapped, shown, record=True)
            self._lines, self._later = mapped.lines, None
        return self._lines

    def line_of(self, path: Path_) -> int | None:
        """The line of ``path`` or of its nearest ancestor that has one."""
        lines = self.lines
        for cut in range(len(path), -1, -1):
            if (line := lines.get(path[:cut])) is not None:
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
        raise InputError.single(f"không đọc được tệp ({os_reason(exc)})", file=shown) from None
    if len(raw) > MAX_SPEC_BYTES:
        raise InputError.single("tệp quá lớn", file=shown,
                                expected=f"tối đa {MAX_SPEC_BYTES:,} byte".replace(",", "."),
                                found=f"{len(raw):,} byte".replace(",", "."))
    entry = yaml_cache.key(raw, _SOURCE) if len(raw) >= yaml_cache.MIN_BYTES else None
    if entry and (data := yaml_cache.load(entry)) is not yaml_cache.MISSING:  # these bytes parsed before, no problem
        return Loaded(file=path, data=data).map_later(raw.removeprefix(codecs.BOM_UTF8), shown)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError.single("tệp không phải văn bản UTF-8 (có thể là tệp nhị phân)",
                                file=shown, line=line, expected="văn bản YAML mã hóa UTF-8",
                                found=f"byte 0x{raw[exc.start]:02X}") from None
    if not text.strip():
        raise InputError.single("tệp rỗng", file=shown, expected="nội dung YAML")
    loaded = _parse(text, path, shown)
    if entry:
        yaml_cache.keep(entry, loaded.data)
    return loaded


def load_yaml_text(text: str, path: Path, shown: str) -> Loaded:
    """Parse YAML text not yet written to ``path`` (a spec about to be updated) with the same checks."""
    return _parse(text, path, shown)


def _parse(text: str, path: Path, shown: str) -> Loaded:
    """Plain data from libyaml's events (yaml_events.py) or, for what that leaves to it, from composed nodes.

    Composing, not loading, keeps each node's line without ruamel's slower round-trip mode;
    scalars are constructed by ruamel's safe constructor, YAML 1.2 (``no`` stays a text).
    The lines are mapped only for a file with problems (their messages), else when first asked for.
    """
    if (data := yaml_events.plain_data(text, _yaml(), MAX_DEPTH, MAX_NODES)) is not yaml_events.COMPOSE:
        return Loaded(file=path, data=data).map_later(text.encode("utf-8"), shown)
    tree = _compose(text, shown)
    loaded = Loaded(file=path, data=None)
    if not _walked(tree, loaded, shown, record=False):
        return loaded.map_later(text.encode("utf-8"), shown)
    raise InputError(_walked(tree, Loaded(path, None), shown, record=True))  # the same problems, with their lines


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    yaml.Resolver = yaml_resolver.resolver()
    return yaml


def _compose(text: str, shown: str) -> Any:
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    yaml = _yaml()
    try:
        tree = yaml.compose(text)
    except (MarkedYAMLError, YAMLError) as exc:
        raise InputError([yaml_problem(exc, shown, text)], hint=SYNTAX_HINT) from None
    if tree is None:
        raise InputError.single("tệp rỗng (chỉ có dòng ghi chú)", file=shown, expected="nội dung YAML")
    return tree, yaml


def _walked(composed: Any, loaded: Loaded, shown: str, record: bool) -> list[Problem]:
    """Fill ``loaded`` (its data; its line map when ``record``) from the composed nodes; the problems found."""
    tree, yaml = composed
    walk = _Walk(loaded, shown, yaml.constructor, record)
    try:
        loaded.data = walk.plain(tree, ())
    except _TooBig as exc:
        if exc.args:  # too deep: the line where it went past the limit
            raise InputError.single("các mục lồng nhau quá sâu", file=shown, line=exc.args[0] + 1,
                                    expected=f"tối đa {MAX_DEPTH} mức", found=f"hơn {MAX_DEPTH} mức") from None
        raise InputError.single("tệp có quá nhiều mục (có thể do bí danh YAML * lặp lại)",
                                file=shown, expected=f"tối đa {_thousands(MAX_NODES)} mục",
                                found=f"hơn {_thousands(MAX_NODES)} mục") from None
    finally:  # the constructor keeps every node, inside the YAML object's reference cycles: free them now
        yaml.constructor.constructed_objects.clear()
        yaml.constructor.recursive_objects.clear()  # (a node whose construction failed stays there, read as None)
    return walk.problems


MAX_NODES = 500_000  # an alias repeated inside aliases expands exponentially: stop it early
MAX_DEPTH = 64
_MERGE = "tag:yaml.org,2002:merge"
_STR, _MAP, _SEQ = "tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
_YAML_TAG = "tag:yaml.org,2002:"
_ANY = {None, "", "?", "!"}  # no tag of a kind


class _TooBig(Exception):
    pass


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", ".")


class _Walk:
    """Plain data from composed YAML nodes, recording the line of every key and item, refusing tags."""

    def __init__(self, loaded: Loaded, shown: str, constructor: Any, record: bool = True) -> None:
        from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

        self.loaded, self.shown, self.constructor, self.record = loaded, shown, constructor, record
        self.problems: list[Problem] = []
        self.count = 0
        self.kinds = MappingNode, ScalarNode, SequenceNode
        self.tags: dict[int, tuple[Any, str | None]] = {}  # id of a node's tag object -> (that object, its text)

    def tag(self, node: Any) -> str | None:
        """``node.tag`` (a property building its text each time), once per tag object: most nodes share one."""
        ctag = node.ctag
        if (known := self.tags.get(id(ctag))) is not None and known[0] is ctag:
            return known[1]
        text = node.tag
        self.tags[id(ctag)] = (ctag, text)
        return text

    def plain(self, node: Any, path: Path_) -> Any:
        self.count += 1
        if len(path) > MAX_DEPTH:
            raise _TooBig(node.start_mark.line)
        if self.count > MAX_NODES:
            raise _TooBig
        tag = self.tag(node)
        mapping, scalar, sequence = self.kinds
        if tag == _STR and type(node) is scalar:  # what the safe constructor returns for a text, without its dispatch
            return node.value
        if tag not in _PLAIN_TAGS:
            self._problem("thẻ YAML không được phép (dữ liệu chỉ gồm văn bản, số, ngày, danh sách, mục)", path,
                          found=_written(tag))
            return None
        own = _MAP if isinstance(node, mapping) else _SEQ if isinstance(node, sequence) else None  # a scalar: None
        if tag not in _ANY and (tag != own if own else tag in (_MAP, _SEQ)):  # "!!str {a: 1}", "!!int [1]", "!!map x"
            self._problem("thẻ YAML không khớp với loại giá trị (!!map cho mục, !!seq cho danh sách, thẻ khác cho "
                          "một giá trị)", path, found=_written(tag))
            return None
        if isinstance(node, mapping):
            return self._mapping(node, path)
        if isinstance(node, sequence):
            items = []
            lines = self.loaded.lines if self.record else None
            for index, item in enumerate(node.value):
                here = (*path, index)
                if lines is not None:
                    lines[here] = item.start_mark.line + 1
                items.append(self.plain(item, here))
            return items
        return self._scalar(node, path)

    def _mapping(self, node: Any, path: Path_) -> dict[str, Any]:
        _, scalar, sequence = self.kinds
        out: dict[str, Any] = {}
        pairs = [(self.tag(key), key, value) for key, value in node.value]
        for source in (value for tag, _, value in pairs if tag == _MERGE):  # "<<: *anchor" first:
            for mapping in source.value if isinstance(source, sequence) else [source]:  # keys written here win
                merged = self.plain(mapping, path)
                out.update(merged if isinstance(merged, dict) else {})
        first: dict[str, int] = {}
        lines = self.loaded.lines if self.record else None
        for tag, key_node, value_node in pairs:
            line = key_node.start_mark.line + 1
            if tag == _MERGE:
                continue
            if tag not in _PLAIN_TAGS:
                self.problems.append(Problem("thẻ YAML không được phép ở tên khóa", file=self.shown, line=line,
                                             found=_written(tag)))
                continue
            if tag == _STR and isinstance(key_node, scalar):  # a text key, as the safe constructor gives it
                key = key_node.value
            else:
                key = self._scalar(key_node, path) if isinstance(key_node, scalar) else None
            if not isinstance(key, str):
                found = repr(key) if isinstance(key_node, scalar) else "danh sách hoặc mục"
                self.problems.append(Problem("tên khóa phải là chữ", file=self.shown, line=line, found=found))
                continue
            if key in first:
                self.problems.append(Problem(f"khóa bị lặp lại trong cùng một mục (đã có ở dòng {first[key]})",
                                             file=self.shown, line=line, field=_dotted((*path, key))))
                continue
            first[key] = line
            here = (*path, key)
            if lines is not None:
                lines[here] = line
            out[key] = self.plain(value_node, here)
        return out

    def _scalar(self, node: Any, path: Path_) -> Any:
        try:
            return yaml_events.scalar_value(self.constructor, node)
        except yaml_events.Unreadable as exc:
            self._problem(exc.args[0], path, found=exc.args[1])
            return None

    def _problem(self, message: str, path: Path_, found: str) -> None:
        self.problems.append(Problem(message, file=self.shown, line=self.loaded.line_of(path),
                                     field=_dotted(path) or None, found=found))


def _written(tag: str | None) -> str:
    """A tag as it is written in YAML: ``!!int`` for ``tag:yaml.org,2002:int``."""
    text = str(tag)
    return "!!" + text[len(_YAML_TAG):] if text.startswith(_YAML_TAG) else text


def _dotted(path: Path_) -> str:
    return ".".join(str(p) for p in path)
