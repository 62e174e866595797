"""CPU time of one large plan's build, stage by stage, in one process (BENCHMARKS.md, "Large plans").

    python benchmarks/big_plan.py WORKSPACE [--cold | --edited | --master-changed] [--repeat N]

WORKSPACE holds a plan made by ``make_big_master.py WORKSPACE N`` then ``kehoach new --agency STP --year
2025``. It deletes ``output/`` and calls the CLI's ``main`` for ``build --agency STP --year 2025 --jobs 1``
(with the CLI's collector thresholds), with a ``time.process_time`` wrapper around each stage; a wrapped stage
called inside another is counted in both (build_trackers inside amended_trackers). Prints the CPU time, the
time in the garbage collector (``gc.callbacks``), the peak RSS (``ru_maxrss``) and the stages. One build per
process (a second one would find the master plan already read); run it several times and keep the least CPU.
Works on any checkout: a stage this version has not got is left out.

Parsed YAML is kept between commands (spec/yaml_cache.py): a run finds the master plan and the spec parsed by
the run before, as a rebuild does. ``--cold`` points the cache at an empty folder first, so every file is
parsed (and kept), as on the first command after a file changed. ``--edited`` changes the last line of the
agency's spec first (a comment of its own each time), as an officer's save does: the master plan is found kept,
the spec is parsed again. ``--master-changed`` removes the master plan's entry from the cache first, as when the
province sends a new master: the master is parsed (and kept), the spec found kept. ``--repeat N`` runs N such
builds, each in a
process of its own, and prints each stage's least and median CPU time and share over them.
"""

from __future__ import annotations

import gc
import importlib
import json
import os
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

STAGES = [("kehoach_gen.spec.inputs", "load_yaml"), ("kehoach_gen.spec.inputs", "parse"),
          ("kehoach_gen.spec.inputs", "merge"), ("kehoach_gen.spec.inputs", "check_plan"),
          ("kehoach_gen.spec.context", "plan_context"), ("kehoach_gen.word.render_docx", "render_plan"),
          ("kehoach_gen.build.pipeline", "amended_trackers"), ("kehoach_gen.excel.trackers", "build_trackers"),
          ("kehoach_gen.followup.office", "live_facts"), ("kehoach_gen.excel.render_xlsx", "write_unit"),
          ("kehoach_gen.excel.render_office", "write_office"), ("kehoach_gen.followup.progress", "save_revision")]


def main() -> None:
    workspace = Path(sys.argv[1])
    mode = [m for m in ("--cold", "--edited", "--master-changed") if m in sys.argv[2:]]
    if "--repeat" in sys.argv[2:]:
        _repeat(workspace, int(sys.argv[sys.argv.index("--repeat") + 1]), mode)
        return
    if "--cold" in mode:
        import tempfile

        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="kehoach-cold-")
    if "--edited" in mode:
        spec = workspace / "plan_specs/soc-trang/STP/2025.yaml"
        lines = spec.read_text(encoding="utf-8").splitlines(keepends=True)
        lines = lines[:-1] if lines and lines[-1].startswith("# big_plan.py") else lines
        spec.write_text("".join(lines) + f"# big_plan.py --edited {time.time_ns()}\n", encoding="utf-8")
    if "--master-changed" in mode:
        _forget(workspace / "plan_specs/soc-trang/master-2025.yaml")
    from kehoach_gen.cli import app

    spent: dict[str, float] = {}
    for module, name in STAGES:
        _wrap(importlib.import_module(module), name, spent)
    collector = [0.0]
    started: list[float] = []
    gc.callbacks.append(lambda phase, _: started.append(time.process_time()) if phase == "start"
                        else collector.__setitem__(0, collector[0] + time.process_time() - started.pop()))
    os.chdir(workspace)
    shutil.rmtree("output", ignore_errors=True)
    sys.argv = ["kehoach", "build", "--agency", "STP", "--year", "2025", "--jobs", "1"]
    begin = time.process_time()
    try:
        app.main()
    except SystemExit:
        pass
    cpu = time.process_time() - begin
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stages = ", ".join(f"{k} {v:.2f} s ({100 * v / cpu:.0f}%)" for k, v in sorted(spent.items(), key=lambda kv: -kv[1]))
    print(f"CPU {cpu:.2f} s, collector {collector[0]:.2f} s, peak {peak:.0f} MB: {stages}", file=sys.stderr)
    print("RESULT " + json.dumps({"cpu": cpu, "collector": collector[0], "peak": peak, "stages": spent}), file=sys.stderr)


def _repeat(workspace: Path, times: int, mode: list[str]) -> None:
    import statistics
    import subprocess

    runs = []
    for _ in range(times):
        done = subprocess.run([sys.executable, __file__, str(workspace), *mode],
                              capture_output=True, text=True, check=True)
        runs.append(json.loads(done.stderr.rsplit("RESULT ", 1)[1]))
    def line(name: str, values: list[float], shares: list[float]) -> str:
        return (f"{name:17} {min(values):6.2f} {statistics.median(values):6.2f} s   "
                f"{min(shares):3.0f}–{max(shares):3.0f}% (median {statistics.median(shares):.0f}%)")
    cpus = [r["cpu"] for r in runs]
    what = {"--cold": " (cold: YAML parsed)", "--edited": " (the spec edited: parsed, the master kept)",
            "--master-changed": " (a new master: parsed, the spec kept)"}
    print(f"{times} builds{''.join(what[m] for m in mode)}; least / median CPU, share of each build's CPU")
    print(line("whole build", cpus, [100.0] * times))
    print(line("collector", [r["collector"] for r in runs], [100 * r["collector"] / r["cpu"] for r in runs]))
    names = sorted(runs[0]["stages"], key=lambda n: -statistics.median(r["stages"].get(n, 0) for r in runs))
    for name in names:
        print(line(name, [r["stages"].get(name, 0.0) for r in runs],
                   [100 * r["stages"].get(name, 0.0) / r["cpu"] for r in runs]))
    print(f"peak memory {min(r['peak'] for r in runs):.0f}–{max(r['peak'] for r in runs):.0f} MB")


def _forget(master: Path) -> None:
    """Remove the master plan's parsed data from the YAML cache (a version without the cache: nothing to do)."""
    try:
        from kehoach_gen.spec import loading, yaml_cache
    except ImportError:
        return
    entry = yaml_cache.key(master.read_bytes(), loading._SOURCE)
    (yaml_cache.folder() / f"{entry}.pickle").unlink(missing_ok=True)


def _wrap(module: Any, name: str, spent: dict[str, float]) -> None:
    inner = getattr(module, name, None)
    if inner is None:
        return

    def timed(*args: Any, **kwargs: Any) -> Any:
        begin = time.process_time()
        try:
            return inner(*args, **kwargs)
        finally:
            spent[name] = spent.get(name, 0.0) + time.process_time() - begin

    setattr(module, name, timed)


if __name__ == "__main__":
    main()
