"""The cycle collector is off while a batch is handled, and back on after, even when the batch fails."""

from __future__ import annotations

import gc

import pytest

from registry.indexer.collector import collector_paused


def test_the_collector_is_paused_inside_and_running_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_failing_batch_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError, match="batch failed"), collector_paused():
        raise RuntimeError("batch failed")
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
