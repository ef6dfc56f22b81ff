"""Storing every inbound message before the reply (SQLAlchemy Core: one INSERT, no ORM)."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from bot.db import Database, insert_ignore
from bot.models import InboundMessage
from handlers.messages import Inbound


@lru_cache(maxsize=4)
def _statement(db: Database):
    """The INSERT ... ON CONFLICT DO NOTHING, built once per database (the hot path reuses it)."""
    return insert_ignore(db.engine, InboundMessage.__table__)


def store_inbound(db: Database, dedup_key: str, message: Inbound) -> None:
    """Insert the message once; a retry with the same key is ignored."""
    payload = {}
    if message.location:
        payload["location"] = message.location
    if message.url:
        payload["url"] = message.url
    row = dict(dedup_key=dedup_key, openid=message.openid, msg_type=message.msg_type,
               event=message.event[:48] or None, content=message.text or message.event_key or None,
               media_id=message.media_id[:128] or None, payload=payload or None,
               sent_at=datetime.fromtimestamp(message.create_time, timezone.utc) if message.create_time else None)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(_statement(db), row)  # one statement, one round trip: no BEGIN/COMMIT
