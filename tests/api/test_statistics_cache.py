"""The statistics cache (registry/api/statistics_cache.py): figures are added up once per state of
the database, an answer for now is reused only for its maximum age, and requests arriving while the
figures are being added up wait for that one computation."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, delete, update

from registry.api.statistics_cache import StatisticsCache
from registry.domain import deadlines
from registry.store.engine import open_engine, upgrade
from registry.store.schema import indexer_state, raw_events

GRANTS = "0x5FbDB2315678afecb367f032d93F642f64180aa3"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = open_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    upgrade(engine)
    with engine.begin() as connection:
        connection.execute(indexer_state.insert().values(
            id=1, chain_id=31337, grant_registry=GRANTS, deploy_block=1, indexed_block=10,
            indexed_block_hash=b"\x01" * 32,
        ))  # fmt: skip
    yield engine
    engine.dispose()


def index_block(engine: Engine, number: int, *, events: int = 0) -> None:
    """What the indexer writes for a block: its events, if it has any, and the checkpoint."""
    with engine.begin() as connection:
        for log_index in range(events):
            connection.execute(raw_events.insert().values(
                chain_id=31337, block_number=number, log_index=log_index, block_hash=bytes([number]) * 32,
                transaction_hash=bytes([log_index]) * 32, transaction_index=0, address=GRANTS, topic0=None,
                topic1=None, topic2=None, topic3=None, data=b"", event="ProgramCreated",
            ))  # fmt: skip
        connection.execute(update(indexer_state).values(indexed_block=number, indexed_block_hash=bytes([number]) * 32))


class Counting:
    """A computation that counts its runs and answers with the moment it was asked for."""

    def __init__(self, pause: float = 0.0) -> None:
        self.runs = 0
        self.pause = pause
        self.lock = threading.Lock()

    def __call__(self, connection: Connection, moment: int) -> tuple[int, int]:
        with self.lock:
            self.runs += 1
            run = self.runs
        time.sleep(self.pause)
        return run, moment


def test_figures_for_a_given_moment_are_added_up_once_until_the_indexer_writes_an_event(engine: Engine) -> None:
    cache = StatisticsCache(engine, max_age=0)
    compute = Counting()
    first = cache.figures("programs", 1_600_000_000, compute)
    assert (first.value, first.as_of, first.indexed_block) == ((1, 1_600_000_000), 1_600_000_000, 10)
    assert cache.figures("programs", 1_600_000_000, compute).value == (1, 1_600_000_000)
    assert cache.figures("programs", 1_700_000_000, compute).value == (2, 1_700_000_000)  # another moment
    assert cache.figures("companies", 1_600_000_000, compute).value == (3, 1_600_000_000)  # other figures

    index_block(engine, 11)  # an empty block, as a QBFT chain makes every second or two
    same = cache.figures("programs", 1_600_000_000, compute)
    assert (same.value, same.indexed_block) == ((1, 1_600_000_000), 11)

    index_block(engine, 12, events=2)
    again = cache.figures("programs", 1_600_000_000, compute)
    assert (again.value, again.indexed_block) == ((4, 1_600_000_000), 12)
    assert compute.runs == 4


def test_a_reorganization_that_takes_events_back_is_a_new_state(engine: Engine) -> None:
    cache = StatisticsCache(engine, max_age=60)
    compute = Counting()
    index_block(engine, 11, events=1)
    index_block(engine, 12, events=1)
    assert cache.figures("programs", None, compute).value[0] == 1
    with engine.begin() as connection:  # the indexer's rollback of block 12
        connection.execute(delete(raw_events).where(raw_events.c.block_number == 12))
    index_block(engine, 12)
    assert cache.figures("programs", None, compute).value[0] == 2


def test_figures_for_now_are_reused_only_for_their_maximum_age_and_say_when_now_was(engine: Engine) -> None:
    cache = StatisticsCache(engine, max_age=0.3)
    compute = Counting()
    first = cache.figures("programs", None, compute)
    assert abs(first.as_of - time.time()) < 5 and first.value == (1, first.as_of)
    assert cache.figures("programs", None, compute) == first
    time.sleep(0.4)
    assert cache.figures("programs", None, compute).value[0] == 2

    never = StatisticsCache(engine, max_age=0)
    assert [never.figures("programs", None, compute).value[0] for _ in range(2)] == [3, 4]


def test_figures_for_now_are_not_reused_past_the_end_of_their_utc_day(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At midnight UTC milestones fall overdue and reports late, as the record pages decide them at once."""
    cache = StatisticsCache(engine, max_age=3600)
    compute = Counting()
    evening = int(datetime(2026, 3, 31, 23, 59, 30, tzinfo=UTC).timestamp())
    monkeypatch.setattr(deadlines, "now_seconds", lambda: evening)
    assert cache.figures("programs", None, compute).value == (1, evening)
    monkeypatch.setattr(deadlines, "now_seconds", lambda: evening + 20)
    assert cache.figures("programs", None, compute).value == (1, evening)  # the same day: kept
    monkeypatch.setattr(deadlines, "now_seconds", lambda: evening + 40)
    assert cache.figures("programs", None, compute).value == (2, evening + 40)  # April 1: figured again


def test_requests_arriving_while_figures_are_added_up_wait_for_that_one_computation(engine: Engine) -> None:
    cache = StatisticsCache(engine, max_age=60)
    compute = Counting(pause=0.3)
    answers = []

    def ask() -> None:
        answers.append(cache.figures("companies", None, compute).value)

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert compute.runs == 1 and len(answers) == 6 and len(set(answers)) == 1


def test_a_failed_computation_is_not_kept_and_does_not_leave_others_waiting(engine: Engine) -> None:
    cache = StatisticsCache(engine, max_age=60)

    def broken(connection: Connection, moment: int) -> int:
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        cache.figures("programs", None, broken)
    assert cache.figures("programs", None, lambda connection, moment: 7).value == 7
