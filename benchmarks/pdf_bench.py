"""PDF of a batch: one plain LibreOffice call against kehoach's warm converters.

    python benchmarks/pdf_bench.py [--kehoach PATH] [--repeat N] [--out NAME]

On a fresh workspace (``kehoach init``, ``kehoach build --all``: the 16 sample plans), every figure is a whole
process timed by wall clock, the four cases interleaved in each round so that a change of the machine's load
falls on all of them alike:

a. one plain ``soffice --headless --convert-to pdf --outdir D`` over the 16 documents (its profile already built);
b. ``kehoach pdf --all`` cold: no converter running (``kehoach pdf --dong`` just before; profiles built);
c. ``kehoach pdf --all`` warm: the converters of (b) still running;
d. ``kehoach build --all --pdf --force`` warm: the parallel batch, each worker converting its plans' PDFs.

The PDFs are deleted before each of b–d so that all 16 are made. Converters live in a cache folder of the
benchmark's own (XDG_CACHE_HOME), closed at the end. Min and median per case, the ratios a/b, a/c, a/d, and
the load average before and after each round are printed and saved to benchmarks/results/ (txt and json).
The target of issue 19: a/c >= 1.5.
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
import time
from pathlib import Path

CASES = {"a": "soffice --convert-to pdf (một lần gọi, 16 văn bản)", "b": "kehoach pdf --all (nguội)",
         "c": "kehoach pdf --all (chạy sẵn)", "d": "kehoach build --all --pdf --force (chạy sẵn)"}


def run(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}): {done.stderr[-2000:]}")
    return elapsed


def machine(soffice: str) -> dict[str, object]:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor()) if Path("/proc/cpuinfo").exists() else ""
    version = subprocess.run([soffice, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    return {"cpu": cpu, "cores": len(os.sched_getaffinity(0)), "python": sys.version.split()[0],
            "libreoffice": version, "system": platform.platform(), "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kehoach", default=str(Path(sys.executable).parent / "kehoach"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", default=time.strftime("%Y-%m-%d-pdf", time.gmtime()))
    args = parser.parse_args()
    soffice = shutil.which("soffice") or sys.exit("soffice not found")
    base = Path(tempfile.mkdtemp(prefix="kehoach-pdf-bench-"))
    ws, plain_out, cache = base / "ws", base / "plain", base / "cache"
    env = {**os.environ, "XDG_CACHE_HOME": str(cache), "KEHOACH_PDF_KEEP_MINUTES": "10", "LANG": "C.UTF-8"}
    kehoach = args.kehoach
    try:
        run([kehoach, "init", str(ws)], base, env)
        run([kehoach, "build", "--all"], ws, env)
        documents = sorted(str(p) for p in ws.glob("output/*/*/KH-*.docx"))
        assert len(documents) == 16, documents
        plain = [soffice, f"-env:UserInstallation={(cache / 'plain-profile').as_uri()}", "--headless",
                 "--convert-to", "pdf", "--outdir", str(plain_out), *documents]

        def clear() -> None:
            for pdf in ws.glob("output/*/*/KH-*.pdf"):
                pdf.unlink()

        run(plain, base, env)  # the profiles are built once, as on any machine after the first use
        clear()
        run([kehoach, "pdf", "--all"], ws, env)
        times: dict[str, list[float]] = {case: [] for case in CASES}
        loads: list[tuple[float, float]] = []
        for _ in range(args.repeat):
            before = os.getloadavg()[0]
            shutil.rmtree(plain_out, ignore_errors=True)
            times["a"].append(run(plain, base, env))
            run([kehoach, "pdf", "--dong"], ws, env)
            clear()
            times["b"].append(run([kehoach, "pdf", "--all"], ws, env))
            clear()
            times["c"].append(run([kehoach, "pdf", "--all"], ws, env))
            clear()
            times["d"].append(run([kehoach, "build", "--all", "--pdf", "--force"], ws, env))
            assert len(list(ws.glob("output/*/*/KH-*.pdf"))) == 16
            loads.append((before, os.getloadavg()[0]))
        run([kehoach, "pdf", "--dong"], ws, env)
    finally:
        subprocess.run([kehoach, "pdf", "--dong"], cwd=base, env=env, capture_output=True, check=False)
        shutil.rmtree(base, ignore_errors=True)
    report(args.out, machine(soffice), times, loads)


def report(name: str, facts: dict[str, object], times: dict[str, list[float]], loads: list[tuple[float, float]]) -> None:
    lines = [f"PDF benchmark, {facts['date']}: {facts['cpu']}, {facts['cores']} cores, {facts['libreoffice']}, "
             f"Python {facts['python']}", f"{len(times['a'])} interleaved rounds; seconds, min / median", ""]
    for case, label in CASES.items():
        lines.append(f"({case}) {label:<48} {min(times[case]):6.2f} / {statistics.median(times[case]):6.2f}")
    lines.append("")
    for case in "bcd":
        lines.append(f"a/{case}: {min(times['a']) / min(times[case]):.2f}x (min)  "
                     f"{statistics.median(times['a']) / statistics.median(times[case]):.2f}x (median)")
    lines.append("load average (1 min) before/after each round: "
                 + ", ".join(f"{a:.2f}/{b:.2f}" for a, b in loads))
    text = "\n".join(lines)
    print(text)
    results = Path(__file__).parent / "results"
    results.mkdir(exist_ok=True)
    (results / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    (results / f"{name}.json").write_text(json.dumps({"machine": facts, "seconds": times, "load": loads}, indent=1),
                                          encoding="utf-8")


if __name__ == "__main__":
    main()
