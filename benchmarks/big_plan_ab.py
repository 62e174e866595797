"""Two checkouts' large-plan builds, interleaved, stage by stage (BENCHMARKS.md, "Large plans").

    python benchmarks/big_plan_ab.py WORKSPACE OLD_SRC NEW_SRC [--builds N] [MODE ...]

MODE is ``kept`` (the default: a rebuild, YAML found kept), ``--edited``, ``--master-changed`` or ``--cold``, as
for ``big_plan.py``. For each mode, N builds of each side (default 7), one side after the other, each in a process
of its own with that side's ``src`` first on ``PYTHONPATH``: this machine's speed drifts by 20–40% within minutes,
and taking turns puts both sides in the same drift. Prints each side's least and median CPU time of the whole
build and of each stage, and each stage's median share of its build. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BIG_PLAN = Path(__file__).with_name("big_plan.py")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workspace")
    parser.add_argument("old_src")
    parser.add_argument("new_src")
    parser.add_argument("--builds", type=int, default=7)
    parser.add_argument("modes", nargs="*", default=[])
    args, extra = parser.parse_known_args()
    modes = [*args.modes, *extra] or ["kept"]
    sides = {"old": args.old_src, "new": args.new_src}
    for mode in modes:
        runs: dict[str, list[dict]] = {side: [] for side in sides}
        for _ in range(args.builds):
            for side, src in sides.items():
                runs[side].append(_build(args.workspace, src, mode))
        print(f"#### {mode}: {args.builds} builds a side, taking turns; least / median CPU, median share")
        for side, results in runs.items():
            cpu = [r["cpu"] for r in results]
            print(f"== {side} ({sides[side]}): whole {min(cpu):.2f} / {statistics.median(cpu):.2f} s, "
                  f"peak {min(r['peak'] for r in results):.0f}–{max(r['peak'] for r in results):.0f} MB")
            stages = sorted(results[0]["stages"], key=lambda s: -statistics.median(r["stages"].get(s, 0) for r in results))
            for stage in stages:
                spent = [r["stages"].get(stage, 0.0) for r in results]
                share = statistics.median(r["stages"].get(stage, 0.0) / r["cpu"] for r in results)
                print(f"   {stage:18s} {min(spent):.2f} / {statistics.median(spent):.2f} s  {100 * share:.0f}%")
        sys.stdout.flush()


def _build(workspace: str, src: str, mode: str) -> dict:
    env = dict(os.environ, PYTHONPATH=src)
    done = subprocess.run([sys.executable, str(BIG_PLAN), workspace, *([] if mode == "kept" else [mode])],
                          capture_output=True, text=True, env=env, check=False)
    found = [line for line in done.stderr.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not found:
        sys.exit(f"big_plan.py failed ({src}, {mode}):\n{done.stderr[-2000:]}")
    return json.loads(found[-1].removeprefix("RESULT "))


if __name__ == "__main__":
    main()
