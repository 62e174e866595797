"""The trackers' canonical JSON: orjson's text for flat cells is the text json.dumps gave (the checksums of
trackers already sent depend on it), and everything orjson cannot write the same way goes to json."""

from __future__ import annotations

import datetime as dt
import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kehoach_gen.excel import digests
from kehoach_gen.excel.digests import canonical, canonical_json

_DUMPS = json.dumps  # json's own, whatever a test records


def reference(data: object) -> str:
    """What canonical_json gave before orjson: json.dumps alone."""
    return _DUMPS(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=canonical)


def every_character() -> list[str]:
    """Every Unicode scalar value (no surrogates), in runs of 4,096."""
    chars = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    return ["".join(chars[i:i + 4096]) for i in range(0, len(chars), 4096)]


def orjson_used(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Make json.dumps record what it is asked to dump, so a test can tell which path wrote the text."""
    asked: list[object] = []
    monkeypatch.setattr(digests.json, "dumps", lambda data, **kw: asked.append(data) or _DUMPS(data, **kw))
    return asked


def test_every_character_as_a_value_and_as_a_key_gives_jsons_text(monkeypatch: pytest.MonkeyPatch) -> None:
    asked = orjson_used(monkeypatch)
    for run in every_character():
        cells = {"A1": run, run: 1, "B2": run[::-1]}
        assert canonical_json(cells) == reference(cells)
    assert asked == [], "the flat cells were written by json, not orjson"


def test_keys_are_sorted_by_code_point_as_json_sorts_them() -> None:
    cells = {k: i for i, k in enumerate(["A10", "A2", "AA1", "B1", "a1", "Đ1", "Ă1", "𝐀1", "\x7f", "", "A1"])}
    assert canonical_json(cells) == reference(cells)
    assert list(json.loads(canonical_json(cells))) == sorted(cells)


cell_values = st.one_of(st.text(), st.integers(min_value=-(2**63), max_value=2**64 - 1), st.booleans(), st.none(),
                        st.dates())


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(st.text(), cell_values, max_size=30))
def test_random_flat_cells_give_jsons_text(cells: dict[str, object]) -> None:
    assert canonical_json(cells) == reference(cells)


@pytest.mark.parametrize("cells", [
    {"A1": "\ud800"},  # a lone surrogate: orjson refuses it, json writes it
    {"A1": 2**64},  # beyond 64 bits
    {"A1": -(2**63) - 1},
    {"A1": 0.1, "A2": 1e16, "A3": float("nan")},  # floats: orjson writes NaN as null
    {"A1": dt.datetime(2025, 3, 1, 8, 30, tzinfo=dt.UTC)},  # datetimes: never in locked cells
    {"A1": dt.datetime(2025, 3, 1)},
    {1: "a number as a key"},
    {"A1": ["a", "list"]},
    [{"A1": "not a mapping"}],
    "a text",
], ids=["surrogate", "2**64", "below -2**63", "floats", "aware datetime", "datetime", "int key", "list value",
        "list", "text"])
def test_what_orjson_would_write_otherwise_goes_to_json(cells: object, monkeypatch: pytest.MonkeyPatch) -> None:
    asked = orjson_used(monkeypatch)
    assert canonical_json(cells) == reference(cells)
    assert asked == [cells]


def test_a_trackers_checksum_is_unchanged(tmp_path) -> None:
    """The digest of a known set of locked cells, as every earlier release wrote it."""
    cells = {"A1": "PHIẾU THEO DÕI", "C6": "Rà soát \"thủ tục\"\n- lần 2\t\\", "A6": 1, "G6": dt.date(2025, 12, 31),
             "H6": True, "I6": None}
    text = ('{"A1":"PHIẾU THEO DÕI","A6":1,"C6":"Rà soát \\"thủ tục\\"\\n- lần 2\\t\\\\","G6":"2025-12-31",'
            '"H6":true,"I6":null}')
    assert canonical_json(cells) == text
    assert digests.digest(cells) == digests.sha256_text(text)


def test_without_orjson_the_text_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Python orjson has no build for (it is a dependency only on CPython): json writes the same text."""
    cells = {"A1": "PHIẾU THEO DÕI", "C6": "Rà soát\n- lần 2", "A6": 1, "G6": dt.date(2025, 12, 31)}
    with_orjson = canonical_json(cells)
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now raises ImportError
    asked = orjson_used(monkeypatch)
    assert canonical_json(cells) == with_orjson == reference(cells)
    assert digests.canonical_bytes(cells) == with_orjson.encode("utf-8")
    assert asked == [cells, cells]
