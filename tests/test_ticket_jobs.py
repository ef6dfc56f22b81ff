"""Ticket jobs against real Redis, a real database, a real RQ worker and the fake WeChat API."""
from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from types import SimpleNamespace

import pytest
from rq import Retry
from sqlalchemy import func, select, update
from werkzeug.serving import make_server

from bot.models import (AuditEvent, Delivery, Office, Staff, Ticket, TicketGroup, TicketMessage, utcnow,
                        Worker)
from handlers.messages import Action
from workers import queues, schedule
from workers.follow_up import follow_up_sweep
from workers.sla import sla_sweep

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=timezone.utc)
OPENID = "o_worker_1"
PHONE = "13800138000"
_jobs = count()


# -- fixtures and helpers -----------------------------------------------------

@pytest.fixture
def wecom():
    """A stand-in WeCom group robot: records every JSON POST, answers errcode 0."""
    posts: list[dict] = []

    def app(environ, start_response):
        posts.append(json.loads(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))))
        start_response("200 OK", [("Content-Type", "application/json")])
        return [b'{"errcode": 0, "errmsg": "ok"}']
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=k", posts=posts,
                          texts=lambda: [p["text"]["content"] for p in posts])
    server.shutdown()
    server.server_close()


@pytest.fixture
def offices(ctx, wecom) -> dict[str, int]:
    """市总 (default) -> 青溪镇 -> 青溪工业园联合会 -> 鑫达劳务 enterprise union."""
    with ctx.db.session() as s:
        city = Office(code="CITY", name="青州市总工会", kind="city", areas=["青州市"], is_default=True)
        town = Office(code="QX", name="青溪镇总工会", kind="township", areas=["青溪镇", "青溪"], parent=city,
                      wecom_webhook=wecom.url)
        park = Office(code="PARK", name="青溪工业园工会联合会", kind="federation", areas=["青溪工业园"], parent=town)
        xinda = Office(code="XD", name="鑫达劳务有限公司工会", kind="enterprise", areas=["鑫达厂区"], parent=park,
                       employer="鑫达劳务有限公司")
        s.add_all([city, town, park, xinda])
        s.flush()
        return {o.code: o.id for o in (city, town, park, xinda)}


@pytest.fixture
def fast_retries(monkeypatch):
    monkeypatch.setattr(queues, "RETRY", Retry(max=3, interval=0))


@pytest.fixture
def template(ctx, monkeypatch):
    monkeypatch.setattr(ctx, "config", ctx.config.with_(wechat_template_ticket_update="TPL_TICKET_UPDATE"))


def drain(run_jobs) -> None:
    while run_jobs():
        pass


def enqueue(kind: str, **payload) -> None:
    queues.enqueue(Action(kind, payload), f"test-{kind}-{next(_jobs)}")


def wage_case(ref: str, openid: str = OPENID, employer: str = "宏远建筑", location="青溪镇人民路",
              urgent: bool = False, now: datetime = T0, evidence=(), summary: str = "", **fields) -> dict:
    return {"ref": ref, "category": "wage_arrears", "openid": openid, "urgent": urgent, "now": now,
            "fields": {"employer": employer, "location": location, "amount_owed": 8000, "workers_affected": 1,
                       "name": "张三", "phone": PHONE, "description": "老板欠了三个月工资", **fields},
            "evidence": list(evidence), "inbound_key": f"in-{ref}",
            "summary": summary or f"欠薪：{employer}，8000元，电话{PHONE}"}


def create(run_jobs, **payload) -> None:
    enqueue("create_ticket", **payload)
    drain(run_jobs)


def load(ctx, ref: str) -> Ticket:
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        ticket.office, ticket.messages, ticket.attachments, ticket.group  # load before the session closes
        return ticket


def set_ticket(ctx, ref: str, **values) -> None:
    with ctx.db.session() as s:
        s.execute(update(Ticket).where(Ticket.ref == ref).values(**values))


def view(ctx, openid: str = OPENID) -> dict:
    return json.loads(ctx.redis.get(f"ud:worker:{openid}"))


def aware(value: datetime) -> datetime:  # SQLite gives naive UTC datetimes back
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


# -- create_ticket --------------------------------------------------------------

