"""/wechat end to end with the real Redis and database: every mode, type, retry and attack."""
import hashlib
import logging
import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

import handlers
from bot.models import InboundMessage, Worker
from bot.wechat_sim import WeChatSide, event_xml, push_xml, text_xml
from handlers.messages import Result
from tests.conftest import OLD_AES_KEY


def count(ctx, model, *where) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).select_from(model).where(*where))


def test_url_verification(client, cfg):
    sig = hashlib.sha1("".join(sorted([cfg.wechat_token, "1700000000", "n0nce"])).encode()).hexdigest()
    ok = client.get("/wechat", query_string={"signature": sig, "timestamp": "1700000000", "nonce": "n0nce",
                                             "echostr": "echo-123"})
    assert ok.status_code == 200 and ok.data == b"echo-123"
    bad = client.get("/wechat", query_string={"signature": "0" * 40, "timestamp": "1700000000", "nonce": "n0nce",
                                              "echostr": "echo-123"})
    assert bad.status_code == 403 and b"echo-123" not in bad.data
    assert client.get("/wechat").status_code == 403


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
def test_text_round_trip_in_every_mode(send, ctx, mode):
    response, reply = send(text_xml("o_worker1", "老板欠我工资"), mode)
    assert response.status_code == 200
    assert reply["MsgType"] == "text" and reply["ToUserName"] == "o_worker1"
    assert reply["Content"]  # a real answer, not an empty reply
    assert (b"<Encrypt>" in response.data) == (mode == "safe" or mode == "compat")
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_worker1") == 1


def test_previous_aes_key_is_accepted_and_used_for_the_reply(client, cfg, ctx):
    old_side = WeChatSide(cfg.wechat_token, cfg.wechat_app_id, OLD_AES_KEY)
    params, body = old_side.request(text_xml("o_rot", "你好"), "safe")
    response = client.post("/wechat", query_string=params, data=body)
    assert response.status_code == 200
    reply = old_side.open_reply(response.data, params)  # decrypts only with the old key
    assert reply["ToUserName"] == "o_rot"
    new_side = WeChatSide(cfg.wechat_token, cfg.wechat_app_id, cfg.wechat_aes_key)
    with pytest.raises(Exception):
        new_side.open_reply(response.data, params)


ALL_PUSHES = [
    push_xml("o_t", "text", Content="你好", MsgId=1001),
    push_xml("o_t", "image", PicUrl="http://x/a.jpg", MediaId="media-img", MsgId=1002),
    push_xml("o_t", "voice", MediaId="media-voice", Format="amr", Recognition="老板跑了", MsgId=1003),
    push_xml("o_t", "voice", MediaId="media-voice2", Format="amr", MsgId=1004),
    push_xml("o_t", "video", MediaId="media-video", ThumbMediaId="th", MsgId=1005),
    push_xml("o_t", "shortvideo", MediaId="media-sv", ThumbMediaId="th", MsgId=1006),
    push_xml("o_t", "location", Location_X=23.1, Location_Y=113.3, Scale=20, Label="广州市天河区", MsgId=1007),
    push_xml("o_t", "link", Title="文章", Description="d", Url="http://example.org", MsgId=1008),
    push_xml("o_t", "file", Title="合同.pdf", Description="", FileKey="k", FileMd5="m", FileTotalLen=10,
             MediaId="media-file", MsgId=1009),
    push_xml("o_t", "miniprogrampage", Title="小程序", MsgId=1010),
    push_xml("o_t", "newtype", MsgId=1011),
    event_xml("o_t", "subscribe", create_time=1700000001),
    event_xml("o_t", "subscribe", "qrscene_office_7", create_time=1700000002),
    event_xml("o_t", "unsubscribe", create_time=1700000003),
    event_xml("o_t", "SCAN", "office_7", create_time=1700000004),
    push_xml("o_t", "event", Event="LOCATION", Latitude=23.1, Longitude=113.3, Precision=50, CreateTime=1700000005),
    event_xml("o_t", "CLICK", "MENU_WAGE", create_time=1700000006),
    event_xml("o_t", "VIEW", "https://example.org", create_time=1700000007),
    push_xml("o_t", "event", Event="TEMPLATESENDJOBFINISH", MsgID=200, Status="success", CreateTime=1700000008),
    push_xml("o_t", "event", Event="MASSSENDJOBFINISH", MsgID=300, Status="send success", TotalCount=10,
             FilterCount=10, SentCount=10, ErrorCount=0, CreateTime=1700000009),
    event_xml("o_t", "brand_new_event", create_time=1700000010),
]


