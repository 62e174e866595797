"""`kehoach watch`: re-render what a saved spec or template affects, until Ctrl-C.

Which plans a change affects: an agency spec -> that plan; a registry, master plan or
template -> every plan of that province (and year, for a master). Each plan is built as by
``kehoach build`` (the same bytes, one family written all together or not at all, the lock and
the manifest), in this process, which keeps what did not change between two saves (see reuse.py)
and warmed up before it says it is watching.

A save is taken as soon as no watched file changed for ``STEP_MS`` (the events of one save, in
place, through a temporary file and a rename, or truncate-then-write, come within a few
milliseconds). Editors do not all save in one go (a network share may deliver a file in parts):
a plan whose input does not validate is reported only once its files stayed unchanged for
``SETTLE`` seconds; a later change builds it again, and a plan that builds after an error
reported says so. With ``pdf`` the PDF of each rewritten document is converted right after the
document is in place (the document does not wait for the PDF).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

from ..errors import KehoachError
from .batch import build_many
from .pipeline import BuildResult, targets
from .reuse import enable, warm_up
from ..workspace import Target, Workspace

STEP_MS = 20  # a save is taken once nothing watched changed for this long
DEBOUNCE_MS = 500  # changes that keep coming (a checkout of many files) are taken at least this often
TICK_MS = 100  # with nothing saved the loop still wakes this often: errors that settled are reported
SETTLE = 0.4  # seconds a file must stay unchanged before an error in it is reported (a save in parts)
WRITTEN = ("created", "updated", "replaced")


@dataclass
class Report:
    """Where the watch tells what happened (the CLI prints it)."""

    ready: Callable[[], None]
    built: Callable[[BuildResult], None]  # a plan that wrote something
    failed: Callable[[KehoachError], None]
    fixed: Callable[[Target], None]  # a plan that builds again after its error was reported
    pdf: Callable[[Path], None]


def affected(ws: Workspace, province: str, changed: Iterable[Path]) -> list[Target]:
    """The plans whose output depends on any of the ``changed`` files."""
    everything = targets(ws, province, None, None, True)
    hit: set[Target] = set()
    for path in changed:
        path = path.resolve()
        if path.suffix == ".docx" and path.parent == ws.templates.resolve():
            return everything
        try:
            rel = path.relative_to(ws.province_dir(province).resolve())
        except ValueError:
            continue
        parts = rel.parts
        if parts == ("registry.yaml",):
            return everything
        if len(parts) == 1 and parts[0].startswith("master-") and parts[0][7:-5].isdigit():
            year = int(parts[0][7:-5])
            hit.update(t for t in everything if t.year == year)
        elif len(parts) == 2 and parts[1].endswith(".yaml") and parts[1][:-5].isdigit():
            hit.update(t for t in everything if (t.agency, t.year) == (parts[0], int(parts[1][:-5])))
    return sorted(hit, key=lambda t: (t.year, t.agency))


def relevant(_change: object, name: str) -> bool:
    """A spec or a template; not an editor's backup (``~``), lock (``~$``), swap or temporary (``.…``) file."""
    base = Path(name).name
    return name.endswith((".yaml", ".docx")) and not base.startswith(("~$", "."))