@pytest.mark.parametrize("location,employer,office", [
    ("青溪镇人民路 5 号工地", "宏远建筑", "QX"),
    ("青州市青溪工业园三号路", "宏远建筑", "PARK"),  # the deepest office named wins
    ({"lat": 30.1, "lng": 120.2, "label": "青溪工业园鑫达厂区"}, "宏远建筑", "XD"),
    ({"text": "青溪工业园鑫达厂区"}, "鑫达劳务公司", "QX"),  # never its own enterprise union
    ("广东东莞", "宏远建筑", "CITY"),  # the default office
])
def test_create_ticket_routes_by_location(ctx, run_jobs, offices, location, employer, office):
    create(run_jobs, **wage_case("QX-20261122-0001", employer=employer, location=location))
    assert load(ctx, "QX-20261122-0001").office.code == office


@pytest.mark.parametrize("fields,urgent,expected", [
    ({}, False, 2),
    ({"workers_affected": 20}, False, 3),
    ({"amount_owed": 80000}, False, 3),
    ({"description": "在工地摔断了腿，算不算工伤"}, False, 3),
    ({}, True, 4),
    ({"workers_affected": 18, "story": "包工头黄哥跑了 我们明天就去公司门口拉横幅"}, False, 4),  # a crowd about to act
    ({"amount_owed": 8000, "description": "厂里机器这两天在往外搬"}, False, 3),  # assets leaving, one worker
    ({"amount_owed": 6000, "story": "孩子白血病在郑州住院 等钱救命 能不能快点"}, False, 3),  # money for treatment
    ({"description": "老板把我告了 法院寄了个传票来 下礼拜三就开庭"}, False, 3),  # a hearing coming
    ({"story": "急急急 俺爹脑出血 医院让今天必须交三万押金 不交不给手术"}, False, 3),  # surgery waiting on money
    # sixteenth round: a gate of any name blocked tomorrow, a crowd waiting at a locked gate, a boss gone abroad
    ({"workers_affected": 30, "story": "班组长卷钱跑了 我们准备明天去堵项目部大门"}, False, 4),
    ({"workers_affected": 100, "story": "鞋厂老板两个月没开工资了 今天厂门都锁了 我们一百多人在厂门口等着"}, False, 4),
    ({"amount_owed": 9000, "story": "老板电话关机 听说跑回台湾了"}, False, 3),
])
def test_create_ticket_priority(ctx, run_jobs, offices, fields, urgent, expected):
    create(run_jobs, **wage_case("QX-20261122-0002", urgent=urgent, **fields))
    assert load(ctx, "QX-20261122-0002").priority == expected


def test_create_ticket_due_times_come_from_config(ctx, run_jobs, offices, monkeypatch):
    monkeypatch.setattr(ctx, "config", ctx.config.with_(sla_first_response_hours=6, sla_resolve_days_general=10))
    create(run_jobs, **wage_case("QX-20261122-0003"))
    ticket = load(ctx, "QX-20261122-0003")
    assert aware(ticket.first_response_due) == T0 + timedelta(hours=6)
    assert aware(ticket.resolve_due) == T0 + timedelta(days=10)


