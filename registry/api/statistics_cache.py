"""Statistics computed once per state of the indexed database, for the API and the portal.

Adding up a large registry takes seconds (every program's figures over a million records: about
1.5 s; every company's: several), and a public dashboard is asked for them all day. The figures
change only when the indexer writes a registry event (every record comes from one; the blocks in
between, which a QBFT chain makes every second or two, change nothing), or, for "now", as time
passes (a milestone falls overdue, a restriction ends). So an answer is kept while the newest indexed
event is the same one: an answer for a given moment as long as that lasts, an answer for now also
at most `max_age` seconds and never past the end of its UTC day (when milestones fall overdue and
reports late, as every face decides them: `registry.domain.deadlines`), and it says which moment it
holds for (`asOf`) and the block the database is indexed to. Requests for the same figures while they
are being computed wait for that computation instead of starting their own.

Thread-safe: the portal's pages run in worker threads, the API's statistics in others.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, select

from registry.domain import deadlines
from registry.domain.deadlines import overdue_cutoff
from registry.indexer.checkpoint import read_checkpoint
from registry.store import statistics
from registry.store.schema import raw_events

T = TypeVar("T")
V = TypeVar("V")

#: Answers kept at most; the least recently computed goes first.
_SIZE = 256


@dataclass(frozen=True)
class Figures(Generic[T]):
    """Statistics as computed: for the moment `as_of` (unix seconds), from the database indexed up
    to `indexed_block`."""

    value: T
    as_of: int
    indexed_block: int | None
    #: The newest indexed event when the figures were added up: they hold while it is.
    version: tuple[Any, ...] | None
    computed_at: float  # time.monotonic()
    _views: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def view(self, name: str, make: Callable[[Figures[T]], V]) -> V:
        """`make(self)`, made once for these figures (the API's response models of them, say): a view
        is kept as long as the figures are. Two threads may both make it; either result is the same."""
        found = self._views.get(name)
        if found is None:
            found = self._views[name] = make(self)
        return found


class StatisticsCache:
    """`figures(key, as_of, compute)`: `compute(connection, moment)`, or its answer kept from before;
    `programs(...)` and `companies(...)` for the figures of `registry.store.statistics`."""

    def __init__(self, engine: Engine, *, max_age: float) -> None:
        self._engine = engine
        self._max_age = max_age
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, Figures[Any]] = OrderedDict()
        self._running: dict[Hashable, threading.Event] = {}

    def figures(self, key: Hashable, as_of: int | None, compute: Callable[[Connection, int], T]) -> Figures[T]:
        """The figures `key` names for the moment `as_of` (unix seconds; None for now). `key` must
        say everything `compute` depends on except the moment."""
        entry = (key, as_of)
        while True:
            with self._engine.connect() as connection:
                checkpoint = read_checkpoint(connection)
                indexed = checkpoint.indexed_block if checkpoint is not None else None
                version = _newest_event(connection)
                with self._lock:
                    found = self._answers.get(entry)
                    if found is not None and found.version == version and self._fresh(found, as_of):
                        # The blocks indexed since hold no event: the figures hold up to the newest.
                        return found if found.indexed_block == indexed else replace(found, indexed_block=indexed)
                    running = self._running.get(entry)
                    if running is None:
                        self._running[entry] = threading.Event()
                if running is None:
                    return self._compute(entry, connection, (indexed, version), as_of, compute)
            running.wait()  # then look again: usually the answer is there now

    def programs(
        self, as_of: int | None, *, year: int | None = None, program_id: int | None = None
    ) -> Figures[list[statistics.ProgramStatistics]]:
        """`registry.store.statistics.program_statistics`, kept."""
        return self.figures(
            ("programs", year, program_id), as_of,
            lambda connection, moment: statistics.program_statistics(
                connection, as_of=moment, year=year, program_id=program_id
            ),
        )  # fmt: skip

    def companies(
        self, as_of: int | None, *, company_id: bytes | None = None
    ) -> Figures[list[statistics.CompanyStatistics]]:
        """`registry.store.statistics.company_statistics`, kept."""
        return self.figures(
            ("companies", company_id), as_of,
            lambda connection, moment: statistics.company_statistics(connection, as_of=moment, company_id=company_id),
        )  # fmt: skip

    def report_years(
        self, as_of: int | None, *, program_year: int | None = None
    ) -> Figures[list[statistics.ReportYearStatistics]]:
        """`registry.store.statistics.report_year_statistics`, kept."""
        return self.figures(
            ("report years", program_year), as_of,
            lambda connection, _moment: statistics.report_year_statistics(connection, program_year=program_year),
        )  # fmt: skip

    def _fresh(self, found: Figures[Any], as_of: int | None) -> bool:
        if as_of is not None:
            return True
        if overdue_cutoff(deadlines.now_seconds()) != overdue_cutoff(found.as_of):
            return False  # a UTC day ended since: milestones fall overdue and reports late at midnight
        return time.monotonic() - found.computed_at <= self._max_age

    def _compute(
        self,
        entry: tuple[Hashable, int | None],
        connection: Connection,
        state: tuple[int | None, tuple[Any, ...] | None],
        as_of: int | None,
        compute: Callable[[Connection, int], T],
    ) -> Figures[T]:
        try:
            moment = as_of if as_of is not None else deadlines.now_seconds()
            figures = Figures(compute(connection, moment), moment, state[0], state[1], time.monotonic())
            with self._lock:
                self._answers[entry] = figures
                self._answers.move_to_end(entry)
                while len(self._answers) > _SIZE:
                    self._answers.popitem(last=False)
            return figures
        finally:
            with self._lock:
                self._running.pop(entry).set()


def _newest_event(connection: Connection) -> tuple[Any, ...] | None:
    """The newest indexed event's place and block hash (read backwards along the primary key). It
    changes whenever the records do: with each new event, and when a reorganization takes events
    back (the newest left is another, or the same place in another block)."""
    row = connection.execute(
        select(raw_events.c.chain_id, raw_events.c.block_number, raw_events.c.log_index, raw_events.c.block_hash)
        .order_by(raw_events.c.chain_id.desc(), raw_events.c.block_number.desc(), raw_events.c.log_index.desc())
        .limit(1)
    ).first()
    return None if row is None else (int(row[0]), int(row[1]), int(row[2]), bytes(row[3]))
