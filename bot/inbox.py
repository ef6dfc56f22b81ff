"""Storing every inbound message before the reply: one prepared INSERT on a connection kept per thread.

This is on the webhook's hot path, so it bypasses SQLAlchemy's execution machinery (about 0.4 ms of
CPU a message): the SQL is built once from the table, values go through the columns' own bind
processors (SQLite datetimes; JSON as text), and each web thread keeps one autocommit DBAPI connection
detached from the pool. The INSERT is its own transaction: one round trip, committed before the
reply is sent.
"""
from __future__ import annotations

import json
import logging
import threading
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from sqlalchemy import JSON

from bot.db import Database
from bot.models import InboundMessage
from handlers.messages import Inbound

log = logging.getLogger(__name__)

COLUMNS = ("dedup_key", "openid", "msg_type", "event", "content", "media_id", "payload", "sent_at")


class Inbox:
    """The INSERT ... ON CONFLICT (dedup_key) DO NOTHING of one database, with per-thread connections."""

    def __init__(self, db: Database):
        engine = db.engine
        self.engine = engine
        table = InboundMessage.__table__
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self.sql = (f"INSERT INTO {table.name} ({', '.join(COLUMNS)}) VALUES ({', '.join([mark] * len(COLUMNS))}) "
                    "ON CONFLICT (dedup_key) DO NOTHING")
        self.processors = [_to_json if isinstance(table.c[name].type, JSON) else
                           table.c[name].type.bind_processor(engine.dialect) for name in COLUMNS]
        self.lost_connection = tuple(getattr(engine.dialect.dbapi, name) for name in
                                     ("OperationalError", "InterfaceError"))
        self.local = threading.local()

    def store(self, dedup_key: str, message: Inbound) -> None:
        """Insert the message once; a retry with the same key is ignored."""
        values = [value if process is None or value is None else process(value)
                  for value, process in zip(row(dedup_key, message), self.processors)]
        try:
            self._execute(values)
        except self.lost_connection:  # the server restarted or dropped us: one fresh connection, once
            log.warning("inbound store: database connection lost, reconnecting")
            self._discard()
            self._execute(values)

    def _execute(self, values: list[Any]) -> None:
        connection = self._connection()
        cursor = connection.cursor()
        try:
            cursor.execute(self.sql, values)
        finally:
            cursor.close()

    def _connection(self):
        connection = getattr(self.local, "connection", None)
        if connection is None:
            proxied = self.engine.raw_connection()  # runs the engine's connect hooks (SQLite pragmas)
            connection = proxied.driver_connection
            proxied.detach()  # ours for the thread's life: not counted in, nor returned to, the pool
            if self.engine.dialect.name == "sqlite":
                connection.isolation_level = None  # autocommit: the INSERT is its own transaction
            else:
                connection.autocommit = True
            self.local.connection = connection
        return connection

    def _discard(self) -> None:
        connection, self.local.connection = getattr(self.local, "connection", None), None
        if connection is not None:
            try:
                connection.close()
            except Exception:  # already broken: nothing more to do
                pass


def row(dedup_key: str, message: Inbound) -> tuple:
    """The column values of COLUMNS, in order."""
    payload = {}
    if message.location:
        payload["location"] = message.location
    if message.url:
        payload["url"] = message.url
    sent_at = datetime.fromtimestamp(message.create_time, timezone.utc) if message.create_time else None
    return (dedup_key, message.openid, message.msg_type, message.event[:48] or None,
            message.text or message.event_key or None, message.media_id[:128] or None, payload or None, sent_at)


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@lru_cache(maxsize=2)
def _inbox(db: Database) -> Inbox:
    return Inbox(db)


def store_inbound(db: Database, dedup_key: str, message: Inbound) -> None:
    """Insert the message once, before the reply; a retry with the same key is ignored."""
    _inbox(db).store(dedup_key, message)
