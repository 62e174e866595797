"""Plain data straight from libyaml's events, for the documents that need nothing of the composer.

A plan is mappings, lists and untagged scalars, now and then with anchors and aliases. Building its data
from the C parser's events, without composing a node (and two marks) for each and walking them after,
reads a 10,000-task master plan in about a third of the time. An alias gives a copy of its anchor's data
of its own, as the walk does. Anything this reader does not handle itself makes it give the document
back (:data:`COMPOSE`) to loading.py's composer and walk, which then says exactly what they always said:
a tag, a ``%YAML`` or ``%TAG`` directive, an anchor declared twice, an alias of an anchor not yet
closed or used as a key, a key that is not a text (a number, a list, ``<<``), a key repeated, a value
that does not read or is not of a plain kind, nesting near the limit, more nodes than allowed, more than
one document, and every syntax error. So a document read here gives the same data as the composer's
path would, and every problem is reported by that path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

COMPOSE = object()  # "compose this document": what :func:`plain_data` returns for what it leaves to the composer
_STR = "tag:yaml.org,2002:str"
# the tags of YAML 1.2's implicit scalars that are data (the composer's walk refuses any other)
_SCALARS = {"tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
            "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp"}


class Unreadable(Exception):
    """A scalar the safe constructor cannot make a plain value of; ``args``: (message, found)."""


def scalar_value(constructor: Any, node: Any) -> Any:
    """A scalar node's plain value by ruamel's safe constructor: a date for a timestamp at midnight, the text
    as written for a date that does not exist ("2025-02-30": the schema's date type says why it is wrong)."""
    from ruamel.yaml.constructor import ConstructorError

    try:
        value = constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError, IndexError, KeyError, ConstructorError) as exc:  # ("!!int", "!!bool x")
        if node.tag == "tag:yaml.org,2002:timestamp" and isinstance(exc, ValueError):
            return str(node.value)
        raise Unreadable("giá trị không đọc được", f"\"{str(node.value)[:40]}\"") from None
    if isinstance(value, bool) or value is None or isinstance(value, int | float | str):
        return value
    if isinstance(value, dt.datetime):
        return value if (value.hour, value.minute, value.second) != (0, 0, 0) else value.date()
    if isinstance(value, dt.date):
        return value
    raise Unreadable("giá trị không hỗ trợ (chỉ dùng văn bản, số, ngày, danh sách, mục)", f"\"{node.value}\"")


def plain_data(text: str, yaml: Any, max_depth: int, max_nodes: int) -> Any:
    """The document's plain data, or :data:`COMPOSE` when the composer's path must read it (see the module's note).
    ``yaml`` is the ``YAML(typ="safe")`` object whose resolver and constructor the composer's path uses."""
    try:
        from _ruamel_yaml import CParser
    except ImportError:  # no libyaml: ruamel's pure parser, through the composer
        return COMPOSE
    from ruamel.yaml.error import YAMLError

    try:
        return _built(CParser(text), yaml, max_depth, max_nodes)
    except (_GiveBack, Unreadable, YAMLError):
        return COMPOSE


class _GiveBack(Exception):
    pass


def _built(parser: Any, yaml: Any, max_depth: int, max_nodes: int) -> Any:
    from ruamel.yaml import events
    from ruamel.yaml.nodes import ScalarNode

    scalar_event, alias_event = events.ScalarEvent, events.AliasEvent
    mapping_start, sequence_start = events.MappingStartEvent, events.SequenceStartEvent
    ends = (events.MappingEndEvent, events.SequenceEndEvent)
    resolver, constructor = yaml.resolver, yaml.constructor
    starts = resolver.implicit_starts()  # first characters of YAML 1.2's implicit types (None: resolve every scalar)
    get = parser.get_event
    get()  # the stream's start
    document = get()
    if type(document) is not events.DocumentStartEvent or document.version or document.tags:
        raise _GiveBack
    # the open containers above the current one: (container, "is a mapping", its anchor's bookkeeping or None)
    stack: list[tuple[Any, bool, Any]] = []
    current: Any = None  # the open mapping or list (None: at the root)
    in_mapping, key = False, None  # in a mapping: the key read, waiting for its value (None: a key comes next)
    root: Any = None
    anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (its value, its nodes, how deep it goes); open: absent
    opened: set[str] = set()
    nodes = deepest = 0
    constructed = constructor.constructed_objects
    try:
        while True:
            event = get()
            kind = type(event)
            nodes += 1
            if kind is scalar_event:
                if event.tag is not None:
                    raise _GiveBack
                value = event.value
                if event.implicit[0] and (starts is None or not value or value[0] in starts):
                    tag = str(resolver.resolve(ScalarNode, value, event.implicit))
                    if tag != _STR:
                        if tag not in _SCALARS or (in_mapping and key is None):  # a key must be a text
                            raise _GiveBack
                        value = scalar_value(constructor, ScalarNode(tag, value, event.start_mark, event.end_mark,
                                                                     style=event.style))
                if event.anchor is not None:
                    _anchor(event.anchor, opened)
                    anchors[event.anchor] = (value, 1, 0)
                if in_mapping and key is None:
                    if value in current:
                        raise _GiveBack
                    key = value
                    continue
            elif kind is mapping_start or kind is sequence_start:
                if event.tag is not None or (in_mapping and key is None):
                    raise _GiveBack
                value = {} if kind is mapping_start else []
            elif kind in ends:
                done = current
                current, in_mapping, mark = stack.pop()
                if mark is not None:  # an anchored container: what an alias to it stands for
                    name, first, before, depth = mark
                    anchors[name] = (done, nodes - first, deepest - depth)
                    deepest = max(deepest, before)
                continue
            elif kind is alias_event and event.anchor in anchors and not (in_mapping and key is None):
                value, count, depth = anchors[event.anchor]
                nodes += count
                if len(stack) + depth >= max_depth or nodes > max_nodes:  # (before copying a thousand laughs)
                    raise _GiveBack
                deepest = max(deepest, len(stack) + depth)
                value = _copy(value)  # a copy of its own at each place, as the walk makes
            elif kind is events.DocumentEndEvent and current is None and not stack:
                break
            else:  # an alias of an anchor not (yet) closed, or an alias as a key
                raise _GiveBack
            if nodes > max_nodes:
                raise _GiveBack
            if in_mapping:
                current[key], key = value, None
            elif current is not None:
                current.append(value)
            else:
                root = value
            if kind is mapping_start or kind is sequence_start:  # its items come next
                mark = None
                if event.anchor is not None:
                    _anchor(event.anchor, opened)
                    mark, deepest = (event.anchor, nodes, deepest, len(stack)), len(stack)
                stack.append((current, in_mapping, mark))
                if len(stack) >= max_depth:  # its items would stand deeper than the walk allows
                    raise _GiveBack
                if len(stack) > deepest:
                    deepest = len(stack)
                current, in_mapping = value, kind is mapping_start
    finally:
        constructed.clear()
    if type(get()) is not events.StreamEndEvent or nodes > max_nodes:  # a second document; too many nodes
        raise _GiveBack
    return root


def _anchor(name: str, opened: set[str]) -> None:
    if name in opened:  # an anchor declared twice: the composer's message
        raise _GiveBack
    opened.add(name)


def _copy(value: Any) -> Any:
    if type(value) is dict:
        return {k: _copy(v) for k, v in value.items()}
    if type(value) is list:
        return [_copy(v) for v in value]
    return value
