"""The outbound client and delivery jobs against the fake WeChat API (real HTTP, real Redis, real RQ)."""
import threading

import pytest
from rq import Retry
from sqlalchemy import select

from bot.models import Delivery, JobFailure
from handlers.messages import Action
from workers import queues
from workers.wechat_client import Client, PermanentWeChatError, TransientWeChatError, for_context


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(queues, "RETRY", Retry(max=2, interval=0))


def test_token_is_fetched_once_and_shared_between_processes(ctx, fake_wechat):
    first, second = for_context(ctx), for_context(ctx)  # two "processes": no shared memory
    first.message.send_text("o_1", "你好")
    second.message.send_text("o_2", "你好")
    tokens = fake_wechat.calls(path="token")
    assert len(tokens) == 1
    assert tokens[0]["query"]["appid"] == ctx.config.wechat_app_id  # went to the configured base


def test_concurrent_refresh_fetches_once(ctx, fake_wechat):
    errors = []

    def send(i):
        try:
            for_context(ctx).message.send_text(f"o_{i}", "hi")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
    threads = [threading.Thread(target=send, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(fake_wechat.calls(path="token")) == 1
    assert len(fake_wechat.calls(path="message/custom/send")) == 8


@pytest.mark.parametrize("errcode", [40001, 42001])
def test_rejected_token_is_refreshed_and_the_call_retried_once(ctx, fake_wechat, errcode):
    client = for_context(ctx)
    client.message.send_text("o_1", "warm up")
    fake_wechat.fault(path="message/custom/send", errcode=errcode)
    client.message.send_text("o_1", "after refresh")
    assert len(fake_wechat.calls(path="token")) == 2
    assert [m["text"] for m in fake_wechat.messages(openid="o_1")] == ["warm up", "after refresh"]


def test_refresh_is_bounded(ctx, fake_wechat):
    fake_wechat.fault(path="message/custom/send", errcode=40001, count=-1)
    with pytest.raises(PermanentWeChatError) as err:
        for_context(ctx).message.send_text("o_1", "x")
    assert err.value.errcode == 40001
    assert len(fake_wechat.calls(path="message/custom/send")) == 2
    assert len(fake_wechat.calls(path="token")) == 2


@pytest.mark.parametrize("fault,kind", [
    ({"errcode": -1}, TransientWeChatError),
    ({"errcode": 45009}, TransientWeChatError),
    ({"http_status": 500}, TransientWeChatError),
    ({"errcode": 45015}, PermanentWeChatError),
    ({"errcode": 40003}, PermanentWeChatError),
])
def test_errors_are_typed(ctx, fake_wechat, fault, kind):
    fake_wechat.fault(path="message/custom/send", **fault)
    with pytest.raises(kind):
        for_context(ctx).message.send_text("o_1", "x")


def test_unreachable_api_is_transient(ctx):
    client = Client("wx", "s", "http://127.0.0.1:9/cgi-bin/", ctx.redis, timeout=1)
    with pytest.raises(TransientWeChatError):
        client.message.send_text("o_1", "x")


def test_send_job_retries_transient_errors_then_delivers_once(ctx, fake_wechat, run_jobs, fast_retries):
    fake_wechat.fault(path="message/custom/send", errcode=-1, count=2)
    queues.enqueue(Action("send_text", {"openid": "o_9", "text": "您的工单有新回复", "key": "k1"}), "job-k1", ctx)
    while run_jobs():
        pass
    assert [m["text"] for m in fake_wechat.messages(openid="o_9")] == ["您的工单有新回复"]
    with ctx.db.session() as s:
        delivery = s.scalars(select(Delivery).where(Delivery.key == "k1")).one()
        assert (delivery.status, delivery.attempts) == ("sent", 3)
    # the same delivery enqueued again (a retried job) is not sent twice
    queues.enqueue(Action("send_text", {"openid": "o_9", "text": "您的工单有新回复", "key": "k1"}), "job-k1b", ctx)
    run_jobs()
    assert len(fake_wechat.messages(openid="o_9")) == 1


def test_exhausted_retries_leave_a_visible_failure(ctx, fake_wechat, run_jobs, fast_retries, client):
    fake_wechat.fault(path="message/custom/send", http_status=500, count=-1)
    queues.enqueue(Action("send_text", {"openid": "o_9", "text": "x", "key": "k2"}), "job-k2", ctx)
    while run_jobs():
        pass
    with ctx.db.session() as s:
        delivery = s.scalars(select(Delivery).where(Delivery.key == "k2")).one()
        failure = s.scalars(select(JobFailure)).one()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert failure.job_id == "job-k2" and "HTTP 500" in failure.error
    assert client.get("/healthz").get_json()["failed_jobs"] == 1


def test_permanent_error_is_recorded_without_retrying(ctx, fake_wechat, run_jobs, fast_retries):
    fake_wechat.fault(path="message/custom/send", errcode=45015)
    queues.enqueue(Action("send_text", {"openid": "o_old", "text": "x", "key": "k3"}), "job-k3", ctx)
    while run_jobs():
        pass
    assert len(fake_wechat.calls(path="message/custom/send")) == 1
    with ctx.db.session() as s:
        delivery = s.scalars(select(Delivery).where(Delivery.key == "k3")).one()
    assert (delivery.status, delivery.errcode) == ("failed", 45015)
