"""The objects a command keeps to its end, left out of the garbage collector's full collections.

A plan's inputs (its YAML data, the validated and merged plan, the document's context) stay alive while
its documents and workbooks are written. Each full collection in that time walks them again: at 10,000
tasks a single one costs a quarter of a second, and it comes in the middle of writing the trackers
(BENCHMARKS.md, "Large plans"). :func:`settled` puts what is alive on entry in the collector's permanent
generation (``gc.freeze``) and gives it back on exit (``gc.unfreeze``): nothing is kept longer than before,
since objects freed by their reference count go at once, and cycles among the settled ones are collected
by the first full collection after the block. Nested blocks give everything back at the outermost exit.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = [0]


@contextmanager
def settled() -> Iterator[None]:
    """Within the block, the collector leaves out of its collections what was alive on entry."""
    gc.freeze()
    _depth[0] += 1
    try:
        yield
    finally:
        _depth[0] -= 1
        if not _depth[0]:
            gc.unfreeze()
