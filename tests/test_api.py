"""/api: bearer tokens, office scoping, JSON errors and the endpoints' contracts."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.models import AuditEvent, Delivery, Ticket
from bot.openapi import SPEC


@pytest.fixture
def api(client, world):
    """call(method, path, as_=username, json=...) -> (status, JSON)."""
    def call(method: str, path: str, as_: str | None = "agent_a", **kwargs):
        response = client.open(path, method=method, headers=world.headers(as_) if as_ else {}, **kwargs)
        return response.status_code, response.get_json()
    return call


def test_tokens_are_required(api, client):
    assert api("GET", "/api/tickets", as_=None) == (401, {"error": "a valid bearer token is required"})
    response = client.get("/api/tickets", headers={"Authorization": "Bearer not-a-token"})
    assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/tickets", headers={"Authorization": "Basic abc"}).status_code == 401


def test_list_is_scoped_and_masked(api, world):
    status, data = api("GET", "/api/tickets")
    assert status == 200 and data["total"] == 2
    assert {t["ref"] for t in data["items"]} == {world.refs["TA"], world.refs["TA1"]}
    item = data["items"][0]
    assert item["phone"] == item["fields"]["phone"] == "138****5678"
    assert item["fields"]["id_number"] == "110105********002X"
    assert {"ref", "category", "status", "priority", "difficulty", "office", "assignee", "created_at", "fields",
            "group", "source", "first_response_due", "resolve_due", "overdue", "outcome", "amount_recovered",
            "aid_amount", "workers_covered"} <= set(item)
    assert api("GET", "/api/tickets?office=TA1")[1]["total"] == 1
    assert api("GET", "/api/tickets?q=0003")[1]["total"] == 0  # 镇B's case
    assert api("GET", "/api/tickets?per_page=1&page=2", as_="admin")[1]["total"] == 4
    assert api("GET", "/api/tickets?overdue=maybe") == (
        422, {"error": "invalid", "field": "overdue", "message": "须为 true 或 false"})


def test_get_one_case(api, world):
    status, data = api("GET", f"/api/tickets/{world.refs['TA1']}")
    assert status == 200 and data["ref"] == world.refs["TA1"] and data["messages"] == []
    assert data["history"] == [] and data["attachments"] == []
    assert api("GET", f"/api/tickets/{world.refs['TB']}") == (404, {"error": "not found"})
    assert api("GET", "/api/tickets/QX-20990101-0001")[0] == 404


def test_reply_is_queued(ctx, api, world, run_jobs, fake_wechat):
    ref = world.refs["TA"]
    status, message = api("POST", f"/api/tickets/{ref}/reply", json={"text": "您好，已收到，我们明天联系您。"})
    assert status == 202
    assert (message["direction"], message["delivery"]) == ("out", {"status": "queued", "errcode": None})
    with ctx.db.session() as s:
        assert s.scalars(select(Delivery)).one().key == f"reply-{message['id']}"
    jobs = ctx.queues["high"].jobs
    assert [(j.func_name, j.kwargs) for j in jobs] == [
        ("workers.delivery.deliver_reply", {"message_id": message["id"]})]
    data = api("GET", f"/api/tickets/{ref}")[1]
    assert data["status"] == "in_progress" and data["first_response_at"]
    assert [m["direction"] for m in data["messages"]] == ["out"]
    assert run_jobs() == 1
    assert api("GET", f"/api/tickets/{ref}")[1]["messages"][0]["delivery"]["status"] == "sent"
    assert [m["text"] for m in fake_wechat.messages(f"o-{ref}")] == ["您好，已收到，我们明天联系您。"]


def test_viewers_cannot_act(api, world):
    ref = world.refs["TA"]
    assert api("GET", f"/api/tickets/{ref}", as_="viewer_a")[0] == 200
    for action, body in (("reply", {"text": "hi"}), ("note", {"text": "hi"}), ("assign", {"assignee": "agent_a"}),
                         ("status", {"status": "in_progress"}), ("transfer", {"office": "TA1", "reason": "x"})):
        status, data = api("POST", f"/api/tickets/{ref}/{action}", as_="viewer_a", json=body)
        assert status == 403 and data["error"]
    assert api("POST", "/api/tickets", as_="viewer_a", json={"source": "phone", "category": "consultation"})[0] == 403


def test_acting_outside_scope_is_404(api, world):
    assert api("POST", f"/api/tickets/{world.refs['TB']}/note", json={"text": "hi"}) == (404, {"error": "not found"})


def test_invalid_bodies_are_422(api, client, world):
    path = f"/api/tickets/{world.refs['TA']}/status"
    assert api("POST", path, json={"status": "resolved"})[1]["field"] == "outcome"
    assert api("POST", path, json={"status": "resolved", "outcome": "mediated", "amount_recovered": -5})[1] == {
        "error": "invalid", "field": "amount_recovered", "message": "须为不小于 0 的数"}
    for body in ("{not json", "[1, 2]", "", "text=hello"):
        response = client.post(path, data=body, headers=world.headers("agent_a"), content_type="application/json")
        assert response.status_code == 422 and response.get_json()["field"] == "body"
    response = client.post(path, data="status=closed", headers=world.headers("agent_a"),
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 422
    for body in ({"text": 5}, {"text": ["a"]}, {}):
        assert api("POST", f"/api/tickets/{world.refs['TA']}/note", json=body)[1]["field"] == "text"
    assert api("POST", f"/api/tickets/{world.refs['TA']}/assign", json={"assignee": {"a": 1}})[1]["field"] == "assignee"


def test_note_assign_status_transfer(api, world):
    ref = world.refs["TA"]
    status, note = api("POST", f"/api/tickets/{ref}/note", json={"text": "已电话联系包工头"})
    assert status == 201 and note["direction"] == "note"
    status, data = api("POST", f"/api/tickets/{ref}/assign", json={"assignee": "me"})
    assert (status, data["assignee"], data["status"]) == (200, "agent_a", "assigned")
    assert api("POST", f"/api/tickets/{ref}/assign", json={"assignee": "agent_b"})[1]["field"] == "assignee"
    status, data = api("POST", f"/api/tickets/{ref}/status", json={
        "status": "resolved", "outcome": "recovered", "amount_recovered": 12000, "workers_covered": 3})
    assert (status, data["status"], data["outcome"], data["amount_recovered"], data["workers_covered"]) == (
        200, "resolved", "recovered", 12000.0, 3)
    assert api("POST", f"/api/tickets/{ref}/status", json={"status": "reopened"})[1]["status"] == "in_progress"
    status, data = api("POST", f"/api/tickets/{ref}/transfer", json={"office": "TA1", "reason": "工地在园区"})
    assert (status, data["office"]) == (200, "TA1")
    assert api("POST", f"/api/tickets/{ref}/transfer", json={"office": "TB", "reason": "x"})[1]["field"] == "office"
    full = api("GET", f"/api/tickets/{ref}", as_="agent_a1")[1]
    assert [h["action"] for h in full["history"]] == ["note", "assign", "status", "status", "transfer"]
    assert [m["direction"] for m in full["messages"]] == ["note", "system", "system", "system", "system"]


def test_record_a_walk_in_case(ctx, api):
    status, data = api("POST", "/api/tickets", json={
        "source": "walk_in", "category": "hardship_aid", "fields": {"name": "王五", "phone": "13900001111"}})
    assert status == 201 and data["ref"].startswith("BF-") and data["office"] == "TA"
    assert data["phone"] == "139****1111" and data["source"] == "walk_in"
    assert api("POST", "/api/tickets", json={"source": "walk_in", "category": "x"})[1]["field"] == "category"
    assert api("POST", "/api/tickets", json={"source": "transferred_in", "category": "legal_aid"})[1][
        "field"] == "source_office"


def test_full_numbers_never_leave_unaudited(ctx, api, world):
    data = api("GET", f"/api/tickets/{world.refs['TA']}")[1]
    assert "13812345678" not in str(data)
    with ctx.db.session() as s:
        assert s.scalars(select(AuditEvent)).all() == []
        assert s.scalars(select(Ticket).where(Ticket.ref == world.refs["TA"])).one().phone == "13812345678"


def test_security_headers(api, client, world):
    responses = [client.get("/api/tickets", headers=world.headers("agent_a")), client.get("/api/tickets"),
                 client.get("/api/nowhere"), client.get("/api/openapi.json"),
                 client.post(f"/api/tickets/{world.refs['TA']}/note", json={}, headers=world.headers("agent_a"))]
    assert [r.status_code for r in responses] == [200, 401, 404, 200, 422]
    for response in responses:
        headers = response.headers
        assert headers["Content-Security-Policy"].startswith("default-src 'none'")
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert (headers["X-Content-Type-Options"], headers["X-Frame-Options"], headers["Referrer-Policy"]) == (
            "nosniff", "DENY", "same-origin")
        assert headers["Cache-Control"] == "no-store"


def test_staff_text_is_masked_but_refs_are_not(api, world):
    ref = world.refs["TA"]
    status, note = api("POST", f"/api/tickets/{ref}/note", json={"text": f"工人电话 13812345678，见 {ref}"})
    assert status == 201 and note["text"] == f"工人电话 138****5678，见 {ref}"
    api("POST", f"/api/tickets/{ref}/transfer", json={"office": "TA1", "reason": "工人身份证 11010519491231002X"})
    data = api("GET", f"/api/tickets/{ref}")[1]
    assert "13812345678" not in str(data) and "11010519491231002X" not in str(data)
    assert data["history"][-1]["detail"]["reason"] == "工人身份证 110105********002X"


def test_openapi_document(client):
    response = client.get("/api/openapi.json")  # no token needed
    assert response.status_code == 200
    spec = response.get_json()
    assert spec == SPEC and spec["openapi"].startswith("3.0")
    assert spec["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    assert set(spec["paths"]) == {
        "/api/tickets", "/api/tickets/{ref}", "/api/tickets/{ref}/reply", "/api/tickets/{ref}/note",
        "/api/tickets/{ref}/assign", "/api/tickets/{ref}/status", "/api/tickets/{ref}/transfer", "/api/openapi.json"}
    assert set(spec["paths"]["/api/tickets"]) == {"get", "post"}
    assert spec["paths"]["/api/tickets/{ref}/reply"]["post"]["responses"].keys() >= {"202", "401", "403", "404", "422"}

    def refs(node):
        if isinstance(node, dict):
            yield from ([node["$ref"]] if "$ref" in node else [])
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)
    for ref in set(refs(spec)):  # every reference resolves
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
    try:
        from openapi_spec_validator import validate
    except ImportError:
        return
    validate(spec)
