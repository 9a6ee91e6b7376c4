"""Garbage-collector pauses (`khabar.gcpause`): restored as they were, and frozen only in a run."""

from __future__ import annotations

import gc
import weakref

import pytest

from khabar.gcpause import paused_gc, run_scope


class Node:
    """An object that can be put in a reference cycle."""

    def __init__(self) -> None:
        self.other: Node | None = None


def _cyclic_garbage() -> weakref.ref:
    """A reference cycle nothing points to any more (only the collector frees it)."""
    first, second = Node(), Node()
    first.other, second.other = second, first
    return weakref.ref(first)


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_a_pause_restores_the_collector_also_on_error(unfrozen) -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), paused_gc():
        raise RuntimeError("while paused")
    assert gc.isenabled()
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()  # left as it was: disabled
    finally:
        gc.enable()


def test_outside_a_run_a_pause_freezes_nothing(unfrozen) -> None:
    with paused_gc():
        kept = [Node() for _ in range(100)]
    assert gc.get_freeze_count() == 0
    assert len(kept) == 100


def test_in_a_run_a_pause_collects_first_and_freezes_what_outlives_it(unfrozen) -> None:
    garbage = _cyclic_garbage()
    with run_scope():
        with paused_gc():
            assert garbage() is None  # collected before the pause: no garbage of before is frozen
            kept = [Node() for _ in range(100)]
        assert gc.get_freeze_count() >= len(kept)
        # Frozen objects are still freed by reference counting.
        probe = weakref.ref(kept[0])
        del kept
        assert probe() is None
    assert gc.get_freeze_count() == 0  # a run in a process that goes on gives them back
    with paused_gc():  # the scope is over: a plain pause again
        pass
    assert gc.get_freeze_count() == 0


def test_a_run_that_ends_the_process_keeps_them_frozen(unfrozen) -> None:
    with run_scope(process_ends=True), paused_gc():
        kept = [Node() for _ in range(100)]
    assert gc.get_freeze_count() >= len(kept)
