"""Database engine and sessions (SQLAlchemy 2): SQLite by default, PostgreSQL in production."""
from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).with_name("migrations")
# A hot-path statement gives up after this long (a locked table, a stuck server): the webhook must still
# answer within WeChat's 5 s, with a 503 that makes WeChat retry rather than with nothing.
HOT_STATEMENT_TIMEOUT = 2.0
log = logging.getLogger(__name__)


class Database:
    """One engine and session factory per process."""

    def __init__(self, url: str):
        self.url = url
        if url.startswith("sqlite"):
            path = url.split("///", 1)[-1]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.engine = create_engine(url, connect_args={"timeout": 30})
            event.listen(self.engine, "connect", _sqlite_pragmas)
        else:
            # No pre-ping: it costs a round trip on every webhook message. A dropped connection fails one
            # request (503, WeChat retries) and SQLAlchemy then replaces the pool's connections.
            self.engine = create_engine(url, pool_size=5, max_overflow=10, pool_recycle=1800,
                                        connect_args={"connect_timeout": 3})
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        with self.sessions() as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def upgrade(self) -> None:
        """Apply the Alembic migrations up to head."""
        from alembic import command
        from alembic.config import Config as AlembicConfig

        cfg = AlembicConfig()
        cfg.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.begin() as connection:
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @cached_property
    def hot(self) -> HotSQL:
        """Single statements for the webhook's hot path (see HotSQL)."""
        return HotSQL(self.engine, timeout=HOT_STATEMENT_TIMEOUT)


class HotSQL:
    """One-statement SQL on the webhook's hot path, without SQLAlchemy's execution machinery.

    That machinery costs about 0.4 ms of CPU a statement, as much as the rest of a message's database
    work. Each thread keeps one autocommit DBAPI connection, detached from the pool, so a statement
    is one round trip and is committed when it returns. Write SQL with ``{p}`` for each parameter. A statement waits at most
    ``timeout`` seconds (locks included), then raises.
    """

    def __init__(self, engine: Engine, timeout: float):
        self.engine = engine
        self.timeout_ms = int(timeout * 1000)
        self.mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.lost_connection = tuple(getattr(engine.dialect.dbapi, name) for name in
                                     ("OperationalError", "InterfaceError"))
        self.local = threading.local()

    def sql(self, template: str) -> str:
        """``template`` with each ``{p}`` replaced by this driver's parameter marker."""
        return template.replace("{p}", self.mark)

    def execute(self, sql: str, values: Sequence[Any]) -> list[tuple]:
        """Run one statement (from ``sql()``); returns its rows (RETURNING), if any.

        A connection the server dropped (restart, idle timeout) is replaced and the statement run
        once more, so write statements that are safe to repeat."""
        try:
            return self._execute(sql, values)
        except self.lost_connection:
            connection = getattr(self.local, "connection", None)
            if not (getattr(connection, "broken", False) or getattr(connection, "closed", False)):
                raise  # a timeout or a locked database: the connection itself is fine
            log.warning("database connection lost, reconnecting")
            self._discard()
            return self._execute(sql, values)

    def _execute(self, sql: str, values: Sequence[Any]) -> list[tuple]:
        cursor = self._connection().cursor()
        try:
            cursor.execute(sql, values)
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            proxied = self.engine.raw_connection()  # runs the engine's connect hooks (SQLite pragmas)
            connection = proxied.driver_connection
            proxied.detach()  # ours for the thread's life: not counted in, nor returned to, the pool
            if self.engine.dialect.name == "sqlite":
                connection.isolation_level = None  # autocommit: each statement is its own transaction
                connection.execute(f"PRAGMA busy_timeout = {self.timeout_ms}")
            else:
                connection.autocommit = True
                connection.execute(f"SET statement_timeout = {self.timeout_ms}")
            self.local.connection = connection
        return connection

    def _discard(self) -> None:
        connection, self.local.connection = getattr(self.local, "connection", None), None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken: nothing more to do
                pass


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def insert_ignore(engine: Engine, table):
    """INSERT ... ON CONFLICT DO NOTHING for the engine's dialect."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table).on_conflict_do_nothing()
