"""Case jobs: a ticket from a confirmed dialog, and what the worker adds, asks and rates while it runs."""
from __future__ import annotations

import json
import logging
import re
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from rq import get_current_job
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db import insert_ignore
from bot.models import Attachment, AuditEvent, Ticket, TicketMessage, Worker, utcnow
from handlers.messages import Action
from handlers.normalise import normalise_company
from workers import context, messages, queues, worker_view
from workers.delivery import send_text
from workers.groups import group_alert
from workers.notify import enqueue_notice
from workers.routing import location_text, route
from workers.sla import HIGH, NORMAL, URGENT, due_times

log = logging.getLogger(__name__)

APPENDABLE = ("waiting_worker", "in_progress")  # a worker's message joins these cases' threads
LARGE_CREW, LARGE_AMOUNT = 10, 50_000
_PRIORITY_WORDS = yaml.safe_load(Path(__file__).with_name("priority.yaml").read_text(encoding="utf-8"))
MASS_RISK = re.compile(_PRIORITY_WORDS["mass_risk"])  # a crowd about to act, assets leaving
URGENT_NEED = re.compile(_PRIORITY_WORDS["urgent_need"])  # money needed for treatment
STATUS_REPLY_CHARS = 60


def create_ticket(ref: str, category: str, openid: str, fields: dict[str, Any],
                  evidence: list[dict[str, str]] | None = None, inbound_key: str | None = None,
                  urgent: bool = False, summary: str = "", now: datetime | None = None) -> str:
    """Create the case ``ref`` once, route it, then download evidence, alert the office, detect groups.

    Every step after the insert is idempotent, so a retried job finishes what a failed one began.
    """
    ctx = context.get()
    now = now or utcnow()
    evidence = evidence or []
    try:
        with ctx.db.session() as s:
            if s.scalar(select(Ticket.id).where(Ticket.ref == ref)) is None:
                _insert_ticket(s, ref, category, openid, fields, evidence, inbound_key, urgent, summary, now)
    except IntegrityError:  # a concurrent job inserted the same ref first
        log.info("ticket %s already exists", ref)
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        notice = messages.text(
            "alert_new", ref=ref, category=messages.label("categories", category),
            priority=messages.label("priorities", ticket.priority), hours=ctx.config.sla_first_response_hours,
            summary=summary or fields.get("description") or "")
    for item in evidence:
        _download(openid, item["media_id"], item.get("msg_type", "image"))
    worker_view.refresh(openid)
    enqueue_notice(ticket.office_id, notice, f"new:{ref}")
    group_alert(ticket.id, now)
    return ref


def _insert_ticket(s: Session, ref: str, category: str, openid: str, fields: dict[str, Any],
                   evidence: list[dict[str, str]], inbound_key: str | None, urgent: bool, summary: str,
                   now: datetime) -> None:
    employer = str(fields.get("employer") or "").strip() or None
    employer_key = normalise_company(employer) if employer else None
    office = route(s, location_text(fields.get("location")), employer_key)
    first_response_due, resolve_due = due_times(context.get().config, now)
    ticket = Ticket(
        ref=ref, category=category, source="wechat", status="new", office=office, openid=openid,
        priority=priority(fields, urgent, summary), difficulty="general",
        worker_name=fields.get("name"), phone=fields.get("phone"), employer=employer,
        employer_key=employer_key or None, amount_owed=_number(fields.get("amount_owed")),
        workers_covered=_whole(_number(fields.get("workers_affected"))), fields=fields,
        first_response_due=first_response_due, resolve_due=resolve_due, created_at=now, updated_at=now)
    s.add(ticket)
    s.add(TicketMessage(ticket=ticket, direction="in", inbound_key=inbound_key, created_at=now,
                        text=summary or str(fields.get("description") or "")))
    s.add(TicketMessage(ticket=ticket, direction="system", created_at=now, text=messages.text(
        "note_created", office=office.name, priority=messages.label("priorities", ticket.priority))))
    s.flush()
    s.add(AuditEvent(ticket_id=ticket.id, action="created", created_at=now,
                     detail={"office": office.code, "priority": ticket.priority, "source": "wechat"}))
    _upsert_worker(s, openid, fields.get("name"), fields.get("phone"))
    for item in evidence:
        _attach(s, ticket.id, openid, item["media_id"], item.get("msg_type", "image"))


def priority(fields: dict[str, Any], urgent: bool, summary: str = "") -> int:
    """Urgent for a crisis, and for a large crew about to protest or an employer vanishing with the assets;
    high for a large crew, a large amount, a work injury, money needed for treatment or such a risk; else
    normal."""
    if urgent:
        return URGENT
    crew = _number(fields.get("workers_affected")) or 0
    amount = _number(fields.get("amount_owed")) or 0
    said = summary + json.dumps(fields, ensure_ascii=False)
    if MASS_RISK.search(said):
        return URGENT if crew >= LARGE_CREW or amount >= LARGE_AMOUNT else HIGH
    return HIGH if crew >= LARGE_CREW or amount >= LARGE_AMOUNT or "工伤" in said or URGENT_NEED.search(said) \
        else NORMAL


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value).replace(",", "")) if value not in (None, "") else None
    except ValueError:
        return None


def _whole(value: float | None) -> int | None:
    return None if value is None else int(value)


def _upsert_worker(s: Session, openid: str, name: str | None, phone: str | None) -> None:
    s.execute(insert_ignore(s.get_bind(), Worker.__table__).values(openid=openid, subscribed=True))
    known = {column: value for column, value in (("name", name), ("phone", phone)) if value}
    if known:
        s.execute(update(Worker).where(Worker.openid == openid).values(**known))


