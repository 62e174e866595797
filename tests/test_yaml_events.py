"""spec/yaml_events.py: data read from libyaml's events is the composer's data, and what it cannot read is given back.

The reference is loading.py's composer and walk (the path every document took before): for every document the
events reader accepts, both give the same values of the same types in the same key order; for every document
that the composer's path refuses or reports a problem in, the events reader gives it back, so the messages
are the composer path's own."""

from __future__ import annotations

import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kehoach_gen.errors import InputError
from kehoach_gen.spec import loading, yaml_events

ROOT = Path(__file__).resolve().parent.parent


def events(text: str) -> Any:
    return yaml_events.plain_data(text, loading._yaml(), loading.MAX_DEPTH, loading.MAX_NODES)


def composed(text: str) -> tuple[Any, list[Any]] | None:
    """The composer path's data and problems; None when it refuses the document (a syntax error, too big)."""
    loaded = loading.Loaded(Path("x.yaml"), None)
    try:
        problems = loading._walked(loading._compose(text, "x.yaml"), loaded, "x.yaml", record=False)
    except InputError:
        return None
    return loaded.data, problems


def same(a: Any, b: Any) -> bool:
    """Equal values of the same types, mapping keys in the same order (NaN equal to NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def check(text: str) -> Any:
    """The events reader agrees with the composer path on ``text``; returns what the events reader gave."""
    mine, theirs = events(text), composed(text)
    if theirs is None or theirs[1]:
        assert mine is yaml_events.COMPOSE, text
    elif mine is not yaml_events.COMPOSE:
        assert same(mine, theirs[0]), text
    return mine


@pytest.mark.parametrize("path", sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "plan_specs").rglob("*.yaml")))
def test_every_shipped_spec_reads_the_same_without_the_composer(path: str) -> None:
    text = (ROOT / path).read_text(encoding="utf-8-sig")
    got = check(text)
    assert got is not yaml_events.COMPOSE  # a spec as the tool and the README write them needs no composer


def test_a_large_master_plan_reads_the_same(tmp_path: Path) -> None:
    import subprocess
    import sys

    master = tmp_path / "plan_specs/soc-trang/master-2025.yaml"
    master.parent.mkdir(parents=True)
    master.write_bytes((ROOT / "plan_specs/soc-trang/master-2025.yaml").read_bytes())
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "make_big_master.py"), str(tmp_path), "300"],
                   check=True, capture_output=True)
    master = master.read_text(encoding="utf-8")
    assert master.count("\n") > 2000  # 300 tasks
    assert check(master) is not yaml_events.COMPOSE


SCALARS = ["no", "yes", "on", "off", "true", "False", "~", "null", "Null", "", "1", "-1", "+1", "0x1F", "0o17", "017",
           "1_000", "1e3", "1.5", ".5", "-.inf", ".NaN", "2025-01-15", "2025-02-30", "2025-1-5", "2025-01-15 08:30:00",
           "2025-01-15T08:30:00+07:00", "12:30", "1:20:30", "Sở Tư pháp", "Phòng\u00a0A", "a: b", "- x", "#1",
           "quý I/2025", "30/6", "'x'", '"x"', "x #y", "&a", "*a", "!x", "<<", "=", "?", "|", ">", "@", "`", "%"]


def test_each_tricky_scalar_reads_the_same_as_a_value_and_as_a_key() -> None:
    for scalar in SCALARS:
        for text in (f"k: {scalar}\n", f"- {scalar}\n", f"{scalar}: v\n", f"k: '{scalar}'\n", f"k: \"{scalar}\"\n",
                     f"[{scalar}]\n", f"{{k: {scalar}}}\n", f"k: |\n  {scalar}\n", f"? {scalar}\n: v\n"):
            check(text)


@pytest.mark.parametrize("text,why", [
    ("a: *x\n", "an alias never anchored"),
    ("a: &x [1, *x]\n", "an alias inside its own anchor"),
    ("a: &x 1\nb: &x 2\nc: *x\n", "an anchor declared twice"),
    ("a: &x k\n*x : v\n", "an alias as a key"),
    ("a: !!str 12\n", "a tag"),
    ("a: !!python/object:os.system x\n", "a tag that builds an object"),
    ("%YAML 1.1\n---\na: yes\n", "a YAML version directive"),
    ("%TAG !e! tag:example.com,2000:\n---\na: 1\n", "a tag directive"),
    ("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n", "a merge key"),
    ("1: one\n", "a number as key"),
    ("null: x\n", "null as key"),
    ("? [a, b]\n: v\n", "a list as key"),
    ("? {a: 1}\n: v\n", "a mapping as key"),
    ("a: 1\na: 2\n", "a key repeated"),
    ("a: 1\n---\nb: 2\n", "two documents"),
    ("a: [1, 2\n", "a syntax error"),
    ("a:\n\tb: 1\n", "a tab"),
    ("x: " + "[" * 70 + "]" * 70 + "\n", "nesting past the limit"),
    ("# only a comment\n", "no document"),
])
def test_what_needs_the_composer_is_given_back(text: str, why: str) -> None:
    assert events(text) is yaml_events.COMPOSE, why
    check(text)


@pytest.mark.parametrize("text,expected,copies", [
    ("a: &x 1\nb: *x\n", {"a": 1, "b": 1}, []),
    ("r: &r ['- Kế hoạch;', '- Báo cáo.']\nt:\n  - {id: a, results: *r}\n  - {id: b, results: *r}\n",
     {"r": ["- Kế hoạch;", "- Báo cáo."], "t": [{"id": "a", "results": ["- Kế hoạch;", "- Báo cáo."]},
                                               {"id": "b", "results": ["- Kế hoạch;", "- Báo cáo."]}]},
     [("r",), ("t", 0, "results"), ("t", 1, "results")]),
    ("a: &o {b: &i [1, {c: 2025-06-30}]}\nd: [*o, *i]\n",
     {"a": {"b": [1, {"c": dt.date(2025, 6, 30)}]},
      "d": [{"b": [1, {"c": dt.date(2025, 6, 30)}]}, [1, {"c": dt.date(2025, 6, 30)}]]},
     [("a", "b"), ("d", 0, "b"), ("d", 1)]),
])
def test_aliases_are_read_as_copies_of_their_anchors(text: str, expected: Any, copies: list[tuple[Any, ...]]) -> None:
    data = check(text)
    assert same(data, expected)
    found = []
    for path in copies:
        value = data
        for step in path:
            value = value[step]
        found.append(value)
    assert len({id(v) for v in found}) == len(found)  # each place has a list of its own, as the walk gives
    if found:
        found[0].append("x")
        assert all(v == found[1] for v in found[2:])


def test_aliases_expanding_past_the_node_limit_go_to_the_composer() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]"
                                                        for i in range(1, 7)]
    text = "\n".join(lines) + "\n"
    assert events(text) is yaml_events.COMPOSE
    assert composed(text) is None  # "tệp có quá nhiều mục"


def test_an_alias_reaching_past_the_depth_limit_goes_to_the_composer() -> None:
    deep = "[" * 40 + "]" * 40
    text = f"a: &d {deep}\nb: " + "[" * 30 + "*d" + "]" * 30 + "\n"
    assert events(text) is yaml_events.COMPOSE
    assert composed(text) is None  # "các mục lồng nhau quá sâu"
    near = f"a: &d {deep}\nb: " + "[" * 10 + "*d" + "]" * 10 + "\n"
    assert events(near) is not yaml_events.COMPOSE and check(near)


def test_a_document_given_back_gets_the_composer_path_s_message(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("year: 2025\nagency: STP\nyear: 2026\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        loading.load_yaml(path, "spec.yaml")
    (problem,) = caught.value.problems
    assert (problem.message, problem.line, problem.field) == ("khóa bị lặp lại trong cùng một mục (đã có ở dòng 1)", 3,
                                                              "year")


def test_the_line_map_of_a_document_read_from_events_is_made_from_its_text(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text("agency: STP\ntasks:\n  - id: a\n    due: 2025-06-30\n  - id: b\n    lead: [VP, PKS]\n",
                    encoding="utf-8")
    loaded = loading.load_yaml(path, "spec.yaml")
    assert loaded.data == {"agency": "STP", "tasks": [{"id": "a", "due": dt.date(2025, 6, 30)},
                                                       {"id": "b", "lead": ["VP", "PKS"]}]}
    assert [loaded.line_of(p) for p in [("tasks", 1), ("tasks", 1, "lead", 1), ("tasks", 0, "due")]] == [5, 6, 4]


def test_without_libyaml_every_document_goes_to_the_composer(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "_ruamel_yaml", None)  # "import _ruamel_yaml" now raises ImportError
    assert events("a: 1\n") is yaml_events.COMPOSE


# --- differential: random data dumped by ruamel in every style, and random YAML-like text ---

_texts = st.one_of(st.sampled_from(SCALARS), st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]),
                                                      max_size=12))
_scalars = st.one_of(_texts, st.integers(-10**20, 10**20), st.floats(allow_nan=True), st.booleans(), st.none(),
                     st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
_data = st.recursive(_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(_texts, inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=_data, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80, 4096]))
def test_dumped_data_reads_the_same_either_way(data: Any, flow: bool | None, width: int) -> None:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style, yaml.width, yaml.allow_unicode = flow, width, True
    out = io.StringIO()
    yaml.dump(data, out)
    check(out.getvalue())


_pieces = st.sampled_from(["a", "b", "a: ", "b: ", "- ", "  ", "    ", "\n", "&x ", "*x", "!!str ", "!!int ", "<<: ",
                           "? ", ": ", "[", "]", "{", "}", ", ", "'q'", '"q"', "1", "2025-06-30", "no", "~", "#c",
                           "|\n", "---\n", "...\n", "\t", "Sở", "%YAML 1.2\n"])


@settings(max_examples=1500, deadline=None)
@given(st.lists(_pieces, max_size=24))
def test_random_yaml_like_text_reads_the_same_or_goes_to_the_composer(pieces: list[str]) -> None:
    check("".join(pieces))
