"""Measure kehoach as a user runs it, against the floor of the libraries it writes with.

    python benchmarks/bench.py [--kehoach PATH] [--repeat N] [--json OUT.json]

Every figure is a whole process started the way a user starts it (``kehoach …``), timed by
wall clock, median of N runs (min in brackets), on a fresh workspace made by ``kehoach init``:

- ``--help``; one ``new`` (STP 2025, its spec deleted first); ``build --all`` from clean and
  again as a no-op; ``new`` of a generated plan of 2,000 tasks;
- ``build --all`` with only the plans, or only the workbooks, to write (the others current), in
  the sample province and in one four times larger (``make_big_province.py``): the slope between
  the two sizes is what one more plan or workbook costs in a batch, fixed costs apart;
- the floor: one fresh Python process that opens and re-saves every output of ``build --all``
  with python-docx and openpyxl (imports included), and the same split by file kind;
- in one fresh process: kehoach's own Word rendering of every plan against plain docxtpl
  rendering the same template with the same context (see ``raw_docxtpl_render``), and the
  trackers' rendering, per plan and per workbook;
- peak memory (RSS summed over the process and its workers, sampled every 5 ms from /proc)
  of ``build --all`` and of the 2,000-task ``new``, in separate runs so that sampling does
  not slow the timed ones.

Not part of the test suite: figures depend on the machine. BENCHMARKS.md records them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SCALE = 4  # the larger province of the slope: the sample's agencies four times over
TARGETS = {"build_vs_floor": 1.0, "ms_per_plan": 25.0, "ms_per_tracker": 15.0, "noop_s": 0.3, "help_s": 0.25,
           "tasks_2000_s": 3.0, "peak_mb": 300.0}


def run(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def timed(command: list[str], cwd: Path, repeat: int, before: Any = None) -> dict[str, float]:
    times = []
    for _ in range(repeat):
        if before:
            before()
        times.append(run(command, cwd))
    return {"median": statistics.median(times), "min": min(times)}


def peak_rss_mb(command: list[str], cwd: Path) -> float:
    """Peak of the RSS summed over ``command`` and all its descendants, sampled every 5 ms."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(process.pid))
            time.sleep(0.005)

    sampler = threading.Thread(target=sample)
    sampler.start()
    process.wait()
    done.set()
    sampler.join()
    return peak / 1024


def _tree_rss(root: int) -> int:
    """KiB resident in ``root`` and its descendants (Linux /proc)."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
                parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    total = 0
    for pid in tree:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total


def python_of(kehoach: Path) -> str:
    candidate = kehoach.parent / "python"
    return str(candidate) if candidate.exists() else sys.executable


def in_fresh_process(python: str, script: str, cwd: Path, *args: str) -> tuple[float, dict[str, Any]]:
    """Run ``script`` (in benchmarks/) in a new interpreter; its wall time and the JSON it prints."""
    start = time.perf_counter()
    out = subprocess.run([python, str(HERE / script), *args], cwd=cwd, check=True, capture_output=True, text=True)
    return time.perf_counter() - start, json.loads(out.stdout)


def big_master(workspace: Path, python: str) -> None:
    """Replace the workspace's 2025 master by 20 groups of 100 tasks (for the 2,000-task plan)."""
    subprocess.run([python, str(HERE / "make_big_master.py"), str(workspace)], check=True)


