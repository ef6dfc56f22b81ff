"""Sending to a worker through the customer-service API (or a template message), exactly once per key."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update

from bot.db import insert_ignore
from bot.models import Delivery, TicketMessage, utcnow
from workers import context
from workers.messages import text as message_text
from workers.wechat_client import WeChatError, for_context

log = logging.getLogger(__name__)

DELIVERED = ("sent", "fallback_template")
FALLBACK_ERRORS = {45015, 45047}  # outside the 48-hour window; too many messages in it


def send_text(openid: str, text: str, key: str) -> str:
    """Deliver ``text`` once; the Delivery row keyed by ``key`` records the outcome.

    Transient errors raise, so RQ retries with backoff; a permanent error (such as
    45015, outside the 48-hour window) is recorded on the delivery and not retried.
    """
    if not claim(key, openid, "text", text):
        return "already sent"
    try:
        for_context(context.get()).message.send_text(openid, text)
    except WeChatError as exc:
        log.warning("send_text %s to %s failed: %s", key, openid, exc)
        if exc.transient:
            raise
        mark(key, "failed", exc.errcode, exc.errmsg)
        return f"failed {exc.errcode}"
    mark(key, "sent")
    return "sent"


def deliver_reply(message_id: int) -> str:
    """Send a staff reply (an "out" TicketMessage) to the case's worker, once.

    On 45015/45047 it falls back to the ticket-update template message when
    WECHAT_TEMPLATE_TICKET_UPDATE is set; otherwise the failure stays on the
    Delivery row (status failed, WeChat's errcode) for staff to see.
    """
    ctx = context.get()
    with ctx.db.session() as s:
        message = s.get(TicketMessage, message_id)
        if message is None or message.direction != "out":
            raise ValueError(f"no staff reply with id {message_id}")
        if not message.delivery_key:
            message.delivery_key = f"staff-reply:{message.id}"
        key, text, openid, ref = message.delivery_key, message.text, message.ticket.openid, message.ticket.ref
    if not claim(key, openid or "", "text", text):
        return "already sent"
    if not openid:  # a walk-in or phone case: nothing to send it to
        mark(key, "failed", None, "the case has no WeChat openid")
        return "failed: no openid"
    try:
        for_context(ctx).message.send_text(openid, text)
        status, errcode, errmsg = "sent", None, None
    except WeChatError as exc:
        log.warning("reply %s to %s failed: %s", key, openid, exc)
        if exc.transient:
            raise
        status, errcode, errmsg = _fallback(openid, ref, exc)
    mark(key, status, errcode, errmsg)
    return status


def _fallback(openid: str, ref: str, error: WeChatError) -> tuple[str, int | None, str | None]:
    """The template message instead of a refused customer-service message: (status, errcode, errmsg)."""
    if error.errcode not in FALLBACK_ERRORS or not context.get().config.wechat_template_ticket_update:
        return "failed", error.errcode, error.errmsg
    try:
        send_template(openid, message_text("reply_template", ref=ref), ref)
    except WeChatError as exc:
        if exc.transient:
            raise
        return "failed", exc.errcode, exc.errmsg
    return "fallback_template", error.errcode, error.errmsg


def send_template(openid: str, first: str, keyword: str = "") -> None:
    """One WECHAT_TEMPLATE_TICKET_UPDATE template message (the caller checks the id is set)."""
    ctx = context.get()
    data = {"first": {"value": first}, "keyword1": {"value": keyword},
            "remark": {"value": message_text("reply_template_remark")}}
    for_context(ctx).message.send_template(openid, ctx.config.wechat_template_ticket_update, data)


def claim(key: str, openid: str, kind: str, text: str) -> bool:
    """Create (or find) the Delivery row for ``key`` and count an attempt; False if already delivered."""
    db = context.get().db
    with db.session() as s:
        s.execute(insert_ignore(db.engine, Delivery.__table__).values(
            key=key, openid=openid, kind=kind, text=text, status="queued", attempts=0))
        delivery = s.scalars(select(Delivery).where(Delivery.key == key)).one()
        if delivery.status in DELIVERED:
            return False
        delivery.attempts += 1
        return True


def mark(key: str, status: str, errcode: int | None = None, errmsg: str | None = None) -> None:
    with context.get().db.session() as s:
        s.execute(update(Delivery).where(Delivery.key == key).values(
            status=status, errcode=errcode, errmsg=(errmsg or "")[:255] or None,
            sent_at=utcnow() if status in DELIVERED else None))


def reply_key(message_id: int) -> str | None:
    """The Delivery key of a staff reply (for the failure callback)."""
    with context.get().db.session() as s:
        return s.scalar(select(TicketMessage.delivery_key).where(TicketMessage.id == message_id))


STALLED_AFTER = timedelta(minutes=10)


def resend_stalled(now: datetime | None = None) -> int:
    """Re-enqueue staff replies whose job never ran (still "queued", no attempt, 10+ minutes old).

    A reply is committed before its job is enqueued; if Redis was away at that moment the job is lost.
    This periodic sweep (workers/schedule.py) makes sure such a reply still goes out, once.
    """
    from handlers.messages import Action
    from workers import queues

    cutoff = (now or utcnow()) - STALLED_AFTER
    with context.get().db.session() as s:
        stalled = s.scalars(select(TicketMessage.id).join(Delivery, Delivery.key == TicketMessage.delivery_key).where(
            Delivery.status == "queued", Delivery.attempts == 0, Delivery.created_at < cutoff)).all()
    for message_id in stalled:
        queues.enqueue(Action("deliver_reply", {"message_id": message_id}), f"deliver_reply-resend-{message_id}")
    if stalled:
        log.warning("re-enqueued %d stalled staff replies", len(stalled))
    return len(stalled)
