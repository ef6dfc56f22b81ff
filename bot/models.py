"""The source of truth: every message in, every message out, every failure.

Redis holds only what can be lost or rebuilt (sessions, dedup keys, locks, queues).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, ForeignKey, Integer, Numeric, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}


class Worker(Base):
    """A follower of the official account (one worker, many messages and cases)."""

    __tablename__ = "workers"
    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True)
    subscribed: Mapped[bool] = mapped_column(default=True)
    name: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    scene: Mapped[str | None] = mapped_column(String(64))  # qrscene the worker subscribed through
    last_seen_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class InboundMessage(Base):
    """Everything a worker sent, stored before the passive reply."""

    __tablename__ = "inbound_messages"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True)
    openid: Mapped[str] = mapped_column(String(64), index=True)
    msg_type: Mapped[str] = mapped_column(String(16))
    event: Mapped[str | None] = mapped_column(String(48))
    content: Mapped[str | None] = mapped_column(Text)  # text, voice recognition, event key, location label
    media_id: Mapped[str | None] = mapped_column(String(128))
    payload: Mapped[dict[str, Any] | None]  # location, url and other structured parts
    sent_at: Mapped[datetime | None]  # WeChat's CreateTime
    received_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Delivery(Base):
    """One outbound WeChat message and what became of it."""

    __tablename__ = "deliveries"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)  # idempotency: never send twice
    openid: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # text, template
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(24), default="queued")  # queued sent failed fallback_template
    errcode: Mapped[int | None]
    errmsg: Mapped[str | None] = mapped_column(String(255))
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    sent_at: Mapped[datetime | None]


class JobFailure(Base):
    """A job that gave up after its retries: shown to staff, never silently dropped."""

    __tablename__ = "job_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(200), index=True)
    function: Mapped[str] = mapped_column(String(120))
    args: Mapped[dict[str, Any] | None]
    error: Mapped[str] = mapped_column(Text)
    errcode: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    resolved_at: Mapped[datetime | None]


# -- tickets and the staff queue (12351 style: one intake, tiered handling) --------

class Office(Base):
    """A union office; a tree: 市总 -> 镇/街道总工会 -> 村/社区/园区联合会 (and enterprise unions)."""

    __tablename__ = "offices"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    kind: Mapped[str] = mapped_column(String(16), default="township")  # city township federation enterprise
    areas: Mapped[list[str]] = mapped_column(JSON, default=list)  # place names it covers
    employer: Mapped[str | None] = mapped_column(String(100))  # enterprise unions: the employer they belong to
    is_default: Mapped[bool] = mapped_column(default=False)
    wecom_webhook: Mapped[str | None] = mapped_column(String(500))  # WeCom group-robot URL for alerts
    parent: Mapped["Office | None"] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list["Office"]] = relationship(back_populates="parent")


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str | None] = mapped_column(String(64))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))  # admin agent viewer
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"))
    openid: Mapped[str | None] = mapped_column(String(64))  # bound WeChat account for alerts
    token_hash: Mapped[str | None] = mapped_column(String(128), unique=True)  # API bearer token (sha256)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    office: Mapped[Office] = relationship()


class TicketGroup(Base):
    """Cases naming the same employer or project: group wage arrears, the union's early warning."""

    __tablename__ = "ticket_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), index=True)  # normalised employer/project name
    label: Mapped[str] = mapped_column(String(120))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"))
    alerted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class Ticket(Base):
    __tablename__ = "tickets"
    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32), unique=True)
    source: Mapped[str] = mapped_column(String(16), default="wechat")  # wechat walk_in phone transferred_in
    source_office: Mapped[str | None] = mapped_column(String(100))  # transferred_in: who sent it
    source_ref: Mapped[str | None] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(24), index=True)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    priority: Mapped[int] = mapped_column(default=2)  # 1 low, 2 normal, 3 high, 4 urgent
    difficulty: Mapped[str] = mapped_column(String(12), default="general")  # general difficult complex
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id"), index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    openid: Mapped[str | None] = mapped_column(String(64), index=True)
    worker_name: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    employer: Mapped[str | None] = mapped_column(String(120))
    employer_key: Mapped[str | None] = mapped_column(String(120), index=True)
    fields: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("ticket_groups.id"))
    first_response_due: Mapped[datetime | None]
    resolve_due: Mapped[datetime | None]
    first_response_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    overdue: Mapped[str | None] = mapped_column(String(24))  # first_response / resolve, once flagged
    overdue_notified_at: Mapped[datetime | None]
    outcome: Mapped[str | None] = mapped_column(String(16))
    amount_owed: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    amount_recovered: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    aid_amount: Mapped[float | None] = mapped_column(Numeric(14, 2, asdecimal=False))
    workers_covered: Mapped[int | None]
    referred_to: Mapped[str | None] = mapped_column(String(120))
    referred_ref: Mapped[str | None] = mapped_column(String(64))
    rating: Mapped[int | None]
    follow_up_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    office: Mapped[Office] = relationship()
    assignee: Mapped["Staff | None"] = relationship()
    group: Mapped["TicketGroup | None"] = relationship()
    messages: Mapped[list["TicketMessage"]] = relationship(back_populates="ticket", order_by="TicketMessage.id")
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="ticket", order_by="Attachment.id")


class TicketMessage(Base):
    """The thread: worker messages (in), staff replies (out), internal notes and system events."""

    __tablename__ = "ticket_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    direction: Mapped[str] = mapped_column(String(8))  # in out note system
    text: Mapped[str] = mapped_column(Text)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    delivery_key: Mapped[str | None] = mapped_column(String(160))  # out: the Delivery row
    inbound_key: Mapped[str | None] = mapped_column(String(160))  # in: the InboundMessage dedup key
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ticket: Mapped[Ticket] = relationship(back_populates="messages")
    staff: Mapped["Staff | None"] = relationship()


class Attachment(Base):
    """Evidence a worker sent (IOU photos, voice, video), downloaded before WeChat deletes it."""

    __tablename__ = "attachments"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    openid: Mapped[str] = mapped_column(String(64))
    media_id: Mapped[str] = mapped_column(String(128), unique=True)
    msg_type: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending downloaded failed
    path: Mapped[str | None] = mapped_column(String(500))
    content_type: Mapped[str | None] = mapped_column(String(64))
    size: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    ticket: Mapped["Ticket | None"] = relationship(back_populates="attachments")


class AuditEvent(Base):
    """Who did what to which case, including every reveal of a full phone or ID number."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(40))
    detail: Mapped[dict[str, Any] | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    staff: Mapped["Staff | None"] = relationship()


class CannedReply(Base):
    __tablename__ = "canned_replies"
    id: Mapped[int] = mapped_column(primary_key=True)
    category: Mapped[str] = mapped_column(String(24))  # a ticket category, or "any"
    title: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)


class RefCounter(Base):
    """Per-day, per-prefix counter behind human-readable refs like QX-20261122-0007."""

    __tablename__ = "ref_counters"
    key: Mapped[str] = mapped_column(String(24), primary_key=True)  # e.g. QX-20261122
    value: Mapped[int] = mapped_column(default=0)