def machine() -> dict[str, Any]:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0) if Path("/proc/meminfo").exists() else 0
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=HERE, capture_output=True, text=True).stdout
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": model, "cores": cores, "ram_mb": memory,
            "python": platform.python_version(), "os": platform.platform(), "commit": commit.strip()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kehoach", type=Path, default=Path(sys.executable).parent / "kehoach")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    kehoach, python, n = str(args.kehoach), python_of(args.kehoach), args.repeat
    figures: dict[str, Any] = {"machine": machine(), "repeat": n}
    with tempfile.TemporaryDirectory(prefix="kehoach-bench-") as tmp:
        root = Path(tmp)
        pristine = root / "pristine"
        subprocess.run([kehoach, "init", str(pristine)], check=True, stdout=subprocess.DEVNULL)
        ws = root / "ws"
        shutil.copytree(pristine, ws)

        figures["help"] = timed([kehoach, "--help"], ws, n)

        def fresh_new() -> None:
            shutil.rmtree(root / "new", ignore_errors=True)
            shutil.copytree(pristine, root / "new")
            (root / "new/plan_specs/soc-trang/STP/2025.yaml").unlink()

        (root / "new").mkdir()
        figures["new"] = timed([kehoach, "new", "--agency", "STP", "--year", "2025"], root / "new", n, fresh_new)

        clean = lambda: shutil.rmtree(ws / "output", ignore_errors=True)  # noqa: E731
        figures["build_all"] = timed([kehoach, "build", "--all"], ws, n, clean)
        clean()
        run([kehoach, "build", "--all"], ws)
        docx = sorted((ws / "output").rglob("*.docx"))
        xlsx = sorted((ws / "output").rglob("*.xlsx"))
        figures["outputs"] = {"plans": len(docx), "workbooks": len(xlsx)}
        figures["noop"] = timed([kehoach, "build", "--all"], ws, n)
        # the same batch with only one kind of file to write: the other kind is current and left alone
        delete = lambda pattern: lambda: [p.unlink() for p in (ws / "output").rglob(pattern)]  # noqa: E731
        figures["plans_only"] = timed([kehoach, "build", "--all"], ws, n, delete("KH-*.docx"))
        figures["workbooks_only"] = timed([kehoach, "build", "--all"], ws, n, delete("*.xlsx"))
        figures["scaled"] = scaled(kehoach, python, pristine, root / "scaled", n)

        floors = [in_fresh_process(python, "floor.py", ws, "output") for _ in range(n)]
        figures["floor"] = {"median": statistics.median(t for t, _ in floors), "min": min(t for t, _ in floors),
                            **{k: statistics.median(f[k] for _, f in floors) for k in floors[0][1]}}
        renders = [in_fresh_process(python, "render_split.py", ws)[1] for _ in range(n)]
        figures["in_process"] = {k: statistics.median(r[k] for r in renders) for k in renders[0]}

        big = root / "big"
        shutil.copytree(pristine, big)
        big_master(big, python)
        (big / "plan_specs/soc-trang/STP/2025.yaml").unlink()
        spec = big / "plan_specs/soc-trang/STP/2025.yaml"

        def fresh_big() -> None:
            spec.unlink(missing_ok=True)
            shutil.rmtree(big / "output", ignore_errors=True)

        figures["tasks_2000"] = timed([kehoach, "new", "--agency", "STP", "--year", "2025"], big, n, fresh_big)
        figures["tasks_2000"]["rows"] = _task_rows(python, big / "output/2025/STP/KH-STP-2025.docx")

        if soffice := shutil.which("soffice"):
            figures["pdf"] = pdf_batch(kehoach, soffice, ws, min(n, 3))

        clean()
        figures["peak_mb"] = {"build_all": peak_rss_mb([kehoach, "build", "--all"], ws)}
        fresh_big()
        figures["peak_mb"]["tasks_2000"] = peak_rss_mb([kehoach, "new", "--agency", "STP", "--year", "2025"], big)
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def scaled(kehoach: str, python: str, pristine: Path, ws: Path, repeat: int) -> dict[str, Any]:
    """The same batches in a province SCALE times larger (every agency copied, see make_big_province.py):
    what one more plan or workbook costs is the slope between the two sizes."""
    shutil.copytree(pristine, ws)
    subprocess.run([python, str(HERE / "make_big_province.py"), str(ws), str(SCALE)], check=True)
    figures: dict[str, Any] = {"factor": SCALE}
    figures["build_all"] = timed([kehoach, "build", "--all"], ws, repeat,
                                 lambda: shutil.rmtree(ws / "output", ignore_errors=True))
    figures["outputs"] = {"plans": len(list((ws / "output").rglob("*.docx"))),
                          "workbooks": len(list((ws / "output").rglob("*.xlsx")))}
    figures["noop"] = timed([kehoach, "build", "--all"], ws, repeat)
    delete = lambda pattern: lambda: [p.unlink() for p in (ws / "output").rglob(pattern)]  # noqa: E731
    figures["plans_only"] = timed([kehoach, "build", "--all"], ws, repeat, delete("KH-*.docx"))
    figures["workbooks_only"] = timed([kehoach, "build", "--all"], ws, repeat, delete("*.xlsx"))
    return figures


def pdf_batch(kehoach: str, soffice: str, ws: Path, repeat: int) -> dict[str, Any]:
    """``kehoach pdf --all`` against one plain LibreOffice call (the user's own profile) converting the
    same documents; each is run once untimed first, so that both find their profiles built."""
    documents = sorted((ws / "output").rglob("KH-*.docx"))
    remove = lambda: [d.with_suffix(".pdf").unlink(missing_ok=True) for d in documents]  # noqa: E731
    remove()
    run([kehoach, "pdf", "--all"], ws)
    ours = timed([kehoach, "pdf", "--all"], ws, repeat, remove)
    with tempfile.TemporaryDirectory() as out:
        plain = [soffice, "--headless", "--convert-to", "pdf", "--outdir", out, *map(str, documents)]
        run(plain, ws)
        alone = timed(plain, ws, repeat)
    return {"documents": len(documents), "kehoach": ours, "libreoffice": alone}


def _task_rows(python: str, document: Path) -> int:
    code = ("import sys, docx; d = docx.Document(sys.argv[1]); "
            "print(sum(len(t.rows) for t in d.tables if t.style is not None and t.style.style_id == 'KHBangNhiemVu'))")
    return int(subprocess.run([python, "-c", code, str(document)], check=True, capture_output=True,
                              text=True).stdout)


