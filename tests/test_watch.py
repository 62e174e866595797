"""`kehoach watch` through the real console entry point: what a save rebuilds, how editors save, Ctrl-C.

No timing is asserted here (benchmarks/watch_latency.py measures the latency); each test waits for
what the watch prints, with a generous timeout.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import docx
import pytest

from conftest import KEHOACH, copy_workspace, run_cli

SPEC = "plan_specs/soc-trang/STP/2025.yaml"
PLAN = "output/2025/STP/KH-STP-2025.docx"
TASK_LINE = '      - "- Kế hoạch rà soát, đánh giá TTHC;"'
EDITED = '      - "- Kế hoạch rà soát, đánh giá TTHC năm 2025 (bản sửa);"'
READY = "Đang theo dõi plan_specs/ và templates/ (Ctrl-C để dừng)..."
ERROR_HEAD = "Lỗi (vẫn tiếp tục theo dõi; sửa rồi lưu lại tệp):"


class Watch:
    """A `kehoach watch` child, its two streams read by threads so that no test blocks forever."""

    def __init__(self, ws: Path, *args: str, preexec=None) -> None:  # noqa: ANN001
        self.process = subprocess.Popen([KEHOACH, "watch", *args], cwd=ws, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, encoding="utf-8", preexec_fn=preexec,
                                        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8",
                                             "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]})
        self.out: list[str] = []
        self.err: list[str] = []
        self._lines: queue.Queue[tuple[str, str]] = queue.Queue()
        self._readers = [threading.Thread(target=self._read, args=(name, stream), daemon=True)
                         for name, stream in (("out", self.process.stdout), ("err", self.process.stderr))]
        for reader in self._readers:
            reader.start()

    def _read(self, name: str, stream) -> None:  # noqa: ANN001
        for line in stream:
            self._lines.put((name, line.rstrip("\n")))

    def _take(self, timeout: float) -> bool:
        try:
            name, line = self._lines.get(timeout=timeout)
        except queue.Empty:
            return False
        (self.out if name == "out" else self.err).append(line)
        return True

    def until(self, line: str, stream: str = "out", timeout: float = 60) -> None:
        """Wait until ``line`` was printed (whole) on ``stream``."""
        end = time.monotonic() + timeout
        while line not in (self.out if stream == "out" else self.err):
            if time.monotonic() > end or (self.process.poll() is not None and self._lines.empty()):
                raise AssertionError(f"never printed {line!r}; out={self.out} err={self.err}")
            self._take(0.1)

    def quiet(self, gap: float = 1.5) -> None:
        """Wait until nothing was printed for ``gap`` seconds (an error waits 0.4 s to settle)."""
        while self._take(gap):
            pass

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(timeout=60)
        while self._take(0.3):
            pass
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for reader in self._readers:
            reader.join(timeout=10)
        self.process.stdout.close()
        self.process.stderr.close()


@pytest.fixture
def ws(tmp_path) -> Path:
    root = copy_workspace(tmp_path)
    assert run_cli(root, "build", "--all").returncode == 0
    return root


@pytest.fixture
def watching(ws):
    started: list[Watch] = []

    def start(*args: str) -> Watch:
        watch = Watch(ws, *args)
        started.append(watch)
        watch.until(READY)
        return watch

    yield start
    for watch in started:
        watch.kill()


def outputs(ws: Path) -> dict[str, tuple[int, int]]:
    """Every output file with its inode and modification time (a rewritten file changes both)."""
    return {p.relative_to(ws).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
            for p in (ws / "output").rglob("*") if p.is_file() and not p.name.startswith(".kehoach-")}


def task_text(ws: Path) -> str:
    return "\n".join(cell.text for table in docx.Document(ws / PLAN).tables for row in table.rows
                     for cell in row.cells)


def descendants(pid: int) -> set[int]:
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                parents[int(entry)] = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    found, grew = {pid}, True
    while grew:
        more = {p for p, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found - {pid}


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_a_saved_spec_rebuilds_that_plan_only(ws, watching):
    watch = watching()
    before = outputs(ws)
    spec = ws / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(TASK_LINE, EDITED), encoding="utf-8")
    watch.until(f"Đã cập nhật {PLAN}")
    watch.quiet()
    after = outputs(ws)
    changed = sorted(name for name in after if before.get(name) != after[name])
    assert changed and all(name.startswith("output/2025/STP/") for name in changed), changed
    assert PLAN in changed and "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx" in changed
    assert "Kế hoạch rà soát, đánh giá TTHC năm 2025 (bản sửa);" in task_text(ws)
    assert not any(line.startswith("Không đổi") for line in watch.out)  # unchanged outputs are not listed
    assert watch.err == []
    assert watch.stop() == 0
    status = run_cli(ws, "status")  # the watch recorded what it wrote: every output is current
    assert status.returncode == 0 and "cần xuất lại" not in status.stdout and "sửa tay" not in status.stdout


def test_a_half_written_save_reports_once_and_the_complete_save_builds(ws, watching):
    watch = watching()
    spec = ws / SPEC
    complete = spec.read_text(encoding="utf-8").replace(TASK_LINE, EDITED).encode("utf-8")
    with open(spec, "r+b") as out:  # an editor killed half-way, or a share that delivered half the file
        out.truncate(0)
        out.write(complete[: len(complete) // 2])
    watch.until(ERROR_HEAD, "err")
    watch.quiet()
    assert watch.err.count(ERROR_HEAD) == 1 and len(watch.err) >= 2 and watch.err[1].startswith("  "), watch.err
    assert "Traceback" not in "\n".join(watch.err)
    spec.write_bytes(complete)
    watch.until("Kế hoạch STP năm 2025 đã hết lỗi.")
    watch.until(f"Đã cập nhật {PLAN}")
    watch.quiet()
    assert watch.err.count(ERROR_HEAD) == 1  # the error was said once and did not come back
    assert "(bản sửa)" in task_text(ws)
    assert watch.stop() == 0


def test_an_error_in_the_master_plan_is_said_once_for_all_its_plans(ws, watching):
    watch = watching()
    master = ws / "plan_specs/soc-trang/master-2025.yaml"
    good = master.read_text(encoding="utf-8")
    assert "\nnumber: 8\n" in good
    master.write_text(good.replace("\nnumber: 8\n", "\nnumber: tám\n"), encoding="utf-8")
    watch.until(ERROR_HEAD, "err")
    watch.quiet()
    assert watch.err.count(ERROR_HEAD) == 1, watch.err  # not once per plan of 2025
    assert any("master-2025.yaml" in line and "number" in line for line in watch.err[1:]), watch.err
    master.write_text(good, encoding="utf-8")
    watch.until("Kế hoạch STP năm 2025 đã hết lỗi.")
    watch.quiet()
    assert len([line for line in watch.out if line.endswith("năm 2025 đã hết lỗi.")]) == 14  # every plan of 2025
    assert watch.err.count(ERROR_HEAD) == 1
    assert watch.stop() == 0


def test_a_save_in_two_writes_builds_without_an_error(ws, watching):
    """Truncate, write half, then the rest at once (a slow share): the half file's error never shows."""
    watch = watching()
    spec = ws / SPEC
    complete = spec.read_text(encoding="utf-8").replace(TASK_LINE, EDITED).encode("utf-8")
    with open(spec, "r+b") as out:
        out.truncate(0)
        out.write(complete[: len(complete) // 2])
        out.flush()
        time.sleep(0.005)
        out.write(complete[len(complete) // 2:])
    watch.until(f"Đã cập nhật {PLAN}")
    watch.quiet()
    assert watch.err == []
    assert "(bản sửa)" in task_text(ws)
    assert watch.stop() == 0


@pytest.mark.parametrize("style", ["rename", "vim"])
def test_editors_that_replace_the_file_rebuild_the_plan(ws, watching, style):
    watch = watching()
    spec = ws / SPEC
    text = spec.read_text(encoding="utf-8").replace(TASK_LINE, EDITED)
    if style == "rename":  # gedit, Kate, VS Code's atomic save: a temporary file renamed over the spec
        tmp = spec.with_name(".goutputstream-ABC123")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, spec)
    else:  # vim: the spec renamed to a backup, a new file written, the backup removed
        os.replace(spec, spec.with_name("2025.yaml~"))
        (spec.parent / "4913").write_text("")  # vim's probe of the folder
        (spec.parent / "4913").unlink()
        spec.write_text(text, encoding="utf-8")
        spec.with_name("2025.yaml~").unlink()
    watch.until(f"Đã cập nhật {PLAN}")
    watch.quiet()
    assert watch.err == []  # the moment the spec was missing was not reported
    assert "(bản sửa)" in task_text(ws)
    assert watch.stop() == 0


@pytest.mark.skipif(shutil.which("soffice") is None and shutil.which("libreoffice") is None,
                    reason="LibreOffice is not installed")
def test_watch_pdf_converts_the_rebuilt_plan(ws, watching):
    pdf = (ws / PLAN).with_suffix(".pdf")
    assert not pdf.exists()
    watch = watching("--pdf")
    spec = ws / SPEC
    spec.write_text(spec.read_text(encoding="utf-8").replace(TASK_LINE, EDITED), encoding="utf-8")
    watch.until(f"Đã cập nhật {PLAN}")
    watch.until(f"Đã ghi {PLAN[:-5]}.pdf", timeout=120)
    assert watch.out.index(f"Đã cập nhật {PLAN}") < watch.out.index(f"Đã ghi {PLAN[:-5]}.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_mtime >= (ws / PLAN).stat().st_mtime
    others = sorted((ws / "output").rglob("*.pdf"))
    assert others == [pdf]  # only the rebuilt plan's PDF
    assert watch.stop() == 0
    assert "mới nhất" in next(line for line in run_cli(ws, "status").stdout.splitlines() if line.startswith(
        f"{PLAN[:-5]}.pdf"))


def test_ctrl_c_during_a_rebuild_exits_cleanly_and_leaves_nothing(ws, watching):
    watch = watching()
    master = ws / "plan_specs/soc-trang/master-2025.yaml"  # every plan of 2025 is rendered again
    master.write_text(master.read_text(encoding="utf-8").replace(
        "    title: Công tác chỉ đạo điều hành", "    title: Công tác chỉ đạo, điều hành"), encoding="utf-8")
    watch.until(f"Đã cập nhật {PLAN}")  # in the middle of the plans of 2025 (STP is not the last)
    children = descendants(watch.process.pid)
    assert watch.stop() == 0
    assert "Đã dừng theo dõi." in watch.out
    assert "Traceback" not in "\n".join(watch.err)
    assert not [pid for pid in children if alive(pid)]
    assert not [p for p in (ws / "output").rglob(".~kehoach.*")]  # no temporary file left behind
    again = run_cli(ws, "build", "--all")  # what was written is recorded; the rest is built by the next build
    assert again.returncode == 0, again.stderr
    assert "sửa tay" not in run_cli(ws, "status").stdout


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["kill-INT", "kill-TERM"])
def test_a_watch_started_in_the_background_stops_cleanly_on_a_signal(ws, signum):
    """A script that starts the watch in the background (a shell without job control starts it with SIGINT
    ignored) and stops it with kill -INT or kill -TERM gets the same clean stop as Ctrl-C. It used to go on
    watching after kill -INT, and to die without a word on kill -TERM."""
    watch = Watch(ws, preexec=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN))
    try:
        watch.until(READY)
        watch.process.send_signal(signum)
        assert watch.process.wait(timeout=60) == 0
        while watch._take(0.3):
            pass
        assert "Đã dừng theo dõi." in watch.out
        assert "Traceback" not in "\n".join(watch.err)
    finally:
        watch.kill()


# ---------------------------------------------------------------- what a warm process keeps and spares

def test_a_family_put_in_place_runs_no_garbage_collection(tmp_path, monkeypatch):
    """The clean-up after a family is in place had nothing left to remove, yet collected garbage once per
    replaced file (60 ms each in a warm watch process)."""
    import gc

    from kehoach_gen.output import write_atomic

    target = tmp_path / "a.txt"
    target.write_text("old")
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(a) or 0)
    assert write_atomic(target, lambda tmp: tmp.write_text("new"))
    assert target.read_text() == "new" and calls == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]  # the kept old copy is gone too


