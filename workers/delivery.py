"""Sending text to a worker through the customer-service API, exactly once per key."""
from __future__ import annotations

import logging

from sqlalchemy import select, update

from bot.db import insert_ignore
from bot.models import Delivery, utcnow
from workers import context
from workers.wechat_client import WeChatError, for_context

log = logging.getLogger(__name__)


def send_text(openid: str, text: str, key: str) -> str:
    """Deliver ``text`` once; the Delivery row keyed by ``key`` records the outcome.

    Transient errors raise, so RQ retries with backoff; a permanent error (such as
    45015, outside the 48-hour window) is recorded on the delivery and not retried.
    """
    ctx = context.get()
    db = ctx.db
    with db.session() as s:
        s.execute(insert_ignore(db.engine, Delivery.__table__).values(
            key=key, openid=openid, kind="text", text=text, status="queued", attempts=0))
        delivery = s.scalars(select(Delivery).where(Delivery.key == key)).one()
        if delivery.status == "sent":
            return "already sent"
        delivery.attempts += 1
    try:
        for_context(ctx).message.send_text(openid, text)
    except WeChatError as exc:
        log.warning("send_text %s to %s failed: %s", key, openid, exc)
        if exc.transient:
            raise
        mark(key, "failed", exc.errcode, exc.errmsg)
        return f"failed {exc.errcode}"
    mark(key, "sent")
    return "sent"


def mark(key: str, status: str, errcode: int | None = None, errmsg: str | None = None) -> None:
    with context.get().db.session() as s:
        s.execute(update(Delivery).where(Delivery.key == key).values(
            status=status, errcode=errcode, errmsg=(errmsg or "")[:255] or None,
            sent_at=utcnow() if status == "sent" else None))
