"""Opens the registry database, SQLite (the embedded default) or PostgreSQL, and brings its schema up
to date with the Alembic migrations that ship in the package."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from registry.errors import ConfigurationError
from registry.store.schema import metadata

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def database_url(url: str) -> URL:
    """`url` as SQLAlchemy reads it; a bare `postgresql://` gets the psycopg (3) driver this package installs."""
    try:
        parsed = make_url(url)
    except Exception:
        raise ConfigurationError(
            f"{url!r} is not a database URL; expected e.g. sqlite:///registry.db or postgresql://user@host/db"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(f"unsupported database {parsed.get_backend_name()!r}; use SQLite or PostgreSQL")
    return parsed


def describe(url: str) -> str:
    """The URL without its password, for logs and status lines."""
    return database_url(url).render_as_string(hide_password=True)


_REBUILD = "restore it from a backup, or move it away and run `rnd-registry index` to rebuild the copy from the chain"
#: What SQLite's messages mean for the person who runs the registry, and what to do.
_SQLITE_PROBLEMS = (
    ("file is not a database", "it is not a registry database, or it is corrupt", _REBUILD),
    ("database disk image is malformed", "it is corrupt", _REBUILD),
    ("readonly database", "it cannot be written (read-only file, folder or mount)",
     "give the registry's user write access to the file and its folder"),
    ("database or disk is full", "the disk is full", "free space on the disk, then run the command again"),
    ("unable to open database file", "it cannot be opened (missing folder or no permission)",
     "check RND_DATABASE_URL and the folder's permissions"),
)  # fmt: skip


class DatabaseUnusable(ConfigurationError):
    """The database cannot be used: corrupt, not a registry database, read-only, full, unreachable."""

    def __init__(self, url: str, what: str, remedy: str, *, known: bool = True) -> None:
        self.url = url
        self.what = what
        self.remedy = remedy
        #: Whether `what` is one of the problems the registry recognises (else it quotes the driver).
        self.known = known
        super().__init__(f"the database {url} cannot be used: {what}; {remedy}")

    @classmethod
    def from_error(cls, url: str, error: BaseException) -> DatabaseUnusable:
        """What a driver error means, in one line, for the database at `url`."""
        text = (str(getattr(error, "orig", None) or error).strip().splitlines() or [type(error).__name__])[0]
        for found, what, remedy in _SQLITE_PROBLEMS:
            if found in text.lower():
                return cls(describe(url), what, remedy)
        return cls(
            describe(url),
            f"the database answered '{text[:200]}'",
            "check RND_DATABASE_URL and the database",
            known=False,
        )


def open_engine(url: str, *, background_checkpoints: bool = False) -> Engine:
    """An engine for `url`.

    SQLite gets write-ahead logging, so readers (the API, `index status`) never block the writer,
    and a busy timeout instead of failing when two writers meet. With `background_checkpoints`,
    the writer's commits do not copy the log into the database file themselves: `WalCheckpoints`
    does it from a thread, while the writer prepares its next transaction.
    """
    parsed = database_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        _bind_without_adapter_lookups()
        engine = create_engine(parsed, connect_args={"timeout": 30})
        pragmas = (*_SQLITE_PRAGMAS, ("wal_autocheckpoint", "0")) if background_checkpoints else _SQLITE_PRAGMAS

        def configure(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            for name, value in pragmas:
                cursor.execute(f"PRAGMA {name}={value}")
            cursor.close()
            # Let SQLAlchemy, not the driver, begin transactions (see `_begin`).
            dbapi_connection.isolation_level = None

        event.listen(engine, "connect", configure)
        event.listen(engine, "begin", _begin)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def _bind_without_adapter_lookups() -> None:
    """Spares the sqlite3 driver a failed lookup for each `bytes` and `bool` value it binds.

    Before binding a value of a type other than int, float, str and bytearray, the driver looks for
    an adapter, and not finding one costs it an exception raised and cleared (~0.25 µs): a quarter
    of the cost of writing a row of hashes. With these registered, the lookup finds a conversion
    done in C that changes nothing stored: `bytes.__bytes__` hands back the very object, which the
    driver binds as the BLOB it is (a `bytearray` copy, used before, cost an allocation and a copy
    for each hash: a fifth of writing a raw event), and `int(True)` is how SQLite stores a bool
    anyway. The registry is the driver's, process-wide, hence idempotent.
    """
    sqlite3.register_adapter(bytes, bytes.__bytes__)
    sqlite3.register_adapter(bool, int)


def _begin(connection: Connection) -> None:
    # Python's sqlite3 driver begins a transaction only before INSERT, UPDATE or DELETE, so schema
    # changes would run outside one and a migration killed halfway would leave half a schema.
    # Beginning every transaction explicitly makes migrations atomic, as on PostgreSQL.
    connection.exec_driver_sql("BEGIN")


_SQLITE_PRAGMAS = (
    # 16 KiB pages: a quarter of the write calls per committed batch and per checkpoint of 4 KiB ones.
    # Takes effect when the file is created, before the first table (never on an existing database).
    ("page_size", "16384"),
    # WAL with synchronous=NORMAL: a committed transaction survives the process being killed at any
    # instant (only an OS crash or power loss can drop the last commits, and never tears one).
    ("journal_mode", "WAL"),
    ("synchronous", "NORMAL"),
    # The indexes on document hashes take writes at random places: keep their pages in memory (64 MiB).
    ("cache_size", "-65536"),
)


class WalCheckpoints:
    """Copies a SQLite write-ahead log into the database file every `interval` seconds, from a thread
    of its own (SQLite releases the GIL meanwhile); and once more, truncating the log, at `stop`."""

    def __init__(self, engine: Engine, interval: float) -> None:
        self._engine = engine
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="registry-wal-checkpoints", daemon=True)

    @classmethod
    def start(cls, engine: Engine, interval: float = 1.0) -> WalCheckpoints | None:
        """Checkpoints for `engine` if it is SQLite, else None."""
        if engine.dialect.name != "sqlite":
            return None
        checkpoints = cls(engine, interval)
        checkpoints._thread.start()
        return checkpoints

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            self._checkpoint("PASSIVE")

    def _checkpoint(self, mode: str) -> None:
        # On the driver's connection, outside any transaction, which a checkpoint cannot run in.
        connection = self._engine.raw_connection()
        try:
            connection.driver_connection.execute(f"PRAGMA wal_checkpoint({mode})")  # type: ignore[union-attr]
        except sqlite3.Error:  # busy or locked: the next one will do
            pass
        finally:
            connection.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()
        self._checkpoint("TRUNCATE")


def migration_config(connection: Connection) -> Config:
    """Alembic's configuration for this package's migrations, running on `connection`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Brings the schema to `revision` (the newest by default); does nothing if it is there already."""
    with engine.begin() as connection:
        command.upgrade(migration_config(connection), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def check_database(url: str) -> None:
    """Raises `DatabaseUnusable` unless the database at `url` can be opened and read, and its schema is one
    this version of the registry knows (none yet is fine: the indexer creates it)."""
    engine = open_engine(url)
    try:
        with engine.connect() as connection:
            # Reading SQLite's schema version reads the file's header and catalogue: a file that is
            # not a database, or a corrupt one, fails here rather than on the first request.
            connection.exec_driver_sql("PRAGMA schema_version" if engine.dialect.name == "sqlite" else "SELECT 1")
        revision = current_revision(engine)
    except DBAPIError as exc:
        raise DatabaseUnusable.from_error(url, exc) from None
    finally:
        engine.dispose()
    if revision is not None and not _known_revision(revision):
        raise DatabaseUnusable(
            describe(url), f"its schema ({revision}) is newer than this version of the registry knows",
            "run the version of the registry that wrote it, or upgrade this one",
        )  # fmt: skip


def _known_revision(revision: str) -> bool:
    try:
        return ScriptDirectory(str(MIGRATIONS_DIR)).get_revision(revision) is not None
    except CommandError:
        return False


def clear(engine: Engine) -> None:
    """Deletes every indexed row, keeping the schema: the next run reads the chain from the start."""
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
