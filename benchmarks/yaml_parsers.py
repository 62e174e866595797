"""A faster YAML reader than libyaml's events, weighed: its speed on a large plan and whether it gives our data.

    python benchmarks/yaml_parsers.py WORKSPACE [--dumped N] [--pieces N]

Run in a scratch virtual environment that has this project's requirements plus ``yaml-rs`` (Rust; not a dependency
of the product) and ``hypothesis``. WORKSPACE is a large-plan workspace (``big_plan.py`` makes one): the master
plan and the STP spec of soc-trang there are read by both, least of 5 reads each, in this one process.

Then a few named texts side by side, and the same texts as ``tests/test_yaml_events.py`` (its tricky scalars in every position, random data dumped by
ruamel in every style, random YAML-like text) are read by yaml-rs and by loading.py's composer path, the
reference. Printed per kind of text: how many texts yaml-rs reads to other data than ours ("data"), and how many
it reads although our path refuses them or reports a problem ("refused-by-ours"), with examples. A text yaml-rs
refuses is not counted: our path would read it as before. Not part of the test suite (BENCHMARKS.md, sixth pass).
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace")
    parser.add_argument("--dumped", type=int, default=1000)
    parser.add_argument("--pieces", type=int, default=3000)
    args = parser.parse_args()
    import gc

    import yaml_rs

    from kehoach_gen.cli.app import GC_THRESHOLDS
    from kehoach_gen.spec import loading, yaml_events

    gc.set_threshold(*GC_THRESHOLDS)  # as in a command
    readers = {"yaml-rs": yaml_rs.loads,
               "libyaml events": lambda text: yaml_events.plain_data(text, loading._yaml(), loading.MAX_DEPTH,
                                                                     loading.MAX_NODES)}
    for name in ("master-2025.yaml", "STP/2025.yaml"):
        text = (Path(args.workspace) / "plan_specs/soc-trang" / name).read_text(encoding="utf-8")
        best = dict.fromkeys(readers, 9.0)
        for _ in range(5):
            for reader, read in readers.items():  # (each result dropped before the next read)
                start = time.process_time()
                read(text)
                best[reader] = min(best[reader], time.process_time() - start)
        same = readers["yaml-rs"](text) == readers["libyaml events"](text)
        print(f"{name} ({len(text.encode()) / 1e6:.1f} MB): "
              + ", ".join(f"{k} {v:.3f} s" for k, v in best.items()) + f"; same data: {same}")
    _named()
    _differences(args.dumped, args.pieces)


NAMED = ["k: 2025-01-15", "k: '2025-01-15'", "k: 2025-02-30", "k: 1_000", "k: 012", "k: yes", "k: Null", "k: |\n  \n",
         "k: !foo x", "k: !!str 12", "k: !!python/object:os.system x", "<<: {a: 1}\nb: 2", "k: 1\nk: 2",
         "{12:30: [null]}", "k: 1\n---\nb: 2"]


def _named() -> None:
    """A few texts side by side: what each reader gives (ours: the composer path's data, or its problems)."""
    import yaml_rs

    import test_yaml_events as ref

    for text in NAMED:
        try:
            theirs: object = yaml_rs.loads(text)
        except BaseException as exc:  # noqa: BLE001
            theirs = f"refused ({type(exc).__name__})"
        ours = ref.composed(text)
        shown = "refused" if ours is None else f"problem: {ours[1][0].message}" if ours[1] else ours[0]
        print(f"{text!r:38} yaml-rs {theirs!r:40.40} ours {shown!r:.60}")


def _differences(dumped: int, pieces: int) -> None:
    import yaml_rs
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import test_yaml_events as ref

    found: dict[str, list[object]] = {}

    def compare(text: str, kind: str) -> None:
        try:
            theirs = yaml_rs.loads(text, duplicate_key_policy=yaml_rs.DuplicateKeyPolicy.Error)
        except BaseException:  # noqa: BLE001 (a Rust panic is a BaseException): refused, our path reads it
            return
        if theirs is None:
            return
        ours = ref.composed(text)
        if ours is None or ours[1]:
            found.setdefault(f"{kind}: refused-by-ours", []).append(text)
        elif not ref.same(theirs, ours[0]):
            found.setdefault(f"{kind}: data", []).append((text, theirs, ours[0]))

    for scalar in ref.SCALARS:
        for text in (f"k: {scalar}\n", f"- {scalar}\n", f"{scalar}: v\n", f"k: '{scalar}'\n", f"k: \"{scalar}\"\n",
                     f"[{scalar}]\n", f"{{k: {scalar}}}\n", f"k: |\n  {scalar}\n", f"? {scalar}\n: v\n"):
            compare(text, "scalars")

    @settings(max_examples=dumped, deadline=None, suppress_health_check=list(HealthCheck))
    @given(data=ref._data, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80, 4096]))
    def dumped_texts(data: object, flow: bool | None, width: int) -> None:
        from ruamel.yaml import YAML

        yaml = YAML(typ="safe", pure=True)
        yaml.default_flow_style, yaml.width, yaml.allow_unicode = flow, width, True
        out = io.StringIO()
        yaml.dump(data, out)
        compare(out.getvalue(), "dumped")

    @settings(max_examples=pieces, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.lists(ref._pieces, max_size=24))
    def pieced_texts(chosen: list[str]) -> None:
        compare("".join(chosen), "pieces")

    dumped_texts()
    pieced_texts()
    for kind, examples in found.items():
        print(kind, len(examples))
        for example in examples[:8]:
            print("   ", repr(example)[:230])


if __name__ == "__main__":
    main()
