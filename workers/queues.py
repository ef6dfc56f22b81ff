"""Turning handler Actions into RQ jobs: which function, which queue, which retry policy.

Job ids are deterministic (derived from the inbound message), so a WeChat retry
that slips past the dedup key cannot make a second job, and every job is also
idempotent in the database.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rq import Callback, Queue, Retry

from handlers.messages import Action
from workers import context

# Backoff for WeChat's transient errors: seconds between attempts.
RETRY = Retry(max=5, interval=[10, 30, 120, 600, 1800])


@dataclass(frozen=True)
class Route:
    func: str
    queue: str


ROUTES = {
    "send_text": Route("workers.delivery.send_text", "high"),
    "deliver_reply": Route("workers.delivery.deliver_reply", "high"),
    "create_ticket": Route("workers.tickets.create_ticket", "high"),
    "append_to_case": Route("workers.tickets.append_to_case", "high"),
    "status_query": Route("workers.tickets.send_status", "high"),
    "add_evidence": Route("workers.tickets.add_evidence", "default"),
    "rate_case": Route("workers.tickets.rate_case", "default"),
    "notify_office": Route("workers.notify.notify_office", "default"),
    "group_alert": Route("workers.groups.group_alert", "default"),
    "download_media": Route("workers.media.download_media", "default"),
    "record_follower": Route("workers.followers.record_follower", "low"),
    "sla_sweep": Route("workers.sla.sla_sweep", "low"),
    "follow_up_sweep": Route("workers.follow_up.follow_up_sweep", "low"),
    "resend_stalled": Route("workers.delivery.resend_stalled", "low"),
}


JOB_OPTIONS = dict(on_failure=Callback("workers.failures.record"), result_ttl=3600, failure_ttl=7 * 86400)


def enqueue(action: Action, job_id: str, ctx: context.Context | None = None):
    """Enqueue one action as a job; an already queued job with that id is left alone."""
    ctx = ctx or context.get()
    route = ROUTES[action.kind]
    queue = ctx.queues[route.queue]
    existing = queue.fetch_job(job_id)
    if existing is not None and existing.get_status(refresh=False) in ("queued", "started", "scheduled", "deferred"):
        return existing
    return queue.enqueue(route.func, kwargs=action.payload, job_id=job_id, retry=RETRY, **JOB_OPTIONS)


def job_id(kind: str, key: str, index: int = 0) -> str:
    """A deterministic RQ job id (RQ allows only letters, digits, - and _)."""
    return f"{kind}-{hashlib.sha1(key.encode()).hexdigest()[:24]}-{index}"


def enqueue_all(actions: list[Action], key: str, ctx: context.Context | None = None, pipeline=None) -> None:
    """Enqueue the actions of one inbound message, in the caller's Redis pipeline when given (the webhook
    sends them with its own writes in one round trip). Ids come from the message key, so a re-run after
    a failure overwrites the same jobs; the jobs are idempotent in the database."""
    ctx = ctx or context.get()
    by_queue: dict[str, list] = {}
    for index, action in enumerate(actions):
        route = ROUTES[action.kind]
        by_queue.setdefault(route.queue, []).append(Queue.prepare_data(
            route.func, kwargs=action.payload, job_id=job_id(action.kind, key, index), retry=RETRY, **JOB_OPTIONS))
    pipe = pipeline if pipeline is not None else ctx.redis.pipeline()
    for name, datas in by_queue.items():
        ctx.queues[name].enqueue_many(datas, pipeline=pipe)
    if pipeline is None:
        pipe.execute()
