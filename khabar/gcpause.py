"""Pausing Python's cyclic garbage collector around a burst of acyclic allocations.

Reading a large prediction file or tagging a long text allocates millions of small objects
that never form a cycle (parsed JSON, spans, tokens). Each burst of allocations triggers
collections that walk the whole heap, which grows with every object kept, so collecting
costs more the more is read; reference counting still frees every one of those objects.

Within one command-line run (`run_scope`), what outlives a pause (the gold, the predictions)
lives to the end of the run, yet every collection after the pause would walk it again: a
pause there starts with a collection (so no garbage of before is kept) and ends by moving
every object to the collector's permanent generation (`gc.freeze`), where no collection
looks. Reference counting still frees them. A library caller (a long-lived process) gets
plain pauses: nothing of its own is frozen.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_in_run_scope = False


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (restored as it was, also on error)."""
    was_enabled = gc.isenabled()
    freezing = was_enabled and _in_run_scope
    if freezing:
        gc.collect()
    gc.disable()
    try:
        yield
    finally:
        if freezing:
            gc.freeze()
        if was_enabled:
            gc.enable()


@contextmanager
def run_scope(*, process_ends: bool = False) -> Iterator[None]:
    """The run of one command: objects that outlive a pause are frozen (see above). When the
    process ends with the run (`process_ends`), they stay frozen, sparing the full collection
    of the interpreter's exit from walking them all; otherwise (a test or a script running
    commands in its own process) they are returned to the collector when the run ends."""
    global _in_run_scope
    outer = _in_run_scope
    _in_run_scope = True
    try:
        yield
    finally:
        _in_run_scope = outer
        if not outer and not process_ends:
            gc.unfreeze()
