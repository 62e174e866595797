"""Warm PDF converters: LibreOffice processes kept running between conversions and commands.

Starting LibreOffice costs about a second, converting a plan a seventh of that; so a conversion goes
to a converter already running (one per core, each in its own profile folder, see pdf_bridge.py)
when there is one, and starts one on demand otherwise. A converter is a process of its own,
detached from the command (its own session, no inherited output), that closes itself after
``keep`` seconds without work once the commands that used it have ended; ``kehoach pdf --dong``
closes them at once. Any process may use them — the command, the workers of a parallel batch:
a slot's lock (``pdf-pool/slot-N.lock``) gives one converter to one conversion at a time.

Its record, ``pdf-pool/slot-N.json`` in the user's cache (a 0700 folder, a 0600 file), holds the
converter's pid and the address and token of its private socket; a record whose process is gone
is removed, with what is left of that converter. Nothing here prints: what the user should know
(why conversions went the slow way) goes to the ``kehoach_gen.pdf`` logger, shown by the CLI.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..tempfiles import alive

log = logging.getLogger("kehoach_gen.pdf")

BRIDGE = Path(__file__).with_name("pdf_bridge.py")
UNO_PYTHON_ENV = "KEHOACH_UNO_PYTHON"  # a Python with LibreOffice's uno module; "" or "none": no warm converters
_START_TIMEOUT = 90
NO_UNO = ("Chuyển PDF từng lần (chậm hơn): không tìm thấy Python có mô-đun uno của LibreOffice để giữ LibreOffice "
          "chạy sẵn; cài gói python3-uno (sudo apt-get install python3-uno) rồi chạy lại.")


class Unavailable(Exception):
    """No warm converter can serve: the caller converts the per-call way. The message is Vietnamese."""


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def pool_dir(cache: Path) -> Path:
    folder = cache / "pdf-pool"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    if sys.platform != "win32":
        os.chmod(folder, 0o700)
    return folder


def uno_python(soffice: str) -> str | None:
    """A Python that imports ``uno``: the configured one, LibreOffice's own, or the system's."""
    configured = os.environ.get(UNO_PYTHON_ENV)
    if configured is not None:
        candidates = [] if configured.strip().lower() in ("", "none") else [configured]
    else:
        program = Path(soffice).resolve().parent
        candidates = [str(program / "python.exe"), str(program / "python"), str(program.parent / "Resources/python"),
                      "/usr/bin/python3"]
    for candidate in candidates:
        if Path(candidate).is_file() and _imports_uno(candidate):
            return candidate
    return None


def _imports_uno(python: str) -> bool:
    try:
        return subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, timeout=30, check=False).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


class Converter:
    """One slot's running converter, as its record describes it."""

    def __init__(self, slot: int, record: dict) -> None:
        self.slot, self.record = slot, record
        self.pid: int = record["pid"]

    def ask(self, request: dict, timeout: float) -> dict:
        """Send one request and read its answer; OSError (also a timeout) when the converter does not answer."""
        address = self.record["address"]
        family = socket.AF_UNIX if isinstance(address, str) else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as conn:
            conn.settimeout(timeout)
            conn.connect(address if isinstance(address, str) else tuple(address))
            conn.sendall(json.dumps({**request, "token": self.record["token"]}).encode() + b"\n")
            with conn.makefile("rb") as reader:
                line = reader.readline(1 << 16)
        if not line:
            raise ConnectionResetError("the converter closed the connection")
        return json.loads(line)

    def convert(self, docx: Path, pdf: Path, keep: float, timeout: float) -> None:
        answer = self.ask({"op": "convert", "docx": str(docx.resolve()), "pdf": str(pdf.resolve()), "owner": owner(), "idle": keep}, timeout)
        if not answer.get("ok") or not pdf.is_file():
            raise RuntimeError(answer.get("error") or "no PDF written")


def owner() -> int:
    """The command a conversion belongs to: a converter stays while it runs (the batch's parent for its workers)."""
    return int(os.environ.get("_KEHOACH_PDF_OWNER") or os.getpid())


def read(folder: Path, slot: int) -> Converter | None:
    """The slot's converter if its process runs; a record left by a dead one is cleaned away."""
    record_file = folder / f"slot-{slot}.json"
    try:
        record = json.loads(record_file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("pid"), int):
        record_file.unlink(missing_ok=True)
        return None
    if alive(record["pid"]):
        return Converter(slot, record)
    discard(folder, Converter(slot, record))
    return None


