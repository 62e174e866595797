"""Per-plan costs in one process, run in a workspace: inputs, kehoach's Word rendering, plain
docxtpl on the same template and context, and the tracker workbooks. Prints JSON (ms).

Each kind is warmed up once on the first plan (imports, the template compiled), then every
plan of ``build --all`` is timed; the figures are means per plan or per workbook.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from kehoach_gen.word import render_docx
from kehoach_gen.spec.context import plan_context
from kehoach_gen.word.docx_table import task_table_xml
from kehoach_gen.spec.inputs import resolve
from kehoach_gen.build.pipeline import targets
from kehoach_gen.excel.render_office import write_office
from kehoach_gen.excel.render_xlsx import write_unit
from kehoach_gen.followup.office import live_facts
from kehoach_gen.excel.trackers import build_trackers
from kehoach_gen.workspace import find_workspace


def raw_docxtpl_render(context: dict[str, Any], template: Path, out: Any) -> None:
    """What a plain docxtpl user would do with the same template and context: the tables are the
    same WordprocessingML (docxtpl has no table builder of its own), no checks, no post-processing."""
    from docxtpl import DocxTemplate
    from jinja2 import Environment
    from markupsafe import Markup

    tpl = DocxTemplate(str(template))
    sections = tpl.get_docx().sections
    portrait, landscape = render_docx._text_width(sections[0]), render_docx._text_width(sections[-1])
    ctx = dict(context)
    ctx["task_table"] = Markup(task_table_xml(context["task_table"], portrait)) if context.get("task_table") else ""
    ctx["appendices"] = [{**a, "table": Markup(task_table_xml(a["table"], landscape, True))}
                         for a in context["appendices"]]
    tpl.render(ctx, Environment(autoescape=True), autoescape=True)
    tpl.save(out)


def main() -> None:
    ws = find_workspace()
    chosen = targets(ws, ws.province, None, None, True)
    template = ws.template()
    resolve_s = render_s = raw_s = tracker_s = 0.0
    books = 0
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x"
        first = plan_context(resolve(ws, chosen[0]))
        render_docx.render_plan(first, template, out.with_suffix(".docx"))
        raw_docxtpl_render(first, template, io.BytesIO())
        for target in chosen:
            t0 = time.perf_counter()
            merged = resolve(ws, target)
            context = plan_context(merged)
            t1 = time.perf_counter()
            render_docx.render_plan(context, template, out.with_suffix(".docx"))
            t2 = time.perf_counter()
            raw_docxtpl_render(context, template, io.BytesIO())
            t3 = time.perf_counter()
            trackers = build_trackers(merged)
            for unit in trackers.units:
                write_unit(trackers, unit, out.with_suffix(".xlsx"))
            write_office(trackers, live_facts(merged, []), out.with_suffix(".xlsx"))
            t4 = time.perf_counter()
            resolve_s, render_s, raw_s, tracker_s = resolve_s + t1 - t0, render_s + t2 - t1, raw_s + t3 - t2, \
                tracker_s + t4 - t3
            books += len(trackers.units) + 1
    plans = len(chosen)
    print(json.dumps({"resolve_ms": resolve_s / plans * 1000, "plan_render_ms": render_s / plans * 1000,
                      "plan_ms": (resolve_s + render_s) / plans * 1000, "raw_docxtpl_ms": raw_s / plans * 1000,
                      "tracker_ms": tracker_s / books * 1000, "trackers_per_plan": books / plans}))


if __name__ == "__main__":
    main()