@pytest.mark.parametrize("xml", ALL_PUSHES, ids=range(len(ALL_PUSHES)))
def test_every_message_and_event_is_accepted_and_stored(send, ctx, xml):
    response, reply = send(xml)
    assert response.status_code == 200
    assert response.data == b"success" or reply.get("MsgType") == "text"
    assert count(ctx, InboundMessage) == 1


def test_subscribe_gets_a_welcome_and_records_the_follower(send, ctx, run_jobs):
    _, reply = send(event_xml("o_new", "subscribe", "qrscene_office_7", create_time=1700000100))
    assert "找工作人员" in reply["Content"] and "欠薪" in reply["Content"]
    assert run_jobs() == 1
    with ctx.db.session() as s:
        worker = s.scalars(select(Worker).where(Worker.openid == "o_new")).one()
        assert worker.subscribed and worker.scene == "office_7"


def test_retry_gets_the_same_reply_and_no_second_side_effect(send, ctx, run_jobs, fake_wechat):
    media_id = fake_wechat.seed_media(b"\xff\xd8\xff fake jpeg", "image/jpeg")
    xml = push_xml("o_r", "image", PicUrl="http://x/a.jpg", MediaId=media_id, MsgId=777)
    first, reply1 = send(xml)
    second, reply2 = send(xml)
    third, reply3 = send(xml, "plain")
    assert reply1["Content"] == reply2["Content"] == reply3["Content"]
    assert count(ctx, InboundMessage) == 1
    assert run_jobs() == 1  # one download, not three
    assert len(fake_wechat.calls(path="media/get")) == 1


def test_event_retry_deduplicated_on_sender_time_and_event(send, ctx, run_jobs):
    xml = event_xml("o_e", "subscribe", create_time=1700000200)
    send(xml)
    send(xml)
    send(event_xml("o_e", "subscribe", create_time=1700000201))  # a new subscribe is a new event
    assert count(ctx, InboundMessage) == 2
    assert run_jobs() == 2


def test_media_is_downloaded_and_noted_on_the_message(send, ctx, run_jobs, fake_wechat):
    media_id = fake_wechat.seed_media(b"\xff\xd8\xff IOU photo", "image/jpeg")
    send(push_xml("o_m", "image", PicUrl="http://x/a.jpg", MediaId=media_id, MsgId=4242))
    run_jobs()
    with ctx.db.session() as s:
        message = s.scalars(select(InboundMessage)).one()
    path = message.payload["file"]
    assert path.startswith(str(ctx.config.media_dir))
    assert open(path, "rb").read() == b"\xff\xd8\xff IOU photo"


def test_voice_recognition_is_used_as_text(send):
    _, reply = send(push_xml("o_v", "voice", MediaId="mv", Format="amr", Recognition="包工头跑了", MsgId=5151))
    assert reply["MsgType"] == "text" and reply["Content"]


def test_extra_replies_go_out_through_the_customer_service_api(send, run_jobs, fake_wechat, monkeypatch):
    monkeypatch.setattr(handlers, "handle", lambda state, msg: Result(["第一条", "第二条", "第三条"], {}, []))
    _, reply = send(text_xml("o_x", "hi", msg_id=9191))
    assert reply["Content"] == "第一条"
    assert run_jobs() == 2
    assert [m["text"] for m in fake_wechat.messages(openid="o_x")] == ["第二条", "第三条"]
    send(text_xml("o_x", "hi", msg_id=9191))  # WeChat's retry
    run_jobs()
    assert len(fake_wechat.messages(openid="o_x")) == 2


