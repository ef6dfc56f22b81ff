"""Time limits (12351 style): a first response within hours, resolution within days by difficulty.

``sla_sweep`` runs every few minutes: a case past a due time is flagged, raised one
priority step and its office notified, once per kind of lateness.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, or_, select

import config as settings
from bot.models import AuditEvent, Ticket, TicketMessage, utcnow
from workers import context
from workers.messages import label, text
from workers.notify import enqueue_notice
from workers.worker_view import FINISHED

NORMAL, HIGH, URGENT = 2, 3, 4  # Ticket.priority: 1 low, 2 normal, 3 high, 4 urgent


def due_times(cfg: settings.Config, created: datetime, difficulty: str = "general") -> tuple[datetime, datetime]:
    """(first_response_due, resolve_due) for a case created at ``created``."""
    resolve_days = getattr(cfg, f"sla_resolve_days_{difficulty}")
    return created + timedelta(hours=cfg.sla_first_response_hours), created + timedelta(days=resolve_days)


# While a case waits for the worker's answer or sits with another agency (劳动监察, 仲裁, 法院), the union
# is not the one late: such cases are not flagged for the resolution limit.
WAITING_ON_OTHERS = ("waiting_worker", "referred")


def late(kind: str, now: datetime) -> ColumnElement[bool]:
    """SQL: an open case past its ``kind`` time limit ("first_response" or "resolve") at ``now``.

    The one rule behind the sweep, the console's overdue filter and the API's ``overdue`` field.
    """
    if kind == "resolve":
        return and_(Ticket.status.not_in(FINISHED + WAITING_ON_OTHERS), Ticket.resolve_due.is_not(None),
                    Ticket.resolve_due < now)
    return and_(Ticket.status.not_in(FINISHED), Ticket.first_response_at.is_(None),
                Ticket.first_response_due.is_not(None), Ticket.first_response_due < now)


def _newly_late(kind: str, now: datetime) -> ColumnElement[bool]:
    """Late and not yet flagged for this kind (a resolution delay outranks a first-response one)."""
    flagged = or_(Ticket.overdue.is_(None), Ticket.overdue != "resolve") if kind == "resolve" \
        else Ticket.overdue.is_(None)
    return and_(late(kind, now), flagged)


def sla_sweep(now: datetime | None = None) -> int:
    """Flag, raise and announce the cases that just became late; returns how many."""
    now = now or utcnow()
    notices = []
    with context.get().db.session() as s:
        for kind in ("resolve", "first_response"):  # both late at once: the resolution is what matters
            for ticket in s.scalars(select(Ticket).where(_newly_late(kind, now))).all():
                ticket.overdue, ticket.overdue_notified_at = kind, now
                ticket.priority = min(URGENT, ticket.priority + 1)
                s.add(TicketMessage(ticket=ticket, direction="system", created_at=now, text=text(
                    f"note_overdue_{kind}", priority=label("priorities", ticket.priority))))
                s.add(AuditEvent(ticket_id=ticket.id, action="overdue", detail={"kind": kind}, created_at=now))
                notices.append((ticket.office_id, text(
                    f"alert_overdue_{kind}", ref=ticket.ref, category=label("categories", ticket.category)),
                    f"overdue:{ticket.ref}:{kind}"))
            s.flush()
    for office_id, message, key in notices:
        enqueue_notice(office_id, message, key)
    return len(notices)
