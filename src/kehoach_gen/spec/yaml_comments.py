"""Adding and removing YAML nodes in a ruamel.yaml round-trip document without losing a comment.

ruamel keeps a comment on the node before it (the end of a value's line and the lines after it) or as
the lines before a list item; removing that node would remove the comment. Here a removed item's
comments (and those inside it) move before the next item, or after the list; a removed key's, after the
key before it; an item or key added at the end takes over the comment lines that followed the last one.
Also the one house style in which the tool writes spec text (new, import, assign --apply).
"""

from __future__ import annotations

import io
from typing import Any


def house_yaml() -> Any:
    """ruamel.yaml round trip in the house style of specs: lines never wrapped, lists indented under their key."""
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def dump_text(doc: Any) -> str:
    buffer = io.StringIO()
    house_yaml().dump(doc, buffer)
    return buffer.getvalue()


def append_item(seq: Any, item: Any) -> None:
    """Add an item at the end; the comment lines that followed the last item follow the new one."""
    rest = _take_trailing(seq, len(seq) - 1) if len(seq) else ""
    seq.append(item)
    if rest:
        _append_after(seq, len(seq) - 1, rest)


def append_key(mapping: Any, key: str, value: Any) -> None:
    """Add a key at the end; the comment lines that followed the last value follow the new one."""
    rest = _take_trailing(mapping, list(mapping)[-1]) if len(mapping) else ""
    mapping[key] = value
    if rest:
        mapping.ca.items.setdefault(key, [None, None, None, None])
        value.ca.end = _tokens(_split(rest), 0) + list(value.ca.end or [])


def _take_trailing(container: Any, key: Any) -> str:
    """Remove and return the lines after the end of ``container[key]``'s own last line."""
    value = container[key]
    if hasattr(value, "ca") and len(value) and not value.fa.flow_style():
        return _take_trailing(value, list(value)[-1] if isinstance(value, dict) else len(value) - 1)
    slot = container.ca.items.get(key)
    pos = 2 if isinstance(container, dict) else 0
    token = slot[pos] if slot else None
    if token is None or "\n" not in token.value[:-1]:
        return ""
    cut = token.value.index("\n") + 1
    head, rest = token.value[:cut], token.value[cut:]
    if head.strip():
        token.value = head
    else:
        slot[pos] = None
    return rest


def _tokens(lines: list[tuple[str, int | None]], col: int) -> list[Any]:
    """Comment tokens, one a line, each at its own column (``col`` when it has none)."""
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    return [CommentToken(text if text.strip() else "\n", CommentMark((col if at is None else at) if text.strip() else 0),
                         None) for text, at in lines]


def _split(text: str) -> list[tuple[str, int | None]]:
    """Lines of comment text that carries its own indentation."""
    return [(line.strip() + "\n", len(line) - len(line.lstrip(" "))) if line.strip() else ("\n", 0)
            for line in text.splitlines(True)]


def delete_item(seq: Any, index: int) -> None:
    """Remove an item; its comments (and those inside it) go before the next item, or after the list."""
    seen: set[int] = set()
    lines = _lines(seq.ca.items.get(index), (0, 2), seen) + _inside(seq[index], seen)
    del seq[index]
    if not lines:
        return
    tokens = _tokens(lines, getattr(seq.lc, "col", 0) or 0)
    if index < len(seq):
        slot = seq.ca.items.setdefault(index, [None, None, None, None])
        slot[1] = tokens + list(slot[1] or [])
    else:
        seq.ca.end = tokens + list(seq.ca.end or [])


def delete_key(mapping: Any, key: str) -> None:
    """Remove a key; its comments (and those inside its value) stay after the key before it."""
    keys = list(mapping)
    seen: set[int] = set()
    lines = _lines(mapping.ca.items.get(key), (0, 2), seen) + _inside(mapping[key], seen)
    del mapping[key]
    mapping.ca.items.pop(key, None)
    position = keys.index(key)
    if lines and position > 0:
        col = getattr(mapping.lc, "col", 0) or 0
        _append_after(mapping, keys[position - 1], "".join(" " * (col if at is None else at) + text
                                                           if text.strip() else text for text, at in lines))


def _append_after(container: Any, key: Any, text: str) -> None:
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    value = container[key]
    if hasattr(value, "ca") and len(value) and not value.fa.flow_style():
        if value.ca.end:  # comments already follow the list: these come after them
            value.ca.end = list(value.ca.end) + _tokens(_split(text), 0)
            return
        last = list(value)[-1] if isinstance(value, dict) else len(value) - 1
        _append_after(value, last, text)
        return
    slot = container.ca.items.setdefault(key, [None, None, None, None])
    pos = 2 if isinstance(container, dict) else 0
    if slot[pos] is not None:
        slot[pos].value += text
    else:
        slot[pos] = CommentToken("\n" + text, CommentMark(0), None)


def _inside(node: Any, seen: set[int]) -> list[tuple[str, int | None]]:
    """Every comment line within a node, in order (a token ruamel keeps in two places counted once)."""
    if not hasattr(node, "ca"):
        return []
    lines = _lines(node.ca.comment, (0,), seen)
    children = list(node) if isinstance(node, dict) else range(len(node))
    for child in children:
        lines += _lines(node.ca.items.get(child), (0, 2), seen) + _inside(node[child], seen)
    return lines + _lines(node.ca.end, (), seen)


def _lines(slot: Any, eol: tuple[int, ...], seen: set[int]) -> list[tuple[str, int | None]]:
    """Comment and blank lines of a comment slot: ("# …\\n", column or None) or ("\\n", 0)."""
    if not slot:
        return []
    out: list[tuple[str, int | None]] = []
    for position, token in enumerate(slot if isinstance(slot, list) else [slot]):
        after_value = position in eol and not isinstance(token, list)
        for tok in token if isinstance(token, list) else [token]:
            if tok is None or not hasattr(tok, "value") or id(tok) in seen:
                continue
            seen.add(id(tok))
            segments = tok.value.split("\n")[:-1] if tok.value.endswith("\n") else tok.value.split("\n")
            for n, segment in enumerate(segments):
                if n == 0 and after_value and not segment.strip():
                    continue  # the end of the value's own line
                if not segment.strip():
                    out.append(("\n", 0))
                elif n == 0:  # a token's first line stands at the token's column (a comment after a value: none)
                    out.append((segment.strip() + "\n", None if after_value else tok.column))
                else:
                    out.append((segment.strip() + "\n", len(segment) - len(segment.lstrip(" "))))
    return out
