"""Write what ``kehoach import`` found as YAML a clerk can read: comments saying where each task came from.

Short lists of codes (lead, coordinate, groups) and the date are written in flow style as `kehoach new`
writes them; every task gets a comment above it when it is new or matched the master inexactly
("khớp 87% nhiệm vụ tỉnh …: <master text>"). The text is checked by parsing it back before it is written.
"""

from __future__ import annotations

from typing import Any

from .yaml_comments import dump_text

_FLOW = {"lead", "coordinate", "groups", "date", "quarters"}


def to_yaml(data: dict[str, Any], heading: str, comments: dict[int, str] | None = None,
            key: str = "tasks") -> str:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    def node(value: Any, name: str | None = None) -> Any:
        if isinstance(value, dict):
            out = CommentedMap((k, node(v, k)) for k, v in value.items())
            if name in _FLOW and all(not isinstance(v, dict | list) for v in value.values()):
                out.fa.set_flow_style()
            return out
        if isinstance(value, list | tuple):
            seq = CommentedSeq(node(v) for v in value)
            if name in _FLOW and all(isinstance(v, str | int) for v in value):
                seq.fa.set_flow_style()
            return seq
        return value

    doc = node(data)
    items = doc.get(key)
    for index, text in sorted((comments or {}).items()):
        if text and items is not None and index < len(items):
            items.yaml_set_comment_before_after_key(index, before=text, indent=2)
    doc.yaml_set_start_comment(heading)
    return dump_text(doc)


def differences(old: str, new: str, old_name: str, new_name: str, limit: int = 60) -> list[str]:
    """The lines that differ between the existing file and the import (unified diff, comments left out)."""
    import difflib

    def strip(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    out = list(difflib.unified_diff(strip(old), strip(new), old_name, new_name, lineterm="", n=0))
    return out[:limit] + ([f"… và {len(out) - limit} dòng khác"] if len(out) > limit else [])
