"""Build many plans at once (``kehoach build --all``): in parallel worker processes.

The parent holds the workspace lock and the manifest. Plans whose outputs are all current
are answered at once, without starting a worker; the others go to worker processes (one per
core by default), each of which renders whole plans: the Kế hoạch, its trackers and (``--pdf``)
its PDF, one family written all together or not at all. A worker journals what it writes
(see manifest.py) and sends the manifest entries back with the result; the parent merges them
and saves the manifest once, even when a plan failed or the build was interrupted.

Workers never outlive the parent: each is told by the system to die with it (Linux), and
watches it otherwise; so nothing is written once the parent, which holds the lock, is gone. A
worker that dies (killed, out of memory) turns into an error of the plan it was building (exit 3);
a new worker takes the plans not yet built, and the other plans' results are kept.

A plan whose input is wrong does not stop the others: its result carries the error (and
nothing of that plan is written). Results are handed to ``on_result`` in the order of the
targets, as soon as each one and all before it are done; ``on_done`` is called as each plan
finishes, for a progress display.
"""

from __future__ import annotations

import os
import sys
from collections import deque
from collections.abc import Callable
from typing import Any

from ..errors import KehoachError, OutputError
from ..output import probe
from .manifest import Manifest
from .pipeline import BuildResult, build, recording, unchanged
from ..workspace import Target, Workspace

OnDone = Callable[[Target], None]
OnResult = Callable[[BuildResult], None]
PLAN_ROOM = 2 << 20  # free space a worker may need for one plan's temporary files when none was built before


def default_jobs() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def build_many(ws: Workspace, targets: list[Target], overrides: dict[str, Any] | None = None, *,
               force: bool = False, jobs: int | None = None,
               on_done: OnDone | None = None, on_result: OnResult | None = None, pdf: bool = False) -> list[BuildResult]:
    """Build ``targets`` (see the module's docstring); every plan's result, in the order of ``targets``.

    ``pdf`` makes each plan's PDF part of its family (converted from the document being written)."""
    ordered = _InOrder(targets, on_result)
    with recording(ws) as manifest:
        todo = []
        for index, target in enumerate(targets):
            done = None if force else _guarded(target, lambda t=target: unchanged(ws, t, manifest, overrides, pdf))
            if done is None:
                todo.append(index)
            else:
                ordered.put(index, done, on_done)
        workers = min(jobs or default_jobs(), len(todo))
        if todo:  # before anything is replaced: room for the temporary files of the plans built at once
            probe(ws.output, max(1, workers) * max(_family_size(ws, manifest, targets[i]) for i in todo))
        if workers <= 1:
            for index in todo:
                target = targets[index]
                result = _guarded(target, lambda t=target: build(ws, t, overrides, force=force, manifest=manifest,
                                                                 pdf=pdf))
                ordered.put(index, result, on_done)
        else:
            _Pool(ws, targets, overrides, force, pdf, manifest, ordered, on_done).run(todo, workers)
    return ordered.results()


def _family_size(ws: Workspace, manifest: Manifest, target: Target) -> int:
    """Twice the bytes of a plan's outputs as last built (temporary files and the PDF's), or a default."""
    out = ws.plan_output(target.agency, target.year, target.province)
    files = [out, out.with_suffix(".pdf"), *(ws.root / rel for rel in manifest.family(out, ws.root))]
    size = sum(f.stat().st_size for f in files if f.is_file())
    return 2 * size if size else PLAN_ROOM