def test_revision_records_are_parsed_once_and_again_when_their_file_changes(tmp_path, monkeypatch):
    from kehoach_gen.build import reuse
    from kehoach_gen.errors import InputError
    from kehoach_gen.followup import progress

    ws_root = copy_workspace(tmp_path)
    assert run_cli(ws_root, "build", "--agency", "STP", "--year", "2025").returncode == 0
    store = ws_root / "output/2025/STP/tien-do"
    files = progress.revision_files(store)
    assert len(files) == 1
    read = []
    real = progress.read_revision
    monkeypatch.setattr(progress, "read_revision", lambda path: read.append(path.name) or real(path))
    monkeypatch.setattr(reuse, "_REVISIONS", {})
    first = reuse.revisions(store)
    assert reuse.revisions(store) == first == progress.revisions(store) and len(read) == 2  # cached, then uncached
    text = files[0].read_text(encoding="utf-8")
    files[0].write_text(text + "\n", encoding="utf-8")
    read.clear()
    assert reuse.revisions(store) == first and read == [files[0].name]  # its size changed: read again
    files[0].write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match="tệp phiên bản kế hoạch bị hỏng"):
        reuse.revisions(store)


def test_a_watch_renders_again_only_the_workbooks_whose_data_changed(tmp_path, monkeypatch):
    """Enabled (as the watch does), an edit outside the tasks writes the document only; every file has the
    bytes a plain `kehoach build` gives after the same edits."""
    from kehoach_gen.build import reuse
    from kehoach_gen.build.batch import build_many
    from kehoach_gen.excel import render_office, render_xlsx
    from kehoach_gen.workspace import Target, find_workspace

    ours, plain = copy_workspace(tmp_path / "ours"), copy_workspace(tmp_path / "plain")
    assert run_cli(ours, "build", "--all").returncode == 0 and run_cli(plain, "build", "--all").returncode == 0
    organisation = "Văn phòng Sở có trách nhiệm giúp"
    edits = [(TASK_LINE, EDITED), (organisation, "Văn phòng Sở (bộ phận một cửa) có trách nhiệm giúp")]
    monkeypatch.setattr(reuse, "_RENDERED", {})
    monkeypatch.setattr(reuse, "_enabled_in", None)
    reuse.enable()
    rendered: list[str] = []
    for module, name in ((render_xlsx, "write_unit"), (render_office, "write_office")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, **k: rendered.append(a[-1].name) or _real(*a, **k))
    monkeypatch.chdir(ours)
    ws, target = find_workspace(), Target("soc-trang", "STP", 2025)
    written = []
    for old, new in edits:
        for root in (ours, plain):
            spec = root / SPEC
            text = spec.read_text(encoding="utf-8")
            assert old in text
            spec.write_text(text.replace(old, new), encoding="utf-8")
        rendered.clear()
        [result] = build_many(ws, [target], jobs=1)
        assert result.error is None
        written.append((sorted(p.name for p in result.written), len(rendered)))
        assert run_cli(plain, "build", "--agency", "STP", "--year", "2025").returncode == 0
    assert written[0][1] == 9 and len(written[0][0]) == 10  # a task changed: the document and all 9 workbooks
    assert written[1] == (["KH-STP-2025.docx"], 0)  # outside the tasks: no workbook rendered, none written
    same = lambda root: {p.relative_to(root).as_posix(): p.read_bytes() for p in (root / "output/2025/STP").rglob("*")  # noqa: E731
                         if p.is_file() and p.parent.name != "phien-ban"}
    assert same(ours) == same(plain)
    status = run_cli(ours, "status", "--agency", "STP", "--year", "2025")
    assert "mới nhất" in status.stdout and "cần xuất lại" not in status.stdout
