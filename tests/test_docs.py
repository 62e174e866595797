"""The README, CI and help stay honest: commands agree, every command is documented, the spec
reference matches the models, the architecture contracts hold."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _command_after(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\n```sh\n(.+?)\n```", README, re.DOTALL)
    assert match, f"README has no block after <!-- {marker} -->"
    return match.group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    ci_lines = [line.strip() for line in (REPO / ".ci/run").read_text(encoding="utf-8").splitlines()]
    assert _command_after("test-command") in ci_lines


def test_readme_main_command_runs_new_for_stp_2025():
    assert _command_after("main-command").endswith("kehoach new --agency STP --year 2025")


def test_every_cli_command_is_in_the_readme():
    from kehoach_gen.cli.app import app

    names = list(app.commands)
    assert len(names) == 15  # (a test that finds no command checks nothing)
    for name in names:
        assert f"`kehoach {name}" in README, name


def test_spec_reference_in_readme_is_generated_from_the_models():
    sys.path.insert(0, str(REPO / "tools"))
    try:
        import spec_reference
    finally:
        sys.path.pop(0)
    assert f"{spec_reference.BEGIN}\n{spec_reference.reference()}{spec_reference.END}" in README, \
        "README spec reference is stale: run python tools/spec_reference.py --write"


def test_output_is_git_ignored():
    assert "output/" in (REPO / ".gitignore").read_text(encoding="utf-8").splitlines()


def test_import_layers_hold():
    exe = Path(sys.executable).parent / "lint-imports"  # import-linter is in the test extra
    result = subprocess.run([exe], cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
