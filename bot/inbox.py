"""Storing every inbound message before the reply (SQLAlchemy Core: one INSERT, no ORM)."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.db import Database, insert_ignore
from bot.models import InboundMessage
from handlers.messages import Inbound


def store_inbound(db: Database, dedup_key: str, message: Inbound) -> None:
    """Insert the message once; a retry with the same key is ignored."""
    payload = {}
    if message.location:
        payload["location"] = message.location
    if message.url:
        payload["url"] = message.url
    content = message.text or message.event_key or None
    statement = insert_ignore(db.engine, InboundMessage.__table__).values(
        dedup_key=dedup_key, openid=message.openid, msg_type=message.msg_type, event=message.event[:48] or None,
        content=content, media_id=message.media_id[:128] or None, payload=payload or None,
        sent_at=datetime.fromtimestamp(message.create_time, timezone.utc) if message.create_time else None)
    with db.engine.begin() as connection:
        connection.execute(statement)