def report(f: dict[str, Any]) -> None:
    m, out = f["machine"], f["outputs"]
    plans, books = out["plans"], out["workbooks"]
    build, floor, split = f["build_all"]["median"], f["floor"]["median"], f["in_process"]
    # apportion the batch's wall time to plans and workbooks by their in-process cost
    cost_plans, cost_books = split["plan_ms"] * plans, split["tracker_ms"] * books
    share = build * 1000 / (cost_plans + cost_books)
    checks = [
        ("build --all / floor", build / floor, TARGETS["build_vs_floor"], "×"),
        ("ms per plan, apportioned", split["plan_ms"] * share, TARGETS["ms_per_plan"], " ms"),
        ("ms per workbook, apportioned", split["tracker_ms"] * share, TARGETS["ms_per_tracker"], " ms"),
        ("no-op build --all", f["noop"]["median"], TARGETS["noop_s"], " s"),
        ("kehoach --help", f["help"]["median"], TARGETS["help_s"], " s"),
        ("2,000-task plan (new)", f["tasks_2000"]["median"], TARGETS["tasks_2000_s"], " s"),
        ("peak memory, build --all", f["peak_mb"]["build_all"], TARGETS["peak_mb"], " MB"),
        ("peak memory, 2,000 tasks", f["peak_mb"]["tasks_2000"], TARGETS["peak_mb"], " MB"),
    ]
    print(f"machine: {m['cpu']}, {m['cores']} cores, {m['ram_mb']} MB; Python {m['python']}; commit {m['commit']}")
    print(f"workspace: {plans} plans, {books} workbooks; median of {f['repeat']} runs [min]\n")
    rows = [("kehoach --help", f["help"]), ("kehoach new (STP 2025)", f["new"]),
            ("kehoach build --all, from clean", f["build_all"]), ("kehoach build --all, no-op", f["noop"]),
            ("floor: open + re-save every output", f["floor"]), ("kehoach new, 2,000 tasks", f["tasks_2000"])]
    for name, figure in rows:
        print(f"  {name:<40} {figure['median']:7.3f} s  [{figure['min']:.3f}]")
    print(f"  {'  floor, .docx part (in process)':<40} {f['floor']['docx_s']:7.3f} s")
    print(f"  {'  floor, .xlsx part (in process)':<40} {f['floor']['xlsx_s']:7.3f} s")
    print(f"  {'  2,000-task plan: task-table rows':<40} {f['tasks_2000']['rows']:7d}")
    big = f["scaled"]
    bigout = big["outputs"]
    for size, g, nplans, nbooks in (("", f, plans, books), (f" ×{big['factor']}", big, bigout["plans"],
                                                           bigout["workbooks"])):
        noop = g["noop"]["median"]
        if size:
            print(f"\nthe province ×{big['factor']} ({nplans} plans, {nbooks} workbooks):")
            for name, figure in (("kehoach build --all, from clean", g["build_all"]),
                                 ("kehoach build --all, no-op", g["noop"])):
                print(f"  {name:<40} {figure['median']:7.3f} s  [{figure['min']:.3f}]")
        for key, count, what in (("plans_only", nplans, "plan"), ("workbooks_only", nbooks, "workbook")):
            wall = g[key]["median"]
            print(f"  {'build --all writing only the ' + what + 's':<40} {wall:7.3f} s  [{g[key]['min']:.3f}]: "
                  f"{wall / count * 1000:.1f} ms per {what} all-in, {(wall - noop) / count * 1000:.1f} ms beyond "
                  "the no-op")
    slope = {what: (big[key]["median"] - f[key]["median"]) / (bigout[count] - out[count]) * 1000
             for what, key, count in (("plan", "plans_only", "plans"), ("workbook", "workbooks_only", "workbooks"))}
    print(f"  one more plan in a batch (slope ×1 → ×{big['factor']}): {slope['plan']:.1f} ms; "
          f"one more workbook: {slope['workbook']:.1f} ms")
    checks[3:3] = [("ms per plan, slope of the batch", slope["plan"], TARGETS["ms_per_plan"], " ms"),
                   ("ms per workbook, slope", slope["workbook"], TARGETS["ms_per_tracker"], " ms")]
    print("\nin one process, per plan:")
    print(f"  kehoach render_plan {split['plan_render_ms']:.1f} ms (inputs {split['resolve_ms']:.1f} ms), "
          f"raw docxtpl {split['raw_docxtpl_ms']:.1f} ms: ratio {split['plan_render_ms'] / split['raw_docxtpl_ms']:.2f}")
    print(f"  tracker workbook {split['tracker_ms']:.1f} ms each ({split['trackers_per_plan']:.1f} per plan)")
    if "pdf" in f:
        pdf = f["pdf"]
        print(f"\nPDF of {pdf['documents']} plans: kehoach pdf --all {pdf['kehoach']['median']:.2f} s, "
              f"one LibreOffice call {pdf['libreoffice']['median']:.2f} s")
        checks.append(("PDF batch / one LibreOffice call", pdf["kehoach"]["median"] / pdf["libreoffice"]["median"],
                       1.0, "×"))
    print("\ntargets:")
    for name, value, target, unit in checks:
        verdict = "PASS" if value <= target else "FAIL"
        print(f"  {name:<32} {value:8.3f}{unit:<4} target ≤ {target}{unit.strip()}  {verdict}")


if __name__ == "__main__":
    main()
