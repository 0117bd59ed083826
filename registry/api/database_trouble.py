"""What the API says when its SQL copy cannot be read (a corrupt or truncated file, a full or read-only
disk, a database server gone): a 503 that says so in plain words, on the route asked and on `/health`,
instead of a 500 and a stack trace.

A request meets such a failure on the pages it reads, which `/health`'s own small read may never
touch (one corrupt page of a large file), so the last failure is remembered for a while and
`/health` reports it too: a load balancer then takes the server out rather than sending readers to it.
The operator gets the whole story (what it means, what to do) in the server's log; a reader gets what
happened and where to check the records without this server, never the database's address.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from typing import Any

import psycopg
from sqlalchemy.exc import DBAPIError

from registry.api.schemas.common import ApiError
from registry.store.engine import DatabaseUnusable

log = logging.getLogger("registry.api")

#: What a database that fails raises: through SQLAlchemy, or from the drivers themselves on the
#: lookups that use their connections directly (`registry/store/queries/prepared.py`).
DATABASE_ERRORS: tuple[type[Exception], ...] = (DBAPIError, sqlite3.Error, psycopg.Error)
#: How the OpenAPI document declares the answer on every route.
DATABASE_UNAVAILABLE_RESPONSE: dict[int | str, dict[str, Any]] = {
    503: {"model": ApiError, "description": "The registry's database cannot be read just now; the message says why."}
}
#: Seconds a failure met by a request keeps `/health` unavailable after the last time it was met.
REMEMBERED_SECONDS = 60.0
#: Seconds between two log lines about the same problem (a failing database fails every request).
_LOG_EVERY = 10.0


@dataclass(frozen=True)
class DatabaseTrouble:
    """A failure of the database as a reader may be told it."""

    #: What happened, in the reader's words ("it is corrupt").
    what: str
    #: `time.monotonic()` when a request last met it.
    seen_at: float

    @property
    def message(self) -> str:
        return (
            f"the registry's database cannot be read just now: {self.what}. The records on the chain are not "
            "affected: check them against a node of the chain (the portal's check, or `rnd-registry audit-copy`); "
            "the server's operator has been told"
        )


class DatabaseWatch:
    """The database failures requests meet, interpreted, logged once in a while, and remembered."""

    def __init__(self, database_url: str, *, remembered: float = REMEMBERED_SECONDS) -> None:
        self.database_url = database_url
        self.remembered = remembered
        self._last: DatabaseTrouble | None = None
        self._logged: tuple[str, float] = ("", -_LOG_EVERY)
        self._lock = threading.Lock()

    def failed(self, error: BaseException, where: str) -> DatabaseTrouble:
        """Notes that `where` (a method and path) failed with the driver's `error`; returns what to say."""
        unusable = DatabaseUnusable.from_error(self.database_url, error)
        what = unusable.what if unusable.known else "it did not answer as expected (the server's log says how)"
        now = time.monotonic()
        trouble = DatabaseTrouble(what, now)
        with self._lock:
            self._last = trouble
            said, at = self._logged
            due = said != str(unusable) or now - at >= _LOG_EVERY
            if due:
                self._logged = (str(unusable), now)
        if due:
            log.error("%s: %s (%s)", where, unusable, type(error).__name__)
        return trouble

    def recent(self) -> DatabaseTrouble | None:
        """The last failure, if a request met it within the last `remembered` seconds."""
        last = self._last
        if last is None or time.monotonic() - last.seen_at > self.remembered:
            return None
        return last
