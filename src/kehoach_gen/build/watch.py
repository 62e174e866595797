"""`kehoach watch`: re-render what a saved spec or template affects, until Ctrl-C.

Which plans a change affects: an agency spec -> that plan; a registry, master plan or
template -> every plan of that province (and year, for a master). Validation errors are
reported and the watch goes on; the next save is checked again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from .batch import build_many
from ..errors import KehoachError
from .pipeline import BuildResult, targets
from ..workspace import Target, Workspace


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


def watch(ws: Workspace, province: str, on_built: Callable[[list[BuildResult]], None],
          on_error: Callable[[KehoachError], None], on_ready: Callable[[], None] | None = None) -> None:
    """Block, rebuilding on every save; return when interrupted (Ctrl-C)."""
    from watchfiles import watch as changes

    def relevant(_change: object, name: str) -> bool:
        return name.endswith((".yaml", ".docx")) and "/~$" not in name and not Path(name).name.startswith(".")

    ready = False
    try:
        # yield_on_timeout: the first (empty) batch tells us the watcher is running
        for batch in changes(ws.specs, ws.templates, watch_filter=relevant, raise_interrupt=True,
                             yield_on_timeout=True, rust_timeout=300):
            if not ready:
                ready = True
                if on_ready:
                    on_ready()
            if not batch:
                continue
            try:
                chosen = affected(ws, province, [Path(p) for _, p in batch])
                results = build_many(ws, chosen, jobs=1) if chosen else []  # one process: the watcher has threads
                on_built([r for r in results if r.error is None])
                for result in results:
                    if result.error is not None:
                        on_error(result.error)
            except KehoachError as exc:
                on_error(exc)
    except KeyboardInterrupt:
        return
