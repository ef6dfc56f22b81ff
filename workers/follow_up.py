"""回访: a resolved case asks its worker for a 1-5 rating; no answer in 3 days closes it."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.models import AuditEvent, Ticket, TicketMessage, utcnow
from handlers.messages import Action
from workers import context, queues, worker_view
from workers.messages import text

ANSWER_WITHIN = timedelta(days=3)


def follow_up_sweep(now: datetime | None = None) -> dict[str, int]:
    """Ask newly resolved cases for a rating; close those asked over 3 days ago without one."""
    now = now or utcnow()
    with context.get().db.session() as s:
        to_ask = s.scalars(select(Ticket).where(
            Ticket.status == "resolved", Ticket.follow_up_sent_at.is_(None), Ticket.rating.is_(None),
            Ticket.openid.is_not(None))).all()
        for ticket in to_ask:
            ticket.follow_up_sent_at = now
            s.add(AuditEvent(ticket_id=ticket.id, action="follow_up_sent", created_at=now))
        to_close = s.scalars(select(Ticket).where(
            Ticket.status == "resolved", Ticket.rating.is_(None),
            Ticket.follow_up_sent_at < now - ANSWER_WITHIN)).all()
        for ticket in to_close:
            ticket.status, ticket.closed_at = "closed", now
            s.add(TicketMessage(ticket=ticket, direction="system", text=text("note_closed_no_rating"), created_at=now))
            s.add(AuditEvent(ticket_id=ticket.id, action="closed", detail={"reason": "no rating"}, created_at=now))
        asked = [(t.openid, t.ref) for t in to_ask]
        changed = {t.openid for t in to_ask + to_close if t.openid}
    for openid, ref in asked:
        key = f"follow-up:{ref}"
        queues.enqueue(Action("send_text", {"openid": openid, "text": text("rating_request", ref=ref), "key": key}),
                       queues.job_id("send_text", key))
    for openid in changed:
        worker_view.refresh(openid)
    return {"asked": len(asked), "closed": len(to_close)}