def test_create_ticket_records_everything_once(ctx, run_jobs, offices, fake_wechat, wecom, template):
    with ctx.db.session() as s:
        s.add(Staff(username="li", password_hash="x", role="agent", office_id=offices["QX"], openid="o_staff_li"))
    photo = fake_wechat.seed_media(b"\xff\xd8\xff IOU photo", "image/jpeg")
    voice = fake_wechat.seed_media(b"#!AMR voice", "audio/amr")
    payload = wage_case("QX-20261122-0004", employer="鑫达劳务 ", workers_affected=20, amount_owed="80,000",
                        evidence=[{"media_id": photo, "msg_type": "image"}, {"media_id": voice, "msg_type": "voice"}])
    create(run_jobs, **payload)
    create(run_jobs, **payload)  # a retried job, or a WeChat retry that slipped through

    ticket = load(ctx, "QX-20261122-0004")
    assert (ticket.status, ticket.source, ticket.category, ticket.difficulty) == ("new", "wechat", "wage_arrears",
                                                                                 "general")
    assert (ticket.worker_name, ticket.phone, ticket.employer, ticket.employer_key) == ("张三", PHONE, "鑫达劳务",
                                                                                          "鑫达劳务")
    assert (ticket.amount_owed, ticket.workers_covered, ticket.office.code) == (80000, 20, "QX")
    assert ticket.fields["description"] == "老板欠了三个月工资"
    assert [(m.direction, m.inbound_key) for m in ticket.messages] == [("in", "in-QX-20261122-0004"),
                                                                        ("system", None)]
    assert "青溪镇总工会" in ticket.messages[1].text
    assert {(a.msg_type, a.status, a.content_type) for a in ticket.attachments} == {
        ("image", "downloaded", "image/jpeg"), ("voice", "downloaded", "audio/amr")}
    assert all(Path(a.path).read_bytes()[:3] in (b"\xff\xd8\xff", b"#!A") for a in ticket.attachments)
    assert ticket.attachments[0].size == len(b"\xff\xd8\xff IOU photo")
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Ticket)) == 1
        assert s.scalars(select(AuditEvent.action).where(AuditEvent.ticket_id == ticket.id)).all() == ["created"]
        worker = s.scalars(select(Worker).where(Worker.openid == OPENID)).one()
        assert (worker.name, worker.phone) == ("张三", PHONE)
    assert view(ctx)["cases"] == [{"ref": "QX-20261122-0004", "category": "wage_arrears", "status": "new",
                                   "updated_at": ticket.updated_at.isoformat()}]
    # the office heard of it once, on its group robot and on its staff's WeChat, without the full phone
    assert len(wecom.posts) == 1 and wecom.posts[0]["msgtype"] == "text"
    alert = wecom.texts()[0]
    assert "QX-20261122-0004" in alert and PHONE not in alert and "138****8000" in alert
    staff_messages = fake_wechat.messages(openid="o_staff_li")
    assert len(staff_messages) == 1 and staff_messages[0]["kind"] == "template"
    assert PHONE not in json.dumps(staff_messages[0]["raw"], ensure_ascii=False)


def test_expired_evidence_is_marked_failed(ctx, run_jobs, offices, fast_retries):
    create(run_jobs, **wage_case("QX-20261122-0005", evidence=[{"media_id": "gone-media", "msg_type": "image"}]))
    assert [a.status for a in load(ctx, "QX-20261122-0005").attachments] == ["failed"]


# -- deliver_reply --------------------------------------------------------------

@pytest.fixture
def case(ctx, run_jobs, offices) -> Ticket:
    create(run_jobs, **wage_case("QX-20261122-0010"))
    return load(ctx, "QX-20261122-0010")


def staff_reply(ctx, ticket: Ticket, text: str = "张师傅，我们已联系老板，周五前给您答复。") -> int:
    with ctx.db.session() as s:
        message = TicketMessage(ticket_id=ticket.id, direction="out", text=text)
        s.add(message)
        s.flush()
        message.delivery_key = f"reply-{message.id}"
        return message.id


def delivery_of(ctx, message_id: int) -> Delivery:
    with ctx.db.session() as s:
        return s.scalars(select(Delivery).where(Delivery.key == f"reply-{message_id}")).one()


def test_reply_is_sent_as_a_customer_service_message_once(ctx, run_jobs, fake_wechat, case):
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    enqueue("deliver_reply", message_id=message_id)  # the job run twice
    drain(run_jobs)
    assert [(m["kind"], m["text"]) for m in fake_wechat.messages(openid=OPENID)] == [
        ("custom", "张师傅，我们已联系老板，周五前给您答复。")]
    delivery = delivery_of(ctx, message_id)
    assert (delivery.status, delivery.attempts, delivery.errcode) == ("sent", 1, None)


def test_reply_outside_48_hours_falls_back_to_a_template(ctx, run_jobs, fake_wechat, case, template):
    fake_wechat.set_user(OPENID, last_interaction_ago=49 * 3600)
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    drain(run_jobs)
    [sent] = fake_wechat.messages(openid=OPENID)
    assert sent["kind"] == "template" and sent["raw"]["template_id"] == "TPL_TICKET_UPDATE"
    assert f"您的工单 {case.ref} 有新回复" in sent["text"] and "查询" in sent["text"]
    delivery = delivery_of(ctx, message_id)
    assert (delivery.status, delivery.errcode) == ("fallback_template", 45015)


def test_too_many_messages_falls_back_to_a_template(ctx, run_jobs, fake_wechat, case, template):
    fake_wechat.fault(path="message/custom/send", errcode=45047)
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    drain(run_jobs)
    assert [m["kind"] for m in fake_wechat.messages(openid=OPENID)] == ["template"]
    assert delivery_of(ctx, message_id).status == "fallback_template"


