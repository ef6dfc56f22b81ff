"""Keeping the list of followers (workers) up to date from subscribe events."""
from __future__ import annotations

from sqlalchemy import select

from bot.models import Worker, utcnow
from workers import context


def record_follower(openid: str, subscribed: bool, scene: str = "") -> None:
    with context.get().db.session() as s:
        worker = s.scalars(select(Worker).where(Worker.openid == openid)).one_or_none()
        if worker is None:
            worker = Worker(openid=openid)
            s.add(worker)
        worker.subscribed = subscribed
        worker.last_seen_at = utcnow()
        if scene:
            worker.scene = scene