def _attach(s: Session, ticket_id: int | None, openid: str, media_id: str, msg_type: str) -> bool:
    """One Attachment row per media id (pending until downloaded); True if it is new."""
    inserted = s.execute(insert_ignore(s.get_bind(), Attachment.__table__).values(
        ticket_id=ticket_id, openid=openid, media_id=media_id, msg_type=msg_type, status="pending")).rowcount
    if ticket_id is not None:
        s.execute(update(Attachment).where(Attachment.media_id == media_id, Attachment.ticket_id.is_(None))
                  .values(ticket_id=ticket_id))
    return bool(inserted)


def _download(openid: str, media_id: str, msg_type: str) -> None:
    queues.enqueue(Action("download_media", {"openid": openid, "media_id": media_id, "msg_type": msg_type}),
                   queues.job_id("download_media", media_id))


def _find_case(s: Session, openid: str, ref: str | None, statuses: tuple[str, ...] = ()) -> Ticket | None:
    """The worker's case ``ref``, else their newest case in ``statuses`` (any status: open ones first)."""
    query = select(Ticket).where(Ticket.openid == openid)
    if ref:
        query = query.where(Ticket.ref == ref)
    elif statuses:
        query = query.where(Ticket.status.in_(statuses))
    return s.scalars(query.order_by(*worker_view.OPEN_FIRST).limit(1)).first()


def append_to_case(openid: str, ref: str | None, text: str = "", inbound_key: str | None = None,
                   media_id: str | None = None, msg_type: str | None = None) -> str:
    """Add the worker's message to their open case's thread; a case waiting for them goes back to in_progress."""
    with context.get().db.session() as s:
        ticket = _find_case(s, openid, ref, APPENDABLE)
        if ticket is None:
            log.warning("append_to_case: %s has no case %s", openid, ref or "open")
            return "no case"
        if inbound_key and s.scalar(select(TicketMessage.id).where(
                TicketMessage.ticket_id == ticket.id, TicketMessage.inbound_key == inbound_key)):
            return "already appended"
        body = text or _media_note(msg_type)
        s.add(TicketMessage(ticket=ticket, direction="in", text=body, inbound_key=inbound_key))
        if media_id:
            _attach(s, ticket.id, openid, media_id, msg_type or "image")
        if ticket.status == "waiting_worker":
            ticket.status = "in_progress"
            s.add(AuditEvent(ticket_id=ticket.id, action="status", detail={"from": "waiting_worker",
                                                                             "to": "in_progress", "by": "worker"}))
        ticket.updated_at = utcnow()
        case_ref = ticket.ref
    if media_id:
        _download(openid, media_id, msg_type or "image")
    worker_view.refresh(openid)
    return case_ref


def add_evidence(openid: str, ref: str | None, media_id: str, msg_type: str) -> str:
    """"补充材料": attach the media to the case ``ref`` (None: the worker's latest case) and download it."""
    with context.get().db.session() as s:
        ticket = _find_case(s, openid, ref)
        if _attach(s, ticket.id if ticket else None, openid, media_id, msg_type) and ticket:
            s.add(TicketMessage(ticket=ticket, direction="in", text=_media_note(msg_type)))
            ticket.updated_at = utcnow()
        case_ref = ticket.ref if ticket else "no case"
    _download(openid, media_id, msg_type)
    worker_view.refresh(openid)
    return case_ref


def _media_note(msg_type: str | None) -> str:
    return messages.text("note_evidence", media=messages.label("media", msg_type or "image"))


def send_status(openid: str, key: str | None = None) -> str:
    """"查询": send the worker their cases (ref, status in plain Chinese, the latest staff reply)."""
    with context.get().db.session() as s:
        tickets = s.scalars(select(Ticket).where(Ticket.openid == openid)
                            .order_by(*worker_view.OPEN_FIRST).limit(worker_view.MAX_CASES)).all()
        lines = []
        for n, ticket in enumerate(tickets, start=1):
            lines.append(messages.text(
                "status_item", n=n, ref=ticket.ref, category=messages.label("categories", ticket.category),
                status=messages.label("statuses", ticket.status)))
            reply = s.scalar(select(TicketMessage.text).where(
                TicketMessage.ticket_id == ticket.id, TicketMessage.direction == "out")
                .order_by(TicketMessage.id.desc()).limit(1))
            if reply:
                lines.append(messages.text("status_reply", reply=_shorten(reply)))
    if tickets:
        body = "\n".join([messages.text("status_header"), *lines, messages.text("status_footer")])
    else:
        body = messages.text("status_none")
    job = get_current_job()
    return send_text(openid, body, key or f"status:{job.id if job else uuid.uuid4().hex}")


def _shorten(reply: str) -> str:
    reply = " ".join(reply.split())
    return reply if len(reply) <= STATUS_REPLY_CHARS else reply[:STATUS_REPLY_CHARS] + "…"


def rate_case(openid: str, ref: str | None, rating: int, now: datetime | None = None) -> str:
    """Store the worker's 1-5 rating on the case (None: the one asked for a rating) and close it."""
    rating = int(rating)
    if not 1 <= rating <= 5:
        raise ValueError(f"rating must be 1-5, not {rating}")
    now = now or utcnow()
    with context.get().db.session() as s:
        ticket = _find_case(s, openid, ref, ("resolved",))
        if ticket is None or ticket.rating is not None:
            return "nothing to rate"
        ticket.rating = rating
        ticket.status, ticket.closed_at = "closed", ticket.closed_at or now
        s.add(TicketMessage(ticket=ticket, direction="system", created_at=now,
                            text=messages.text("note_rated", rating=rating)))
        s.add(AuditEvent(ticket_id=ticket.id, action="rated", detail={"rating": rating}, created_at=now))
        case_ref = ticket.ref
    worker_view.refresh(openid)
    return case_ref
