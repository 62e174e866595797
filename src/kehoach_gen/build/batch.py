"""Build many plans at once (``kehoach build --all``): in parallel worker processes.

The parent holds the workspace lock and the manifest. Plans whose outputs are all current
are answered at once, without starting a worker; the others go to a pool of processes (one
per core by default), each of which renders whole plans: the Kế hoạch and its trackers.
A worker records what it wrote in its own copy of the manifest and sends those entries back
with the result; the parent merges them and saves the manifest once, even when a plan
failed or the build was interrupted, so nothing written is ever left unrecorded.

A plan whose input is wrong does not stop the others: its result carries the error (and
nothing of that plan is written). Results are handed to ``on_result`` in the order of the
targets, as soon as each one and all before it are done; ``on_done`` is called as each plan
finishes, for a progress display.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

from ..errors import KehoachError
from .manifest import Manifest
from .pipeline import BuildResult, build, recording, unchanged
from ..workspace import Target, Workspace

OnDone = Callable[[Target], None]
OnResult = Callable[[BuildResult], None]


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

    ``pdf`` (plans built one after another only) makes each plan's PDF part of its family; a parallel batch
    leaves PDFs to one converter run afterwards (:func:`pipeline.to_pdf`)."""
    ordered = _InOrder(targets, on_result)
    with recording(ws) as manifest:
        todo = []
        for index, target in enumerate(targets):
            done = None if force else _guarded(target, lambda t=target: unchanged(ws, t, manifest, overrides))
            if done is None:
                todo.append(index)
            else:
                ordered.put(index, done, on_done)
        workers = min(jobs or default_jobs(), len(todo))
        if workers <= 1:
            for index in todo:
                target = targets[index]
                result = _guarded(target, lambda t=target: build(ws, t, overrides, force=force, manifest=manifest,
                                                                 pdf=pdf))
                ordered.put(index, result, on_done)
        else:
            _in_pool(ws, targets, todo, overrides, force, manifest, workers, ordered, on_done)
    return ordered.results()


def _in_pool(ws: Workspace, targets: list[Target], todo: list[int], overrides: dict[str, Any] | None,
             force: bool, manifest: Manifest, workers: int, ordered: _InOrder, on_done: OnDone | None) -> None:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # fork where it is safe (Linux): a worker starts in milliseconds with the parent's modules; spawn elsewhere
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_quiet_on_ctrl_c) as pool:
        futures = {}
        for index in todo:
            target = targets[index]
            mine = manifest.under(ws.plan_output(target.agency, target.year, target.province).parent, ws.root)
            futures[pool.submit(_work, ws, target, overrides, force, mine)] = index
        try:
            for future in as_completed(futures):
                result, recorded = future.result()
                manifest.merge(recorded)
                ordered.put(futures[future], result, on_done)
        except BaseException:  # Ctrl-C, or on_result failed: start no more plans, record the running ones
            for future in futures:
                future.cancel()
            for future in futures:
                if not future.cancelled() and future.exception() is None:  # waits for it to finish
                    manifest.merge(future.result()[1])
            raise


def _quiet_on_ctrl_c() -> None:
    """Ctrl-C is the parent's to handle: it stops handing out plans and saves the manifest."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _work(ws: Workspace, target: Target, overrides: dict[str, Any] | None, force: bool,
          manifest: Manifest) -> tuple[BuildResult, dict[str, Any]]:
    """One plan, in a worker process: its result and the manifest entries of what it wrote."""
    result = _guarded(target, lambda: build(ws, target, overrides, force=force, manifest=manifest))
    return result, manifest.recorded


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
