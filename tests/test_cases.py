"""bot.cases and bot.auth: scope, roles, the case life cycle and its audit trail."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot import auth, cases, refs
from bot.models import AuditEvent, CannedReply, Delivery, Office, Ticket, TicketGroup
from tests.staff_data import PASSWORD, past, staff


@pytest.fixture
def s(ctx, world):
    with ctx.db.session() as session:
        yield session


def ticket(s, ref: str) -> Ticket:
    return s.scalars(select(Ticket).where(Ticket.ref == ref)).one()


def audit_actions(s, t: Ticket) -> list[str]:
    return [e.action for e in cases.history(t)]


# ---------------------------------------------------------------- auth

def test_passwords_and_tokens(s):
    agent = staff(s, "agent_a")
    assert agent.password_hash != PASSWORD and auth.verify_password(agent, PASSWORD)
    assert not auth.verify_password(agent, "wrong password")
    assert auth.authenticate(s, "agent_a", PASSWORD) is agent
    assert auth.authenticate(s, "nobody", PASSWORD) is None
    token = auth.issue_token(s, agent)
    assert agent.token_hash != token and len(agent.token_hash) == 64
    assert auth.staff_for_token(s, token) is agent
    assert auth.staff_for_token(s, auth.issue_token(s, agent)) is agent
    assert auth.staff_for_token(s, token) is None  # replaced
    assert auth.staff_for_token(s, "") is None


def test_visible_offices(s):
    ids = {o.code: o.id for o in s.scalars(select(Office))}
    assert auth.visible_office_ids(s, staff(s, "admin")) is None
    assert auth.visible_office_ids(s, staff(s, "agent_a")) == {ids["TA"], ids["TA1"]}
    assert auth.visible_office_ids(s, staff(s, "viewer_a")) == {ids["TA"], ids["TA1"]}
    assert auth.visible_office_ids(s, staff(s, "agent_a1")) == {ids["TA1"]}


# ---------------------------------------------------------------- reading

def test_scope_list_and_get(s, world):
    agent = staff(s, "agent_a")
    items, total = cases.list_tickets(s, agent)
    assert total == 2 and {t.ref for t in items} == {world.refs["TA"], world.refs["TA1"]}
    assert cases.get_ticket(s, agent, world.refs["TA1"]).ref == world.refs["TA1"]
    for ref in (world.refs["TB"], world.refs["CITY"], "QX-20990101-0001"):
        with pytest.raises(cases.NotFound):
            cases.get_ticket(s, agent, ref)
    assert cases.list_tickets(s, staff(s, "admin"))[1] == 4


def test_list_filters(s, world):
    admin, agent = staff(s, "admin"), staff(s, "agent_a")
    ta = ticket(s, world.refs["TA"])
    ta.assignee, ta.status = agent, "assigned"
    ta.resolve_due = past()
    group = TicketGroup(key="鑫达劳务", label="鑫达劳务")
    ticket(s, world.refs["TB"]).group = group
    ticket(s, world.refs["CITY"]).status = "resolved"
    s.flush()

    def refs(who=admin, **filters):
        return {t.ref for t in cases.list_tickets(s, who, **filters)[0]}

    assert refs(agent, assignee="me") == refs(assignee="agent_a") == {ta.ref}
    assert refs(agent, assignee="none") == {world.refs["TA1"]}
    assert refs(status="open") == set(world.refs.values()) - {world.refs["CITY"]}
    assert refs(status=["resolved", "assigned"]) == {world.refs["CITY"], ta.ref}
    assert refs(overdue=True) == {ta.ref}
    assert len(refs(overdue=False)) == 3
    assert refs(office="TA") == {ta.ref, world.refs["TA1"]}
    assert refs(agent, office="TB") == set()
    assert refs(group=True) == refs(group=group.id) == {world.refs["TB"]}
    assert len(refs(group=False)) == 3
    assert refs(q="0003") == {world.refs["TB"]}
    assert len(refs(q="5678")) == len(refs(q="张")) == len(refs(q="鑫达")) == 4
    assert refs(q="100%") == set()
    assert refs(category="legal_aid") == set()
    page, total = cases.list_tickets(s, admin, page=2, per_page=3)
    assert total == 4 and len(page) == 1
    for bad, field in (({"status": "lost"}, "status"), ({"category": "x"}, "category"), ({"office": "NO"}, "office"),
                       ({"page": 0}, "page"), ({"per_page": 500}, "per_page")):
        with pytest.raises(cases.Invalid) as err:
            cases.list_tickets(s, admin, **bad)
        assert err.value.field == field


def test_filters_from_args():
    args = {"status": "new, assigned", "overdue": "true", "group": "7", "page": "2", "q": " 张 ", "office": ""}
    assert cases.filters_from_args(args) == {"status": ["new", "assigned"], "overdue": True, "group": 7,
                                             "page": 2, "q": "张"}
    assert cases.filters_from_args({"group": "false", "overdue": "0"}) == {"group": False, "overdue": False}
    for bad in ({"overdue": "maybe"}, {"page": "two"}, {"per_page": "-1"}, {"group": "some"}):
        with pytest.raises(cases.Invalid) as err:
            cases.filters_from_args(bad)
        assert err.value.field == next(iter(bad))


def test_ticket_json_masks_phone_and_id(s, world):
    t = ticket(s, world.refs["TA"])
    data = cases.ticket_json(t)
    assert data["phone"] == data["fields"]["phone"] == "138****5678"
    assert data["fields"]["id_number"] == "110105********002X"
    assert data["office"] == "TA" and data["assignee"] is None and data["overdue"] is None
    assert data["created_at"].endswith("+00:00") and "messages" not in data
    assert "13812345678" not in str(cases.ticket_json(t, full=True))


# ---------------------------------------------------------------- acting

def test_reply_queues_a_delivery_after_commit(ctx, s, world):
    t = ticket(s, world.refs["TA"])
    message = cases.reply(s, staff(s, "agent_a"), t, "  您好，我们已收到。 ")
    assert message.direction == "out" and message.text == "您好，我们已收到。"
    assert message.delivery_key == f"reply-{message.id}"
    delivery = s.scalars(select(Delivery).where(Delivery.key == message.delivery_key)).one()
    assert (delivery.status, delivery.openid, delivery.text) == ("queued", t.openid, message.text)
    assert t.status == "in_progress" and t.first_response_at is not None
    assert ctx.queues["high"].count == 0  # not before the commit
    s.commit()
    jobs = ctx.queues["high"].jobs
    assert [(j.func_name, j.kwargs) for j in jobs] == [("workers.delivery.deliver_reply", {"message_id": message.id})]
    assert cases.message_json(message)["delivery"] == {"status": "queued", "errcode": None}
    assert audit_actions(s, t) == ["reply"]


def test_rolled_back_reply_enqueues_nothing(ctx, s, world):
    cases.reply(s, staff(s, "agent_a"), ticket(s, world.refs["TA"]), "hello")
    s.rollback()
    s.commit()
    assert ctx.queues["high"].count == 0


def test_reply_needs_text_and_a_wechat_worker(s, world):
    agent, t = staff(s, "agent_a"), ticket(s, world.refs["TA"])
    for text in ("", "   ", None, 5, "字" * 2001):
        with pytest.raises(cases.Invalid) as err:
            cases.reply(s, agent, t, text)
        assert err.value.field == "text"
    t.openid = None
    with pytest.raises(cases.Invalid):
        cases.reply(s, agent, t, "hello")


def test_viewers_read_but_cannot_act(s, world):
    viewer, t = staff(s, "viewer_a"), ticket(s, world.refs["TA"])
    assert cases.get_ticket(s, viewer, t.ref) is t
    for act in (lambda: cases.reply(s, viewer, t, "hi"), lambda: cases.add_note(s, viewer, t, "hi"),
                lambda: cases.assign(s, viewer, t, "agent_a"), lambda: cases.change_status(s, viewer, t, "in_progress"),
                lambda: cases.transfer(s, viewer, t, "TA1", "x"), lambda: cases.reveal(s, viewer, t, "phone"),
                lambda: cases.create_manual_ticket(s, viewer, source="walk_in", category="consultation", fields={})):
        with pytest.raises(cases.Forbidden):
            act()


def test_acting_outside_scope_is_not_found(s, world):
    with pytest.raises(cases.NotFound):
        cases.add_note(s, staff(s, "agent_b"), ticket(s, world.refs["TA"]), "hi")


def test_note_and_reveal_are_audited(s, world):
    agent, t = staff(s, "agent_a"), ticket(s, world.refs["TA"])
    note = cases.add_note(s, agent, t, "工人下午来访")
    assert note.direction == "note" and t.status == "new"
    assert cases.reveal(s, agent, t, "phone") == "13812345678"
    assert cases.reveal(s, agent, t, "id_number") == "11010519491231002X"
    with pytest.raises(cases.Invalid) as err:
        cases.reveal(s, agent, t, "address")
    assert err.value.field == "what"
    s.flush()
    assert audit_actions(s, t) == ["note", "reveal_phone", "reveal_id"]
    assert cases.history(t)[1].staff is agent


def test_status_transitions_and_outcomes(s, world):
    agent, t = staff(s, "agent_a"), ticket(s, world.refs["TA"])

    def invalid(status, **options):
        with pytest.raises(cases.Invalid) as err:
            cases.change_status(s, agent, t, status, **options)
        return err.value.field

    assert invalid("lost") == "status"
    assert invalid("assigned") == "status"  # nobody assigned
    assert invalid("reopened") == "status"  # not resolved
    assert invalid("resolved") == "outcome"
    assert invalid("resolved", outcome="won") == "outcome"
    assert invalid("in_progress", outcome="mediated") == "outcome"
    assert invalid("referred") == "referred_to"
    assert invalid("in_progress", amount_recovered=-1) == "amount_recovered"
    assert invalid("in_progress", aid_amount="lots") == "aid_amount"
    assert invalid("in_progress", workers_covered=1.5) == "workers_covered"

    cases.change_status(s, agent, t, "referred", referred_to="劳动仲裁委", referred_ref="仲2026-17")
    assert (t.status, t.referred_to, t.referred_ref) == ("referred", "劳动仲裁委", "仲2026-17")
    cases.change_status(s, agent, t, "resolved", outcome="recovered", amount_recovered="12000.5", workers_covered=3)
    assert (t.status, t.outcome, t.amount_recovered, t.workers_covered) == ("resolved", "recovered", 12000.5, 3)
    assert t.resolved_at is not None and t.closed_at is None
    cases.change_status(s, agent, t, "closed")  # the outcome is already recorded
    assert t.status == "closed" and t.closed_at is not None
    assert invalid("in_progress") == "status"  # closed: only reopening
    cases.change_status(s, agent, t, "reopened")
    assert (t.status, t.outcome, t.resolved_at, t.closed_at) == ("in_progress", None, None, None)
    s.flush()
    assert audit_actions(s, t) == ["status"] * 4
    assert [m.text for m in t.messages if m.direction == "system"] == [
        "状态：待受理 → 已转介（转介：劳动仲裁委）", "状态：已转介 → 已办结（追回欠薪）",
        "状态：已办结 → 已关闭（追回欠薪）", "状态：已关闭 → 处理中"]
    assert cases.history(t)[1].detail["amount_recovered"] == 12000.5


def test_assign_rules(s, world):
    agent, t = staff(s, "agent_a"), ticket(s, world.refs["TA"])
    for who in ("agent_b", "agent_a1", "viewer_a", "nobody", 7):
        with pytest.raises(cases.Invalid) as err:
            cases.assign(s, agent, t, who)
        assert err.value.field == "assignee"
    cases.assign(s, agent, t, "me")
    assert (t.assignee, t.status) == (agent, "assigned")
    cases.assign(s, agent, t, "admin")  # the city union sees every office
    assert t.assignee.username == "admin"
    cases.assign(s, agent, t, None)
    assert (t.assignee, t.status) == (None, "new")
    staff(s, "agent_a").active = False
    with pytest.raises(cases.Invalid):
        cases.assign(s, staff(s, "admin"), t, "agent_a")
    s.flush()
    assert audit_actions(s, t) == ["assign"] * 3
    assert [m.text for m in t.messages] == ["分派给 agent_a", "分派给 admin", "取消分派"]


def test_transfer_down_and_up_the_tree(s, world):
    agent_a, agent_a1 = staff(s, "agent_a"), staff(s, "agent_a1")
    t = ticket(s, world.refs["TA"])
    cases.assign(s, agent_a, t, "me")
    with pytest.raises(cases.Invalid) as err:
        cases.transfer(s, agent_a, t, "TB", "不归我们管")  # sideways
    assert err.value.field == "office"
    with pytest.raises(cases.Invalid) as err:
        cases.transfer(s, agent_a, t, "TA1", " ")
    assert err.value.field == "reason"
    cases.transfer(s, agent_a, t, "TA1", "工地在工业园")
    s.flush()
    assert t.office.code == "TA1" and t.assignee is agent_a  # the township still sees it
    assert cases.get_ticket(s, agent_a1, t.ref) is t

    cases.transfer(s, agent_a1, t, "CITY", "涉及多个镇")  # up, out of both agents' offices
    s.flush()
    assert (t.assignee, t.status) == (None, "new")
    with pytest.raises(cases.NotFound):
        cases.get_ticket(s, agent_a1, t.ref)
    admin = staff(s, "admin")
    cases.transfer(s, admin, t, "TB", "交镇B办理")  # admins anywhere
    s.flush()
    assert [e.detail for e in cases.history(t) if e.action == "transfer"] == [
        {"old": "TA", "new": "TA1", "reason": "工地在工业园"}, {"old": "TA1", "new": "CITY", "reason": "涉及多个镇"},
        {"old": "CITY", "new": "TB", "reason": "交镇B办理"}]
    assert "转办：镇A工业园联合会 → 市总工会（涉及多个镇）" in [m.text for m in t.messages]


def test_never_transferred_to_the_employers_own_union(s, world):
    admin, t = staff(s, "admin"), ticket(s, world.refs["TA"])
    s.add(Office(code="XD", name="鑫达劳务工会", kind="enterprise", employer="深圳市鑫达劳务有限公司",
                 parent=t.office))
    s.flush()
    with pytest.raises(cases.Invalid) as err:
        cases.transfer(s, admin, t, "XD", "企业工会协调")
    assert err.value.field == "office"
    cases.transfer(s, admin, t, "XD", "企业工会协调", worker_agrees=True)
    assert t.office.code == "XD"


def test_difficulty_sets_resolve_due(ctx, s, world):
    t = ticket(s, world.refs["TA"])
    cases.set_difficulty(s, staff(s, "agent_a"), t, "complex")
    created = cases._aware(t.created_at)
    assert cases._aware(t.resolve_due) == created + timedelta(days=ctx.config.sla_resolve_days_complex)
    with pytest.raises(cases.Invalid):
        cases.set_difficulty(s, staff(s, "agent_a"), t, "easy")


def test_manual_ticket_allocates_refs(s):
    agent = staff(s, "agent_a")
    first = cases.create_manual_ticket(s, agent, source="walk_in", category="wage_arrears",
                                       fields={"name": "李四", "phone": "138 1234 0000", "employer": "宏达建筑公司",
                                               "amount_owed": "8000", "description": ""})
    second = cases.create_manual_ticket(s, agent, source="transferred_in", category="wage_arrears", fields={},
                                        source_office="市总工会", source_ref="市转〔2026〕12号", office_code="TA1")
    assert first.ref.startswith("QX-") and first.ref.endswith("-0001") and second.ref.endswith("-0002")
    assert (first.office.code, first.source, first.status, first.phone, first.worker_name) == (
        "TA", "walk_in", "new", "13812340000", "李四")
    assert first.fields == {"name": "李四", "phone": "13812340000", "employer": "宏达建筑公司", "amount_owed": 8000.0}
    assert (first.employer_key, first.amount_owed) == ("宏达建筑", 8000.0)
    assert first.first_response_due and first.resolve_due
    assert (second.office.code, second.source_office, second.source_ref) == ("TA1", "市总工会", "市转〔2026〕12号")
    s.flush()
    assert audit_actions(s, first) == ["create"]
    for options, field in (({"source": "email"}, "source"), ({"category": "other"}, "category"),
                           ({"source": "transferred_in"}, "source_office"), ({"office_code": "TB"}, "office"),
                           ({"fields": {"phone": "12345"}}, "fields.phone"), ({"fields": []}, "fields"),
                           ({"fields": {"id_number": "110105194912310021"}}, "fields.id_number")):
        values = {"source": "phone", "category": "consultation", "fields": {}} | options
        with pytest.raises(cases.Invalid) as err:
            cases.create_manual_ticket(s, agent, **values)
        assert err.value.field == field


# ---------------------------------------------------------------- admin

def test_canned_replies_are_admin_only(s):
    admin, agent = staff(s, "admin"), staff(s, "agent_a")
    with pytest.raises(cases.Forbidden):
        cases.save_canned(s, agent, category="any", title="t", text="x")
    saved = cases.save_canned(s, admin, category="wage_arrears", title="已受理", text="您的欠薪案件已受理。")
    cases.save_canned(s, admin, category="any", title="稍候", text="请稍候。")
    cases.save_canned(s, admin, category="hardship_aid", title="帮扶", text="帮扶。")
    assert [c.title for c in cases.list_canned(s, "wage_arrears")] == ["稍候", "已受理"]
    assert len(cases.list_canned(s)) == 3
    cases.save_canned(s, admin, canned_id=saved.id, category="wage_arrears", title="已受理", text="新的")
    assert saved.text == "新的"
    with pytest.raises(cases.Invalid):
        cases.save_canned(s, admin, category="nope", title="t", text="x")
    cases.delete_canned(s, admin, saved.id)
    assert s.get(CannedReply, saved.id) is None
    with pytest.raises(cases.NotFound):
        cases.delete_canned(s, admin, saved.id)


def test_offices_and_staff_management(s):
    admin, agent = staff(s, "admin"), staff(s, "agent_a")
    with pytest.raises(cases.Forbidden):
        cases.create_office(s, agent, code="TC", name="镇C")
    office = cases.create_office(s, admin, code="TC", name="镇C总工会", parent_code="CITY", areas=["镇C", " "],
                                 is_default=True)
    assert (office.parent.code, office.areas, office.is_default) == ("CITY", ["镇C"], True)
    for options, field in (({"code": "TC"}, "code"), ({"code": "a b"}, "code"), ({"parent_code": "NO"}, "parent"),
                           ({"kind": "club"}, "kind"), ({"name": ""}, "name")):
        with pytest.raises(cases.Invalid) as err:
            cases.create_office(s, admin, **({"code": "TD", "name": "镇D"} | options))
        assert err.value.field == field
    member = cases.create_staff(s, admin, username="agent_c", role="agent", office_code="TC", password="long enough")
    assert auth.verify_password(member, "long enough") and member.office is office
    for options, field in (({"username": "agent_c"}, "username"), ({"role": "boss"}, "role"),
                           ({"password": "short"}, "password"), ({"office_code": "NO"}, "office")):
        with pytest.raises(cases.Invalid) as err:
            cases.create_staff(s, admin, **({"username": "x_1", "role": "agent", "office_code": "TC",
                                             "password": "long enough"} | options))
        assert err.value.field == field
    token = auth.issue_token(s, member)
    cases.update_staff(s, admin, "agent_c", role="viewer", office_code="TA")
    assert (member.role, member.office.code) == ("viewer", "TA")
    cases.update_staff(s, admin, "agent_c", active=False)
    assert auth.staff_for_token(s, token) is None and not auth.verify_password(member, "long enough")
    with pytest.raises(cases.Forbidden):
        cases.update_staff(s, agent, "agent_c", active=True)
    s.flush()
    actions = [e.action for e in s.scalars(select(AuditEvent).where(AuditEvent.ticket_id.is_(None)))]
    assert actions == ["create_office", "create_staff", "update_staff", "update_staff"]


def test_worker_view_is_refreshed_after_commit(ctx, s, world):
    t = ticket(s, world.refs["TA"])
    cases.change_status(s, staff(s, "agent_a"), t, "waiting_worker")
    assert ctx.redis.get(f"ud:worker:{t.openid}") is None
    s.commit()
    view = json.loads(ctx.redis.get(f"ud:worker:{t.openid}"))
    assert [(c["ref"], c["status"]) for c in view["cases"]] == [(t.ref, "waiting_worker")]


def test_messages_are_plain_chinese(s, world):
    admin, agent, viewer, t = staff(s, "admin"), staff(s, "agent_a"), staff(s, "viewer_a"), ticket(s, world.refs["TA"])
    attempts = {
        ("status", "请先分派经办人"): lambda: cases.change_status(s, agent, t, "assigned"),
        ("outcome", "结案需要填写办理结果：调解成功、追回欠薪、转介其他部门、不予受理、工人撤回、帮扶已发放、帮扶未获批、已答复"):
            lambda: cases.change_status(s, agent, t, "resolved"),
        ("referred_to", "必填"): lambda: cases.change_status(s, agent, t, "referred"),
        ("office", "只能在上下级之间转办"): lambda: cases.transfer(s, agent, t, "TB", "不归我们管"),
        ("office", "必填"): lambda: cases.transfer(s, agent, t, "", "x"),
        ("text", "不能超过 2000 个字"): lambda: cases.add_note(s, agent, t, "字" * 2001),
        ("fields.phone", "不是有效的手机号码"): lambda: cases.create_manual_ticket(
            s, agent, source="phone", category="consultation", fields={"phone": "12345"}),
        ("password", "至少 8 个字符"): lambda: cases.create_staff(
            s, admin, username="x_1", role="agent", office_code="TA", password="short"),
        ("amount_recovered", "须为不小于 0 的数"): lambda: cases.change_status(
            s, agent, t, "in_progress", amount_recovered=-1),
    }
    for (field, message), attempt in attempts.items():
        with pytest.raises(cases.Invalid) as err:
            attempt()
        assert (err.value.field, err.value.message) == (field, message)
    with pytest.raises(cases.Forbidden, match="只读账号不能办理案件"):
        cases.add_note(s, viewer, t, "hi")
    with pytest.raises(cases.Forbidden, match="仅限管理员"):
        cases.save_canned(s, agent, category="any", title="t", text="x")


def test_mask_text_keep_refs():
    from handlers.normalise import mask_text
    assert mask_text("QX-20261122-0004") == "QX-202*****0004"  # why refs need keeping
    keep = refs.mask_text_keep_refs
    assert keep("请查QX-20261122-0004，电话13812345678") == "请查QX-20261122-0004，电话138****5678"
    assert keep("bf-20261122-0012/身份证11010519491231002X") == "bf-20261122-0012/身份证110105********002X"
    assert keep("QX-20261122-0004 13812345678 RG-20261122-0005") == "QX-20261122-0004 138****5678 RG-20261122-0005"
    assert keep("QX-13812345-6789") == "QX-138*****6789"  # not a ref: no 20xx date
    assert "13812345678" not in keep("QX-20261122-000413812345678")  # a digit tail: not a ref
    assert keep("") == "" and keep("没有号码") == "没有号码"


def test_an_invalid_status_change_leaves_the_case_untouched(s, world):
    agent, t = staff(s, "agent_a"), ticket(s, world.refs["TA"])
    with pytest.raises(cases.Invalid):
        cases.change_status(s, agent, t, "resolved", outcome="recovered", amount_recovered=100, aid_amount=-1)
    assert (t.status, t.outcome, t.amount_recovered, t.resolved_at) == ("new", None, None, None)


def test_a_walk_in_wage_complaint_counts_towards_group_alerts(ctx, world, run_jobs):
    """Three open cases name 鑫达劳务 already; a walk-in naming 鑫达劳务公司 links them as a group case."""
    with ctx.db.session() as s:
        ref = cases.create_manual_ticket(s, staff(s, "agent_a"), source="walk_in", category="wage_arrears",
                                         fields={"name": "李四", "phone": "13812340000", "employer": "鑫达劳务公司"}).ref
    run_jobs()
    with ctx.db.session() as s:
        walk_in = ticket(s, ref)
        assert walk_in.group_id is not None
        assert ticket(s, world.refs["TA"]).group_id == walk_in.group_id
