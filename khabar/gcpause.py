"""Pausing Python's cyclic garbage collector around a burst of acyclic allocations.

Reading a large prediction file or tagging a long text allocates millions of small objects
that never form a cycle (parsed JSON, spans, tokens). Each burst of allocations triggers
collections that walk the whole heap, which grows with every object kept, so collecting
costs more the more is read; reference counting still frees every one of those objects.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for the block (restored as it was, also on error)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