def test_reply_outside_48_hours_without_a_template_is_shown_failed(ctx, run_jobs, fake_wechat, case):
    fake_wechat.set_user(OPENID, last_interaction_ago=49 * 3600)
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    drain(run_jobs)
    assert fake_wechat.messages(openid=OPENID) == []
    delivery = delivery_of(ctx, message_id)
    assert (delivery.status, delivery.errcode) == ("failed", 45015)


def test_transient_errors_are_retried_and_the_reply_sent_once(ctx, run_jobs, fake_wechat, case, fast_retries):
    fake_wechat.fault(path="message/custom/send", errcode=-1, count=2)
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    drain(run_jobs)
    assert len(fake_wechat.messages(openid=OPENID)) == 1
    delivery = delivery_of(ctx, message_id)
    assert (delivery.status, delivery.attempts) == ("sent", 3)


def test_exhausted_retries_leave_the_reply_failed(ctx, run_jobs, fake_wechat, case, fast_retries):
    fake_wechat.fault(path="message/custom/send", http_status=500, count=-1)
    message_id = staff_reply(ctx, case)
    enqueue("deliver_reply", message_id=message_id)
    drain(run_jobs)
    delivery = delivery_of(ctx, message_id)
    assert (delivery.status, delivery.attempts) == ("failed", 4)
    assert "HTTP 500" in delivery.errmsg


# -- sla_sweep ------------------------------------------------------------------

def test_sla_sweep_flags_raises_and_notifies_once(ctx, run_jobs, offices, wecom):
    for n, employer in enumerate(["宏远建筑", "永利劳务", "张老板"]):  # three employers: no group case
        create(run_jobs, **wage_case(f"QX-20261122-002{n}", employer=employer))
    set_ticket(ctx, "QX-20261122-0021", first_response_at=T0 + timedelta(hours=2))  # answered in time
    set_ticket(ctx, "QX-20261122-0022", status="resolved")

    assert sla_sweep(now=T0 + timedelta(hours=23)) == 0
    assert sla_sweep(now=T0 + timedelta(hours=25)) == 1
    assert sla_sweep(now=T0 + timedelta(hours=26)) == 0  # run twice: flagged once
    drain(run_jobs)
    late = load(ctx, "QX-20261122-0020")
    assert (late.overdue, late.priority) == ("first_response", 3)
    assert aware(late.overdue_notified_at) == T0 + timedelta(hours=25)
    assert late.messages[-1].direction == "system"
    assert load(ctx, "QX-20261122-0021").overdue is None
    overdue_alerts = [t for t in wecom.texts() if "超时" in t]
    assert len(overdue_alerts) == 1 and "QX-20261122-0020" in overdue_alerts[0]

    assert sla_sweep(now=T0 + timedelta(days=16)) == 2  # past the resolution limit (15 days): both open cases
    assert sla_sweep(now=T0 + timedelta(days=17)) == 0
    drain(run_jobs)
    assert (load(ctx, "QX-20261122-0020").overdue, load(ctx, "QX-20261122-0020").priority) == ("resolve", 4)
    assert len([t for t in wecom.texts() if "超时" in t]) == 3


def test_cases_waiting_on_the_worker_or_an_agency_are_not_late_to_resolve(ctx, run_jobs, offices, wecom):
    for n, (employer, status) in enumerate([("宏远建筑", "waiting_worker"), ("永利劳务", "referred"),
                                             ("张老板", "in_progress")]):
        create(run_jobs, **wage_case(f"QX-20261122-003{n}", employer=employer))
        set_ticket(ctx, f"QX-20261122-003{n}", status=status, first_response_at=T0 + timedelta(hours=1))
    assert sla_sweep(now=T0 + timedelta(days=16)) == 1
    assert load(ctx, "QX-20261122-0032").overdue == "resolve"
    assert load(ctx, "QX-20261122-0030").overdue is None and load(ctx, "QX-20261122-0031").overdue is None


# -- group_alert ----------------------------------------------------------------

def group_alerts(wecom) -> list[str]:
    return [t for t in wecom.texts() if "集体欠薪预警" in t]


