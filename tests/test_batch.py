"""`kehoach build --all`: parallel workers give the same files as one process, a failing plan does not
stop the others, a terminal gets a progress bar and a pipe gets plain lines."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_workspace

KEHOACH = str(Path(sys.executable).parent / "kehoach")
SUMMARY = re.compile(r"Tổng cộng: (.*) \((\d+) kế hoạch, \d+,\d giây\)\.")


def kehoach(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=root, capture_output=True, text=True, check=False)


WRITTEN = re.compile(rb'"written":"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}"')


def _outputs(root: Path) -> dict[str, bytes]:
    """Every file under output/; in a revision record, the time it was first written (the clock's) as <written>."""
    out = {}
    for p in sorted((root / "output").rglob("*")):
        if p.is_file():
            data = p.read_bytes()
            if p.parent.name == "phien-ban":
                data, count = WRITTEN.subn(b'"written":"<written>"', data)
                assert count == 1, p
            out[p.relative_to(root).as_posix()] = data
    return out


def test_parallel_build_equals_one_process(tmp_path):
    one, many = copy_workspace(tmp_path / "one"), copy_workspace(tmp_path / "many")
    sequential = kehoach(one, "build", "--all", "--jobs", "1")
    parallel = kehoach(many, "build", "--all", "--jobs", "3")
    assert sequential.returncode == parallel.returncode == 0
    assert _outputs(one) == _outputs(many)  # every file, the manifest included, byte for byte
    manifest = json.loads((many / "output/.kehoach-manifest.json").read_text(encoding="utf-8"))
    written = {k for k in _outputs(many) if not k.endswith(".json")}
    assert set(manifest["outputs"]) == written  # everything the workers wrote is recorded
    # the lines of each plan come in the order of the plans, whatever order the workers finished in
    assert sequential.stdout.splitlines()[:-1] == parallel.stdout.splitlines()[:-1]
    assert SUMMARY.fullmatch(parallel.stdout.splitlines()[-1])[1] == f"tạo mới {len(written)}"


def test_a_failing_plan_does_not_stop_the_others(tmp_path):
    ws = copy_workspace(tmp_path)
    spec = ws / "plan_specs/soc-trang/SKHCN/2025.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("number: 5\n", "number: năm\n"), encoding="utf-8")
    result = kehoach(ws, "build", "--all")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [
        "Lỗi ở kế hoạch SKHCN 2025, chưa ghi tệp nào của kế hoạch này:",
        "  plan_specs/soc-trang/SKHCN/2025.yaml:"
        f"{_line_of(spec, 'number: năm')}: number: sai kiểu dữ liệu (cần một số nguyên, gặp \"năm\")",
    ]
    assert not (ws / "output/2025/SKHCN").exists()
    assert (ws / "output/2025/STP/KH-STP-2025.docx").is_file()
    summary = SUMMARY.fullmatch(result.stdout.splitlines()[-1])
    assert summary[1].endswith("lỗi 1 kế hoạch (chưa xuất, xem thông báo ở trên)")
    # once fixed, only the failed plan is built
    spec.write_text(spec.read_text(encoding="utf-8").replace("number: năm\n", "number: 5\n"), encoding="utf-8")
    again = kehoach(ws, "build", "--all")
    assert again.returncode == 0
    assert SUMMARY.fullmatch(again.stdout.splitlines()[-1])[1].endswith("không đổi 15")
    assert "Đã tạo output/2025/SKHCN/KH-SKHCN-2025.docx" in again.stdout.splitlines()


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


def test_plain_lines_when_piped(tmp_path):
    ws = copy_workspace(tmp_path)
    result = kehoach(ws, "build", "--all")
    assert "\x1b" not in result.stdout + result.stderr  # no terminal control codes in a log
    assert all(line.startswith(("Đã tạo ", "Lưu ý: ", "Tổng cộng: ")) for line in result.stdout.splitlines())


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal(tmp_path):
    import pty

    ws = copy_workspace(tmp_path)
    chunks: list[bytes] = []

    def read(fd: int) -> bytes:
        data = os.read(fd, 4096)
        chunks.append(data)
        return data

    cwd = os.getcwd()
    os.chdir(ws)
    try:
        status = pty.spawn([KEHOACH, "build", "--all"], read)
    finally:
        os.chdir(cwd)
    screen = b"".join(chunks).decode("utf-8", "replace")
    assert os.waitstatus_to_exitcode(status) == 0
    assert "Đang xuất các kế hoạch" in screen or "Xong " in screen  # the bar, with its description
    assert "16/16" in screen  # plans done out of plans
    assert "\x1b[" in screen  # drawn and cleared with terminal codes
    assert "Đã tạo output/2025/STP/KH-STP-2025.docx" in screen  # each plan's lines are printed above the bar
    assert SUMMARY.search(screen)


@pytest.mark.parametrize("jobs", [1, 2])
def test_interrupted_batch_keeps_what_it_wrote_recorded(tmp_path, jobs):
    """Ctrl-C after the first plan: the manifest records every file written, so the next build neither
    mistakes them for hand edits nor writes them again; it finishes the rest."""
    from kehoach_gen.build.batch import build_many
    from kehoach_gen.build.pipeline import targets
    from kehoach_gen.workspace import find_workspace

    ws = find_workspace(copy_workspace(tmp_path))
    chosen = targets(ws, "soc-trang", None, None, True)

    def stop(result) -> None:  # noqa: ANN001
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_many(ws, chosen, jobs=jobs, on_result=stop)
    recorded = json.loads((ws.output / ".kehoach-manifest.json").read_text(encoding="utf-8"))["outputs"]
    on_disk = {p.relative_to(ws.root).as_posix() for p in ws.output.rglob("*.*") if not p.name.startswith(".")
               and "tien-do" not in p.parts}  # the progress store (revision records) is not an output
    assert recorded and set(recorded) == on_disk  # nothing written and left unrecorded
    again = kehoach(ws.root, "build", "--all")
    assert again.returncode == 0
    assert not [line for line in again.stdout.splitlines() if line.startswith("Giữ nguyên")]
    done = SUMMARY.fullmatch(again.stdout.splitlines()[-1])[1]
    assert "không đổi" in done and "tạo mới" in done


def test_summary_counts_hand_edits_kept(tmp_path):
    from docx import Document

    ws = copy_workspace(tmp_path)
    assert kehoach(ws, "build", "--all").returncode == 0
    plan = ws / "output/2025/SYT/KH-SYT-2025.docx"
    doc = Document(str(plan))
    doc.add_paragraph("Bổ sung bằng tay")
    doc.save(str(plan))
    template = ws / "templates/ke-hoach.docx"  # a changed template file: every plan is rendered again
    template.write_bytes(template.read_bytes() + b"\0")  # (same content: the same bytes come out)
    result = kehoach(ws, "build", "--all")
    assert result.returncode == 0
    assert any(line.startswith("Giữ nguyên output/2025/SYT/KH-SYT-2025.docx: tệp đã được sửa tay")
               for line in result.stdout.splitlines())
    assert SUMMARY.fullmatch(result.stdout.splitlines()[-1])[1] == "không đổi 157, giữ bản sửa tay 1"
