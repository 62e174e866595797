"""Fault injection: kill -9 at many moments of build and collect, killed workers, a disk that fills up, read-only
folders (issue 21); outputs keep normal permissions (issue 17).

Every case runs the real CLI as a child process on a copy of the sample province (six plans, built once), injects
the fault, and asserts the state left: every file valid, and then, after the next run, no temporary file, nothing
taken for a hand edit, nothing collected lost or doubled, and a following run with nothing left to do. The moments
of a kill are chosen by what the command has done (lines in the journal, records kept), not by guessed delays.
Cases that mount a tmpfs or a read-only bind mount, or set the immutable attribute, need root and skip without it.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import copy_workspace
from kehoach_gen.output import is_temp

KEHOACH = str(Path(sys.executable).parent / "kehoach")
PLANS = ("SCT", "SKHCN", "SNV", "STP", "SYT", "UBNDNN")  # 2025; enough for two workers to share
MASTER = "plan_specs/soc-trang/master-2025.yaml"
JOURNAL = "output/.kehoach-journal.jsonl"
STORE = "output/2025/STP/tien-do/lich-su"
DEADLINE = 90  # seconds any one command may take under load


def env() -> dict[str, str]:
    return {"PATH": os.environ.get("FAULT_PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8",
            "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"]}


def kehoach(ws: Path, *args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([KEHOACH, *args], cwd=ws, capture_output=True, text=True, check=False, env=env(),
                          timeout=DEADLINE, **kw)  # type: ignore[call-overload]


def start(ws: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([KEHOACH, *args], cwd=ws, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env(), start_new_session=True)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    ws = copy_workspace(tmp_path_factory.mktemp("faults") / "ws")
    for spec in (ws / "plan_specs/soc-trang").glob("*/*.yaml"):
        if spec.parent.name not in PLANS or spec.stem != "2025":
            spec.unlink()
    done = kehoach(ws, "build", "--all")
    assert done.returncode == 0, done.stderr
    return ws


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(built, tmp_path / "ws", symlinks=True))


def change_plans(ws: Path) -> None:
    """A change of the province's plan that rewrites nearly every document and tracker."""
    master = ws / MASTER
    text = master.read_text(encoding="utf-8")
    master.write_text(text.replace("TTHC", "thủ tục hành chính") if "TTHC" in text
                      else text.replace("thủ tục hành chính", "TTHC"), encoding="utf-8")


def outputs(ws: Path) -> dict[str, bytes]:
    return {p.relative_to(ws).as_posix(): p.read_bytes() for p in sorted((ws / "output").rglob("*")) if p.is_file()}


def temps(ws: Path) -> list[str]:
    return [p.name for p in (ws / "output").rglob("*") if is_temp(p.name)]


def assert_valid(ws: Path) -> None:
    """Every output whole: documents and workbooks open as zip archives, every record is JSON."""
    for path in (ws / "output").rglob("*"):
        if not path.is_file() or is_temp(path.name):
            continue
        if path.suffix in (".docx", ".xlsx"):
            with zipfile.ZipFile(path) as archive:
                assert archive.testzip() is None, path
        elif path.suffix == ".json":
            json.loads(path.read_text(encoding="utf-8"))


