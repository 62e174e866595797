"""Word rendering side by side: kehoach, plain docxtpl and Carbone, same table content, one run.

    python benchmarks/peers.py [--repeat N] [--sizes 23,200,2000] [--out benchmarks/results/NAME]

For each size a workspace is made by ``kehoach init`` (23: the shipped STP 2025 plan; other
sizes: the 2025 master replaced by ``make_big_master.py`` with that many tasks and the STP spec
made again by ``kehoach new``). Then, in this one process and one Node process:

- kehoach: ``render_plan`` of the plan's context to a fresh file (checks, post-processing and the
  file write included);
- plain docxtpl: ``raw_docxtpl_render`` of render_split.py, same template, context and table XML,
  saved to memory;
- Carbone 3.8 (``npm install carbone@3`` into benchmarks/peers/, gitignored; Node is no dependency
  of kehoach): a template made from kehoach's own output of that plan, the task table's rows
  replaced by one Carbone marker row (``{d.rows[i].cK}``), rendered with one row per row of
  kehoach's table and the same cell texts (the lines of a cell joined by a space); timed inside Node
  around ``carbone.render`` (to a buffer), so the pipe is not counted.

The Python sides run with the garbage-collector thresholds every kehoach command sets (cli/app.py).
Repeats are interleaved (one of each, in turn, the order rotating) so that every side sees the same
load on a shared machine; the load average is recorded before and after. Prints min / median per
side and the ratios, and the CPU time of both (the whole process, all its threads: kehoach deflates
a document over 1 MB on a second thread, Carbone's zip library deflates on Node's thread pool);
writes NAME.json and NAME.txt.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def workspace(root: Path, tasks: int) -> Path:
    kehoach = str(Path(sys.executable).with_name("kehoach"))
    ws = root / f"ws-{tasks}"
    subprocess.run([kehoach, "init", str(ws)], check=True, stdout=subprocess.DEVNULL)
    if tasks != 23:
        subprocess.run([sys.executable, str(HERE / "make_big_master.py"), str(ws), str(tasks)], check=True)
        (ws / "plan_specs/soc-trang/STP/2025.yaml").unlink()
        subprocess.run([kehoach, "new", "--agency", "STP", "--year", "2025"], cwd=ws, check=True,
                       stdout=subprocess.DEVNULL)
    return ws


def carbone_template(rendered: Path, out: Path) -> tuple[int, list[list[str]]]:
    """A Carbone template of ``rendered`` (see the module docstring) and the data rows for it."""
    from lxml import etree

    with zipfile.ZipFile(rendered) as package:
        members = {i.filename: package.read(i) for i in package.infolist()}
    root = etree.fromstring(members["word/document.xml"])
    table = next(t for t in root.iter(f"{W}tbl")
                 if t.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "KHBangNhiemVu")
    header, *rows = table.findall(f"{W}tr")
    columns = len(header.findall(f"{W}tc"))
    data = []
    for row in rows:
        cells = [" ".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in tc.findall(f"{W}p"))
                 for tc in row.findall(f"{W}tc")]
        data.append(cells + [""] * (columns - len(cells)))
    model = next(r for r in rows if len(r.findall(f"{W}tc")) == columns)
    for row in rows:
        table.remove(row)
    for index in ("i", "i+1"):
        marker = copy.deepcopy(model)
        for k, cell in enumerate(marker.findall(f"{W}tc")):
            paragraphs = cell.findall(f"{W}p")
            for extra in paragraphs[1:]:
                cell.remove(extra)
            for run in paragraphs[0].findall(f"{W}r"):
                paragraphs[0].remove(run)
            run = etree.SubElement(paragraphs[0], f"{W}r")
            etree.SubElement(run, f"{W}t").text = f"{{d.rows[{index}].c{k}}}"
            for merge in cell.iter(f"{W}vMerge"):
                merge.getparent().remove(merge)
        table.append(marker)
    members["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in members.items():
            target.writestr(name, content)
    return len(rows), data


def table_rows(document: bytes) -> int:
    from lxml import etree

    with zipfile.ZipFile(io.BytesIO(document)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    table = next(t for t in root.iter(f"{W}tbl")
                 if t.find(f"{W}tblPr/{W}tblStyle").get(f"{W}val") == "KHBangNhiemVu")
    return len(table.findall(f"{W}tr")) - 1


def load() -> str:
    return Path("/proc/loadavg").read_text().split(" ", 3)[:3].__str__()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sizes", default="23,200,2000")
    parser.add_argument("--out", default=str(HERE / "results" / f"{datetime.date.today()}-peers"))
    args = parser.parse_args()
    peers = HERE / "peers"
    if not (peers / "node_modules/carbone").exists():
        peers.mkdir(exist_ok=True)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(peers), "carbone@3"], check=True)
    import gc

    from kehoach_gen.cli.app import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)  # as every kehoach command runs (cli/app.py main); docxtpl gets it too
    from bench import machine
    from render_split import raw_docxtpl_render
    from kehoach_gen.build.pipeline import targets
    from kehoach_gen.spec.context import plan_context
    from kehoach_gen.spec.inputs import resolve
    from kehoach_gen.word.render_docx import render_plan
    from kehoach_gen.workspace import find_workspace

    sizes = [int(s) for s in args.sizes.split(",")]
    out_base = Path(args.out).resolve()  # the workspaces are entered below
    result: dict[str, Any] = {"machine": machine(), "date": datetime.datetime.now(datetime.UTC).isoformat(),
                              "repeat": args.repeat, "load_before": load(), "sizes": {}}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        cases = {}
        for size in sizes:
            ws = workspace(root, size)
            os.chdir(ws)
            place = find_workspace()
            target = next(t for t in targets(place, place.province, None, None, True)
                          if t.agency == "STP" and t.year == 2025)
            context, template = plan_context(resolve(place, target)), place.template()
            first = root / f"kehoach-{size}.docx"
            render_plan(context, template, first)
            raw_docxtpl_render(context, template, io.BytesIO())
            rows, data = carbone_template(first, root / f"carbone-{size}.docx")
            (root / f"data-{size}.json").write_text(json.dumps({"rows": [
                {f"c{k}": text for k, text in enumerate(row)} for row in data]}), encoding="utf-8")
            cases[size] = (context, template, rows)
        node = subprocess.Popen(["node", str(HERE / "carbone_server.js")], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True)

        def carbone(size: int, out: str | None = None) -> float:
            node.stdin.write(json.dumps({"template": str(root / f"carbone-{size}.docx"),
                                         "data": str(root / f"data-{size}.json"), "out": out}) + "\n")
            node.stdin.flush()
            answer = json.loads(node.stdout.readline())
            if "error" in answer:
                raise SystemExit(f"Carbone: {answer['error']}")
            if size in result["sizes"]:
                result["sizes"][size]["carbone_cpu"].append(answer["cpu_ms"] / 1000)
            return answer["ms"] / 1000

        for size, (context, template, rows) in cases.items():  # warm up Carbone; check its rows
            carbone(size, str(root / f"carbone-out-{size}.docx"))
            got = table_rows((root / f"carbone-out-{size}.docx").read_bytes())
            mine = table_rows((root / f"kehoach-{size}.docx").read_bytes())
            assert got == mine == rows, (size, got, mine, rows)
            result["sizes"][size] = {"table_rows": rows, "kehoach": [], "docxtpl": [], "carbone": [],
                                     "kehoach_cpu": [], "carbone_cpu": []}

        def run_kehoach(size: int) -> float:
            context, template, _ = cases[size]
            out = root / "out.docx"
            out.unlink(missing_ok=True)
            start, cpu = time.perf_counter(), time.process_time()
            render_plan(context, template, out)
            wall = time.perf_counter() - start
            result["sizes"][size]["kehoach_cpu"].append(time.process_time() - cpu)
            return wall

        def run_docxtpl(size: int) -> float:
            context, template, _ = cases[size]
            start = time.perf_counter()
            raw_docxtpl_render(context, template, io.BytesIO())
            return time.perf_counter() - start

        sides = {"kehoach": run_kehoach, "docxtpl": run_docxtpl, "carbone": carbone}
        order = list(sides)
        for repeat in range(args.repeat):
            for size in sizes:
                if size >= 2000 and repeat % 3:  # the large sizes: a third of the repeats
                    continue
                for name in order[repeat % 3:] + order[:repeat % 3]:
                    result["sizes"][size][name].append(sides[name](size))
        node.stdin.close()
        node.wait()
    result["load_after"] = load()
    lines = [f"{result['date']}  commit {result['machine']['commit']}  {result['machine']['cpu']}, "
             f"{result['machine']['cores']} cores; load average before {result['load_before']}, "
             f"after {result['load_after']}", "size   rows  kehoach min/med ms   docxtpl min/med ms   carbone min/med ms"
             "   carbone/kehoach (min, med)  docxtpl/kehoach (min, med)  CPU min/med ms: kehoach, carbone"]
    for size, figures in result["sizes"].items():
        stat = {name: (min(figures[name]) * 1000, statistics.median(figures[name]) * 1000)
                for name in sides}
        figures["ms"] = stat
        k, d, c = stat["kehoach"], stat["docxtpl"], stat["carbone"]
        cpu, ccpu = ((min(figures[n]) * 1000, statistics.median(figures[n]) * 1000)
                     for n in ("kehoach_cpu", "carbone_cpu"))
        stat["kehoach_cpu"], stat["carbone_cpu"] = cpu, ccpu
        lines.append(f"{size:>5} {figures['table_rows']:>5}  {k[0]:8.1f} / {k[1]:7.1f}   {d[0]:8.1f} / {d[1]:7.1f}"
                     f"   {c[0]:8.1f} / {c[1]:7.1f}   {c[0] / k[0]:6.2f}× {c[1] / k[1]:6.2f}×"
                     f"        {d[0] / k[0]:6.2f}× {d[1] / k[1]:6.2f}×"
                     f"   {cpu[0]:7.1f} / {cpu[1]:6.1f}, {ccpu[0]:7.1f} / {ccpu[1]:6.1f}"
                     f"   (n={len(figures['kehoach'])})")
    print("\n".join(lines))
    out_base.with_suffix(".txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    out_base.with_suffix(".json").write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
