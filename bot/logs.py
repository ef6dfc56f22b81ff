"""Logging that does not slow down the webhook: records go through a queue to a background writer."""
from __future__ import annotations

import atexit
import logging
import logging.handlers
import queue

FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_listener: logging.handlers.QueueListener | None = None


def setup(level: int = logging.INFO) -> None:
    """Root logger -> QueueHandler -> (thread) -> stderr. Idempotent per process."""
    global _listener
    if _listener is not None:
        return
    records: queue.SimpleQueue = queue.SimpleQueue()
    writer = logging.StreamHandler()
    writer.setFormatter(logging.Formatter(FORMAT))
    _listener = logging.handlers.QueueListener(records, writer, respect_handler_level=True)
    _listener.start()
    atexit.register(_listener.stop)
    root = logging.getLogger()
    root.addHandler(logging.handlers.QueueHandler(records))
    root.setLevel(level)