def assert_recovers(ws: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The next run finishes the work, leaves no temporary file and calls nothing edited by hand; the one after
    has nothing left to do."""
    args = args or ("build", "--all")
    again = kehoach(ws, *args)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Traceback" not in again.stderr
    assert "sửa tay" not in again.stdout + again.stderr
    assert temps(ws) == [] and not (ws / JOURNAL).exists()
    status = kehoach(ws, "status")
    assert status.returncode == 0 and "sửa tay" not in status.stdout, status.stdout
    before = outputs(ws)
    last = kehoach(ws, "build", "--all")
    assert last.returncode == 0
    assert re.fullmatch(r"Tổng cộng: không đổi \d+ \(6 kế hoạch, [\d,]+ giây\)\.", last.stdout.splitlines()[-1]), \
        last.stdout
    assert outputs(ws) == before
    assert_valid(ws)
    return again


def journal_lines(ws: Path) -> int:
    try:
        return (ws / JOURNAL).read_bytes().count(b"\n")
    except OSError:
        return 0


def wait_for(process: subprocess.Popen[str], ready: Callable[[], bool], timeout: float = DEADLINE) -> None:
    end = time.monotonic() + timeout
    while not ready():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"the command ended before the moment of the fault:\n{out}\n{err}")
        if time.monotonic() > end:
            pytest.fail("the moment of the fault never came")
        time.sleep(0.002)


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def gone(pids: list[int], timeout: float = 5) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if not any(Path(f"/proc/{p}").exists() and "State:\tZ" not in _status(p) for p in pids):
            return True
        time.sleep(0.05)
    return False


def _status(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return ""


# ---------------------------------------------------------------- kill -9 during a build

MOMENTS = [  # (lines in the journal when killed, kill the whole group or only the main process)
    pytest.param(-1, True, id="before-any-file"), pytest.param(1, True, id="first-family"),
    pytest.param(9, False, id="main-alone-early"), pytest.param(20, True, id="mid-way"),
    pytest.param(33, False, id="main-alone-late"), pytest.param(45, True, id="near-the-end"),
]


@pytest.mark.parametrize(("lines", "group"), MOMENTS)
def test_build_killed_at_any_moment(ws, lines, group):
    change_plans(ws)
    before = outputs(ws)
    build = start(ws, "build", "--all", "--jobs", "2")
    wait_for(build, (lambda: bool(children(build.pid))) if lines < 0 else (lambda: journal_lines(ws) >= lines))
    workers = children(build.pid)
    os.killpg(build.pid, signal.SIGKILL) if group else os.kill(build.pid, signal.SIGKILL)
    build.communicate()
    assert gone(workers), "a worker outlived its parent"
    assert_valid(ws)
    after = outputs(ws)
    assert {name for name in after if name in before} == set(before)  # nothing lost
    again = assert_recovers(ws)
    assert "đã dừng đột ngột; khóa của nó đã được tiếp quản" in again.stderr
    assert re.search(r"cập nhật \d+", again.stdout.splitlines()[-1]) or lines > 40  # the rest was done then


def test_a_rebuild_killed_after_writing_never_becomes_a_hand_edit(ws):
    """The case of the issue: files replaced, then killed before the manifest was saved."""
    change_plans(ws)
    build = start(ws, "build", "--all", "--jobs", "2")
    wait_for(build, lambda: journal_lines(ws) >= 25)
    os.killpg(build.pid, signal.SIGKILL)
    build.communicate()
    status = kehoach(ws, "status")
    assert "sửa tay" not in status.stdout, status.stdout  # the journal is read by status too
    again = assert_recovers(ws)
    assert "giữ bản sửa tay" not in again.stdout


def test_temporary_files_of_dead_processes_are_cleaned_and_live_ones_kept(ws):
    folder = ws / "output/2025/SCT"
    dead = folder / ".~kehoach.KH-SCT-2025.docx.999999.0badf00d.tmp"
    legacy = [folder / ".KH-SCT-2025.docx.lppwlskk.tmp", ws / "output/..kehoach-manifest.json.k8xfnf83.tmp"]
    live = folder / f".~kehoach.KH-SCT-2025.docx.{os.getpid()}.0badf00d.tmp"  # a running process's
    for path in (dead, *legacy, live):
        path.write_bytes(b"")
    result = kehoach(ws, "build", "--agency", "SKHCN", "--year", "2025")  # writes elsewhere: the lock sweeps
    assert result.returncode == 0, result.stderr
    assert not dead.exists() and not any(p.exists() for p in legacy)
    assert live.exists()


# ---------------------------------------------------------------- workers

def test_a_killed_worker_names_its_plan_and_the_others_are_kept(ws):
    change_plans(ws)
    build = start(ws, "build", "--all", "--jobs", "2")
    wait_for(build, lambda: journal_lines(ws) >= 1 and len(children(build.pid)) == 2)
    os.kill(children(build.pid)[0], signal.SIGKILL)
    out, err = build.communicate(timeout=DEADLINE)
    assert build.returncode == 3, out + err
    assert "Traceback" not in err and "BrokenProcessPool" not in err
    died = re.findall(r"tiến trình xuất kế hoạch (\w+) 2025 đã dừng đột ngột \(bị dừng bởi tín hiệu SIGKILL\), "
                      r"kế hoạch này chưa xuất xong", err)
    assert len(died) == 1 and died[0] in PLANS, err
    assert f"kehoach build --agency {died[0]} --year 2025" in err
    assert "lỗi 1 kế hoạch" in out.splitlines()[-1]
    status = kehoach(ws, "status").stdout
    for plan in set(PLANS) - {died[0]}:  # every other plan was built to the end and recorded
        assert f"output/2025/{plan}/KH-{plan}-2025.docx: mới nhất" in status, status
    assert temps(ws) == []  # the dead worker's temporary files went at the end of the command
    assert_recovers(ws)


# ---------------------------------------------------------------- kill -9 during collect

def returned_trackers(ws: Path) -> list[Path]:
    sys.path.insert(0, str(Path(__file__).parent))
    from mail_helpers import filled

    files = []
    for n, tracker in enumerate(sorted((ws / "output/2025/STP/theo-doi").glob("STP-2025-*.xlsx"))):
        if tracker.stem.endswith("tong-hop"):
            continue
        target = ws / "nhan" / tracker.name
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(filled(tracker.read_bytes(), {"H5": "Đang thực hiện", "I5": 10 + n},
                                  dt.datetime(2025, 3, 3, 2, n)))
        files.append(target)
    return files


def history(ws: Path) -> list[str]:
    folder = ws / STORE
    return sorted(p.name for p in folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("moment", ["reading", "half-kept", "all-kept", "refreshing"])
def test_collect_killed_loses_and_doubles_nothing(ws, moment):
    files = returned_trackers(ws)
    ready = {"reading": lambda: True, "half-kept": lambda: len(history(ws)) >= len(files) // 2,
             "all-kept": lambda: len(history(ws)) == len(files), "refreshing": lambda: journal_lines(ws) >= 1}[moment]
    collect = start(ws, "collect", "--agency", "STP", "--year", "2025", "nhan")
    if moment == "reading":
        time.sleep(0.3)
    wait_for(collect, ready)
    os.killpg(collect.pid, signal.SIGKILL)
    collect.communicate()
    assert_valid(ws)
    kept = history(ws)
    again = kehoach(ws, "collect", "--agency", "STP", "--year", "2025", "nhan")
    assert again.returncode == 0, again.stdout + again.stderr
    assert len(history(ws)) == len(files) and set(kept) <= set(history(ws))  # nothing lost, nothing doubled
    assert again.stdout.count("đã nhận trước đó, bỏ qua") == len(kept)
    assert temps(ws) == [] and not (ws / JOURNAL).exists()
    report = kehoach(ws, "build", "--agency", "STP", "--year", "2025")
    assert report.returncode == 0 and "sửa tay" not in report.stdout + report.stderr
    assert all(line.startswith("Không đổi") for line in report.stdout.splitlines()), report.stdout
    assert "sửa tay" not in kehoach(ws, "status").stdout


# ---------------------------------------------------------------- a full disk, read-only folders (root)

def _root_or_skip() -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root (mount, chattr)")


@pytest.fixture
def small_disk(built: Path, tmp_path: Path) -> Iterator[Path]:
    """The built workspace on a tmpfs with about 4 MB to spare."""
    _root_or_skip()
    mount = tmp_path / "disk"
    mount.mkdir()
    used = sum(p.stat().st_size for p in built.rglob("*") if p.is_file())
    size = (used + (4 << 20)) // 4096 * 4096 + 200 * 4096
    if subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)]).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield Path(shutil.copytree(built, mount / "ws", symlinks=True))
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill_up(folder: Path, leave: int = 0) -> Path:
    """Fill the disk of ``folder`` until ``leave`` bytes are free (0: full); the filler file."""
    filler = folder / "day-o-dia.bin"
    with open(filler, "ab") as out:
        try:
            while shutil.disk_usage(folder).free > leave:
                out.write(b"\0" * min(1 << 16, max(4096, shutil.disk_usage(folder).free - leave)))
                out.flush()
        except OSError:
            pass
    return filler


def test_disk_nearly_full_is_refused_before_anything_is_replaced(small_disk):
    ws = small_disk
    change_plans(ws)
    before = outputs(ws)
    filler = fill_up(ws.parent, leave=300 << 10)
    result = kehoach(ws, "build", "--all")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
    assert f"{ws / 'output'}: không ghi được vào thư mục (ổ đĩa đã đầy): còn" in result.stderr
    assert "Giải phóng dung lượng trên ổ đĩa chứa thư mục" in result.stderr
    assert outputs(ws) == before and temps(ws) == []
    filler.unlink()
    assert_recovers(ws)


def test_disk_filling_up_during_a_build(small_disk):
    ws = small_disk
    change_plans(ws)
    before = outputs(ws)
    build = start(ws, "build", "--all", "--jobs", "2")
    wait_for(build, lambda: journal_lines(ws) >= 1)
    filler = fill_up(ws.parent)
    out, err = build.communicate(timeout=DEADLINE)
    assert build.returncode == 3, out + err
    assert "Traceback" not in err and "Exception ignored" not in err and "OSError" not in err
    assert "(ổ đĩa đã đầy)" in err and "Giải phóng dung lượng" in err
    assert_valid(ws)
    assert set(before) <= set(outputs(ws))
    filler.unlink()
    assert_recovers(ws)


def test_collect_on_a_full_disk(small_disk):
    ws = small_disk
    files = returned_trackers(ws)
    filler = fill_up(ws.parent)
    result = kehoach(ws, "collect", "--agency", "STP", "--year", "2025", "nhan")
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "(ổ đĩa đã đầy)" in result.stderr
    assert history(ws) == []
    filler.unlink()
    again = kehoach(ws, "collect", "--agency", "STP", "--year", "2025", "nhan")
    assert again.returncode == 0 and len(history(ws)) == len(files)
    assert temps(ws) == []


@pytest.fixture
def read_only(ws: Path) -> Iterator[Callable[[Path], None]]:
    _root_or_skip()
    mounted: list[Path] = []

    def make(folder: Path) -> None:
        for command in (["mount", "--bind", str(folder), str(folder)], ["mount", "-o", "remount,ro,bind", str(folder)]):
            if subprocess.run(command, capture_output=True).returncode != 0:
                pytest.skip("cannot make a read-only bind mount here")
            mounted.append(folder)

    yield make
    for folder in dict.fromkeys(reversed(mounted)):
        subprocess.run(["umount", str(folder)], check=False)


@pytest.mark.parametrize("command", [("build", "--all"), ("collect", "--agency", "STP", "--year", "2025", "nhan")])
def test_read_only_output_folder(ws, read_only, command):
    returned_trackers(ws)
    change_plans(ws)
    before = outputs(ws)
    read_only(ws / "output")
    result = kehoach(ws, *command)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{ws / 'output'}: " in result.stderr and "(ổ đĩa chỉ đọc)" in result.stderr
    assert "nằm trên ổ chỉ đọc" in result.stderr
    assert outputs(ws) == before
    subprocess.run(["umount", str(ws / "output")], check=True)
    assert kehoach(ws, *command).returncode == 0
    assert_recovers(ws)


def _chattr(flag: str, path: Path) -> None:
    if shutil.which("chattr") is None or subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available here")


@pytest.mark.parametrize("where", ["output", "output/2025/STP", "output/2025/STP/theo-doi/STP-2025-tong-hop.xlsx"])
def test_immutable_folder_or_file(ws, where):
    _root_or_skip()
    change_plans(ws)
    before = outputs(ws)
    _chattr("+i", ws / where)
    try:
        result = kehoach(ws, "build", "--all")
    finally:
        _chattr("-i", ws / where)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "(không được phép" in result.stderr
    after = outputs(ws)
    stp = {name for name in before if name.startswith("output/2025/STP/")}
    if where == "output":  # nothing at all replaced: the probe refused first
        assert after == before
    else:  # the plan's family as it was (moved members put back), every other plan built
        assert {n: after[n] for n in stp} == {n: before[n] for n in stp}
        assert sum(after[n] != before[n] for n in before if n not in stp) > 20
        assert "Lỗi ở kế hoạch STP 2025" in result.stderr
    assert temps(ws) == []
    assert_recovers(ws)


# ---------------------------------------------------------------- permissions (issue 17)

@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_outputs_get_the_normal_permissions(tmp_path, umask, mode):
    ws = copy_workspace(tmp_path / "ws")
    for spec in (ws / "plan_specs/soc-trang").glob("*/*.yaml"):
        if spec.parent.name != "STP" or spec.stem != "2025":
            spec.unlink()
    result = kehoach(ws, "build", "--all", umask=umask)
    assert result.returncode == 0, result.stderr
    made = [p for p in (ws / "output").rglob("*") if p.is_file()]
    assert {p.suffix for p in made} >= {".docx", ".xlsx", ".json"}
    assert {oct(p.stat().st_mode & 0o777) for p in made} == {oct(mode)}
    spec = kehoach(ws, "new", "--agency", "SNV", "--year", "2025", umask=umask)
    assert spec.returncode == 0, spec.stderr
    assert oct((ws / "plan_specs/soc-trang/SNV/2025.yaml").stat().st_mode & 0o777) == oct(mode)


def test_a_replaced_output_keeps_its_mode(ws):
    document = ws / "output/2025/STP/KH-STP-2025.docx"
    document.chmod(0o640)
    change_plans(ws)
    result = kehoach(ws, "build", "--agency", "STP", "--year", "2025", umask=0o022)
    assert result.returncode == 0 and "Đã cập nhật output/2025/STP/KH-STP-2025.docx" in result.stdout
    assert oct(document.stat().st_mode & 0o777) == oct(0o640)


# ---------------------------------------------------------------- a PDF is part of its plan's family (issue 18)

FAKE_SOFFICE = """#!/bin/sh
# converts like LibreOffice (a tiny PDF per document into --outdir), fails on the document named in FAIL_ON
out=""; prev=""
for a in "$@"; do [ "$prev" = "--outdir" ] && out="$a"; prev="$a"; done
for a in "$@"; do
  case "$a" in *.docx)
    name=$(basename "$a" .docx)
    case "$name" in *"$FAIL_ON"*) echo "lỗi giả" >&2; exit 1;; esac
    printf '%%PDF-1.4 %s\\n' "$name" > "$out/$name.pdf";;
  esac