def test_state_survives_between_messages_and_lock_serialises_a_worker(send, ctx, monkeypatch):
    """Two quick messages from one worker: the second sees the first one's state."""
    def counting(state, msg):
        n = (state or {}).get("n", 0) + 1
        return Result([f"第{n}条"], {"n": n}, [])
    monkeypatch.setattr(handlers, "handle", counting)
    results = []
    threads = [threading.Thread(target=lambda i=i: results.append(send(text_xml("o_l", f"m{i}", msg_id=100 + i))[1]))
               for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r["Content"] for r in results) == sorted(f"第{n}条" for n in range(1, 7))


def test_handler_bug_still_answers_the_worker(send, ctx, monkeypatch):
    def broken(state, msg):
        raise RuntimeError("bug")
    monkeypatch.setattr(handlers, "handle", broken)
    response, reply = send(text_xml("o_bug", "你好", msg_id=31337))
    assert response.status_code == 200 and "人工" in reply["Content"]
    assert count(ctx, InboundMessage) == 1


def test_reply_xml_survives_cdata_terminators(send):
    response, reply = send(text_xml("o_cd", "工资]]><MsgType>image</MsgType>没给", msg_id=6060))
    assert response.status_code == 200
    assert reply["MsgType"] == "text"


def test_phone_and_id_numbers_are_masked_in_logs(send, caplog):
    caplog.set_level(logging.INFO)
    send(text_xml("o_log", "我电话13912345678 身份证11010519491231002X", msg_id=8080))
    logged = caplog.text
    assert "13912345678" not in logged and "11010519491231002X" not in logged
    assert "139****5678" in logged


# -- hostile input -------------------------------------------------------------

XXE = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       '<xml><ToUserName>gh</ToUserName><FromUserName>o_h</FromUserName><CreateTime>1</CreateTime>'
       '<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>')
LAUGHS = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{"&lol{};".format(i - 1 if i > 1 else "") * 10}">' for i in range(1, 9))
          + ']><xml><FromUserName>o_h</FromUserName><MsgType>text</MsgType><Content>&lol8;</Content></xml>')


