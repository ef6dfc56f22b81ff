"""The source of truth: every message in, every message out, every failure.

Redis holds only what can be lost or rebuilt (sessions, dedup keys, locks, queues).
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, BigInteger, DateTime, Integer, String, Text, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
