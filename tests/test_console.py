"""/staff, the staff console, through the Flask test client: login, CSRF, expiry, the queue, a case, admin pages."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from bot.demo import needs_demo, seed_demo
from bot.models import (Attachment, AuditEvent, CannedReply, Delivery, JobFailure, Office, Staff, Ticket,
                        TicketGroup, TicketMessage)
from tests.staff_data import PASSWORD, add_ticket, past

FORM_RE = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S)


def csrf_token(client) -> str:
    with client.session_transaction() as sess:
        return sess["csrf_token"]


def login(client, username: str, password: str = PASSWORD, address: str = "127.0.0.1"):
    """Log in from ``address`` (the client's IP address as the server sees it)."""
    client.get("/staff/login")  # a session with a CSRF token
    return client.post("/staff/login", data={"username": username, "password": password,
                                             "csrf_token": csrf_token(client)},
                       environ_base={"REMOTE_ADDR": address})


def post(client, path: str, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client)})


@pytest.fixture
def as_(client, world):
    """Log the test client in as a staff member of the world; returns the client."""
    def log_in(username: str):
        assert login(client, username).status_code == 302
        return client
    return log_in


def one(ctx, model, *where):
    with ctx.db.session() as s:
        return s.scalars(select(model).where(*where)).one()


def case_row(ctx, ref: str) -> dict:
    """The case's columns, with its office code and assignee username."""
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        return {**{c.key: getattr(ticket, c.key) for c in Ticket.__table__.columns},
                "office": ticket.office.code, "assignee": ticket.assignee.username if ticket.assignee else None}


def all_of(ctx, model, *where):
    with ctx.db.session() as s:
        return s.scalars(select(model).where(*where).order_by(model.id)).all()


# ---------------------------------------------------------------- login, logout, CSRF, session

def test_login_and_logout(client, world):
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/login?next=/staff/"
    response = login(client, "agent_a")
    assert response.status_code == 302 and response.headers["Location"] == "/staff/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    page = client.get("/staff/").text
    assert world.refs["TA"] in page and world.refs["TA1"] in page and world.refs["TB"] not in page
    assert post(client, "/staff/logout").status_code == 302
    assert client.get("/staff/").status_code == 302


