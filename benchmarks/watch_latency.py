"""How soon ``kehoach watch`` has the new document in place after a spec is saved, seen from outside.

    python benchmarks/watch_latency.py [--kehoach PATH] [--runs N] [--pdf] [--master-runs M] [--slope]
                                       [--out benchmarks/results/NAME]

A fresh workspace (``kehoach init``, then ``kehoach build --all``); a real ``kehoach watch``
process started as a user starts it; once it says it is watching, N saves of the STP 2025 spec,
each changing the text of one task the way a person would (a word added to an expected result),
then N/2 saves changing a sentence outside the tasks (no workbook changes then), written the way
editors write, in turn:

- ``in-place``: open, truncate and write (VS Code, Notepad++, nano);
- ``rename``: write a temporary file beside it, then rename it over the spec (gedit, Kate, Emacs);
- ``vim``: rename the spec to ``2025.yaml~``, write a new file, remove the backup (vim's default);
- ``parts``: truncate, write the first half, 5 ms later the rest (a slow network share).

Each latency runs from the moment the save is complete (the last write closed or the rename done)
to the moment the document's directory entry changed (its inode, size or time: the family is moved
into place by rename), polled every 2 ms; with ``--pdf`` also to the moment the PDF changed. Then M
saves of the master plan (a group title changed, so every plan of 2025 is rendered again): the time
until the last document that changed did. With ``--slope``: what one more plan costs in a batch
(``build --all`` from clean in the sample province and in one four times larger, see bench.py).

The load average is recorded before and after: the figures are only worth what the machine was
doing meanwhile; so is the CPU time the watch process (and its workers) used per save, which does not
depend on what else runs (on an idle machine the latency is about that plus the 20-40 ms a save is
waited on). Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPEC = "plan_specs/soc-trang/STP/2025.yaml"
MASTER = "plan_specs/soc-trang/master-2025.yaml"
DOCX = "output/2025/STP/KH-STP-2025.docx"
TASK_LINE = '      - "- Kế hoạch rà soát, đánh giá TTHC;"'
OUTSIDE_LINE = "Văn phòng Sở có trách nhiệm giúp Giám đốc Sở"  # in "Tổ chức thực hiện": no workbook changes
GROUP_LINE = "    title: Công tác chỉ đạo điều hành"
STYLES = ("in-place", "rename", "vim", "parts")
POLL = 0.002


def save(path: Path, text: str, style: str) -> float:
    """Write ``text`` to ``path`` as an editor of ``style`` does; the moment the save is complete."""
    data = text.encode("utf-8")
    if style == "in-place":
        with open(path, "r+b") as out:
            out.truncate(0)
            out.write(data)
    elif style == "rename":
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    elif style == "vim":
        backup = path.with_name(path.name + "~")
        os.replace(path, backup)
        path.write_bytes(data)
        backup.unlink()
    elif style == "parts":
        with open(path, "r+b") as out:
            out.truncate(0)
            out.write(data[: len(data) // 2])
            out.flush()
            time.sleep(0.005)
            out.write(data[len(data) // 2:])
    else:
        raise ValueError(style)
    return time.perf_counter()


def stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_size, st.st_mtime_ns


def wait_changed(paths: list[Path], before: dict[Path, Any], since: float, timeout: float,
                 need: int | None = None) -> dict[Path, float]:
    """Poll ``paths`` until ``need`` of them (default: all) changed from ``before``, or ``timeout``; when each did."""
    need = len(paths) if need is None else need
    seen: dict[Path, float] = {}
    while time.perf_counter() - since < timeout and len(seen) < need:
        for path in paths:
            if path not in seen and stamp(path) != before[path]:
                seen[path] = time.perf_counter()
        time.sleep(POLL)
    return seen


class Watch:
    """A running ``kehoach watch``, its output read by a thread."""

    def __init__(self, kehoach: str, ws: Path, pdf: bool) -> None:
        self.lines: queue.Queue[str] = queue.Queue()
        self.all: list[str] = []
        command = [kehoach, "watch", *(["--pdf"] if pdf else [])]
        self.started = time.perf_counter()
        self.process = subprocess.Popen(command, cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8", bufsize=1,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"})
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def until(self, needle: str, timeout: float = 60) -> float:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            try:
                line = self.lines.get(timeout=0.05)
            except queue.Empty:
                continue
            self.all.append(line)
            if needle in line:
                return time.perf_counter()
        raise SystemExit(f"watch never printed {needle!r}; it printed: {self.all[-20:]}")

    def quiet(self, gap: float = 0.25) -> None:
        """Wait until it printed nothing for ``gap`` seconds (the whole family, and the PDF, are written)."""
        while True:
            try:
                self.all.append(self.lines.get(timeout=gap))
            except queue.Empty:
                return

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=30)
        self.quiet(0.2)
        return code


def cpu_seconds(pid: int) -> float:
    """CPU time used by ``pid`` and its children that ended (user + system, /proc; 10 ms ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def figures(values: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "min_ms": round(min(ms), 1), "median_ms": round(statistics.median(ms), 1),
            "max_ms": round(max(ms), 1)} if ms else {"n": 0}


def spec_saves(watch: Watch, ws: Path, runs: int, pdf: bool, line: str = TASK_LINE) -> dict[str, Any]:
    """``runs`` saves of the STP spec, each changing ``line`` (a task's expected result, by default)."""
    spec, docx = ws / SPEC, ws / DOCX
    original = spec.read_text(encoding="utf-8")
    if line not in original:
        raise SystemExit(f"{SPEC} no longer holds the line this benchmark edits: {line!r}")
    docx_times: list[float] = []
    pdf_times: list[float] = []
    by_style: dict[str, list[float]] = {s: [] for s in STYLES}
    missed = 0
    cpu = cpu_seconds(watch.process.pid)
    for run in range(runs):
        style = STYLES[run % len(STYLES)]
        text = (original.replace(line, line[:-2] + f" năm 2025 (lần sửa {run + 1});\"") if line == TASK_LINE
                else original.replace(line, f"{line} (lần sửa {run + 1})"))
        targets = [docx, docx.with_suffix(".pdf")] if pdf else [docx]
        before = {p: stamp(p) for p in targets}
        done = save(spec, text, style)
        seen = wait_changed(targets, before, done, timeout=30)
        if docx not in seen:
            missed += 1
        else:
            docx_times.append(seen[docx] - done)
            by_style[style].append(seen[docx] - done)
        if pdf and docx.with_suffix(".pdf") in seen:
            pdf_times.append(seen[docx.with_suffix(".pdf")] - done)
        watch.quiet()
    out = {"docx": figures(docx_times), "by_style": {s: figures(v) for s, v in by_style.items()}, "missed": missed,
           "cpu_ms_per_save": round((cpu_seconds(watch.process.pid) - cpu) / runs * 1000, 1),
           "raw_docx_ms": [round(t * 1000, 1) for t in docx_times]}
    if pdf:
        out["pdf"] = figures(pdf_times)
        out["raw_pdf_ms"] = [round(t * 1000, 1) for t in pdf_times]
    return out


def master_saves(watch: Watch, ws: Path, runs: int) -> dict[str, Any]:
    master = ws / MASTER
    original = master.read_text(encoding="utf-8")
    if GROUP_LINE not in original:
        raise SystemExit(f"{MASTER} no longer holds the line this benchmark edits: {GROUP_LINE!r}")
    documents = sorted((ws / "output/2025").glob("*/KH-*-2025.docx"))
    last, changed = [], []
    cpu = cpu_seconds(watch.process.pid)
    for run in range(runs):
        before = {p: stamp(p) for p in documents}
        done = save(master, original.replace(GROUP_LINE, f"{GROUP_LINE} (lần sửa {run + 1})"), "in-place")
        seen = wait_changed(documents, before, done, timeout=60)
        watch.quiet(0.5)
        seen.update({p: time.perf_counter() for p in documents if p not in seen and stamp(p) != before[p]})
        if seen:
            last.append(max(seen.values()) - done)
            changed.append(len(seen))
    return {"documents_of_2025": len(documents), "changed_per_save": changed, "last_docx": figures(last),
            "cpu_ms_per_save": round((cpu_seconds(watch.process.pid) - cpu) / runs * 1000, 1),
            "raw_last_ms": [round(t * 1000, 1) for t in last]}


def slope(kehoach: str, python: str, pristine: Path, root: Path, repeat: int) -> dict[str, Any]:
    """One more plan with its workbooks in a batch: ``build --all`` from clean, sample province against ×4."""
    import shutil

    sys.path.insert(0, str(HERE))
    import bench

    import resource

    def batch(folder: Path) -> dict[str, float]:
        """``build --all`` from clean: wall time (median, min) and CPU time of the process tree per run."""
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures_ = bench.timed([kehoach, "build", "--all"], folder, repeat,
                               lambda: shutil.rmtree(folder / "output", ignore_errors=True))
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        return {**figures_, "cpu": cpu / repeat, "plans": len(list((folder / "output").rglob("KH-*.docx")))}

    sample = root / "slope-1"
    shutil.copytree(pristine, sample)
    small = batch(sample)
    big = root / "slope-4"
    shutil.copytree(pristine, big)
    subprocess.run([python, str(HERE / "make_big_province.py"), str(big), str(bench.SCALE)], check=True)
    large = batch(big)
    more = large["plans"] - small["plans"]
    return {"sample": small, "x4": large, "target_ms": 55,
            "ms_per_plan_with_workbooks": round((large["median"] - small["median"]) / more * 1000, 1),
            "cpu_ms_per_plan_with_workbooks": round((large["cpu"] - small["cpu"]) / more * 1000, 1)}


def slopes_only(kehoach: Path, others: list[Path], out: Path | None) -> None:
    """The slope of several versions, measured in turn (the same load for each), 2 rounds; wall and CPU time."""
    import bench

    found: dict[str, list[float]] = {str(k): [] for k in [kehoach, *others]}
    cpu: dict[str, list[float]] = {str(k): [] for k in [kehoach, *others]}
    loads = [os.getloadavg()]
    with tempfile.TemporaryDirectory(prefix="kehoach-slope-") as tmp:
        for round_ in range(2):
            for version in found:
                root = Path(tmp) / f"{round_}-{len(found[version])}-{abs(hash(version))}"
                root.mkdir()
                pristine = root / "pristine"
                subprocess.run([version, "init", str(pristine)], check=True, stdout=subprocess.DEVNULL)
                figures_ = slope(version, bench.python_of(Path(version)), pristine, root, 3)
                found[version].append(figures_["ms_per_plan_with_workbooks"])
                cpu[version].append(figures_["cpu_ms_per_plan_with_workbooks"])
                loads.append(os.getloadavg())
    lines = [f"batch slope (ms per plan with its workbooks, build --all from clean, sample vs x4), "
             f"{time.strftime('%Y-%m-%d %H:%M:%S %Z')}, {bench.machine()}", f"load averages: {loads}"]
    lines += [f"{version}: wall ms per plan, rounds {values}; CPU ms per plan (all processes), rounds {cpu[version]}"
              for version, values in found.items()]
    print("\n".join(lines))
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kehoach", type=Path, default=Path(sys.executable).parent / "kehoach")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--master-runs", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="watch --pdf: time the PDF too")
    parser.add_argument("--slope", action="store_true", help="also measure the batch slope (5 runs of each batch)")
    parser.add_argument("--slope-only", type=Path, nargs="*", metavar="KEHOACH",
                        help="only the batch slope, of --kehoach and of each KEHOACH given (another version), "
                             "measured in turn, 2 rounds of 3 runs each")
    parser.add_argument("--out", type=Path, help="write the figures as JSON here (and a .txt beside it)")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    import bench

    kehoach = str(args.kehoach)
    if args.slope_only is not None:
        slopes_only(args.kehoach, args.slope_only, args.out)
        return
    result: dict[str, Any] = {"machine": bench.machine(), "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
                              "pdf": args.pdf, "load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="kehoach-watch-") as tmp:
        root = Path(tmp)
        pristine = root / "pristine"
        subprocess.run([kehoach, "init", str(pristine)], check=True, stdout=subprocess.DEVNULL)
        ws = root / "ws"
        subprocess.run([kehoach, "init", str(ws)], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([kehoach, "build", "--all", *(["--pdf"] if args.pdf else [])], cwd=ws, check=True,
                       stdout=subprocess.DEVNULL)
        watch = Watch(kehoach, ws, args.pdf)
        try:
            result["ready_s"] = round(watch.until("Đang theo dõi") - watch.started, 2)
            result["spec_save"] = spec_saves(watch, ws, args.runs, args.pdf)
            result["spec_save_outside_tasks"] = spec_saves(watch, ws, max(4, args.runs // 2), args.pdf, OUTSIDE_LINE)
            if args.master_runs:
                result["master_save"] = master_saves(watch, ws, args.master_runs)
        finally:
            result["exit_code"] = watch.stop()
            result["stopped_cleanly"] = any("Đã dừng theo dõi." in line for line in watch.all)
            result["errors_printed"] = [line for line in watch.all if line.startswith("Lỗi") or "Traceback" in line]
        result["load_after_watch"] = os.getloadavg()
        if args.slope:
            result["slope"] = slope(kehoach, bench.python_of(args.kehoach), pristine, root, 5)
            result["load_after_slope"] = os.getloadavg()
    text = json.dumps(result, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.with_suffix(".json").write_text(text + "\n", encoding="utf-8")
        args.out.with_suffix(".txt").write_text(summary(result), encoding="utf-8")


def summary(r: dict[str, Any]) -> str:
    m = r["machine"]
    lines = [f"kehoach watch latency, {r['date']}, {m['cpu']} ({m['cores']} cores), Python {m['python']}, "
             f"commit {m['commit']}", f"load average before: {r['load_before']}, after: {r['load_after_watch']}",
             f"ready after {r['ready_s']} s; exit {r['exit_code']}, stopped cleanly: {r['stopped_cleanly']}; "
             f"error lines: {len(r['errors_printed'])}"]
    s = r["spec_save"]
    lines.append(f"STP 2025 spec saved -> .docx in place: {s['docx']} (missed: {s['missed']}); "
                 f"CPU of the watch process (and its ended children: workers, LibreOffice) per save: {s['cpu_ms_per_save']} ms")
    for style, f in s["by_style"].items():
        lines.append(f"  {style}: {f}")
    if "pdf" in s:
        lines.append(f"STP 2025 spec saved -> .pdf in place: {s['pdf']}")
    o = r["spec_save_outside_tasks"]
    lines.append(f"STP 2025 spec saved outside its tasks (no workbook changes) -> .docx in place: {o['docx']}; "
                 f"CPU per save: {o['cpu_ms_per_save']} ms")
    if "master_save" in r:
        ms = r["master_save"]
        lines.append(f"master-2025 saved -> last of {ms['changed_per_save']} documents in place: {ms['last_docx']}; "
                     f"CPU per save (with its workers): {ms['cpu_ms_per_save']} ms")
    if "slope" in r:
        sl = r["slope"]
        lines.append(f"batch slope: {sl['ms_per_plan_with_workbooks']} ms per plan with its workbooks, "
                     f"CPU {sl['cpu_ms_per_plan_with_workbooks']} ms per plan (all processes) "
                     f"(sample {sl['sample']['plans']} plans {sl['sample']['median']:.2f} s, "
                     f"x4 {sl['x4']['plans']} plans {sl['x4']['median']:.2f} s; load after {r['load_after_slope']})")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
