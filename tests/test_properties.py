"""Property-based: any text a spec can hold reaches the .docx and the .xlsx exactly (as NFC),
every output opens, and the plan still passes the decree checker."""

from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import openpyxl
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import MASTER, REGISTRY, REPO, SPEC, write_tree
from kehoach_gen.spec.inputs import Target, resolve
from kehoach_gen.word.lint import lint
from kehoach_gen.build.manifest import Manifest
from kehoach_gen.build.pipeline import build
from kehoach_gen.workspace import Workspace

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufffe\uffff"),
               min_size=1, max_size=80).filter(lambda t: t.strip())
HOSTILE = st.sampled_from(["{{ 7*7 }}", "{_{ x }_}", "{%p if x %}", "<b>&amp;'\"", "=1+1", "+SUM(A1)", "@x", "-x",
                           "Phối hợp ]]> <!DOCTYPE x>"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.one_of(HOSTILE, TEXT, st.builds(lambda a, b: a + b, HOSTILE, TEXT)))
def test_any_text_round_trips_into_docx_and_xlsx(tmp_path_factory, text):
    root = tmp_path_factory.mktemp("prop")
    spec = SPEC.replace("    lead: [BTTP]\n", f"    lead: [BTTP]\n    results: {json.dumps(text, ensure_ascii=False)}\n")
    write_tree(root, {"kehoach.toml": 'province = "tinh-a"\n', "plan_specs/tinh-a/registry.yaml": REGISTRY,
                      "plan_specs/tinh-a/master-2025.yaml": MASTER, "plan_specs/tinh-a/STP/2025.yaml": spec})
    shutil.copytree(REPO / "templates", root / "templates")
    ws = Workspace(root, "tinh-a")
    expected = unicodedata.normalize("NFC", text).strip()
    assert resolve(ws, Target("tinh-a", "STP", 2025)).plan.groups[0].tasks[1].parts[0].results == (expected,)
    result = build(ws, Target("tinh-a", "STP", 2025), manifest=Manifest(root / "output" / "m.json"))
    docx = next(p for p in result.written if p.suffix == ".docx")
    cells = [c.text for t in Document(str(docx)).tables for r in t.rows for c in r.cells]
    assert expected in cells
    assert lint(docx) == []
    tracker = next(p for p in result.written if p.name == "STP-2025-BTTP.xlsx")
    book = openpyxl.load_workbook(tracker, read_only=True)
    try:
        values = [v for row in book["Theo dõi"].iter_rows(values_only=True) for v in row]
    finally:
        book.close()
    assert expected in values
    assert Path(tracker).stat().st_size > 0