class _Pool:
    """Worker processes, one plan at a time each, through a pipe; a dead worker is noticed by its sentinel."""

    def __init__(self, ws: Workspace, targets: list[Target], overrides: dict[str, Any] | None, force: bool,
                 pdf: bool, manifest: Manifest, ordered: _InOrder, on_done: OnDone | None) -> None:
        import multiprocessing

        # fork where it is safe (Linux): a worker starts in milliseconds with the parent's modules; spawn elsewhere
        self.context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        self.ws, self.targets, self.manifest, self.ordered, self.on_done = ws, targets, manifest, ordered, on_done
        self.job = (ws, overrides, force, pdf)
        self.pending: deque[int] = deque()
        self.crews: dict[Any, list[Any]] = {}  # the parent's end of a pipe -> [process, index of its plan or None]
        self.retired: list[Any] = []
        self.crash: str | None = None

    def run(self, todo: list[int], workers: int) -> None:
        self.pending.extend(todo)
        try:
            for _ in range(workers):
                self._hand(self._start())
            self._serve()
        except BaseException:  # Ctrl-C, or on_result failed: start no more plans, record the running ones
            self.pending.clear()
            try:
                for conn in [c for c, (_process, index) in self.crews.items() if index is None]:
                    self._hand(conn)  # an idle worker is let go
                self._serve()
            finally:
                self._stop()
            raise
        self._stop()
        if self.crash:
            raise RuntimeError(self.crash)

    def _serve(self) -> None:
        from multiprocessing.connection import wait

        while self.crews:
            ready = wait([*self.crews, *(crew[0].sentinel for crew in self.crews.values())])
            for conn, (process, index) in list(self.crews.items()):
                if conn in ready or conn.poll():
                    try:
                        index, result, recorded, crash = conn.recv()
                    except (EOFError, OSError):
                        self._dead(conn)
                        continue
                    self.manifest.merge(recorded)
                    self.crews[conn][1] = None
                    if crash is not None:  # a bug, not a fault of the input: its traceback, once the others stop
                        self.crash = f"worker process failed on plan {self.targets[index]}:\n{crash}"
                        self.pending.clear()
                    else:
                        self.ordered.put(index, result, self.on_done)
                    self._hand(conn)
                elif process.sentinel in ready:
                    self._dead(conn)

    def _start(self) -> Any:
        mine, theirs = self.context.Pipe()
        process = self.context.Process(target=_worker, args=(theirs, *self.job, os.getpid()), daemon=True)
        process.start()
        theirs.close()
        self.crews[mine] = [process, None]
        return mine

    def _hand(self, conn: Any) -> None:
        """Give the worker its next plan, or let it go."""
        if not self.pending:
            conn.send(None)
            self.retired.append(self.crews.pop(conn)[0])
            return
        index = self.pending.popleft()
        target = self.targets[index]
        mine = self.manifest.under(self.ws.plan_output(target.agency, target.year, target.province).parent, self.ws.root)
        conn.send((index, target, mine))
        self.crews[conn][1] = index

    def _dead(self, conn: Any) -> None:
        process, index = self.crews.pop(conn)
        process.join()
        if index is not None:
            target = self.targets[index]
            self.ordered.put(index, BuildResult(target, error=died(self.ws, target, process.exitcode)), self.on_done)
        if self.pending:
            self._hand(self._start())

    def _stop(self) -> None:
        for conn, (process, _index) in list(self.crews.items()):
            process.kill()
            process.join()
        for process in self.retired:
            process.join()


def died(ws: Workspace, target: Target, code: int | None) -> OutputError:
    """The error of a plan whose worker process died while building it."""
    import signal

    try:
        how = f"bị dừng bởi tín hiệu {signal.Signals(-code).name}" if code is not None and code < 0 \
            else f"mã thoát {code}"
    except ValueError:
        how = f"bị dừng bởi tín hiệu {-code}" if code is not None else "không rõ lý do"
    return OutputError.single(f"tiến trình xuất kế hoạch {target.agency} {target.year} đã dừng đột ngột ({how}), "
                              "kế hoạch này chưa xuất xong",
                              file=ws.shown(ws.spec_file(target.province, target.agency, target.year)), exit_code=3,
                              hint="Các kế hoạch khác vẫn được xuất và ghi sổ. Chạy lại lệnh để xuất nốt kế hoạch này; "
                                   f"nếu lại dừng, chạy riêng: kehoach build --agency {target.agency} --year {target.year}"
                                   " và kiểm tra bộ nhớ còn trống của máy.")


def _worker(conn: Any, ws: Workspace, overrides: dict[str, Any] | None, force: bool, pdf: bool, parent: int) -> None:
    """A worker process: plans from the pipe, one at a time, until told to stop or the parent is gone."""
    import signal
    import traceback

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops handing out plans
    _die_with(parent)
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        index, target, manifest = job
        try:
            result = _guarded(target, lambda: build(ws, target, overrides, force=force, manifest=manifest, pdf=pdf))
            conn.send((index, result, manifest.recorded, None))
        except Exception:
            conn.send((index, None, manifest.recorded, traceback.format_exc()))


def _die_with(parent: int) -> None:
    """End this process when ``parent`` ends: asked of the system on Linux, watched from a thread elsewhere."""
    import signal
    import threading
    import time

    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, daemon=True).start()


def _guarded(target: Target, run: Callable[[], BuildResult | None]) -> Any:
    try:
        return run()
    except KehoachError as exc:
        return BuildResult(target, error=exc)


class _InOrder:
    """Hands results on in the order of the targets, as soon as each and all before it are done."""

    def __init__(self, targets: list[Target], on_result: OnResult | None) -> None:
        self.slots: list[BuildResult | None] = [None] * len(targets)
        self.next = 0
        self.on_result = on_result

    def put(self, index: int, result: BuildResult, on_done: OnDone | None) -> None:
        self.slots[index] = result
        if on_done:
            on_done(result.target)
        while self.next < len(self.slots) and (ready := self.slots[self.next]) is not None:
            if self.on_result:
                self.on_result(ready)
            self.next += 1

    def results(self) -> list[BuildResult]:
        return [r for r in self.slots if r is not None]
