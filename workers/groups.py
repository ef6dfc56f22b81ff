"""Group wage arrears (劳动关系预警): 3 or more open cases within 30 days naming one employer or project.

They are linked as one group case (TicketGroup), raised to high priority, and the
office is alerted once; later cases join the group without a second alert.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from bot.models import AuditEvent, Ticket, TicketGroup, TicketMessage, utcnow
from handlers.normalise import normalise_company
from workers import context
from workers.messages import text
from workers.notify import enqueue_notice
from workers.sla import HIGH
from workers.worker_view import FINISHED

WINDOW = timedelta(days=30)
THRESHOLD = 3


def group_keys(ticket: Ticket) -> dict[str, str]:
    """The ticket's grouping keys (normalised employer and project) and their labels."""
    keys = {}
    if ticket.employer_key:
        keys[f"employer:{ticket.employer_key}"] = ticket.employer or ticket.employer_key
    project = str((ticket.fields or {}).get("project") or "").strip()
    if project and (project_key := normalise_company(project)):
        keys[f"project:{project_key}"] = project
    return keys


def group_alert(ticket_id: int, now: datetime | None = None) -> str:
    """Link the wage case ``ticket_id`` into a group case when it makes (or joins) one."""
    ctx = context.get()
    now = now or utcnow()
    with ctx.db.session() as s:
        ticket = s.get(Ticket, ticket_id)
        keys = group_keys(ticket) if ticket.category == "wage_arrears" else {}
    for key, group_label in keys.items():
        with ctx.redis.lock(f"ud:lock:group:{key}", timeout=30, blocking_timeout=30):
            group_id = _link(key, group_label, ticket.office_id, now)
        if group_id:
            return f"group {group_id}"
    return "no group"


def _link(key: str, group_label: str, office_id: int, now: datetime) -> int | None:
    """Group the open cases matching ``key``; alert the office the first time. The group id, if any."""
    with context.get().db.session() as s:
        recent = s.scalars(select(Ticket).where(
            Ticket.category == "wage_arrears", Ticket.status.not_in(FINISHED),
            Ticket.created_at >= now - WINDOW).order_by(Ticket.id)).all()
        members = [t for t in recent if key in group_keys(t)]
        if len(members) < THRESHOLD:
            return None
        group = next((t.group for t in members if t.group and t.group.key == key), None)
        if group is None:
            group = TicketGroup(key=key[:120], label=group_label[:120], office_id=office_id)
            s.add(group)
        for ticket in members:
            if ticket.group_id is None:
                ticket.group, ticket.priority = group, max(ticket.priority, HIGH)
                s.add(TicketMessage(ticket=ticket, direction="system", text=text("note_group", label=group.label)))
                s.add(AuditEvent(ticket_id=ticket.id, action="grouped", detail={"group": group.label}))
        alert = group.alerted_at is None
        group.alerted_at = group.alerted_at or now
        s.flush()
        linked = [t for t in members if t.group_id == group.id]
        message = text("alert_group", label=group.label, count=len(linked),
                       workers=sum(t.workers_covered or 1 for t in linked),
                       amount=f"{sum(t.amount_owed or 0 for t in linked):.0f}",
                       refs="、".join(t.ref for t in linked))
        group_id = group.id
    if alert:
        enqueue_notice(office_id, message, f"group:{group_id}")
    return group_id