@pytest.mark.parametrize("mode", ["plain", "safe"])
@pytest.mark.parametrize("xml", [XXE, LAUGHS, "garbage <<<", "<xml><a></xml>", "<xml></xml>", "<other/>"])
def test_hostile_xml_gets_4xx_and_service_keeps_serving(send, ctx, xml, mode):
    response, _ = send(xml, mode)
    assert 400 <= response.status_code < 500
    assert b"root:" not in response.data
    assert count(ctx, InboundMessage) == 0
    ok, reply = send(text_xml("o_after", "你好", msg_id=1))
    assert ok.status_code == 200 and reply["Content"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-32"])
def test_billion_laughs_in_utf16_is_refused(client, wechat, ctx, encoding):
    """A DTD spelled in UTF-16 or UTF-32 bytes cannot slip past the byte-level DTD check."""
    params, _ = wechat.request(text_xml("o_h", "x"), "plain")
    body = LAUGHS.replace('version="1.0"', f'version="1.0" encoding="{encoding}"').encode(encoding)
    response = client.post("/wechat", query_string=params, data=body, content_type="text/xml")
    assert response.status_code == 400
    assert count(ctx, InboundMessage) == 0


def test_oversize_body_gets_413(client, wechat):
    params, _ = wechat.request(text_xml("o_big", "x"), "plain")
    response = client.post("/wechat", query_string=params, data=b"<xml>" + b"a" * (65 * 1024) + b"</xml>")
    assert response.status_code == 413


def test_forged_and_broken_requests(client, wechat, cfg):
    xml = text_xml("o_f", "你好")
    params, body = wechat.request(xml, "plain")
    assert client.post("/wechat", query_string={**params, "signature": "0" * 40}, data=body).status_code == 403
    assert client.post("/wechat", data=body).status_code == 403
    params, body = wechat.request(xml, "safe")
    assert client.post("/wechat", query_string={**params, "msg_signature": "0" * 40}, data=body).status_code == 403
    without = {k: v for k, v in params.items() if k != "msg_signature"}
    assert client.post("/wechat", query_string=without, data=body).status_code == 403
    # a valid signature over a payload that is not AES of anything
    junk = "QUJDREVGR0hJSktMTU5PUA=="
    from bot.wechat_protocol import sign
    forged = {**params, "msg_signature": sign(cfg.wechat_token, params["timestamp"], params["nonce"], junk)}
    response = client.post("/wechat", query_string=forged,
                           data=f"<xml><Encrypt><![CDATA[{junk}]]></Encrypt></xml>".encode())
    assert response.status_code == 400
    # the right keys but another account's AppID inside
    other = WeChatSide(cfg.wechat_token, "wxSOMEONEELSE00000", cfg.wechat_aes_key)
    params, body = other.request(xml, "safe")
    assert client.post("/wechat", query_string=params, data=body).status_code == 400


def test_healthz_reports_redis_database_and_queues(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.get_json()
    assert report["redis"] == "ok" and report["database"] == "ok"
    assert set(report["queues"]) == {"high", "default", "low"}


def test_message_is_kept_even_when_redis_is_down(send, ctx, monkeypatch):
    """Redis gone: WeChat gets a 503 (and retries), and the message is already in the database."""
    import redis as redis_lib

    from bot.redis_store import HotPath

    def down(*args, **kwargs):
        raise redis_lib.ConnectionError("connection refused")
    monkeypatch.setattr(HotPath, "begin", down)
    response, _ = send(text_xml("o_down", "老板欠我工资", msg_id=70001))
    assert response.status_code == 503
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_down") == 1
    monkeypatch.undo()
    ok, reply = send(text_xml("o_down", "老板欠我工资", msg_id=70001))  # WeChat's retry
    assert ok.status_code == 200 and reply["Content"]
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_down") == 1


def test_scripts_lost_by_redis_are_reloaded(send, ctx):
    """After SCRIPT FLUSH (a Redis restart) the hot path still answers and keeps state."""
    send(text_xml("o_flush", "欠薪", msg_id=71001))
    ctx.redis.script_flush()
    response, reply = send(text_xml("o_flush", "鑫达劳务", msg_id=71002))
    assert response.status_code == 200 and "工地" in reply["Content"]
    assert "鑫达".encode() in ctx.redis.get("ud:session:o_flush")
    assert ctx.redis.get("ud:lock:o_flush") is None


def test_a_stuck_previous_message_still_gets_a_timely_answer(send, ctx):
    """The worker's lock is held (a previous message is stuck): the reply comes before WeChat's
    deadline, asks the worker to resend, and the message is kept in the database."""
    import time as clock
    ctx.redis.set("ud:lock:o_stuck", "someone-else", px=60000)
    started = clock.monotonic()
    response, reply = send(text_xml("o_stuck", "老板欠我工资", msg_id=72001))
    assert clock.monotonic() - started < 4.5
    assert response.status_code == 200 and "再发一次" in reply["Content"]
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_stuck") == 1


def test_random_garbage_never_gets_a_5xx(client, wechat):
    """A seeded fuzz: mutated pushes, random bytes and odd XML in every mode get a 2xx or 4xx, never a 5xx."""
    import random
    rng = random.Random(20261122)
    base = text_xml("o_fuzz", "老板欠我工资", msg_id=1)
    samples = [bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 300))) for _ in range(40)]
    for _ in range(80):
        chars = list(base)
        for _ in range(rng.randint(1, 8)):
            chars[rng.randrange(len(chars))] = rng.choice("<>/&;]![CDATA\x00\x01 \u00e9中")
        samples.append("".join(chars).encode("utf-8", "surrogatepass"))
    samples += [b"<xml><FromUserName><a>1</a></FromUserName><MsgType>text</MsgType><CreateTime>1</CreateTime></xml>",
                b"<xml><FromUserName>o</FromUserName><MsgType><x/></MsgType></xml>",
                b"<xml><Encrypt><a/></Encrypt></xml>", b"\xff\xfe<\x00x\x00"]
    for body in samples:
        for mode in ("plain", "safe"):
            params, _ = wechat.request(base, mode)
            response = client.post("/wechat", query_string=params, data=body)
            assert response.status_code < 500, (body, mode, response.data)