def discard(folder: Path, converter: Converter) -> None:
    """Kill what is left of a converter (its process group: the bridge and its LibreOffice) and its record."""
    _kill_group(converter.pid)
    for process in [p for p in _started if p.pid == converter.pid]:  # one this process started: reap it
        try:
            process.wait(5)
            _started.remove(process)
        except subprocess.TimeoutExpired:
            pass
    office = converter.record.get("office")
    if isinstance(office, int) and _is_office(office):
        _kill_group(office, group=False)
    deadline = time.monotonic() + 5  # a killed process is gone a moment later, not at once (a stopped one later still)
    while any(isinstance(p, int) and alive(p) for p in (converter.pid, office)) and time.monotonic() < deadline:
        time.sleep(0.02)
    record_file = folder / f"slot-{converter.slot}.json"
    try:
        if json.loads(record_file.read_text("utf-8")).get("pid") == converter.pid:
            record_file.unlink()
    except (OSError, ValueError):
        pass
    import shutil

    if (private := converter.record.get("folder")) and Path(private).name.startswith("kehoach-uno-"):
        shutil.rmtree(private, ignore_errors=True)
    if sys.platform != "win32" and (pipe := converter.record.get("pipe")):
        Path(f"/tmp/OSL_PIPE_{os.getuid()}_{pipe}").unlink(missing_ok=True)


def start(folder: Path, slot: int, soffice: str, python: str, profile: Path, keep: float) -> Converter:
    """Start the slot's converter (the caller holds the slot's lock) and wait until it serves."""
    (folder / f"slot-{slot}.json").unlink(missing_ok=True)
    log_file = folder / f"slot-{slot}.log"
    with open(log_file, "wb") as out:
        process = subprocess.Popen([python, str(BRIDGE), soffice, str(profile), str(folder / f"slot-{slot}.json"),
                                    str(keep)], stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   close_fds=True, env=_bridge_env(), **_detached())
    _started.append(process)  # reaped when it ends (poll), never waited for: it outlives this command
    deadline = time.monotonic() + _START_TIMEOUT
    while time.monotonic() < deadline:
        if (converter := read(folder, slot)) is not None and converter.pid == process.pid:
            return converter
        if process.poll() is not None:
            break
        time.sleep(0.03)
    if process.poll() is None:
        _kill_group(process.pid)
    process.wait()
    last = (log_file.read_text("utf-8", errors="replace").strip().splitlines() or [""])[-1]
    raise Unavailable(f"không khởi động được LibreOffice chạy sẵn ({_reason(last, process.returncode)})")


def _reason(last: str, code: int | None) -> str:
    """Why a converter did not start, from the last line of its log."""
    if last.startswith("office did not start: "):
        return f"LibreOffice dừng ngay khi khởi động, mã thoát {last.rpartition(' ')[2]}"
    if last.startswith("profile in use: "):
        return f"hồ sơ {last.partition(': ')[2]} đang được một LibreOffice khác dùng"
    if code is None:
        return f"LibreOffice không sẵn sàng sau {_START_TIMEOUT} giây"
    return f"mã thoát {code}: {last[:160]}" if last else f"mã thoát {code}"


_started: list[subprocess.Popen[bytes]] = []


def _bridge_env() -> dict[str, str]:
    """The environment of a converter: ours without what points Python at our own interpreter's packages."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSTARTUP")}


def _detached() -> dict:
    if sys.platform == "win32":
        return {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP | subprocess.DETACHED_PROCESS}
    return {"start_new_session": True}


def stop(folder: Path, converter: Converter, wait: float = 20) -> None:
    """Ask a converter to close, and make sure it did."""
    try:
        converter.ask({"op": "stop"}, timeout=5)
    except (OSError, ValueError):
        pass
    deadline = time.monotonic() + wait
    while alive(converter.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    discard(folder, converter)


@contextmanager
def slot_lock(folder: Path, slot: int, timeout: float) -> Iterator[bool]:
    """Hold the slot's lock (yield True), or yield False when it stays taken for ``timeout`` seconds."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(folder / f"slot-{slot}.lock"), thread_local=False)
    try:
        lock.acquire(timeout=timeout)
    except Timeout:
        yield False
        return
    try:
        yield True
    finally:
        lock.release()


def _is_office(pid: int) -> bool:
    """Whether ``pid`` still is a LibreOffice process (not a later process given the same number)."""
    try:
        return "office" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").lower()
    except OSError:
        return sys.platform != "linux" and alive(pid)


def _kill_group(pid: int, group: bool = True) -> None:
    try:
        if sys.platform == "win32":
            os.kill(pid, signal.SIGTERM)
        elif group:
            os.killpg(pid, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except OSError:
        pass
