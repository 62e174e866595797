"""heap.settled: what is alive on entry is left out of the collector's walks, and given back on exit."""

from __future__ import annotations

import gc
import pytest

from kehoach_gen.build import pipeline
from kehoach_gen.heap import settled
from kehoach_gen.workspace import Target, Workspace


class Cycle:
    def __init__(self) -> None:
        self.me = self


@pytest.fixture(autouse=True)
def _nothing_frozen() -> None:
    gc.unfreeze()


def test_settled_freezes_what_is_alive_and_gives_it_back() -> None:
    kept = Cycle()
    with settled():
        assert gc.get_freeze_count() > 0
        gc.collect()
        assert gc.is_tracked(kept)
    assert gc.get_freeze_count() == 0


def test_nested_blocks_give_everything_back_at_the_outermost_exit() -> None:
    with settled():
        outer = gc.get_freeze_count()
        with settled():
            assert gc.get_freeze_count() >= outer
        assert gc.get_freeze_count() >= outer > 0  # the inner exit keeps the outer block's objects frozen
    assert gc.get_freeze_count() == 0


def test_a_cycle_settled_and_dropped_is_collected_after_the_block() -> None:
    import weakref

    garbage = Cycle()
    gone = weakref.ref(garbage)
    with settled():
        del garbage
        gc.collect()
        assert gone() is not None  # frozen: the collector leaves it alone
    gc.collect()
    assert gone() is None


def test_a_build_leaves_nothing_frozen(small_ws: Workspace) -> None:
    """A watch builds again and again in one process: each build gives back what it froze."""
    import shutil

    from conftest import REPO

    shutil.copytree(REPO / "templates", small_ws.root / "templates")
    with pipeline.recording(small_ws) as manifest:
        result = pipeline.build(small_ws, Target("tinh-a", "STP", 2025), manifest=manifest)
    assert result.written
    assert gc.get_freeze_count() == 0