def watch(ws: Workspace, province: str, report: Report, *, pdf: bool = False) -> None:
    """Block, rebuilding on every save; return when interrupted (Ctrl-C)."""
    from watchfiles import watch as changes

    session = _Session(ws, province, report, pdf)
    enable()  # this process remembers what it rendered, to render only what a save changed
    _stop_on_signals()
    try:
        _warm_up(ws, province, pdf)
        ready = False
        # yield_on_timeout: the first (empty) batch tells us the watcher is running
        for batch in changes(ws.specs, ws.templates, watch_filter=relevant, debounce=DEBOUNCE_MS, step=STEP_MS,
                             rust_timeout=TICK_MS, yield_on_timeout=True, raise_interrupt=True):
            if not ready:
                ready = True
                report.ready()
            if batch:
                session.saved([Path(p) for _, p in batch])
            session.settle()
    except KeyboardInterrupt:
        return


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _stop_on_signals() -> None:
    """Ctrl-C, ``kill -INT`` and ``kill -TERM`` all end the watch the same clean way, also when it was started in
    the background by a script (where a shell starts it with SIGINT ignored)."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, _interrupt)


def _warm_up(ws: Workspace, province: str, pdf: bool) -> None:
    """Before the watch says it is ready: what the first rebuild would load (and, with ``pdf``, the converter)."""
    try:
        warm_up(ws, targets(ws, province, None, None, True))
    except KehoachError:
        pass  # no plan yet: nothing to warm up
    if pdf:  # LibreOffice started in the background while the first plan warms up, kept for the watch
        from .pdf import warm_up as start_converters

        start_converters()


class _Session:
    """What one watch has built and reported: errors waiting to settle, plans whose error is on screen."""

    def __init__(self, ws: Workspace, province: str, report: Report, pdf: bool) -> None:
        self.ws, self.province, self.report, self.pdf = ws, province, report, pdf
        # by plan (None: no plan could be chosen; ("pdf", plan): its PDF)
        self.waiting: dict[Hashable, tuple[float, KehoachError]] = {}  # errors waiting for their files to settle
        self.shown: dict[Hashable, str] = {}  # the error on screen, until the plan builds

    def saved(self, paths: list[Path]) -> None:
        """Build the plans the changed files affect; hold their errors until the files settle."""
        try:
            chosen = affected(self.ws, self.province, paths)
        except KehoachError as exc:
            self._hold(None, exc)
            return
        self.waiting.pop(None, None)
        self.shown.pop(None, None)
        if not chosen:  # a spec of another province, or one deleted
            return
        try:  # one plan in this warm process; several (a master plan, the registry, the template) one worker per core
            results = build_many(self.ws, chosen, jobs=1 if len(chosen) == 1 else None, on_result=self._built)
            if self.pdf:
                self._pdfs([r for r in results if r.error is None])
        except KehoachError as exc:  # not the input's fault (the lock, a full disk): said at once
            self._show("output", exc)
            return
        self.shown.pop("output", None)

    def _built(self, result: BuildResult) -> None:
        """One plan built (as soon as it is, in the order of the plans)."""
        if result.error is not None:
            self._hold(result.target, result.error)
            return
        self.waiting.pop(result.target, None)
        if self.shown.pop(result.target, None) is not None:
            self.report.fixed(result.target)
        if any(o.action != "unchanged" for o in result.outcomes):
            self.report.built(result)

    def settle(self) -> None:
        """Report the errors of files that stayed as they were for ``SETTLE`` seconds."""
        now = time.monotonic()
        for key, (since, error) in list(self.waiting.items()):
            if now - since >= SETTLE:
                del self.waiting[key]
                self._show(key, error)

    def _hold(self, key: Hashable, error: KehoachError) -> None:
        self.waiting[key] = (time.monotonic(), error)

    def _show(self, key: Hashable, error: KehoachError) -> None:
        text = "\n".join(p.render() for p in error.problems)
        if text not in self.shown.values():  # the same error (saved again; a master plan's, of each plan): said once
            self.report.failed(error)
        self.shown[key] = text

    def _pdfs(self, results: list[BuildResult]) -> None:
        """The PDF of each document written (or whose PDF is missing or older), once the document is in place."""
        from ..output import staged, writing
        from .manifest import build_lock
        from .pdf import stage_pdf

        plans = [(r.target, self.ws.plan_output(r.target.agency, r.target.year, r.target.province)) for r in results
                 if r.outcomes and r.outcomes[0].action != "kept"]  # a document edited by hand: no PDF of it
        if not plans:
            return
        with build_lock(self.ws.output):  # no other command replaces a document while its PDF is made
            for target, document in plans:
                try:
                    with writing(document.parent), staged() as family:
                        made = stage_pdf(family, document, self.ws.shown(document.with_suffix(".pdf")))
                except KehoachError as exc:
                    self._show(("pdf", target), exc)
                    continue
                self.shown.pop(("pdf", target), None)
                if made is not None:
                    self.report.pdf(made[0])
