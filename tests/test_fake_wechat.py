"""The fake WeChat API server: WeChat's behaviour, the control API, and wechatpy against it."""
from __future__ import annotations

import base64
import json
import time
from typing import Any

import pytest
import requests
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException

from bot.fake_wechat import FakeWeChatServer, create_fake_app

APP_ID, SECRET = "wxfaketest00000001", "fake-test-secret"
ALICE = "oAlice000000000000000000001"
BOB = "oBob00000000000000000000002"
CAROL = "oCarol00000000000000000003"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + bytes(range(256)) * 4
DAY = 24 * 3600


@pytest.fixture
def app():
    return create_fake_app(APP_ID, SECRET, token_ttl=7200)


@pytest.fixture
def client(app):
    return app.test_client()


def get_token(client, **overrides: str) -> dict:
    params = {"grant_type": "client_credential", "appid": APP_ID, "secret": SECRET, **overrides}
    return client.get("/cgi-bin/token", query_string={k: v for k, v in params.items() if v}).get_json()


@pytest.fixture
def token(client) -> str:
    return get_token(client)["access_token"]


def post(client, path: str, token: str | None, body: Any = None, **params: Any) -> dict:
    """POST like wechatpy does: a JSON body without a Content-Type header."""
    if token:
        params["access_token"] = token
    data = body if isinstance(body, (bytes, str)) else json.dumps(body, ensure_ascii=False)
    return client.post(f"/cgi-bin/{path}", query_string=params, data=data).get_json()


def get(client, path: str, token: str | None, **params: Any) -> dict:
    if token:
        params["access_token"] = token
    return client.get(f"/cgi-bin/{path}", query_string=params).get_json()


def text_to(openid: str, content: str = "hello") -> dict:
    return {"touser": openid, "msgtype": "text", "text": {"content": content}}


def control(client, method: str, path: str, body: Any = None) -> Any:
    response = client.open(f"/_fake/{path}", method=method, json=body)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


# --------------------------------------------------------------------------- access tokens


def test_token_is_issued_with_the_configured_ttl(client):
    result = get_token(client)
    assert len(result["access_token"]) >= 64
    assert result["expires_in"] == 7200


@pytest.mark.parametrize("overrides, errcode", [
    ({"grant_type": ""}, 40002),
    ({"grant_type": "password"}, 40002),
    ({"appid": ""}, 41002),
    ({"appid": "wxsomeoneelse"}, 40013),
    ({"secret": ""}, 41004),
    ({"secret": "wrong"}, 40125),
])
def test_token_errors(client, overrides, errcode):
    result = get_token(client, **overrides)
    assert result["errcode"] == errcode and "access_token" not in result


def test_api_calls_need_a_valid_access_token(client, token):
    assert get(client, "tags/get", None)["errcode"] == 41001
    assert get(client, "tags/get", "not-a-token")["errcode"] == 40001
    assert "tags" in get(client, "tags/get", token)
    control(client, "POST", "clock", {"advance": 7201})
    assert get(client, "tags/get", token)["errcode"] == 42001
    fresh = get_token(client)["access_token"]
    assert "tags" in get(client, "tags/get", fresh)


def test_revoked_tokens_answer_40001_and_new_ones_work(client, token):
    assert control(client, "POST", "revoke_tokens") == {"revoked": 1}
    assert post(client, "message/custom/send", token, text_to(ALICE))["errcode"] == 40001
    fresh = get_token(client)["access_token"]
    assert post(client, "message/custom/send", fresh, text_to(ALICE))["errcode"] == 0


def test_wrong_method_and_unknown_api(client, token):
    assert get(client, "message/custom/send", token)["errcode"] == 43002
    assert post(client, "user/get", token, {})["errcode"] == 43001
    assert get(client, "no/such/api", token)["errcode"] == 48001


# --------------------------------------------------------------------------- messages