def test_three_cases_naming_one_employer_make_one_group_and_one_alert(ctx, run_jobs, offices, wecom):
    for n, (employer, day) in enumerate([("鑫达劳务", 0), ("鑫达劳务公司", 5), ("鑫达劳务有限公司", 10)]):
        create(run_jobs, **wage_case(f"QX-2026112{n}-0030", openid=f"o_g{n}", employer=employer,
                                     now=T0 + timedelta(days=day)))
    refs = [f"QX-2026112{n}-0030" for n in range(3)]
    tickets = [load(ctx, ref) for ref in refs]
    assert len({t.group_id for t in tickets}) == 1 and tickets[0].group_id is not None
    assert all(t.priority >= 3 for t in tickets)
    assert tickets[0].group.alerted_at is not None and tickets[0].group.key == "employer:鑫达劳务"
    [alert] = group_alerts(wecom)
    assert all(ref in alert for ref in refs)

    create(run_jobs, **wage_case("QX-20261204-0030", openid="o_g3", employer="鑫达劳务", now=T0 + timedelta(days=12)))
    assert load(ctx, "QX-20261204-0030").group_id == tickets[0].group_id
    assert len(group_alerts(wecom)) == 1
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(TicketGroup)) == 1


def test_cases_older_than_30_days_do_not_count(ctx, run_jobs, offices, wecom):
    create(run_jobs, **wage_case("QX-20261001-0040", employer="鑫达劳务", now=T0 - timedelta(days=40)))
    create(run_jobs, **wage_case("QX-20261122-0041", employer="鑫达劳务公司", now=T0))
    create(run_jobs, **wage_case("QX-20261122-0042", employer="鑫达劳务有限公司", now=T0))
    assert load(ctx, "QX-20261122-0042").group_id is None
    assert group_alerts(wecom) == []


def test_three_cases_on_one_project_make_a_group(ctx, run_jobs, offices, wecom):
    for n, employer in enumerate(["宏远建筑", "张老板", "永利劳务"]):
        create(run_jobs, **wage_case(f"QX-20261122-005{n}", employer=employer, project="青溪花园项目"))
    assert load(ctx, "QX-20261122-0052").group.key.startswith("project:")
    assert len(group_alerts(wecom)) == 1


# -- follow_up ------------------------------------------------------------------

def test_resolved_case_is_asked_for_a_rating_and_the_rating_closes_it(ctx, run_jobs, fake_wechat, case):
    set_ticket(ctx, case.ref, status="resolved")
    assert follow_up_sweep(now=T0 + timedelta(days=1)) == {"asked": 1, "closed": 0}
    assert follow_up_sweep(now=T0 + timedelta(days=1, hours=1)) == {"asked": 0, "closed": 0}
    drain(run_jobs)
    [request] = fake_wechat.messages(openid=OPENID)
    assert case.ref in request["text"] and "5 很满意" in request["text"] and "人工" in request["text"]
    assert view(ctx)["rating_for"] == case.ref

    enqueue("rate_case", openid=OPENID, ref=None, rating=4)
    drain(run_jobs)
    rated = load(ctx, case.ref)
    assert (rated.rating, rated.status) == (4, "closed") and rated.closed_at is not None
    assert view(ctx)["rating_for"] is None and view(ctx)["cases"][0]["status"] == "closed"


def test_no_answer_in_three_days_closes_the_case(ctx, run_jobs, case):
    set_ticket(ctx, case.ref, status="resolved")
    follow_up_sweep(now=T0)
    assert follow_up_sweep(now=T0 + timedelta(days=2, hours=23))["closed"] == 0
    assert follow_up_sweep(now=T0 + timedelta(days=3, minutes=1)) == {"asked": 0, "closed": 1}
    closed = load(ctx, case.ref)
    assert (closed.status, closed.rating) == ("closed", None)
    assert view(ctx)["cases"][0]["status"] == "closed"


# -- while a case is open -------------------------------------------------------

def test_a_message_joins_the_open_case_and_wakes_it(ctx, run_jobs, case):
    set_ticket(ctx, case.ref, status="waiting_worker")
    for _ in range(2):  # the same inbound message twice: appended once
        enqueue("append_to_case", openid=OPENID, ref=None, text="老板说下个月才给", inbound_key="msg-77")
    drain(run_jobs)
    ticket = load(ctx, case.ref)
    assert ticket.status == "in_progress"
    assert [(m.direction, m.text) for m in ticket.messages if m.inbound_key == "msg-77"] == [("in", "老板说下个月才给")]
    assert view(ctx)["cases"][0]["status"] == "in_progress"


