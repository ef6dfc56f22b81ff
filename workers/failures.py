"""What happens when a job has used up its retries: a visible failure record."""
from __future__ import annotations

import logging

from bot.models import JobFailure
from workers import context
from workers.delivery import mark

log = logging.getLogger(__name__)


def record(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ on_failure callback; runs after every failed attempt, acts on the last one."""
    if job.retries_left:
        return
    errcode = getattr(exc_value, "errcode", None)
    log.error("job %s gave up: %s", job.id, exc_value)
    with context.get().db.session() as s:
        s.add(JobFailure(job_id=job.id, function=job.func_name, args=_safe(job.kwargs),
                         error=f"{exc_type.__name__}: {exc_value}"[:2000], errcode=errcode))
    if job.func_name == "workers.delivery.send_text":
        mark(job.kwargs["key"], "failed", errcode, str(exc_value))


def _safe(kwargs: dict) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v) for k, v in kwargs.items()}
