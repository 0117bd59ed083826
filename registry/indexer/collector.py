"""Python's cycle collector paused while the indexer handles a batch or a range of logs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cycle collector paused for the block, and run once after on the young objects.

    A batch (or a range read, or unpickled from the read-ahead process) allocates hundreds of
    thousands of short-lived objects (rows, events), each freed by its reference count; left on,
    the collector would keep scanning them, and everything the indexer holds, at a cost that
    grows with the batch: for a range unpickled with it on, three times the unpickling itself.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(0)