def test_custom_text_is_delivered_and_recorded(client, token):
    result = post(client, "message/custom/send", token, text_to(ALICE, "你好，工友"))
    assert result == {"errcode": 0, "errmsg": "ok"}
    [message] = control(client, "GET", f"messages?openid={ALICE}")["messages"]
    assert message["kind"] == "custom" and message["msgtype"] == "text"
    assert message["text"] == "你好，工友" and message["raw"] == text_to(ALICE, "你好，工友")
    [call] = control(client, "GET", "calls?path=message/custom/send")["calls"]
    assert call["method"] == "POST" and call["query"] == {"access_token": token}
    assert call["body"] == text_to(ALICE, "你好，工友")
    assert call["errcode"] == 0 and call["http_status"] == 200


@pytest.mark.parametrize("body, errcode", [
    (b"", 44002),
    (b"{not json", 47001),
    ({"msgtype": "text", "text": {"content": "hi"}}, 40003),
    (text_to(""), 40003),
    (text_to("has spaces in it"), 40003),
    ({"touser": ALICE, "msgtype": "fax", "fax": {}}, 40008),
    ({"touser": ALICE, "msgtype": "text", "text": {}}, 44004),
    (text_to(ALICE, "   "), 44004),
    ({"touser": ALICE, "msgtype": "image", "image": {"media_id": "unknown"}}, 40007),
    ({"touser": ALICE, "msgtype": "news", "news": {"articles": []}}, 44003),
    ({"touser": ALICE, "msgtype": "news", "news": {"articles": [{"title": "a"}, {"title": "b"}]}}, 45008),
])
def test_custom_send_validation(client, token, body, errcode):
    assert post(client, "message/custom/send", token, body)["errcode"] == errcode
    assert control(client, "GET", "messages")["messages"] == []


def test_custom_image_with_uploaded_media(client, token):
    media_id = control(client, "POST", "media", {"data_base64": base64.b64encode(JPEG).decode()})["media_id"]
    body = {"touser": ALICE, "msgtype": "image", "image": {"media_id": media_id}}
    assert post(client, "message/custom/send", token, body)["errcode"] == 0
    assert control(client, "GET", "messages")["messages"][0]["text"] == f"[image] {media_id}"


def test_48_hour_rule(client, token):
    control(client, "POST", f"users/{ALICE}", {"last_interaction_ago": 47 * 3600})
    assert post(client, "message/custom/send", token, text_to(ALICE))["errcode"] == 0
    control(client, "POST", "clock", {"advance": 2 * 3600})
    token = get_token(client)["access_token"]  # the old one expired too
    result = post(client, "message/custom/send", token, text_to(ALICE))
    assert result["errcode"] == 45015
    assert result["errmsg"] == "response out of time limit or subscription is canceled"
    control(client, "POST", f"users/{ALICE}", {"last_interaction_ago": 0})
    assert post(client, "message/custom/send", token, text_to(ALICE))["errcode"] == 0
    control(client, "POST", f"users/{BOB}", {"subscribed": False})
    assert post(client, "message/custom/send", token, text_to(BOB))["errcode"] == 45015
    # templates ignore the 48 hours but need a follower
    control(client, "POST", f"users/{ALICE}", {"last_interaction_ago": 30 * DAY})
    template = {"touser": ALICE, "template_id": "T1", "data": {}}
    assert post(client, "message/template/send", token, template)["errcode"] == 0
    assert post(client, "message/template/send", token, {**template, "touser": BOB})["errcode"] == 43004


def test_template_send(client, token):
    body = {"touser": ALICE, "template_id": "TPL-case-update", "url": "https://example.org/c/1",
            "data": {"keyword1": {"value": "欠薪案件"}, "first": {"value": "您的案件有新进展"},
                     "keyword2": {"value": "已受理", "color": "#173177"}, "remark": {"value": "请留意"}}}
    result = post(client, "message/template/send", token, body)
    assert result["errcode"] == 0 and result["errmsg"] == "ok" and isinstance(result["msgid"], int)
    [message] = control(client, "GET", "messages")["messages"]
    assert message["kind"] == "template" and message["raw"] == body
    assert message["text"] == "您的案件有新进展\n欠薪案件\n已受理\n请留意"
    assert post(client, "message/template/send", token, {"touser": ALICE, "data": {}})["errcode"] == 40037
    assert post(client, "message/template/send", token, {**body, "touser": "x y"})["errcode"] == 40003