def test_login_goes_back_to_the_page_asked_for_but_never_elsewhere(client, world):
    ref = world.refs["TA"]
    assert "工作人员登录" in client.get(f"/staff/t/{ref}", follow_redirects=True).text
    response = client.post(f"/staff/login?next=/staff/t/{ref}",
                           data={"username": "agent_a", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == f"/staff/t/{ref}"
    post(client, "/staff/logout")
    client.get("/staff/login")
    response = client.post("/staff/login?next=//evil.example/staff",
                           data={"username": "agent_a", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/staff/"


def test_wrong_password_and_throttling(client, world, ctx):
    attacker, office = "203.0.113.9", "198.51.100.7"
    response = login(client, "agent_a", "wrong password", attacker)
    assert response.status_code == 401 and "用户名或密码错误" in response.text
    assert login(client, "nobody", "whatever", attacker).status_code == 401
    for _ in range(4):
        assert login(client, "agent_a", "wrong password", attacker).status_code == 401
    response = login(client, "agent_a", address=attacker)  # right password, but locked after 5 failures
    assert response.status_code == 429 and "登录失败次数过多" in response.text
    assert 0 < ctx.redis.ttl(f"ud:login-failures:user:agent_a|{attacker}") <= 15 * 60
    assert login(client, "AGENT_A", "wrong password", attacker).status_code == 429  # not counted, any case
    assert login(client, "agent_b", address=attacker).status_code == 302  # other usernames are not affected
    post(client, "/staff/logout")
    assert login(client, "agent_a", address=office).status_code == 302  # nor the real user elsewhere
    post(client, "/staff/logout")
    ctx.redis.delete(f"ud:login-failures:user:agent_a|{attacker}")  # the lock has run out
    assert login(client, "agent_a", address=attacker).status_code == 302


def test_too_many_failures_from_one_address_lock_it(client, world, ctx):
    sprayer = "203.0.113.10"
    for n in range(20):  # spraying usernames: never 5 failures for one of them
        assert login(client, f"agent_{n % 5}", "wrong password", sprayer).status_code == 401
    response = login(client, "agent_b", address=sprayer)
    assert response.status_code == 429 and "登录失败次数过多" in response.text
    assert 0 < ctx.redis.ttl(f"ud:login-failures:addr:{sprayer}") <= 15 * 60
    assert login(client, "agent_b", address="198.51.100.7").status_code == 302  # other addresses may log in
    assert int(ctx.redis.get(f"ud:login-failures:addr:{sprayer}")) == 20  # locked attempts are not counted


def test_logout_ends_the_session_even_for_a_copied_cookie(client, world, ctx):
    assert login(client, "agent_a").status_code == 302
    stolen = client.get_cookie("session").value
    with client.session_transaction() as sess:
        sid = sess["sid"]
    assert ctx.redis.ttl(f"ud:staff-session:{sid}") > 0
    assert post(client, "/staff/logout").status_code == 302
    assert ctx.redis.exists(f"ud:staff-session:{sid}") == 0
    client.set_cookie("session", stolen)  # replay the cookie from before the logout
    response = client.get("/staff/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/staff/login")
    assert "登录已失效" in client.get(response.headers["Location"]).text


def test_sessions_live_in_redis_and_activity_keeps_them(as_, ctx, app):
    client = as_("agent_a")
    with client.session_transaction() as sess:
        key = f"ud:staff-session:{sess['sid']}"
    limit = app.extensions["union_desk"].config.staff_session_minutes * 60
    ctx.redis.expire(key, 60)
    assert client.get("/staff/").status_code == 200
    assert limit - 5 < ctx.redis.ttl(key) <= limit  # refreshed on activity
    ctx.redis.delete(key)  # expired in Redis (or ended elsewhere)
    assert client.get("/staff/").status_code == 302
    with client.session_transaction() as sess:
        assert "staff_id" not in sess


def test_deactivation_and_new_passwords_end_sessions(app, ctx, world):
    admin, agent, agent_phone, agent_b = (app.test_client() for _ in range(4))
    for client, username in ((admin, "admin"), (agent, "agent_a"), (agent_phone, "agent_a"), (agent_b, "agent_b")):
        assert login(client, username).status_code == 302
    post(admin, "/staff/admin/staff/agent_a", role="agent", office="TA", active="1", reset_password="1")
    assert one(ctx, Staff, Staff.username == "agent_a").active  # still active, with a new password
    assert agent.get("/staff/").status_code == 302 and agent_phone.get("/staff/").status_code == 302
    assert agent_b.get("/staff/").status_code == 200
    stolen = agent_b.get_cookie("session").value
    post(admin, "/staff/admin/staff/agent_b", role="agent", office="TB")  # "active" unticked: deactivated
    with ctx.db.session() as s:
        s.scalars(select(Staff).where(Staff.username == "agent_b")).one().active = True  # and back again
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    assert replay.get("/staff/").status_code == 302  # the old session stays ended
    assert admin.get("/staff/").status_code == 200


def test_inactive_staff_cannot_log_in(client, world, ctx):
    with ctx.db.session() as s:
        s.scalars(select(Staff).where(Staff.username == "agent_a")).one().active = False
    assert login(client, "agent_a").status_code == 401


def test_csrf_is_required_on_every_post(client, world):
    client.get("/staff/login")
    assert client.post("/staff/login", data={"username": "agent_a", "password": PASSWORD}).status_code == 400
    login(client, "agent_a")
    ref = world.refs["TA"]
    assert client.post(f"/staff/t/{ref}/note", data={"text": "hi"}).status_code == 400
    assert client.post(f"/staff/t/{ref}/note", data={"text": "hi", "csrf_token": "forged"}).status_code == 400
    assert client.post("/staff/logout").status_code == 400
    assert post(client, f"/staff/t/{ref}/note", text="hi").status_code == 302


def test_every_form_carries_the_token(as_, world):
    client = as_("admin")
    pages = ["/staff/", f"/staff/t/{world.refs['TA']}", "/staff/new", "/staff/admin/offices", "/staff/admin/staff",
             "/staff/admin/canned"]
    for path in pages:
        forms = FORM_RE.findall(client.get(path).text)
        assert forms or path == "/staff/", path
        for form in forms:
            assert f'name="csrf_token" value="{csrf_token(client)}"' in form, path


def test_security_headers(client, world, as_):
    as_("agent_a")
    responses = [client.get(path) for path in ("/staff/", f"/staff/t/{world.refs['TA']}", "/staff/nowhere",
                                               "/staff/static/console.css")]
    post(client, "/staff/logout")
    responses += [client.get("/staff/login"), client.get("/staff/")]
    for response in responses:
        headers = response.headers
        assert headers["Content-Security-Policy"].startswith("default-src 'self'; script-src 'self'"), response
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert (headers["X-Content-Type-Options"], headers["X-Frame-Options"], headers["Referrer-Policy"]) == (
            "nosniff", "DENY", "same-origin")
        assert headers["Cache-Control"] in ("no-store", "no-cache")  # no-cache: the static file
    assert [r.status_code for r in responses] == [200, 200, 404, 200, 200, 302]
    assert [r.headers["Cache-Control"] for r in responses].count("no-store") == 5
    assert "Content-Security-Policy" not in client.get("/healthz").headers  # only the console and the API


def test_login_rotates_the_token(client, world):
    client.get("/staff/login")
    before = csrf_token(client)
    login(client, "agent_a")
    assert csrf_token(client) != before


def test_idle_session_expires(as_, app, world):
    client = as_("agent_a")
    assert client.get("/staff/").status_code == 200
    limit = app.extensions["union_desk"].config.staff_session_minutes * 60
    with client.session_transaction() as sess:
        sess["seen"] = int(time.time()) - limit + 60  # idle, but not for long enough
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as sess:
        sess["seen"] = int(time.time()) - limit - 1
    response = client.get(f"/staff/t/{world.refs['TA']}")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"/staff/login?next=/staff/t/{world.refs['TA']}")
    assert "长时间未操作" in client.get(response.headers["Location"]).text
    assert client.get("/staff/").status_code == 302  # the session is gone


def test_deactivated_staff_are_logged_out(as_, ctx):
    client = as_("agent_a")
    with ctx.db.session() as s:
        s.scalars(select(Staff).where(Staff.username == "agent_a")).one().active = False
    assert client.get("/staff/").status_code == 302


# ---------------------------------------------------------------- the queue

def test_queue_filters_and_search(as_, ctx, world):
    with ctx.db.session() as s:
        tb = s.scalars(select(Ticket).where(Ticket.ref == world.refs["TB"])).one()
        add_ticket(s, tb.office, "BF-20200102-0001", category="hardship_aid", worker_name="李四", phone="13900001111",
                   employer="宏达建筑", fields={"name": "李四"}, status="in_progress")
        late = s.scalars(select(Ticket).where(Ticket.ref == world.refs["TA1"])).one()
        late.first_response_due = past(2)
        group = TicketGroup(key="鑫达劳务", label="鑫达劳务有限公司")
        s.add(group)
        s.flush()
        for ref in (world.refs["TA"], world.refs["TB"]):
            s.scalars(select(Ticket).where(Ticket.ref == ref)).one().group_id = group.id
        group_id = group.id
    client = as_("admin")

    def refs(**args) -> set[str]:
        page = client.get("/staff/", query_string=args)
        assert page.status_code == 200
        return set(re.findall(r"<strong>([A-Z]{2}-\d{8}-\d{4})</strong>", page.text))

    everything = set(world.refs.values()) | {"BF-20200102-0001"}
    assert refs() == everything
    assert refs(office="TA") == {world.refs["TA"], world.refs["TA1"]}
    assert refs(category="hardship_aid") == refs(status="in_progress") == {"BF-20200102-0001"}
    assert refs(status="new") == refs(status="open") - {"BF-20200102-0001"} == set(world.refs.values())
    assert refs(q="李四") == refs(q="13900001111") == refs(q="宏达") == refs(q="BF-2020") == {"BF-20200102-0001"}
    assert refs(q="张三") == set(world.refs.values())
    assert refs(overdue="true") == {world.refs["TA1"]}
    assert refs(group="true") == refs(group=str(group_id)) == {world.refs["TA"], world.refs["TB"]}
    assert "同一单位/项目的案件：鑫达劳务有限公司" in client.get(f"/staff/?group={group_id}").text
    assert refs(assignee="none") == everything
    post(client, f"/staff/t/{world.refs['TB']}/assign", assignee="me")
    assert refs(assignee="me") == refs(assignee="admin") == {world.refs["TB"]}
    page = client.get("/staff/?overdue=maybe")
    assert page.status_code == 200 and "超时：须为 true 或 false" in page.text


def test_queue_masks_phones_and_pages(as_, ctx, world):
    client = as_("admin")
    page = client.get("/staff/").text
    assert "138****5678" in page and "13812345678" not in page
    with ctx.db.session() as s:
        office = s.scalars(select(Ticket).where(Ticket.ref == world.refs["TA"])).one().office
        for number in range(40):
            add_ticket(s, office, f"RG-20200103-{number:04d}", category="consultation")
    first = client.get("/staff/").text
    assert "第 1 / 2 页" in first and "下一页" in first
    assert "第 2 / 2 页" in client.get("/staff/?page=2").text


def test_queue_is_scoped(as_, world):
    page = as_("agent_b").get("/staff/").text
    assert world.refs["TB"] in page and world.refs["TA"] not in page and world.refs["CITY"] not in page


# ---------------------------------------------------------------- a case

def test_case_page_names_the_danger_in_chinese(as_, ctx, world):
    with ctx.db.session() as s:
        office = s.scalars(select(Office).where(Office.code == "TA")).one()
        add_ticket(s, office, "RG-20200104-0001", category="consultation", priority=4,
                   fields={"text": "工地着火了 我们在三楼", "crisis": True, "danger": "hazard"})
    html = as_("agent_a").get("/staff/t/RG-20200104-0001").text
    assert "火灾或被困" in html and ">hazard<" not in html


def test_case_page_shows_thread_fields_and_masks(as_, ctx, world, tmp_path):
    ref = world.refs["TA"]
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == ref)).one()
        s.add(TicketMessage(ticket=ticket, direction="in", text="老板欠我三个月工资，我电话 13812345678"))
        s.add(TicketMessage(ticket=ticket, direction="system", text="已分到镇A总工会"))
    page = as_("agent_a").get(f"/staff/t/{ref}")
    assert page.status_code == 200
    html = page.text
    assert "老板欠我三个月工资" in html and "已分到镇A总工会" in html
    assert "138****5678" in html and "110105********002X" in html
    assert "13812345678" not in html and "11010519491231002X" not in html
    assert "鑫达劳务有限公司" in html and "12000" in html
    assert html.count("显示完整号码") == 2
    assert page.headers["Cache-Control"] == "no-store" and "default-src 'self'" in page.headers["Content-Security-Policy"]


def test_staff_text_is_masked_but_refs_are_not(as_, ctx, world):
    ref, phone, id_number = world.refs["TA"], "13812345678", "11010519491231002X"
    client = as_("agent_a")
    post(client, f"/staff/t/{ref}/reply", text=f"请回电 {phone}，案件 {ref}")
    post(client, f"/staff/t/{ref}/note", text=f"工人身份证 {id_number}，与 {world.refs['TA1']} 同一工地")
    post(client, f"/staff/t/{ref}/transfer", office="TA1", reason=f"工人电话 {phone} 在工业园")
    post(client, f"/staff/t/{ref}/status", status="referred", referred_to=f"监察大队 {phone}")
    html = client.get(f"/staff/t/{ref}").text
    assert phone not in html and id_number not in html
    assert f"请回电 138****5678，案件 {ref}" in html  # the reply
    assert f"工人身份证 110105********002X，与 {world.refs['TA1']} 同一工地" in html  # the note
    assert "工人电话 138****5678 在工业园" in html  # the transfer's thread message and history
    assert "原因=工人电话 138****5678 在工业园" in html and "监察大队 138****5678" in html
    assert one(ctx, TicketMessage, TicketMessage.direction == "note").text.startswith(f"工人身份证 {id_number}")
    page = post(client, f"/staff/t/{ref}/reply", text=f"请回电 {phone}" + "。" * 2000)
    assert page.status_code == 422 and f">请回电 {phone}" in page.text  # the draft in the reply box is in full


def test_reveal_is_audited_and_shown_once(as_, ctx, world):
    ref = world.refs["TA"]
    client = as_("agent_a")
    page = post(client, f"/staff/t/{ref}/reveal", what="phone")
    assert page.status_code == 200 and "13812345678" in page.text and "11010519491231002X" not in page.text
    page = post(client, f"/staff/t/{ref}/reveal", what="id_number")
    assert "11010519491231002X" in page.text
    events = all_of(ctx, AuditEvent, AuditEvent.action.in_(("reveal_phone", "reveal_id")))
    assert [e.action for e in events] == ["reveal_phone", "reveal_id"]
    assert "13812345678" not in client.get(f"/staff/t/{ref}").text
    assert post(client, f"/staff/t/{ref}/reveal", what="password").status_code == 422


def test_reply_shows_delivery_status(as_, ctx, world, run_jobs, fake_wechat):
    ref, failing = world.refs["TA"], world.refs["TA1"]
    client = as_("agent_a")
    response = post(client, f"/staff/t/{ref}/reply", text="您好，已收到，明天联系您。")
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/t/{ref}"
    page = client.get(f"/staff/t/{ref}").text
    assert "回复已发出" in page and 'data-delivery="queued"' in page
    fake_wechat.fault(path="message/custom/send", errcode=45015, openid=f"o-{failing}", count=-1)
    post(client, f"/staff/t/{failing}/reply", text="请补充欠条照片。")
    run_jobs()
    assert 'data-delivery="sent"' in client.get(f"/staff/t/{ref}").text
    assert [m["text"] for m in fake_wechat.messages(f"o-{ref}")] == ["您好，已收到，明天联系您。"]
    page = client.get(f"/staff/t/{failing}").text
    assert 'data-delivery="failed"' in page and "错误码 45015" in page
    assert one(ctx, Ticket, Ticket.ref == ref).status == "in_progress"
    fake_wechat.clear_faults()


def test_reply_errors_keep_the_draft(as_, ctx, world):
    ref = world.refs["TA"]
    client = as_("agent_a")
    long_text = "很长的回复" * 500
    page = post(client, f"/staff/t/{ref}/reply", text=long_text)
    assert page.status_code == 422 and "内容：不能超过 2000 个字" in page.text and long_text in page.text
    assert all_of(ctx, Delivery) == []
    with ctx.db.session() as s:
        s.scalars(select(Ticket).where(Ticket.ref == ref)).one().openid = None
    assert "reply-form" not in client.get(f"/staff/t/{ref}").text  # a walk-in case: notes only


def test_note_assign_status_difficulty_and_referral(as_, ctx, world):
    ref = world.refs["TA"]
    client = as_("agent_a")
    assert post(client, f"/staff/t/{ref}/note", text="已电话联系包工头").status_code == 302
    assert one(ctx, TicketMessage, TicketMessage.direction == "note").text == "已电话联系包工头"
    assert post(client, f"/staff/t/{ref}/assign", assignee="admin").status_code == 302
    assert case_row(ctx, ref)["assignee"] == "admin"
    assert post(client, f"/staff/t/{ref}/assign", assignee="agent_a1").status_code == 422  # a sub-office's agent
    post(client, f"/staff/t/{ref}/assign", assignee="me")
    assert (case_row(ctx, ref)["assignee"], case_row(ctx, ref)["status"]) == ("agent_a", "assigned")
    assert post(client, f"/staff/t/{ref}/difficulty", difficulty="complex").status_code == 302
    assert case_row(ctx, ref)["difficulty"] == "complex"
    page = post(client, f"/staff/t/{ref}/status", status="referred")
    assert page.status_code == 422 and "转介单位：必填" in page.text
    post(client, f"/staff/t/{ref}/status", status="referred", referred_to="区劳动监察大队", referred_ref="JC-7")
    ticket = one(ctx, Ticket, Ticket.ref == ref)
    assert (ticket.status, ticket.referred_to, ticket.referred_ref) == ("referred", "区劳动监察大队", "JC-7")
    page = post(client, f"/staff/t/{ref}/status", status="resolved")
    assert page.status_code == 422 and "办理结果：结案需要填写办理结果：调解成功、追回欠薪" in page.text
    response = post(client, f"/staff/t/{ref}/status", status="resolved", outcome="recovered",
                    amount_recovered="12000", workers_covered="3", aid_amount="")
    assert response.status_code == 302
    ticket = one(ctx, Ticket, Ticket.ref == ref)
    assert (ticket.status, ticket.outcome, ticket.amount_recovered, ticket.workers_covered) == (
        "resolved", "recovered", 12000, 3)
    page = client.get(f"/staff/t/{ref}").text
    assert "追回欠薪" in page and "已电话联系包工头" in page and "状态：" in page
    actions = [e.action for e in all_of(ctx, AuditEvent, AuditEvent.ticket_id == ticket.id)]
    assert actions == ["note", "assign", "assign", "difficulty", "status", "status"]


def test_transfer_down_and_up_keeps_history(client, as_, ctx, world):
    ref = world.refs["TA"]
    as_("agent_a")
    page = post(client, f"/staff/t/{ref}/transfer", office="TB", reason="不在本镇")
    assert page.status_code == 422 and "机构：只能在上下级之间转办" in page.text  # sideways
    response = post(client, f"/staff/t/{ref}/transfer", office="TA1", reason="工地在工业园")
    assert response.status_code == 302 and response.headers["Location"] == f"/staff/t/{ref}"  # still mine
    assert case_row(ctx, ref)["office"] == "TA1"
    post(client, "/staff/logout")
    as_("agent_a1")
    response = post(client, f"/staff/t/{ref}/transfer", office="TA", reason="涉及多个园区，请镇总协调")
    assert response.headers["Location"] == "/staff/"  # up to 镇A: outside agent_a1's offices now
    assert "已转办" in client.get("/staff/").text and client.get(f"/staff/t/{ref}").status_code == 404
    post(client, "/staff/logout")
    page = as_("agent_a").get(f"/staff/t/{ref}").text
    assert "转办：镇A总工会 → 镇A工业园联合会（工地在工业园）" in page
    assert "转办：镇A工业园联合会 → 镇A总工会（涉及多个园区，请镇总协调）" in page


def test_manual_case_by_form(as_, ctx, world):
    client = as_("agent_a")
    assert "登记来访、来电" in client.get("/staff/new").text
    page = post(client, "/staff/new", source="phone", category="wage_arrears", office="TA", name="王五",
                phone="139 0000 2222", employer="宏达建筑", amount_owed="8000", description="来电反映欠薪")
    assert page.status_code == 302
    ticket = case_row(ctx, one(ctx, Ticket, Ticket.worker_name == "王五").ref)
    assert page.headers["Location"] == f"/staff/t/{ticket['ref']}"
    assert (ticket["source"], ticket["office"], ticket["phone"], ticket["amount_owed"]) == (
        "phone", "TA", "13900002222", 8000)
    assert "登记案件（来电）" in client.get(page.headers["Location"]).text
    page = post(client, "/staff/new", source="walk_in", category="wage_arrears", name="赵六", phone="12345")
    assert page.status_code == 422 and "电话：不是有效的手机号码" in page.text and 'value="赵六"' in page.text
    page = post(client, "/staff/new", source="transferred_in", category="consultation", name="钱七")
    assert page.status_code == 422 and "转办单位：必填" in page.text
    assert post(client, "/staff/new", source="walk_in", category="legal_aid", office="TB").status_code == 422


def test_other_offices_cases_are_404(as_, ctx, world, tmp_path):
    ref = world.refs["TA"]
    client = as_("agent_b")
    assert client.get(f"/staff/t/{ref}").status_code == 404
    for action, data in (("reply", {"text": "hi"}), ("note", {"text": "hi"}), ("assign", {"assignee": "me"}),
                         ("status", {"status": "in_progress"}), ("reveal", {"what": "phone"}),
                         ("transfer", {"office": "TB", "reason": "x"})):
        assert post(client, f"/staff/t/{ref}/{action}", **data).status_code == 404, action
    assert client.get(f"/staff/t/{ref}/attachments/1").status_code == 404
    assert client.get("/staff/t/QX-20990101-0001").status_code == 404
    assert all_of(ctx, AuditEvent) == [] and all_of(ctx, TicketMessage) == []


def test_viewer_reads_but_cannot_act(as_, ctx, world):
    ref = world.refs["TA"]
    client = as_("viewer_a")
    page = client.get(f"/staff/t/{ref}").text
    assert ref in page and "reply-form" not in page and "显示完整号码" not in page and "分派给我" not in page
    for action, data in (("reply", {"text": "hi"}), ("note", {"text": "hi"}), ("assign", {"assignee": "agent_a"}),
                         ("status", {"status": "in_progress"}), ("difficulty", {"difficulty": "complex"}),
                         ("reveal", {"what": "phone"}), ("transfer", {"office": "TA1", "reason": "x"})):
        assert post(client, f"/staff/t/{ref}/{action}", **data).status_code == 403, action
    assert client.get("/staff/new").status_code == 403
    assert post(client, "/staff/new", source="phone", category="consultation").status_code == 403
    assert client.get("/staff/admin/staff").status_code == 403
    assert all_of(ctx, AuditEvent) == []


def test_attachments_are_served_to_those_who_see_the_case(client, as_, ctx, cfg, world):
    folder = cfg.media_dir / "o-worker"
    folder.mkdir(parents=True)
    (folder / "iou.jpg").write_bytes(b"\xff\xd8\xff\xe0fake-jpeg")
    (folder / "voice.amr").write_bytes(b"#!AMR\n")
    outside = cfg.media_dir.parent / "secret.txt"
    outside.write_text("not evidence")
    with ctx.db.session() as s:
        ticket = s.scalars(select(Ticket).where(Ticket.ref == world.refs["TA"])).one()
        items = [Attachment(ticket=ticket, openid="o-worker", media_id=f"m{n}", msg_type=kind, status="downloaded",
                            path=str(path), content_type=content_type)
                 for n, (kind, path, content_type) in enumerate((
                     ("image", folder / "iou.jpg", "image/jpeg"), ("voice", folder / "voice.amr", "audio/amr"),
                     ("image", outside, "image/jpeg")))]
        items.append(Attachment(ticket=ticket, openid="o-worker", media_id="m3", msg_type="image", status="pending"))
        s.add_all(items)
        s.flush()
        image, voice, escaped, pending = (item.id for item in items)
    ref = world.refs["TA"]
    as_("agent_a")
    page = client.get(f"/staff/t/{ref}").text
    assert f'<img src="/staff/t/{ref}/attachments/{image}"' in page and "下载中" in page
    response = client.get(f"/staff/t/{ref}/attachments/{image}")
    assert response.status_code == 200 and response.data == b"\xff\xd8\xff\xe0fake-jpeg"
    assert response.mimetype == "image/jpeg" and "attachment" not in response.headers.get("Content-Disposition", "")
    response = client.get(f"/staff/t/{ref}/attachments/{voice}")
    assert response.status_code == 200 and response.headers["Content-Disposition"].startswith("attachment")
    for attachment_id in (escaped, pending):
        assert client.get(f"/staff/t/{ref}/attachments/{attachment_id}").status_code == 404
    assert client.get(f"/staff/t/{world.refs['TA1']}/attachments/{image}").status_code == 404  # wrong case
    post(client, "/staff/logout")
    as_("agent_b")
    assert client.get(f"/staff/t/{ref}/attachments/{image}").status_code == 404


def test_group_cases_are_shown_together(as_, ctx, world):
    with ctx.db.session() as s:
        group = TicketGroup(key="鑫达劳务", label="鑫达劳务有限公司")
        s.add(group)
        s.flush()
        for ref in (world.refs["TA"], world.refs["TA1"], world.refs["TB"]):
            s.scalars(select(Ticket).where(Ticket.ref == ref)).one().group_id = group.id
    page = as_("agent_a").get(f"/staff/t/{world.refs['TA']}").text
    assert "群体案件：鑫达劳务有限公司" in page and "（2 件）" in page  # 镇B's case is outside agent_a's offices
    assert world.refs["TA1"] in page and world.refs["TB"] not in page


# ---------------------------------------------------------------- admin pages

def test_admin_manages_offices(as_, ctx, world):
    client = as_("admin")
    response = post(client, "/staff/admin/offices", code="TA2", name="镇A社区联合会", kind="federation", parent="TA",
                    areas="东社区，西社区")
    assert response.status_code == 302
    assert "镇A社区联合会" in client.get("/staff/admin/offices").text
    with ctx.db.session() as s:
        office = s.scalars(select(Office).where(Office.code == "TA2")).one()
        assert (office.parent.code, office.areas) == ("TA", ["东社区", "西社区"])
    page = post(client, "/staff/admin/offices", code="TA2", name="重复")
    assert page.status_code == 422 and "机构代码：已存在" in page.text
    assert post(as_("agent_a"), "/staff/admin/offices", code="X", name="X").status_code == 403


def test_admin_manages_staff(client, as_, ctx, world):
    as_("admin")
    page = post(client, "/staff/admin/staff", username="agent_new", display_name="小周", role="agent", office="TB")
    assert page.status_code == 200
    password = re.search(r"的密码：<code>([^<]+)</code>", page.text).group(1)
    with client.session_transaction() as sess:
        assert password not in str(dict(sess))
    page = post(client, "/staff/admin/staff", username="x", role="agent", office="TB", password="short")
    assert page.status_code == 422
    page = post(client, "/staff/admin/staff/agent_new", display_name="周师傅", role="viewer", office="TB", active="1")
    assert page.status_code == 200 and "的密码" not in page.text
    member = one(ctx, Staff, Staff.username == "agent_new")
    assert (member.display_name, member.role, member.active) == ("周师傅", "viewer", True)
    post(client, "/staff/logout")
    assert login(client, "agent_new", password).status_code == 302
    post(client, "/staff/logout")
    as_("admin")
    page = post(client, "/staff/admin/staff/agent_new", role="viewer", office="TB", reset_password="1")
    new_password = re.search(r"的密码：<code>([^<]+)</code>", page.text).group(1)
    assert one(ctx, Staff, Staff.username == "agent_new").active is False  # "active" unticked
    assert post(client, "/staff/admin/staff/nobody", role="agent").status_code == 404
    post(client, "/staff/logout")
    assert login(client, "agent_new", new_password).status_code == 401  # deactivated


def test_admin_manages_canned_replies(as_, ctx, world):
    client = as_("admin")
    post(client, "/staff/admin/canned", category="wage_arrears", title="已受理", text="您的欠薪问题已受理。")
    post(client, "/staff/admin/canned", category="hardship_aid", title="帮扶材料", text="请准备收入证明。")
    canned = one(ctx, CannedReply, CannedReply.title == "已受理")
    post(client, "/staff/admin/canned", id=str(canned.id), category="any", title="已受理", text="您的问题已受理。")
    page = client.get(f"/staff/t/{world.refs['TA']}").text  # a wage case: its category's replies and "any"
    assert 'data-text="您的问题已受理。"' in page and "帮扶材料" not in page
    assert post(client, "/staff/admin/canned", category="wage_arrears", title="", text="x").status_code == 422
    post(client, "/staff/admin/canned", id=str(canned.id), delete="1")
    assert [c.title for c in all_of(ctx, CannedReply)] == ["帮扶材料"]
    assert as_("agent_a").get("/staff/admin/canned").status_code == 403


def test_admin_sees_and_resolves_failed_jobs(as_, ctx, world):
    with ctx.db.session() as s:
        s.add(JobFailure(job_id="deliver_reply-abc-0", function="workers.delivery.deliver_reply",
                         args={"message_id": 7}, error="WeChatError: 45015 response out of time limit", errcode=45015))
        s.add(JobFailure(job_id="notify_office-x-0", function="workers.notify.notify_office",
                         args={"text": "QX-20200101-0001 工人电话 13812345678", "key": "k"}, error="to 13900001111"))
        s.add(JobFailure(job_id="old-0", function="workers.media.download_media", error="gone",
                         resolved_at=past(5)))
    client = as_("admin")
    page = client.get("/staff/admin/failures").text
    assert "deliver_reply-abc-0" in page and "错误码 45015" in page and "old-0" not in page
    assert "text=QX-20200101-0001 工人电话 138****5678" in page and "to 139****1111" in page
    assert "13812345678" not in page and "13900001111" not in page
    failure = one(ctx, JobFailure, JobFailure.job_id == "deliver_reply-abc-0")
    assert post(client, f"/staff/admin/failures/{failure.id}/resolve").status_code == 302
    assert one(ctx, JobFailure, JobFailure.id == failure.id).resolved_at is not None
    post(client, f"/staff/admin/failures/{one(ctx, JobFailure, JobFailure.job_id == 'notify_office-x-0').id}/resolve")
    assert "没有未处理的失败任务" in client.get("/staff/admin/failures").text
    assert [e.detail["job_id"] for e in all_of(ctx, AuditEvent, AuditEvent.action == "resolve_job_failure")] == [
        "deliver_reply-abc-0", "notify_office-x-0"]
    assert as_("agent_a").get("/staff/admin/failures").status_code == 403


def test_demo_seed_lets_a_newcomer_log_in(client, ctx):
    with ctx.db.session() as s:
        assert needs_demo(s)
        password = seed_demo(s)
    with ctx.db.session() as s:
        assert not needs_demo(s)
    assert login(client, "admin", password).status_code == 302
    assert "城东街道总工会" in client.get("/staff/admin/offices").text