def test_a_message_is_not_appended_to_a_new_case(ctx, run_jobs, case):
    enqueue("append_to_case", openid=OPENID, ref=None, text="还在吗", inbound_key="msg-78")
    drain(run_jobs)
    assert len(load(ctx, case.ref).messages) == 2


def test_add_evidence_attaches_to_the_latest_case(ctx, run_jobs, fake_wechat, case):
    create(run_jobs, **wage_case("QX-20261123-0011", now=T0 + timedelta(days=1)))
    media_id = fake_wechat.seed_media(b"\xff\xd8\xff pay slip", "image/jpeg")
    enqueue("add_evidence", openid=OPENID, ref=None, media_id=media_id, msg_type="image")
    drain(run_jobs)
    latest = load(ctx, "QX-20261123-0011")
    assert [(a.media_id, a.status) for a in latest.attachments] == [(media_id, "downloaded")]
    assert latest.messages[-1].text == "[补充材料：图片]"
    assert load(ctx, case.ref).attachments == []


def test_send_status_lists_cases_in_plain_chinese(ctx, run_jobs, fake_wechat, case):
    create(run_jobs, **wage_case("QX-20261101-0012", now=T0 - timedelta(days=21)))
    set_ticket(ctx, "QX-20261101-0012", status="closed")
    set_ticket(ctx, case.ref, status="in_progress")
    staff_reply(ctx, case, "已约老板周五来镇里调解")
    enqueue("status_query", openid=OPENID)
    drain(run_jobs)
    [status] = fake_wechat.messages(openid=OPENID)
    lines = status["text"].splitlines()
    assert lines[1] == f"1. {case.ref}（讨薪）：正在办理"
    assert lines[2] == "工作人员最新回复：已约老板周五来镇里调解"
    assert lines[3] == "2. QX-20261101-0012（讨薪）：已结案"
    assert "人工" in lines[-1]


def test_send_status_without_cases(ctx, run_jobs, fake_wechat):
    enqueue("status_query", openid="o_nobody")
    drain(run_jobs)
    assert "没有工单" in fake_wechat.messages(openid="o_nobody")[0]["text"]


# -- scheduling -----------------------------------------------------------------

def test_periodic_jobs_are_enqueued_once_per_slot(ctx, run_jobs):
    first = schedule.tick(ctx, T0)
    assert sorted(job.split("-")[0] for job in first) == ["follow_up_sweep", "resend_stalled", "sla_sweep"]
    assert schedule.tick(ctx, T0 + timedelta(seconds=30)) == []  # another worker, same slot
    assert run_jobs() == 3
    slot = int(T0.timestamp()) // 300 + 1
    assert schedule.tick(ctx, T0 + timedelta(minutes=5)) == [f"sla_sweep-{slot}", f"resend_stalled-{slot}"]


def test_a_reply_whose_job_was_lost_is_sent_by_the_sweep(ctx, run_jobs, fake_wechat, case):
    """The reply was committed but Redis lost its job: after 10 minutes the sweep sends it, once."""
    from workers.delivery import resend_stalled
    message_id = staff_reply(ctx, case, "您好，材料已收到。")
    with ctx.db.session() as s:
        s.add(Delivery(key=f"reply-{message_id}", openid=case.openid, kind="text", text="您好，材料已收到。"))
    assert resend_stalled() == 0  # too early: its job may still be on the way
    assert resend_stalled(now=utcnow() + timedelta(minutes=11)) == 1
    run_jobs()
    assert [m["text"] for m in fake_wechat.messages(openid=case.openid)][-1] == "您好，材料已收到。"
    assert resend_stalled(now=utcnow() + timedelta(minutes=30)) == 0  # sent: nothing left to resend
    assert delivery_of(ctx, message_id).status == "sent"


def test_a_case_without_a_phone_or_a_known_amount_is_still_filed(ctx, run_jobs, offices):
    create(run_jobs, **wage_case("QX-20261122-0009", phone="", wechat_only=True, amount_owed="", amount_unknown=True))
    ticket = load(ctx, "QX-20261122-0009")
    assert ticket.amount_owed is None and ticket.fields["wechat_only"] and ticket.fields["amount_unknown"]