def test_mass_messages(client, token):
    tag = post(client, "tags/create", token, {"tag": {"name": "建筑工地"}})["tag"]
    post(client, "tags/members/batchtagging", token, {"openid_list": [ALICE, BOB], "tagid": tag["id"]})
    control(client, "POST", f"users/{CAROL}", {})
    by_tag = {"filter": {"is_to_all": False, "tag_id": tag["id"]}, "msgtype": "text",
              "text": {"content": "周六开会"}}
    result = post(client, "message/mass/sendall", token, by_tag)
    assert result["errcode"] == 0 and result["errmsg"] == "send job submission success"
    assert isinstance(result["msg_id"], int) and isinstance(result["msg_data_id"], int)
    assert {m["openid"] for m in control(client, "GET", "messages")["messages"]} == {ALICE, BOB}

    wechatpy_style = {"filter": {"group_id": None, "is_to_all": True}, "msgtype": "text",
                      "text": {"content": "全体通知"}, "send_ignore_reprint": 0}
    assert post(client, "message/mass/sendall", token, wechatpy_style)["errcode"] == 0
    to_all = control(client, "GET", "messages?since_id=2")["messages"]
    assert [(m["kind"], m["openid"], m["text"]) for m in to_all] == [
        ("mass", ALICE, "全体通知"), ("mass", BOB, "全体通知"), ("mass", CAROL, "全体通知")]

    by_list = {"touser": [ALICE, CAROL], "msgtype": "text", "text": {"content": "名单"}}
    assert post(client, "message/mass/send", token, by_list)["errcode"] == 0
    assert post(client, "message/mass/send", token, {**by_list, "touser": [ALICE]})["errcode"] == 40130
    bad_tag = {**by_tag, "filter": {"is_to_all": False, "tag_id": 999}}
    assert post(client, "message/mass/sendall", token, bad_tag)["errcode"] == 45159
    preview = post(client, "message/mass/preview", token, {"touser": BOB, "msgtype": "text",
                                                           "text": {"content": "预览"}})
    assert preview["errcode"] == 0 and preview["errmsg"] == "preview success"
    assert control(client, "GET", f"messages?openid={BOB}")["messages"][-1]["text"] == "预览"


# --------------------------------------------------------------------------- tags and users


def test_tags_lifecycle(client, token):
    created = post(client, "tags/create", token, {"tag": {"name": "家政"}})
    assert created == {"tag": {"id": 100, "name": "家政"}}
    tag_id = created["tag"]["id"]
    assert post(client, "tags/create", token, {"tag": {"name": "家政"}})["errcode"] == 45157
    assert post(client, "tags/create", token, {"tag": {"name": "很" * 11}})["errcode"] == 45158

    assert post(client, "tags/members/batchtagging", token,
                {"openid_list": [ALICE, BOB], "tagid": tag_id}) == {"errcode": 0, "errmsg": "ok"}
    assert post(client, "tags/members/batchtagging", token,
                {"openid_list": [ALICE], "tagid": 555})["errcode"] == 45159
    assert post(client, "tags/members/batchtagging", token,
                {"openid_list": [f"oUser{i:022d}" for i in range(51)], "tagid": tag_id})["errcode"] == 40032
    members = post(client, "user/tag/get", token, {"tagid": tag_id})
    assert members["count"] == 2 and members["data"]["openid"] == [ALICE, BOB]
    assert members["next_openid"] == BOB
    assert post(client, "user/tag/get", token, {"tagid": tag_id, "next_openid": BOB}) == {
        "count": 0, "next_openid": ""}
    assert post(client, "tags/getidlist", token, {"openid": ALICE}) == {"tagid_list": [tag_id]}
    assert get(client, "user/info", token, openid=ALICE)["tagid_list"] == [tag_id]

    tags = get(client, "tags/get", token)["tags"]
    assert {"id": tag_id, "name": "家政", "count": 2} in tags
    assert {"id": 2, "name": "星标组", "count": 0} in tags

    post(client, "tags/members/batchuntagging", token, {"openid_list": [ALICE], "tagid": tag_id})
    assert post(client, "tags/getidlist", token, {"openid": ALICE}) == {"tagid_list": []}
    assert post(client, "tags/update", token, {"tag": {"id": tag_id, "name": "家政服务"}})["errcode"] == 0
    assert post(client, "tags/update", token, {"tag": {"id": 2, "name": "x"}})["errcode"] == 45058
    assert post(client, "tags/delete", token, {"tag": {"id": tag_id}})["errcode"] == 0
    assert post(client, "tags/delete", token, {"tag": {"id": tag_id}})["errcode"] == 45159
    assert post(client, "tags/getidlist", token, {"openid": BOB}) == {"tagid_list": []}


