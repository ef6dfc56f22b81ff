"""``ud:worker:<openid>`` in Redis: a worker's cases, as the webhook hands them to the handlers.

Format (docs/contracts.md): ``{"cases": [{"ref", "category", "status", "updated_at"}]`` (open cases
first, newest first, at most 5), ``"rating_for": "<ref>" | null}`` (a resolved case asked for a rating).
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import case, select

from bot.models import Ticket
from workers import context

FINISHED = ("resolved", "closed")  # every other status is an open case
MAX_CASES = 5
OPEN_FIRST = (case((Ticket.status.in_(FINISHED), 1), else_=0), Ticket.created_at.desc(), Ticket.id.desc())


def key(openid: str) -> str:
    return f"ud:worker:{openid}"


def refresh(openid: str) -> dict[str, Any]:
    """Rebuild the worker's view from the database and store it; returns it."""
    ctx = context.get()
    with ctx.db.session() as s:
        tickets = s.scalars(select(Ticket).where(Ticket.openid == openid)
                            .order_by(*OPEN_FIRST).limit(MAX_CASES)).all()
        rating_for = s.scalar(select(Ticket.ref).where(
            Ticket.openid == openid, Ticket.status == "resolved", Ticket.rating.is_(None),
            Ticket.follow_up_sent_at.is_not(None)).order_by(Ticket.follow_up_sent_at.desc()).limit(1))
    view = {"cases": [{"ref": t.ref, "category": t.category, "status": t.status,
                       "updated_at": t.updated_at.isoformat()} for t in tickets],
            "rating_for": rating_for}
    ctx.redis.set(key(openid), json.dumps(view, ensure_ascii=False))
    return view
