"""Storing every inbound message before the reply: one INSERT, committed before the passive reply.

On the hot path, so it runs through ``Database.hot`` (one round trip, no ORM); values go through the
columns' own bind processors (SQLite datetimes), JSON as text.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any, Callable

from sqlalchemy import JSON

from bot.db import Database
from bot.models import InboundMessage
from handlers.messages import Inbound

COLUMNS = ("dedup_key", "openid", "msg_type", "event", "content", "media_id", "payload", "sent_at")


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


@lru_cache(maxsize=4)
def _statement(db: Database) -> tuple[str, list[Callable[[Any], Any] | None]]:
    """The INSERT ... ON CONFLICT DO NOTHING and each column's value converter, built once per database."""
    table = InboundMessage.__table__
    sql = db.hot.sql(f"INSERT INTO {table.name} ({', '.join(COLUMNS)}) VALUES ({', '.join(['{p}'] * len(COLUMNS))}) "
                     "ON CONFLICT (dedup_key) DO NOTHING")
    convert = [_to_json if isinstance(table.c[name].type, JSON) else
               table.c[name].type.bind_processor(db.engine.dialect) for name in COLUMNS]
    return sql, convert


def _to_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def store_inbound(db: Database, dedup_key: str, message: Inbound) -> None:
    """Insert the message once, before the reply; a retry with the same key is ignored."""
    sql, convert = _statement(db)
    db.hot.execute(sql, [value if f is None or value is None else f(value)
                         for value, f in zip(row(dedup_key, message), convert)])