def test_user_info(client, token):
    info = get(client, "user/info", token, openid=ALICE, lang="zh_CN")
    assert info["subscribe"] == 1 and info["openid"] == ALICE and info["nickname"] == ""
    assert isinstance(info["subscribe_time"], int) and info["tagid_list"] == []
    control(client, "POST", f"users/{BOB}", {"subscribed": False})
    assert get(client, "user/info", token, openid=BOB) == {"subscribe": 0, "openid": BOB, "tagid_list": []}
    assert get(client, "user/info", token, openid="")["errcode"] == 40003
    batch = post(client, "user/info/batchget", token,
                 {"user_list": [{"openid": ALICE, "lang": "zh_CN"}, {"openid": BOB}]})
    assert [u["subscribe"] for u in batch["user_info_list"]] == [1, 0]


def test_user_list_pages(app, client, token):
    app.fake_state.page_size = 2
    post(client, "message/custom/send", token, text_to(ALICE))  # sent something
    control(client, "POST", f"users/{BOB}", {})  # seeded
    post(client, "tags/create", token, {"tag": {"name": "t"}})
    post(client, "tags/members/batchtagging", token, {"openid_list": [CAROL], "tagid": 100})  # tagged
    first = get(client, "user/get", token)
    assert first == {"total": 3, "count": 2, "data": {"openid": [ALICE, BOB]}, "next_openid": BOB}
    second = get(client, "user/get", token, next_openid=BOB)
    assert second == {"total": 3, "count": 1, "data": {"openid": [CAROL]}, "next_openid": CAROL}
    assert get(client, "user/get", token, next_openid=CAROL) == {"total": 3, "count": 0, "next_openid": ""}


# --------------------------------------------------------------------------- media


