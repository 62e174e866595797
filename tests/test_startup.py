"""Heavy libraries are imported only by the commands that need them: `kehoach --help` and a build
with nothing to do start without the Word and Excel libraries, Jinja, pydantic or the plan models."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import copy_workspace

HEAVY = ["docx", "docxtpl", "jinja2", "lxml", "openpyxl", "xlsxwriter", "ruamel", "pydantic", "kehoach_gen.spec.models",
         "kehoach_gen.spec.inputs", "kehoach_gen.word.render_docx", "kehoach_gen.excel.render_xlsx"]

# runs the real entry point, then lists which of HEAVY it had loaded
PROBE = """
import json, sys
from kehoach_gen.cli.app import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {h.split(".")[0] for h in HEAVY}
                        and any(m == h or m.startswith(h + ".") for h in HEAVY))), file=sys.stderr)
"""


def loaded(cwd, *args: str) -> list[str]:
    code = f"HEAVY = {HEAVY!r}\nimport sys\nsys.argv = ['kehoach', *{list(args)!r}]\n{PROBE}"
    run = subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True, text=True, check=True)
    return json.loads(run.stderr.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_workspace(tmp_path_factory.mktemp("startup"))
    assert "docxtpl" in loaded(root, "build", "--all", "--jobs", "1")  # one that renders in-process loads them
    return root


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["build", "--all"], ["status", "--all"]],
                         ids=" ".join)
def test_light_commands_import_no_heavy_library(built, args):
    assert loaded(built, *args) == []