done
"""


def test_parallel_batch_pdf_is_part_of_each_family(ws, tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "soffice").write_text(FAKE_SOFFICE)
    (bin_dir / "soffice").chmod(0o755)
    monkeypatch.setenv("FAULT_PATH", f"{bin_dir}:/usr/bin:/bin")
    first = subprocess.run([KEHOACH, "build", "--all", "--pdf", "--jobs", "2"], cwd=ws, capture_output=True,
                           text=True, env={**env(), "FAIL_ON": "zzz"}, timeout=DEADLINE)
    assert first.returncode == 0, first.stderr
    assert first.stdout.count(".pdf") == len(PLANS)  # current documents get their missing PDF
    change_plans(ws)
    before = outputs(ws)
    failing = subprocess.run([KEHOACH, "build", "--all", "--pdf", "--jobs", "2"], cwd=ws, capture_output=True,
                             text=True, env={**env(), "FAIL_ON": "KH-STP"}, timeout=DEADLINE)
    assert failing.returncode == 3, failing.stdout + failing.stderr
    assert "Lỗi ở kế hoạch STP 2025" in failing.stderr and "LibreOffice báo lỗi khi chuyển PDF" in failing.stderr
    after = outputs(ws)
    for name in before:
        if name.startswith("output/2025/STP/") and not name.startswith("output/2025/STP/tien-do/"):
            assert after[name] == before[name], name  # document, trackers and PDF all as they were
    for plan in PLANS:
        document = ws / f"output/2025/{plan}/KH-{plan}-2025.docx"
        pdf = document.with_suffix(".pdf")
        assert pdf.read_bytes() == f"%PDF-1.4 KH-{plan}-2025\n".encode()
        assert pdf.stat().st_mtime >= document.stat().st_mtime  # never older than its document
        assert (plan == "STP") == (after[f"output/2025/{plan}/KH-{plan}-2025.docx"]
                                   == before[f"output/2025/{plan}/KH-{plan}-2025.docx"])
    status = kehoach(ws, "status").stdout
    assert "cũ hơn văn bản" not in status
    again = subprocess.run([KEHOACH, "build", "--all", "--pdf", "--jobs", "2"], cwd=ws, capture_output=True,
                           text=True, env={**env(), "FAIL_ON": "zzz"}, timeout=DEADLINE)
    assert again.returncode == 0, again.stderr
    assert "Đã cập nhật output/2025/STP/KH-STP-2025.pdf" in again.stdout
    assert temps(ws) == []


# ---------------------------------------------------------------- a family is put back when a move fails

def test_family_puts_back_what_it_moved_when_a_later_move_fails(tmp_path, monkeypatch):
    from kehoach_gen import output
    from kehoach_gen.errors import OutputError

    files = [tmp_path / name for name in ("a.docx", "b.xlsx", "c.xlsx")]
    for path in files:
        path.write_bytes(b"old " + path.name.encode())
    real = os.replace

    def refuse_the_last(src, dst):  # noqa: ANN001
        if Path(dst).name == "c.xlsx":
            raise PermissionError(1, "Operation not permitted", str(dst))
        return real(src, dst)

    monkeypatch.setattr(output.os, "replace", refuse_the_last)
    with pytest.raises(OutputError) as info, output.staged() as family:
        for path in files:
            family.stage(path, lambda tmp, p=path: tmp.write_bytes(b"new " + p.name.encode()))
    assert [p.read_bytes() for p in files] == [b"old a.docx", b"old b.xlsx", b"old c.xlsx"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.xlsx", "c.xlsx"]
    assert info.value.problems[0].message == "không ghi được vào thư mục (không được phép (không có quyền, hoặc tệp " \
                                             "đang được dùng))"
    assert info.value.problems[0].file == str(tmp_path)


@pytest.mark.parametrize(("opened", "error", "code", "running"), [
    (7, 0, 259, True),  # STILL_ACTIVE
    (7, 0, 0, False),  # ended, exit code 0
    (0, 87, 0, False),  # ERROR_INVALID_PARAMETER: no such process
    (0, 5, 0, True),  # ERROR_ACCESS_DENIED: another user's process
])
def test_alive_on_windows_asks_the_system_and_never_signals(monkeypatch, opened, error, code, running):
    """On Windows os.kill(pid, 0) ends the process: sweeping the temporary files of a running kehoach would
    have killed it. alive() asks OpenProcess/GetExitCodeProcess there (simulated: this runs on Linux)."""
    import ctypes
    import os
    import sys
    from types import SimpleNamespace

    from kehoach_gen import tempfiles

    closed = []

    def exit_code(_handle, pointer):
        pointer._obj.value = code
        return 1

    kernel32 = SimpleNamespace(OpenProcess=lambda *_: opened, GetExitCodeProcess=exit_code,
                               CloseHandle=closed.append)
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(ctypes, "windll", SimpleNamespace(kernel32=kernel32), raising=False)
    monkeypatch.setattr(ctypes, "GetLastError", lambda: error, raising=False)
    monkeypatch.setattr(os, "kill", lambda *_: pytest.fail("os.kill called on Windows"))
    assert tempfiles.alive(4242) is running
    assert closed == ([opened] if opened else [])
