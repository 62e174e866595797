"""A warm PDF converter: one LibreOffice kept running, driven over UNO, serving our conversions.

This file is a standalone script, run by path by a Python that has LibreOffice's ``uno`` module
(LibreOffice's bundled python, or Debian's /usr/bin/python3 with python3-uno) — never imported by
kehoach_gen, whose own Python lacks ``uno``. It uses the standard library and ``uno`` only.

    python3 pdf_bridge.py SOFFICE PROFILE STATE IDLE_SECONDS

It locks PROFILE (``PROFILE.lock``, the lock of pdf.py's profile scheme) for its whole life, starts
LibreOffice's own listener on a UNO pipe of a random name (a Unix socket only its user can connect
to), listens for our requests on a socket in a fresh private folder (0700) and, once ready, writes
STATE (0600): its pid, the socket, a random token every request must carry, LibreOffice's pid.
A request is one JSON line, answered by one JSON line:

    {"token": …, "op": "convert", "docx": path, "pdf": path, "owner": pid, "idle": seconds}
    {"token": …, "op": "release", "owner": pid}     # that command is done; closes now when idle is 0
    {"token": …, "op": "stop"}                      # also "ping"

It shuts itself down cleanly (LibreOffice terminated, state, socket and lock removed) when it has
been idle for IDLE seconds and none of the commands that used it (``owner``) is still running, when
asked to stop, on SIGTERM, or when LibreOffice died.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

START_TIMEOUT = 90  # a first start builds the profile
TICK = 0.25


class Bridge:
    def __init__(self, soffice: str, profile: Path, state: Path, idle: float) -> None:
        self.soffice, self.profile, self.state, self.idle = soffice, profile, state, idle
        self.token = secrets.token_hex(16)
        self.pipe = f"kehoach-{secrets.token_hex(8)}"
        self.folder = Path(tempfile.mkdtemp(prefix="kehoach-uno-"))  # 0700
        self.owners: set[int] = set()
        self.last = time.monotonic()
        self.stopping = False
        self.office: subprocess.Popen[bytes] | None = None
        self.desktop = None

    def start(self) -> None:
        command = [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--invisible",
                   "--norestore", "--nologo", "--nolockcheck", "--nodefault",
                   f"--accept=pipe,name={self.pipe};urp;StarOffice.ComponentContext"]
        self.office = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL)
        self.desktop = self._connect()

    def _connect(self):  # noqa: ANN202
        import uno
        from com.sun.star.connection import NoConnectException

        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext")
                return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            except NoConnectException:
                if self.office.poll() is not None or time.monotonic() > deadline:
                    sys.exit(f"office did not start: {self.office.poll()}")
                time.sleep(0.05)

    def convert(self, docx: str, pdf: str) -> None:
        import uno
        from com.sun.star.beans import PropertyValue

        def props(**values: object) -> tuple:
            return tuple(PropertyValue(Name=k, Value=v) for k, v in values.items())

        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(docx), "_blank", 0,
                                                     props(Hidden=True, ReadOnly=True, MacroExecutionMode=0))
        if document is None:
            raise RuntimeError("LibreOffice could not open the document")
        try:
            sheet = document.supportsService("com.sun.star.sheet.SpreadsheetDocument")  # a workbook, as print does
            document.storeToURL(uno.systemPathToFileUrl(pdf),
                                props(FilterName="calc_pdf_Export" if sheet else "writer_pdf_Export", Overwrite=True))
        finally:
            document.close(True)

    def serve(self) -> None:
        family = socket.AF_UNIX if hasattr(socket, "AF_UNIX") else socket.AF_INET
        server = socket.socket(family, socket.SOCK_STREAM)
        if family == socket.AF_UNIX:
            address: str | list = str(self.folder / "s")
            server.bind(address)
            os.chmod(address, 0o600)
        else:
            server.bind(("127.0.0.1", 0))
            address = list(server.getsockname())
        server.listen(8)
        server.settimeout(TICK)
        self._write_state(address)
        while not self.stopping:
            try:
                conn, _ = server.accept()
            except socket.timeout:  # TimeoutError from Python 3.10 on; LibreOffice may bundle an older one
                if self._done():
                    break
                continue
            with conn:
                self._answer(conn)
        server.close()

    def _done(self) -> bool:
        if self.office.poll() is not None:
            return True
        living = {pid for pid in self.owners if _alive(pid)}
        if living != self.owners:
            self.owners, self.last = living, time.monotonic()
        return not self.owners and time.monotonic() - self.last >= self.idle

    def _answer(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            with conn.makefile("rb") as reader:
                request = json.loads(reader.readline(1 << 16) or b"{}")
        except (OSError, ValueError):
            return
        if not isinstance(request, dict) or not secrets.compare_digest(str(request.get("token", "")), self.token):
            return  # not ours: no answer at all
        self.last = time.monotonic()
        if isinstance(request.get("owner"), int) and request.get("op") != "release":
            self.owners.add(request["owner"])
        if isinstance(request.get("idle"), (int, float)):
            self.idle = float(request["idle"])
        op, answer = request.get("op"), {"ok": True}
        if op == "convert":
            try:
                self.convert(str(request["docx"]), str(request["pdf"]))
            except Exception as exc:  # noqa: BLE001 - UNO raises its own exception types
                answer = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
                self.stopping = self.office.poll() is not None  # LibreOffice died: this converter is done
            self.last = time.monotonic()
        elif op == "ping":
            answer = {"ok": self.office.poll() is None}
        elif op == "release":  # a command is done: it no longer keeps this converter
            self.owners.discard(request.get("owner"))
            self.stopping = not self.owners and self.idle <= 0
            answer = {"ok": True, "closing": self.stopping}
        elif op == "stop":
            self.stopping = True
        try:
            conn.sendall(json.dumps(answer).encode() + b"\n")
        except OSError:
            pass

    def _write_state(self, address: str | list) -> None:
        data = {"pid": os.getpid(), "office": self.office.pid, "address": address, "token": self.token,
                "profile": str(self.profile), "pipe": self.pipe, "folder": str(self.folder)}
        temp = self.state.with_name(f".{self.state.name}.{os.getpid()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temp, self.state)

    def close(self) -> None:
        try:
            if self.state.is_file() and json.loads(self.state.read_text("utf-8")).get("pid") == os.getpid():
                self.state.unlink()
        except (OSError, ValueError):
            pass
        if self.desktop is not None:
            try:
                self.desktop.terminate()
            except Exception:  # noqa: BLE001 - a LibreOffice already gone raises DisposedException
                pass
        if self.office is not None:
            try:
                self.office.wait(15)
            except subprocess.TimeoutExpired:
                self.office.kill()
                self.office.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    if sys.platform == "win32":
        return False  # os.kill(pid, 0) would end the process there: on Windows only the idle time counts
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _lock(path: Path):  # noqa: ANN202
    """The profile's lock, held for life: the same lock file and system lock as the filelock package's."""
    handle = open(path, "a")  # noqa: SIM115 - held until the process ends
    try:
        if sys.platform == "win32":
            import msvcrt

            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit("profile in use: " + str(path))
    return handle


def main(argv: list[str]) -> None:
    soffice, profile, state, idle = argv[0], Path(argv[1]), Path(argv[2]), float(argv[3])
    profile.parent.mkdir(parents=True, exist_ok=True)
    held = _lock(Path(str(profile) + ".lock"))  # noqa: F841 - kept until exit
    bridge = Bridge(soffice, profile, state, idle)

    def stop(*_: object) -> None:
        bridge.stopping = True

    signal.signal(signal.SIGTERM, stop)
    try:
        bridge.start()
        bridge.serve()
    finally:
        bridge.close()


if __name__ == "__main__":
    main(sys.argv[1:])
