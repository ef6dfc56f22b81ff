"""What happens when a job has used up its retries: a visible failure record."""
from __future__ import annotations

import logging
from typing import Callable

from bot.models import JobFailure
from workers import context, delivery, media

log = logging.getLogger(__name__)


def _send_text_failed(kwargs: dict, errcode: int | None, error: str) -> None:
    delivery.mark(kwargs["key"], "failed", errcode, error)


def _reply_failed(kwargs: dict, errcode: int | None, error: str) -> None:
    if key := delivery.reply_key(kwargs["message_id"]):
        delivery.mark(key, "failed", errcode, error)


def _download_failed(kwargs: dict, errcode: int | None, error: str) -> None:
    media.mark_failed(kwargs["media_id"])


# Per job function: what to show on the record it was working on once it gives up.
ON_GIVE_UP: dict[str, Callable[[dict, int | None, str], None]] = {
    "workers.delivery.send_text": _send_text_failed,
    "workers.delivery.deliver_reply": _reply_failed,
    "workers.media.download_media": _download_failed,
}


def record(job, connection, exc_type, exc_value, traceback) -> None:
    """RQ on_failure callback; runs after every failed attempt, acts on the last one."""
    if job.retries_left:
        return
    errcode = getattr(exc_value, "errcode", None)
    log.error("job %s gave up: %s", job.id, exc_value)
    with context.get().db.session() as s:
        s.add(JobFailure(job_id=job.id, function=job.func_name, args=_safe(job.kwargs),
                         error=f"{exc_type.__name__}: {exc_value}"[:2000], errcode=errcode))
    if on_give_up := ON_GIVE_UP.get(job.func_name):
        on_give_up(job.kwargs, errcode, str(exc_value))


def _safe(kwargs: dict) -> dict:
    return {k: v if isinstance(v, (str, int, float, bool, type(None))) else repr(v) for k, v in kwargs.items()}
