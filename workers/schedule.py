"""Periodic jobs (SLA sweep, follow-ups), enqueued by every `python -m bot worker`, run once per slot.

Each worker process ticks; a Redis SET NX per (job, time slot) lets only the first
of many machines enqueue it, so the sweeps run once per interval however many
workers there are.
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime

from handlers.messages import Action
from workers import context, queues

log = logging.getLogger(__name__)

PERIODIC = {"sla_sweep": 300, "follow_up_sweep": 900, "resend_stalled": 300}  # job kind (workers.queues.ROUTES): seconds
TICK = 30


def tick(ctx: context.Context, now: datetime | None = None) -> list[str]:
    """Enqueue the periodic jobs whose slot has not been claimed yet; returns their job ids."""
    seconds = int(now.timestamp() if now else time.time())
    enqueued = []
    for kind, interval in PERIODIC.items():
        job_id = f"{kind}-{seconds // interval}"
        if ctx.redis.set(f"ud:schedule:{job_id}", 1, nx=True, ex=2 * interval):
            queues.enqueue(Action(kind, {}), job_id, ctx)
            enqueued.append(job_id)
    return enqueued


def start(ctx: context.Context) -> threading.Thread:
    """Tick every TICK seconds in a daemon thread (it ends with the worker process)."""
    def loop() -> None:
        while True:
            try:
                tick(ctx)
            except Exception:  # Redis away for a moment: try again next tick
                log.exception("scheduling periodic jobs failed")
            time.sleep(TICK)
    thread = threading.Thread(target=loop, name="union-desk-schedule", daemon=True)
    thread.start()
    return thread
