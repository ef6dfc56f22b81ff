"""The services a process needs (settings, database, Redis, queues), built once.

The web app and RQ workers both call ``get()``; tests and ``create_app`` install
their own with ``use()``.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import redis
from rq import Queue

import config as settings
from bot.db import Database
from bot.redis_store import connect, embedded_url

QUEUES = ("high", "default", "low")


@dataclass
class Context:
    config: settings.Config

    @cached_property
    def redis_url(self) -> str:
        return self.config.redis_url or embedded_url(self.config.instance_dir)

    @cached_property
    def redis(self) -> redis.Redis:
        return connect(self.redis_url)

    @cached_property
    def db(self) -> Database:
        return Database(self.config.sqlalchemy_url)

    @cached_property
    def queues(self) -> dict[str, Queue]:
        return {name: Queue(name, connection=self.redis) for name in QUEUES}


_current: Context | None = None


def use(context: Context) -> Context:
    global _current
    _current = context
    return context


def get() -> Context:
    global _current
    if _current is None:
        _current = Context(settings.load())
    return _current
