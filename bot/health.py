"""/healthz: is Redis up, is the database up, how deep are the queues."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import func, select, text

from bot.models import JobFailure
from workers import context

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    ctx = context.get()
    report: dict = {"redis": "ok", "database": "ok", "queues": {}, "failed_jobs": None}
    try:
        ctx.redis.ping()
        report["queues"] = {name: queue.count for name, queue in ctx.queues.items()}
    except Exception as exc:
        report["redis"] = f"error: {type(exc).__name__}"
    try:
        with ctx.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
            report["failed_jobs"] = conn.execute(
                select(func.count()).select_from(JobFailure).where(JobFailure.resolved_at.is_(None))).scalar()
    except Exception as exc:
        report["database"] = f"error: {type(exc).__name__}"
    healthy = report["redis"] == "ok" and report["database"] == "ok"
    report["status"] = "ok" if healthy else "degraded"
    return jsonify(report), 200 if healthy else 503