def test_inbound_row_keeps_what_the_worker_sent(send, ctx):
    """The hot-path INSERT (raw DBAPI) stores the same values the ORM reads back: text, JSON, UTC time."""
    send(push_xml("o_row", "location", Location_X=23.1, Location_Y=113.3, Scale=20, Label="广州市天河区",
                  MsgId=8801, CreateTime=1764500000))
    send(text_xml("o_row", "老板欠我]]>三个月工资", msg_id=8802))
    with ctx.db.session() as s:
        rows = {m.dedup_key: m for m in s.scalars(select(InboundMessage).where(InboundMessage.openid == "o_row"))}
    place, text = rows["8801"], rows["8802"]
    assert place.msg_type == "location" and place.content == "广州市天河区"
    assert place.payload == {"location": {"lat": 23.1, "lng": 113.3, "label": "广州市天河区"}}
    assert place.sent_at.replace(tzinfo=None) == datetime(2025, 11, 30, 10, 53, 20)  # CreateTime, in UTC
    assert text.content == "老板欠我]]>三个月工资" and text.payload is None and text.received_at is not None


def test_inbound_store_survives_a_dropped_database_connection(send, ctx, app):
    """PostgreSQL restarts or kills the web thread's connection: the next message reconnects, nothing lost."""
    if ctx.db.dialect != "postgresql":
        pytest.skip("needs a database server whose connections can be killed (DATABASE_URL=postgresql...)")
    from sqlalchemy import text as sql

    send(text_xml("o_drop", "你好", msg_id=8901))  # the test client runs the app in this thread
    pid = app.extensions["union_desk"].db.hot.local.connection.info.backend_pid
    with ctx.db.engine.begin() as conn:
        assert conn.execute(sql("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
    response, reply = send(text_xml("o_drop", "老板欠我工资", msg_id=8902))
    assert response.status_code == 200 and reply["Content"]
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_drop") == 2


def test_a_locked_inbound_table_gets_a_timely_503_then_the_retry_is_kept(send, ctx):
    """The database stalls (a lock, a stuck server): WeChat hears back within its 5 s (503: it retries) and the
    retry after the stall is stored and answered."""
    import time as clock

    from sqlalchemy import text as sql

    connection = ctx.db.engine.connect()
    transaction = connection.begin()
    if ctx.db.dialect == "postgresql":
        connection.execute(sql("LOCK TABLE inbound_messages IN ACCESS EXCLUSIVE MODE"))
    else:
        connection.exec_driver_sql("INSERT INTO ref_counters (key, value) VALUES ('lock-test', 1)")  # write lock
    try:
        started = clock.monotonic()
        response, _ = send(text_xml("o_stall", "老板欠我工资", msg_id=9901))
        assert response.status_code == 503 and clock.monotonic() - started < 4.5
    finally:
        transaction.rollback()
        connection.close()
    ok, reply = send(text_xml("o_stall", "老板欠我工资", msg_id=9901))  # WeChat's retry
    assert ok.status_code == 200 and reply["Content"]
    assert count(ctx, InboundMessage, InboundMessage.openid == "o_stall") == 1