def upload(client, token: str, media_type: str, data: bytes, filename: str = "photo.jpg") -> dict:
    import io

    return client.post("/cgi-bin/media/upload", query_string={"type": media_type, "access_token": token},
                       data={"media": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data").get_json()


def test_media_upload_and_get(client, token):
    result = upload(client, token, "image", JPEG)
    assert result["type"] == "image" and isinstance(result["created_at"], int)
    media_id = result["media_id"]
    response = client.get("/cgi-bin/media/get", query_string={"media_id": media_id, "access_token": token})
    assert response.status_code == 200 and response.data == JPEG
    assert response.content_type == "image/jpeg"
    assert response.headers["Content-disposition"] == f'attachment; filename="{media_id}.jpg"'
    [call] = control(client, "GET", "calls?path=media/get")["calls"]
    assert call["errcode"] == 0 and call["query"]["media_id"] == media_id


def test_media_errors_and_expiry(client, token):
    assert upload(client, token, "gif", JPEG)["errcode"] == 40004
    assert upload(client, token, "image", b"")["errcode"] == 44001
    assert upload(client, token, "voice", JPEG)["errcode"] == 40005
    assert upload(client, token, "thumb", JPEG * 100)["errcode"] == 40006
    missing = client.post("/cgi-bin/media/upload", query_string={"type": "image", "access_token": token})
    assert missing.get_json()["errcode"] == 41005
    assert "thumb_media_id" in upload(client, token, "thumb", JPEG)
    assert get(client, "media/get", token, media_id="nope")["errcode"] == 40007

    seed = {"media_id": "worker-photo-1", "content_type": "image/png",
            "data_base64": base64.b64encode(b"\x89PNG...").decode()}
    media_id = control(client, "POST", "media", seed)["media_id"]
    assert media_id == "worker-photo-1"
    response = client.get("/cgi-bin/media/get", query_string={"media_id": media_id, "access_token": token})
    assert response.data == b"\x89PNG..." and response.content_type == "image/png"
    control(client, "POST", "clock", {"advance": 3 * DAY + 1})
    fresh = get_token(client)["access_token"]
    expired = get(client, "media/get", fresh, media_id=media_id)
    assert expired == {"errcode": 40007, "errmsg": "invalid media_id"}


# --------------------------------------------------------------------------- menu


def test_menu(client, token):
    assert get(client, "menu/get", token)["errcode"] == 46003
    menu = {"button": [
        {"type": "click", "name": "找工会", "key": "FIND_UNION"},
        {"name": "维权", "sub_button": [{"type": "click", "name": "欠薪求助", "key": "WAGES"},
                                       {"type": "view", "name": "法律知识", "url": "https://example.org"}]},
    ]}
    assert post(client, "menu/create", token, menu) == {"errcode": 0, "errmsg": "ok"}
    got = get(client, "menu/get", token)["menu"]["button"]
    assert got[0] == {**menu["button"][0], "sub_button": []}
    assert got[1]["sub_button"][1]["url"] == "https://example.org"
    assert get(client, "menu/delete", token)["errcode"] == 0
    assert get(client, "menu/get", token)["errcode"] == 46003


@pytest.mark.parametrize("menu, errcode", [
    ({}, 40016),
    ({"button": []}, 40016),
    ({"button": [{"type": "click", "name": f"b{i}", "key": "k"} for i in range(4)]}, 40016),
    ({"button": [{"type": "tap", "name": "x", "key": "k"}]}, 40017),
    ({"button": [{"type": "click", "name": "名字太长了名字太长了", "key": "k"}]}, 40018),
    ({"button": [{"type": "click", "name": "x"}]}, 40019),
    ({"button": [{"type": "view", "name": "x"}]}, 40020),
    ({"button": [{"name": "x", "sub_button": [{"type": "click", "name": f"s{i}", "key": "k"}
                                              for i in range(6)]}]}, 40023),
    ({"button": [{"name": "x", "sub_button": [{"type": "nope", "name": "s", "key": "k"}]}]}, 40024),
])
def test_menu_validation(client, token, menu, errcode):
    assert post(client, "menu/create", token, menu)["errcode"] == errcode


# --------------------------------------------------------------------------- faults


def test_fault_errcode_with_count(client, token):
    control(client, "POST", "faults", {"path": "message/custom/send", "errcode": 45015, "count": 2})
    results = [post(client, "message/custom/send", token, text_to(ALICE))["errcode"] for _ in range(3)]
    assert results == [45015, 45015, 0]
    calls = control(client, "GET", "calls?path=message/custom/send")["calls"]
    assert [(c["errcode"], c["fault"]) for c in calls] == [(45015, True), (45015, True), (0, False)]
    assert len(control(client, "GET", "messages")["messages"]) == 1


def test_faults_queue_in_order_and_match_openid(client, token):
    control(client, "POST", "faults", {"path": "/cgi-bin/message/custom/send", "errcode": -1,
                                       "errmsg": "system busy", "openid": BOB})
    control(client, "POST", "faults", {"path": "message/custom/send", "errcode": 45047})
    control(client, "POST", "faults", {"path": "message/custom/send", "errcode": 45009})
    assert post(client, "message/custom/send", token, text_to(ALICE))["errcode"] == 45047
    busy = post(client, "message/custom/send", token, text_to(BOB))
    assert busy == {"errcode": -1, "errmsg": "system busy"}
    assert post(client, "message/custom/send", token, text_to(BOB))["errcode"] == 45009
    assert post(client, "message/custom/send", token, text_to(BOB))["errcode"] == 0


def test_fault_until_cleared_and_on_token(client, token):
    control(client, "POST", "faults", {"path": "token", "errcode": -1, "count": -1})
    for _ in range(3):
        assert get_token(client)["errcode"] == -1
    assert len(control(client, "GET", "faults")["faults"]) == 1
    control(client, "DELETE", "faults")
    assert "access_token" in get_token(client)


def test_fault_http_status_and_delay(client, token):
    control(client, "POST", "faults", {"path": "message/template/send", "http_status": 500})
    response = client.post("/cgi-bin/message/template/send", query_string={"access_token": token},
                           data=json.dumps({"touser": ALICE, "template_id": "T"}))
    assert response.status_code == 500 and response.content_type.startswith("text/html")
    [call] = control(client, "GET", "calls?path=message/template/send")["calls"]
    assert call["http_status"] == 500 and call["errcode"] is None

    control(client, "POST", "faults", {"path": "message/custom/send", "delay": 0.3})
    started = time.monotonic()
    assert post(client, "message/custom/send", token, text_to(ALICE))["errcode"] == 0
    assert time.monotonic() - started >= 0.3


def test_bad_faults_are_refused(client):
    for fault in [{}, {"path": "token"}, {"path": "token", "errcode": 1, "count": 0}]:
        assert client.post("/_fake/faults", json=fault).status_code == 400


# --------------------------------------------------------------------------- control API


def test_calls_filters_and_clear(client, token):
    post(client, "message/custom/send", token, text_to(ALICE))
    post(client, "message/custom/send", token, text_to(BOB))
    get(client, "user/info", token, openid=BOB)
    all_calls = control(client, "GET", "calls")["calls"]
    assert [c["path"] for c in all_calls] == [
        "token", "message/custom/send", "message/custom/send", "user/info"]
    assert [c["id"] for c in all_calls] == [1, 2, 3, 4]
    assert all_calls[0]["query"]["appid"] == APP_ID and all_calls[0]["body"] is None
    by_bob = control(client, "GET", f"calls?openid={BOB}")["calls"]
    assert [c["path"] for c in by_bob] == ["message/custom/send", "user/info"]
    later = control(client, "GET", "calls?path=message/custom/send&since_id=2")["calls"]
    assert [c["id"] for c in later] == [3]
    control(client, "DELETE", "calls")
    assert control(client, "GET", "calls")["calls"] == []


def test_messages_since_id(client, token):
    for n in range(3):
        post(client, "message/custom/send", token, text_to(ALICE, f"m{n}"))
    later = control(client, "GET", "messages?since_id=1")["messages"]
    assert [(m["id"], m["text"]) for m in later] == [(2, "m1"), (3, "m2")]
    assert control(client, "GET", f"messages?openid={BOB}")["messages"] == []


def test_stats_and_reset(client, token):
    post(client, "message/custom/send", token, text_to(ALICE))
    post(client, "message/custom/send", token, text_to("?"))
    stats = control(client, "GET", "stats")
    assert stats["calls"] == {"token": 1, "message/custom/send": 2}
    assert stats["errors"] == {"message/custom/send": 1}
    assert stats["tokens_issued"] == 1 and stats["messages"] == 1
    control(client, "POST", "reset")
    assert control(client, "GET", "stats")["tokens_issued"] == 0
    assert get(client, "tags/get", token)["errcode"] == 40001


# --------------------------------------------------------------------------- wechatpy over HTTP


def wechatpy_client(fake: FakeWeChatServer) -> WeChatClient:
    """A real wechatpy client pointed at the fake."""

    class FakeBackedClient(WeChatClient):
        API_BASE_URL = fake.base_url

        def fetch_access_token(self):
            return self._fetch_access_token(url=fake.token_url, params={
                "grant_type": "client_credential", "appid": self.appid, "secret": self.secret})

    return FakeBackedClient(fake.app_id, fake.app_secret, timeout=5)


@pytest.fixture
def fake():
    with FakeWeChatServer(APP_ID, SECRET) as server:
        yield server


def test_wechatpy_against_the_fake_server(fake):
    wc = wechatpy_client(fake)
    assert fake.base_url.startswith("http://127.0.0.1:") and fake.base_url.endswith("/cgi-bin/")

    assert wc.message.send_text(ALICE, "您好")["errcode"] == 0
    sent = wc.message.send_template(ALICE, "TPL1", {"first": {"value": "案件更新"}, "keyword1": {"value": "已受理"}})
    assert isinstance(sent["msgid"], int)
    tag = wc.tag.create("餐饮")
    wc.tag.tag_user(tag["id"], [ALICE, BOB])
    assert wc.tag.get_user_tag(BOB) == [tag["id"]]
    assert list(wc.tag.iter_tag_users(tag["id"])) == [ALICE, BOB]
    assert list(wc.user.iter_followers()) == [ALICE, BOB]
    assert wc.user.get(BOB)["subscribe"] == 1
    assert wc.message.send_mass_text(tag["id"], "通知")["msg_id"]

    uploaded = wc.media.upload("image", ("photo.jpg", JPEG, "image/jpeg"))
    assert wc.media.download(uploaded["media_id"]).content == JPEG
    seeded = fake.seed_media(b"\x89PNG worker photo", "image/png")
    downloaded = wc.media.download(seeded)
    assert downloaded.content == b"\x89PNG worker photo"
    assert downloaded.headers["Content-Type"] == "image/png"
    wc.menu.create({"button": [{"type": "click", "name": "帮助", "key": "HELP"}]})
    assert wc.menu.get()["menu"]["button"][0]["key"] == "HELP"

    assert [m["text"] for m in fake.messages(ALICE)] == ["您好", "案件更新\n已受理", "通知"]
    assert [c["path"] for c in fake.calls(openid=BOB)][:1] == ["tags/members/batchtagging"]
    assert fake.stats()["tokens_issued"] == 1


def test_wechatpy_refetches_revoked_and_expired_tokens(fake):
    wc = wechatpy_client(fake)
    wc.message.send_text(ALICE, "one")
    fake.revoke_tokens()
    wc.message.send_text(ALICE, "two")  # 40001, then wechatpy fetches a token and retries
    fake.advance_clock(7200)
    wc.message.send_text(ALICE, "three")  # 42001, same
    sends = [c["errcode"] for c in fake.calls(path="message/custom/send")]
    assert sends == [0, 40001, 0, 42001, 0]
    assert len(fake.calls(path="token")) == 3
    assert [m["text"] for m in fake.messages()] == ["one", "two", "three"]


def test_wechatpy_sees_injected_faults(fake):
    wc = wechatpy_client(fake)
    fake.fault(path="message/custom/send", errcode=45015, openid=ALICE)
    with pytest.raises(WeChatClientException) as raised:
        wc.message.send_text(ALICE, "late")
    assert raised.value.errcode == 45015
    wc.message.send_text(ALICE, "fine")

    fake.fault(path="message/custom/send", http_status=502)
    with pytest.raises(WeChatClientException) as raised:
        wc.message.send_text(ALICE, "gateway")
    assert raised.value.errcode is None and raised.value.response.status_code == 502

    fake.fault(path="message/custom/send", errcode=40001)  # one bad token answer: wechatpy recovers
    wc.message.send_text(ALICE, "retried")
    assert [m["text"] for m in fake.messages(ALICE)] == ["fine", "retried"]

    fake.reset()
    assert fake.calls() == [] and fake.messages() == []


def test_helpers_attach_to_a_running_fake(fake):
    other = FakeWeChatServer.attach(fake.base_url)
    assert other.url == fake.url
    media_id = other.seed_media(JPEG)
    token = requests.get(other.token_url, params={"grant_type": "client_credential",
                                                  "appid": APP_ID, "secret": SECRET}).json()["access_token"]
    response = requests.get(other.base_url + "media/get",
                            params={"access_token": token, "media_id": media_id})
    assert response.content == JPEG and response.headers["Content-Type"] == "image/jpeg"
    assert response.headers["Content-disposition"] == f'attachment; filename="{media_id}.jpg"'
