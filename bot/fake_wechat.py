"""A fake of WeChat's Official Account server API (https://api.weixin.qq.com/cgi-bin/).

There is no WeChat in development or CI, so tests and the dev simulator point
wechatpy at this in-memory Flask app instead. It answers the paths, parameters
and bodies wechatpy 1.8.18 sends, with WeChat's response shapes and error codes
(tokens, custom/template/mass messages, tags, users, temporary media, menu, the
48-hour rule).

Everything under ``/_fake/`` is a control API that WeChat does not have: it
records calls and delivered messages, injects faults, seeds media and users,
moves the fake's clock and resets the state. ``FakeWeChatServer`` runs the app
on a free port in a background thread and drives the control API over HTTP.

Run it alone with ``python -m bot.fake_wechat [--port 8001]``.
"""
from __future__ import annotations

import argparse
import base64
import binascii
import copy
import itertools
import json
import mimetypes
import re
import secrets
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any, Callable

import requests
from flask import Flask, Response, request
from werkzeug.serving import WSGIRequestHandler, make_server

from config import DEV_SECRETS

OPENID_RE = re.compile(r"^[A-Za-z0-9_-]{2,64}$")  # real openids are 28 such characters
MEDIA_TTL = 3 * 24 * 3600  # WeChat deletes temporary media after 3 days
INTERACTION_WINDOW = 48 * 3600  # custom messages only within 48 h of the user's last message
PAGE_SIZE = 10000  # user/get and user/tag/get page size
MAX_BATCH = 50  # openids per tags/members/batch(un)tagging
MAX_TAGS, MAX_TAGS_PER_USER, FIRST_TAG_ID = 100, 20, 100
SYSTEM_TAGS = {2: "星标组"}  # WeChat lists it in tags/get; it cannot be changed

ERRMSG = {
    -1: "system error",
    0: "ok",
    40001: "invalid credential, access_token is invalid or not latest",
    40002: "invalid grant_type",
    40003: "invalid openid",
    40004: "invalid media type",
    40005: "invalid file type",
    40006: "invalid media size",
    40007: "invalid media_id",
    40008: "invalid message type",
    40013: "invalid appid",
    40016: "invalid button size",
    40017: "invalid button type",
    40018: "invalid button name size",
    40019: "invalid button key size",
    40020: "invalid button url size",
    40022: "invalid sub button level",
    40023: "invalid sub button size",
    40024: "invalid sub button type",
    40025: "invalid sub button name size",
    40026: "invalid sub button key size",
    40027: "invalid sub button url size",
    40032: "invalid openid list size",
    40037: "invalid template_id",
    40125: "invalid appsecret",
    40130: "invalid openid list size, at least two openid",
    41001: "access_token missing",
    41002: "appid missing",
    41004: "appsecret missing",
    41005: "media data missing",
    42001: "access_token expired",
    43001: "require GET method",
    43002: "require POST method",
    43004: "require subscribe",
    44001: "empty media data",
    44002: "empty post data",
    44003: "empty news data",
    44004: "empty content",
    45008: "article size out of limit",
    45015: "response out of time limit or subscription is canceled",
    45056: "too many tags",
    45058: "can't modify sys tag",
    45059: "user has too many tags",
    45157: "invalid tag name",
    45158: "tag name too long",
    45159: "invalid tag id",
    46003: "menu no exist",
    47001: "data format error",
    48001: "api unauthorized",
}


class WeChatError(Exception):
    """Raised by a handler to answer ``{"errcode": ..., "errmsg": ...}``."""

    def __init__(self, errcode: int, errmsg: str | None = None):
        super().__init__(errcode, errmsg)
        self.errcode = errcode
        self.errmsg = errmsg or ERRMSG.get(errcode, "fake error")


# --------------------------------------------------------------------------- state


@dataclass
class Token:
    value: str
    expires_at: float
    revoked: bool = False


@dataclass
class Media:
    media_id: str
    type: str
    content_type: str
    data: bytes
    created_at: float


@dataclass
class User:
    openid: str
    subscribe_time: int
    subscribed: bool = True
    last_interaction: float | None = None  # None: the user wrote recently (default)
    tags: list[int] = field(default_factory=list)
    nickname: str = ""


@dataclass
class Fault:
    path: str  # "message/custom/send", "token", or "*" for every API
    count: int  # calls left; -1 until cleared
    errcode: int | None = None
    errmsg: str | None = None
    openid: str | None = None
    http_status: int | None = None
    delay: float = 0.0


class FakeState:
    """All the fake's data. Hold ``lock`` while reading or changing it."""

    def __init__(self, app_id: str, app_secret: str, token_ttl: int):
        self.app_id, self.app_secret, self.token_ttl = app_id, app_secret, token_ttl
        self.lock = threading.Lock()
        self.page_size = PAGE_SIZE
        self.reset()

    def reset(self) -> None:
        """Forget everything: tokens, users, tags, media, menu, calls, faults, clock."""
        self.clock_offset = 0.0
        self.tokens: dict[str, Token] = {}
        self.users: dict[str, User] = {}
        self.tags: dict[int, str] = {}
        self.media: dict[str, Media] = {}
        self.menu: dict | None = None
        self.calls: list[dict] = []
        self.messages: list[dict] = []
        self.faults: list[Fault] = []
        self.call_counts: Counter[str] = Counter()
        self.error_counts: Counter[str] = Counter()
        self.tokens_issued = 0
        self._ids = {
            name: itertools.count(start)
            for name, start in [("call", 1), ("message", 1), ("tag", FIRST_TAG_ID),
                                ("msgid", 2_000_000_001), ("mass", 1_000_000_001)]
        }

    def next_id(self, name: str) -> int:
        return next(self._ids[name])

    def now(self) -> float:
        """The fake's clock: real time moved by ``POST /_fake/clock``."""
        return time.time() + self.clock_offset

    def user(self, openid: str) -> User:
        """The follower ``openid``, created (subscribed) on first sight."""
        if openid not in self.users:
            self.users[openid] = User(openid, subscribe_time=int(self.now()))
        return self.users[openid]

    def fresh_media(self, media_id: Any) -> Media | None:
        item = self.media.get(media_id) if isinstance(media_id, str) else None
        if item is None or self.now() - item.created_at > MEDIA_TTL:
            return None
        return item

    def add_media(self, media_type: str, content_type: str, data: bytes,
                  media_id: str | None = None) -> Media:
        media_id = media_id or secrets.token_urlsafe(48)
        item = Media(media_id, media_type, content_type, data, self.now())
        self.media[media_id] = item
        return item

    def add_message(self, kind: str, openid: str, body: dict, text: str) -> None:
        self.messages.append({
            "id": self.next_id("message"), "time": self.now(), "kind": kind,
            "openid": openid, "msgtype": body.get("msgtype", "template"),
            "text": text, "raw": body,
        })

    def take_fault(self, path: str, openids: set[str]) -> Fault | None:
        """The first queued fault matching this call, counted down."""
        for fault in self.faults:
            if fault.path not in (path, "*") or (fault.openid and fault.openid not in openids):
                continue
            if fault.count > 0:
                fault.count -= 1
                if fault.count == 0:
                    self.faults.remove(fault)
            return fault
        return None


# --------------------------------------------------------------------------- helpers


@dataclass
class ApiCall:
    """One request to ``/cgi-bin/<path>`` as handlers see it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any  # parsed JSON, or None
    raw: bytes
    files: dict


def json_body(call: ApiCall) -> dict:
    """The JSON object posted, or the WeChat error for an empty or bad body."""
    if not call.raw.strip() and not call.files:
        raise WeChatError(44002)
    if not isinstance(call.body, dict):
        raise WeChatError(47001)
    return call.body


def check_openid(openid: Any) -> str:
    if not isinstance(openid, str) or not OPENID_RE.match(openid):
        raise WeChatError(40003)
    return openid


def openids_of(query: dict, body: Any) -> set[str]:
    """Every openid a call is about (for call filters and openid faults)."""
    found = {query["openid"]} if query.get("openid") else set()
    if isinstance(body, dict):
        for key in ("touser", "openid"):
            value = body.get(key)
            if isinstance(value, str):
                found.add(value)
            elif isinstance(value, list):
                found.update(v for v in value if isinstance(v, str))
        for key in ("openid_list", "user_list"):
            for item in body.get(key) if isinstance(body.get(key), list) else []:
                item = item.get("openid") if isinstance(item, dict) else item
                if isinstance(item, str):
                    found.add(item)
    return found


def readable(msgtype: str, payload: Any) -> str:
    """A one-line rendering of a message for the worker simulator."""
    payload = payload if isinstance(payload, dict) else {}
    if msgtype == "text":
        return str(payload.get("content", ""))
    if msgtype == "news":
        titles = [str(a.get("title", "")) for a in payload.get("articles", []) if isinstance(a, dict)]
        return "[news] " + " / ".join(titles)
    if msgtype == "link":
        return f"[link] {payload.get('title', '')} {payload.get('url', '')}".rstrip()
    if msgtype == "msgmenu":
        items = [str(i.get("content", "")) for i in payload.get("list", []) if isinstance(i, dict)]
        parts = [payload.get("head_content", ""), *items, payload.get("tail_content", "")]
        return "\n".join(str(p) for p in parts if p)
    label = payload.get("title") or payload.get("media_id") or payload.get("card_id") or ""
    return f"[{msgtype}] {label}".rstrip()


def template_text(body: dict) -> str:
    """Template data values in order, the ``first`` (or the title) leading."""
    data = body.get("data") if isinstance(body.get("data"), dict) else {}

    def value(item: Any) -> str:
        return str(item.get("value", "")) if isinstance(item, dict) else str(item)

    lines = [value(v) for k, v in data.items() if k != "first"]
    lead = value(data["first"]) if "first" in data else body.get("title")
    return "\n".join(str(x) for x in ([lead] if lead else []) + lines)


def sniff_content_type(data: bytes) -> str | None:
    for magic, kind in [(b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG", "image/png"),
                        (b"GIF8", "image/gif"), (b"BM", "image/bmp"),
                        (b"#!AMR", "audio/amr"), (b"ID3", "audio/mpeg")]:
        if data.startswith(magic):
            return kind
    if data[4:8] == b"ftyp":
        return "video/mp4"
    return None


MEDIA_RULES = {  # type: (max bytes, accepted content types, default)
    "image": (10 * 1024 * 1024, {"image/jpeg", "image/png", "image/gif", "image/bmp"}, "image/jpeg"),
    "voice": (2 * 1024 * 1024, {"audio/amr", "audio/mpeg", "audio/mp3"}, "audio/amr"),
    "video": (10 * 1024 * 1024, {"video/mp4"}, "video/mp4"),
    "thumb": (64 * 1024, {"image/jpeg"}, "image/jpeg"),
}
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/bmp": "bmp",
              "audio/amr": "amr", "audio/mpeg": "mp3", "audio/mp3": "mp3", "video/mp4": "mp4"}


def media_type_for(content_type: str) -> str:
    return {"audio": "voice", "video": "video"}.get(content_type.split("/")[0], "image")


# --------------------------------------------------------------------------- WeChat API handlers

Handler = Callable[[FakeState, ApiCall], "dict | Response"]


def get_token(state: FakeState, call: ApiCall) -> dict:
    q = call.query
    if q.get("grant_type") != "client_credential":
        raise WeChatError(40002)
    if not q.get("appid"):
        raise WeChatError(41002)
    if q["appid"] != state.app_id:
        raise WeChatError(40013)
    if not q.get("secret"):
        raise WeChatError(41004)
    if q["secret"] != state.app_secret:
        raise WeChatError(40125)
    token = Token(secrets.token_urlsafe(96), state.now() + state.token_ttl)
    state.tokens[token.value] = token
    state.tokens_issued += 1
    return {"access_token": token.value, "expires_in": state.token_ttl}


CUSTOM_MSGTYPES = {"text", "image", "voice", "video", "music", "news", "mpnews", "link",
                   "wxcard", "miniprogrampage", "msgmenu", "mpnewsarticle"}


def send_custom(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    openid = check_openid(body.get("touser"))
    msgtype = body.get("msgtype")
    if msgtype not in CUSTOM_MSGTYPES:
        raise WeChatError(40008)
    payload = body.get(msgtype)
    if not isinstance(payload, dict):
        raise WeChatError(44004 if msgtype == "text" else 47001)
    if msgtype == "text" and not str(payload.get("content") or "").strip():
        raise WeChatError(44004)
    if msgtype in ("image", "voice", "video") and not state.fresh_media(payload.get("media_id")):
        raise WeChatError(40007)
    if msgtype == "news":
        articles = payload.get("articles")
        if not isinstance(articles, list) or not articles:
            raise WeChatError(44003)
        if len(articles) > 1:  # WeChat limits customer-service news to one article
            raise WeChatError(45008)
    user = state.user(openid)
    if not user.subscribed or (user.last_interaction is not None
                               and state.now() - user.last_interaction > INTERACTION_WINDOW):
        raise WeChatError(45015)
    state.add_message("custom", openid, body, readable(msgtype, payload))
    return {"errcode": 0, "errmsg": "ok"}


def send_template(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    openid = check_openid(body.get("touser"))
    if not isinstance(body.get("template_id"), str) or not body["template_id"].strip():
        raise WeChatError(40037)
    if "data" in body and not isinstance(body["data"], dict):
        raise WeChatError(47001)
    if not state.user(openid).subscribed:
        raise WeChatError(43004)
    state.add_message("template", openid, body, template_text(body))
    return {"errcode": 0, "errmsg": "ok", "msgid": state.next_id("msgid")}


MASS_MSGTYPES = {"text", "image", "voice", "mpvideo", "mpnews", "wxcard"}


def mass_payload(body: dict) -> tuple[str, dict]:
    msgtype = body.get("msgtype")
    if msgtype not in MASS_MSGTYPES:
        raise WeChatError(40008)
    payload = body.get(msgtype)
    if not isinstance(payload, dict):
        raise WeChatError(47001)
    if msgtype == "text" and not str(payload.get("content") or "").strip():
        raise WeChatError(44004)
    if msgtype in ("image", "voice", "mpvideo", "mpnews") and not payload.get("media_id"):
        raise WeChatError(40007)
    return msgtype, payload


def deliver_mass(state: FakeState, body: dict, openids: list[str]) -> dict:
    msgtype, payload = mass_payload(body)
    for openid in openids:
        if state.user(openid).subscribed:
            state.add_message("mass", openid, body, readable(msgtype, payload))
    msg_id = state.next_id("mass")
    return {"errcode": 0, "errmsg": "send job submission success",
            "msg_id": msg_id, "msg_data_id": msg_id + 1_000_000_000}


def mass_sendall(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    filt = body.get("filter")
    if not isinstance(filt, dict):
        raise WeChatError(47001)
    mass_payload(body)
    if filt.get("is_to_all"):
        openids = [u.openid for u in state.users.values()]
    else:
        tag_id = tag_id_of(state, filt.get("tag_id", filt.get("group_id")))  # wechatpy says group_id
        openids = [u.openid for u in state.users.values() if tag_id in u.tags]
    return deliver_mass(state, body, openids)


def mass_send(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    touser = body.get("touser")
    if not isinstance(touser, list) or len(touser) > 10000:
        raise WeChatError(40032)
    if len(touser) < 2:
        raise WeChatError(40130)
    mass_payload(body)
    return deliver_mass(state, body, [check_openid(o) for o in touser])


def mass_preview(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    if isinstance(body.get("towxname"), str) and body["towxname"] and "touser" not in body:
        openid = "wxname:" + body["towxname"]
    else:
        openid = check_openid(body.get("touser"))
    msgtype, payload = mass_payload(body)
    state.add_message("mass", openid, body, readable(msgtype, payload))
    return {"errcode": 0, "errmsg": "preview success", "msg_id": state.next_id("mass")}


def mass_get(state: FakeState, call: ApiCall) -> dict:
    return {"msg_id": json_body(call).get("msg_id"), "msg_status": "SEND_SUCCESS"}


def mass_delete(state: FakeState, call: ApiCall) -> dict:
    json_body(call)
    return {"errcode": 0, "errmsg": "ok"}


# Tags


def tag_id_of(state: FakeState, value: Any, *, writable: bool = False) -> int:
    """An existing tag id (system tags only when not ``writable``), else 45159/45058."""
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if writable and value in SYSTEM_TAGS:
        raise WeChatError(45058)
    if value not in state.tags and (writable or value not in SYSTEM_TAGS):
        raise WeChatError(45159)
    return value


def check_tag_name(state: FakeState, name: Any, own_id: int | None = None) -> str:
    if not isinstance(name, str) or not name.strip():
        raise WeChatError(45157)
    if len(name.encode("utf-8")) > 30:
        raise WeChatError(45158)
    taken = {n: i for i, n in {**SYSTEM_TAGS, **state.tags}.items()}
    if name in taken and taken[name] != own_id:
        raise WeChatError(45157)
    return name


def tag_object(body: dict) -> dict:
    tag = body.get("tag")
    if not isinstance(tag, dict):
        raise WeChatError(47001)
    return tag


def tags_create(state: FakeState, call: ApiCall) -> dict:
    name = check_tag_name(state, tag_object(json_body(call)).get("name"))
    if len(state.tags) >= MAX_TAGS:
        raise WeChatError(45056)
    tag_id = state.next_id("tag")
    state.tags[tag_id] = name
    return {"tag": {"id": tag_id, "name": name}}


def tags_get(state: FakeState, call: ApiCall) -> dict:
    def count(tag_id: int) -> int:
        return sum(tag_id in u.tags for u in state.users.values())

    return {"tags": [{"id": i, "name": n, "count": count(i)}
                     for i, n in {**SYSTEM_TAGS, **state.tags}.items()]}


def tags_update(state: FakeState, call: ApiCall) -> dict:
    tag = tag_object(json_body(call))
    tag_id = tag_id_of(state, tag.get("id"), writable=True)
    state.tags[tag_id] = check_tag_name(state, tag.get("name"), own_id=tag_id)
    return {"errcode": 0, "errmsg": "ok"}


def tags_delete(state: FakeState, call: ApiCall) -> dict:
    tag_id = tag_id_of(state, tag_object(json_body(call)).get("id"), writable=True)
    del state.tags[tag_id]
    for user in state.users.values():
        if tag_id in user.tags:
            user.tags.remove(tag_id)
    return {"errcode": 0, "errmsg": "ok"}


def batch_openids(body: dict) -> list[str]:
    openids = body.get("openid_list")
    if not isinstance(openids, list) or not openids or len(openids) > MAX_BATCH:
        raise WeChatError(40032)
    return [check_openid(o) for o in openids]


def tags_batchtagging(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    openids = batch_openids(body)
    tag_id = tag_id_of(state, body.get("tagid"))
    users = [state.user(o) for o in openids]
    if any(tag_id not in u.tags and len(u.tags) >= MAX_TAGS_PER_USER for u in users):
        raise WeChatError(45059)
    for user in users:
        if tag_id not in user.tags:
            user.tags.append(tag_id)
    return {"errcode": 0, "errmsg": "ok"}


def tags_batchuntagging(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    openids = batch_openids(body)
    tag_id = tag_id_of(state, body.get("tagid"))
    for openid in openids:
        user = state.user(openid)
        if tag_id in user.tags:
            user.tags.remove(tag_id)
    return {"errcode": 0, "errmsg": "ok"}


def tags_getidlist(state: FakeState, call: ApiCall) -> dict:
    openid = check_openid(json_body(call).get("openid"))
    return {"tagid_list": list(state.user(openid).tags)}


def page_of(state: FakeState, openids: list[str], next_openid: Any) -> dict:
    """WeChat's openid paging: after ``next_openid``; an empty page ends it."""
    start = 0
    if next_openid:
        if next_openid not in openids:
            raise WeChatError(40003)
        start = openids.index(next_openid) + 1
    page = openids[start:start + state.page_size]
    result: dict = {"total": len(openids), "count": len(page)}
    if page:
        result["data"] = {"openid": page}
    result["next_openid"] = page[-1] if page else ""
    return result


def tag_users(state: FakeState, call: ApiCall) -> dict:
    body = json_body(call)
    tag_id = tag_id_of(state, body.get("tagid"))
    members = [u.openid for u in state.users.values() if tag_id in u.tags]
    result = page_of(state, members, body.get("next_openid"))
    del result["total"]  # user/tag/get has no total
    return result


# Users


def user_info(state: FakeState, openid: str, lang: str = "zh_CN") -> dict:
    user = state.user(openid)
    if not user.subscribed:
        return {"subscribe": 0, "openid": openid, "tagid_list": []}
    return {
        "subscribe": 1, "openid": openid, "nickname": user.nickname, "sex": 0,
        "language": lang or "zh_CN", "city": "", "province": "", "country": "",
        "headimgurl": "", "subscribe_time": user.subscribe_time, "remark": "",
        "groupid": 0, "tagid_list": list(user.tags),
        "subscribe_scene": "ADD_SCENE_OTHERS", "qr_scene": 0, "qr_scene_str": "",
    }


def users_info(state: FakeState, call: ApiCall) -> dict:
    return user_info(state, check_openid(call.query.get("openid")), call.query.get("lang", "zh_CN"))


def users_batchget(state: FakeState, call: ApiCall) -> dict:
    entries = json_body(call).get("user_list")
    if not isinstance(entries, list) or not entries or len(entries) > 100:
        raise WeChatError(40032)
    if not all(isinstance(e, dict) for e in entries):
        raise WeChatError(47001)
    return {"user_info_list": [user_info(state, check_openid(e.get("openid")), e.get("lang", "zh_CN"))
                               for e in entries]}


def users_get(state: FakeState, call: ApiCall) -> dict:
    followers = [u.openid for u in state.users.values() if u.subscribed]
    return page_of(state, followers, call.query.get("next_openid"))


# Temporary media


def media_upload(state: FakeState, call: ApiCall) -> dict:
    media_type = call.query.get("type")
    if media_type not in MEDIA_RULES:
        raise WeChatError(40004)
    upload = call.files.get("media")
    if upload is None:
        raise WeChatError(41005)
    data = upload.read()
    if not data:
        raise WeChatError(44001)
    max_size, accepted, default = MEDIA_RULES[media_type]
    if len(data) > max_size:
        raise WeChatError(40006)
    declared = upload.mimetype if upload.mimetype not in ("", "application/octet-stream") else None
    guessed = mimetypes.guess_type(upload.filename or "")[0]
    content_type = sniff_content_type(data) or declared or guessed or default
    if content_type not in accepted:
        raise WeChatError(40005)
    item = state.add_media(media_type, content_type, data)
    key = "thumb_media_id" if media_type == "thumb" else "media_id"  # as WeChat answers
    return {"type": media_type, key: item.media_id, "created_at": int(item.created_at)}


def media_get(state: FakeState, call: ApiCall) -> Response:
    item = state.fresh_media(call.query.get("media_id"))
    if item is None:
        raise WeChatError(40007)
    ext = EXTENSIONS.get(item.content_type, "bin")
    return Response(item.data, content_type=item.content_type, headers={
        "Content-disposition": f'attachment; filename="{item.media_id}.{ext}"',
        "Cache-Control": "no-cache, must-revalidate",
    })


# Menu

MENU_TYPES = {"click", "view", "scancode_push", "scancode_waitmsg", "pic_sysphoto",
              "pic_photo_or_album", "pic_weixin", "location_select", "media_id",
              "view_limited", "article_id", "article_view_limited", "miniprogram"}
KEYED_TYPES = MENU_TYPES - {"view", "miniprogram", "media_id", "view_limited",
                            "article_id", "article_view_limited"}
# errcodes for (type, name, key, url), top-level then sub-buttons
TOP_CODES, SUB_CODES = (40017, 40018, 40019, 40020), (40024, 40025, 40026, 40027)


def check_button(button: Any, sub: bool) -> None:
    type_code, name_code, key_code, url_code = SUB_CODES if sub else TOP_CODES
    if not isinstance(button, dict):
        raise WeChatError(type_code)
    name = button.get("name")
    if not isinstance(name, str) or not name or len(name.encode("utf-8")) > (60 if sub else 16):
        raise WeChatError(name_code)
    children = button.get("sub_button")
    if children:
        if sub:
            raise WeChatError(40022)
        if not isinstance(children, list) or len(children) > 5:
            raise WeChatError(40023)
        for child in children:
            check_button(child, sub=True)
        return
    kind = button.get("type")
    if kind not in MENU_TYPES:
        raise WeChatError(type_code)
    key, url = button.get("key"), button.get("url")
    if kind in KEYED_TYPES and (not isinstance(key, str) or not key or len(key.encode()) > 128):
        raise WeChatError(key_code)
    if kind in ("view", "miniprogram") and (not isinstance(url, str) or not url
                                            or len(url.encode()) > 1024):
        raise WeChatError(url_code)


def menu_create(state: FakeState, call: ApiCall) -> dict:
    buttons = json_body(call).get("button")
    if not isinstance(buttons, list) or not 1 <= len(buttons) <= 3:
        raise WeChatError(40016)
    for button in buttons:
        check_button(button, sub=False)
    state.menu = {"button": copy.deepcopy(buttons)}
    return {"errcode": 0, "errmsg": "ok"}


def menu_get(state: FakeState, call: ApiCall) -> dict:
    if state.menu is None:
        raise WeChatError(46003)
    menu = copy.deepcopy(state.menu)
    for button in menu["button"]:  # WeChat answers every button with a sub_button list
        button.setdefault("sub_button", [])
        for child in button["sub_button"]:
            child.setdefault("sub_button", [])
    return {"menu": menu}


def menu_delete(state: FakeState, call: ApiCall) -> dict:
    state.menu = None
    return {"errcode": 0, "errmsg": "ok"}


# path (after /cgi-bin/) -> (HTTP method, handler)
ROUTES: dict[str, tuple[str, Handler]] = {
    "token": ("GET", get_token),
    "message/custom/send": ("POST", send_custom),
    "message/template/send": ("POST", send_template),
    "message/mass/sendall": ("POST", mass_sendall),
    "message/mass/send": ("POST", mass_send),
    "message/mass/preview": ("POST", mass_preview),
    "message/mass/get": ("POST", mass_get),
    "message/mass/delete": ("POST", mass_delete),
    "tags/create": ("POST", tags_create),
    "tags/get": ("GET", tags_get),
    "tags/update": ("POST", tags_update),
    "tags/delete": ("POST", tags_delete),
    "tags/members/batchtagging": ("POST", tags_batchtagging),
    "tags/members/batchuntagging": ("POST", tags_batchuntagging),
    "tags/getidlist": ("POST", tags_getidlist),
    "user/tag/get": ("POST", tag_users),
    "user/info": ("GET", users_info),
    "user/info/batchget": ("POST", users_batchget),
    "user/get": ("GET", users_get),
    "media/upload": ("POST", media_upload),
    "media/get": ("GET", media_get),
    "menu/create": ("POST", menu_create),
    "menu/get": ("GET", menu_get),
    "menu/delete": ("GET", menu_delete),
}


def check_token(state: FakeState, query: dict) -> None:
    value = query.get("access_token")
    if not value:
        raise WeChatError(41001)
    token = state.tokens.get(value)
    if token is None or token.revoked:
        raise WeChatError(40001)
    if state.now() >= token.expires_at:
        raise WeChatError(42001)


def dispatch(state: FakeState, call: ApiCall) -> dict | Response:
    """Route one WeChat API call; WeChat errors become errcode answers."""
    try:
        if call.path not in ROUTES:
            raise WeChatError(48001, f"api unauthorized (fake_wechat has no {call.path!r})")
        method, handler = ROUTES[call.path]
        if call.method != method:
            raise WeChatError(43001 if method == "GET" else 43002)
        if call.path != "token":
            check_token(state, call.query)
        return handler(state, call)
    except WeChatError as err:
        return {"errcode": err.errcode, "errmsg": err.errmsg}


# --------------------------------------------------------------------------- Flask app


def json_response(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False), status=status,
                    content_type="application/json; charset=utf-8")


def fault_response(fault: Fault) -> Response | None:
    """The answer a fault forces, or None when it only delays the call."""
    if fault.http_status and fault.http_status != 200:
        html = (f"<html><head><title>{fault.http_status}</title></head>"
                f"<body><h1>{fault.http_status}</h1><p>fake_wechat fault</p></body></html>")
        return Response(html, status=fault.http_status, content_type="text/html")
    if fault.errcode is not None:
        return json_response({"errcode": fault.errcode,
                              "errmsg": fault.errmsg or ERRMSG.get(fault.errcode, "fake fault")})
    return None


def handle_api(state: FakeState, path: str) -> Response:
    """Every ``/cgi-bin/`` request: faults, dispatch, then the call record."""
    query = request.args.to_dict()
    files = request.files.to_dict() if request.mimetype == "multipart/form-data" else {}
    raw = b"" if files else request.get_data()
    try:
        body = json.loads(raw) if raw.strip() else None
    except ValueError:
        body = None
    call = ApiCall(request.method, path, query, body, raw, files)
    openids = openids_of(query, body)

    with state.lock:
        fault = state.take_fault(path, openids)
    if fault and fault.delay:
        time.sleep(fault.delay)
    with state.lock:
        response = fault_response(fault) if fault else None
        if response is None:
            result = dispatch(state, call)
            response = result if isinstance(result, Response) else json_response(result)
        errcode = None
        if response.mimetype == "application/json":
            errcode = int(response.get_json().get("errcode", 0))
        elif response.status_code < 400:
            errcode = 0  # media bytes
        state.call_counts[path] += 1
        if errcode != 0:
            state.error_counts[path] += 1
        state.calls.append({
            "id": state.next_id("call"), "time": state.now(), "method": request.method,
            "path": path, "query": query, "body": body, "errcode": errcode,
            "http_status": response.status_code, "fault": fault is not None,
            "openids": sorted(openids),
        })
    return response


def since(items: list[dict], since_id: str | None) -> list[dict]:
    floor = int(since_id or 0)
    return [item for item in items if item["id"] > floor]


def control_routes(app: Flask, state: FakeState) -> None:
    """The ``/_fake/`` control API for tests and the dev simulator."""

    def payload() -> dict:
        data = request.get_json(force=True, silent=True)
        return data if isinstance(data, dict) else {}

    @app.get("/_fake/calls")
    def list_calls():
        path, openid = request.args.get("path"), request.args.get("openid")
        with state.lock:
            calls = [c for c in since(state.calls, request.args.get("since_id"))
                     if (not path or c["path"] == path) and (not openid or openid in c["openids"])]
            return json_response({"calls": calls})

    @app.delete("/_fake/calls")
    def clear_calls():
        with state.lock:
            state.calls.clear()
        return json_response({"ok": True})

    @app.get("/_fake/messages")
    def list_messages():
        openid = request.args.get("openid")
        with state.lock:
            messages = [m for m in since(state.messages, request.args.get("since_id"))
                        if not openid or m["openid"] == openid]
            return json_response({"messages": messages})

    @app.delete("/_fake/messages")
    def clear_messages():
        with state.lock:
            state.messages.clear()
        return json_response({"ok": True})

    @app.get("/_fake/faults")
    def list_faults():
        with state.lock:
            return json_response({"faults": [asdict(f) for f in state.faults]})

    @app.post("/_fake/faults")
    def add_fault():
        data = payload()
        try:
            fault = Fault(
                path=str(data["path"]).strip("/").removeprefix("cgi-bin/"),
                count=int(data.get("count", 1)),
                errcode=None if data.get("errcode") is None else int(data["errcode"]),
                errmsg=data.get("errmsg"),
                openid=data.get("openid"),
                http_status=None if data.get("http_status") is None else int(data["http_status"]),
                delay=float(data.get("delay") or 0),
            )
        except (KeyError, TypeError, ValueError) as err:
            return json_response({"error": f"bad fault: {err!r}"}, 400)
        if fault.count == 0 or fault.count < -1:
            return json_response({"error": "count must be -1 or at least 1"}, 400)
        if fault.errcode is None and not fault.http_status and not fault.delay:
            return json_response({"error": "a fault needs errcode, http_status or delay"}, 400)
        with state.lock:
            state.faults.append(fault)
        return json_response({"fault": asdict(fault)})

    @app.delete("/_fake/faults")
    def clear_faults():
        with state.lock:
            state.faults.clear()
        return json_response({"ok": True})

    @app.post("/_fake/media")
    def seed_media():
        data = payload()
        content_type = data.get("content_type") or "image/jpeg"
        try:
            blob = base64.b64decode(data.get("data_base64") or "", validate=True)
        except (binascii.Error, ValueError):
            return json_response({"error": "data_base64 is not base64"}, 400)
        with state.lock:
            item = state.add_media(data.get("type") or media_type_for(content_type),
                                   content_type, blob, data.get("media_id"))
        return json_response({"media_id": item.media_id, "created_at": int(item.created_at)})

    @app.get("/_fake/clock")
    def get_clock():
        with state.lock:
            return json_response({"now": state.now(), "offset": state.clock_offset})

    @app.post("/_fake/clock")
    def move_clock():
        with state.lock:
            state.clock_offset += float(payload().get("advance", 0))
            return json_response({"now": state.now(), "offset": state.clock_offset})

    @app.post("/_fake/revoke_tokens")
    def revoke_tokens():
        with state.lock:
            for token in state.tokens.values():
                token.revoked = True
            return json_response({"revoked": len(state.tokens)})

    @app.get("/_fake/users")
    def list_users():
        with state.lock:
            return json_response({"users": [asdict(u) for u in state.users.values()]})

    @app.route("/_fake/users/<openid>", methods=["GET", "POST"])
    def set_user(openid: str):
        data = payload() if request.method == "POST" else {}
        with state.lock:
            user = state.user(openid)
            if "subscribed" in data:
                user.subscribed = bool(data["subscribed"])
            if "last_interaction_ago" in data:
                ago = data["last_interaction_ago"]
                user.last_interaction = None if ago is None else state.now() - float(ago)
            if "nickname" in data:
                user.nickname = str(data["nickname"])
            return json_response({"user": asdict(user)})

    @app.post("/_fake/reset")
    def reset():
        with state.lock:
            state.reset()
        return json_response({"ok": True})

    @app.get("/_fake/stats")
    def stats():
        with state.lock:
            return json_response({
                "calls": dict(state.call_counts), "errors": dict(state.error_counts),
                "tokens_issued": state.tokens_issued,
                "tokens_valid": sum(not t.revoked and t.expires_at > state.now()
                                    for t in state.tokens.values()),
                "messages": len(state.messages), "media": len(state.media),
                "users": len(state.users), "tags": len(state.tags),
            })


def create_fake_app(app_id: str, app_secret: str, token_ttl: int = 7200) -> Flask:
    """A fresh fake WeChat server; its state is ``app.fake_state``."""
    app = Flask("fake_wechat")
    state = FakeState(app_id, app_secret, token_ttl)
    app.fake_state = state  # type: ignore[attr-defined]

    @app.route("/cgi-bin/<path:api>", methods=["GET", "POST", "PUT", "DELETE"])
    def wechat_api(api: str):
        return handle_api(state, api)

    control_routes(app, state)
    return app


# --------------------------------------------------------------------------- running it


def serve(host: str = "127.0.0.1", port: int = 8001,
          app_id: str = DEV_SECRETS["WECHAT_APP_ID"],
          app_secret: str = DEV_SECRETS["WECHAT_APP_SECRET"], token_ttl: int = 7200) -> None:
    """Run the fake in the foreground with werkzeug's threaded server."""
    server = make_server(host, port, create_fake_app(app_id, app_secret, token_ttl), threaded=True)
    print(f"fake WeChat API on http://{host}:{server.server_port}/cgi-bin/ (appid {app_id})")
    server.serve_forever()


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class FakeWeChatServer:
    """The fake on a free port in a background thread, plus control-API helpers.

    ``with FakeWeChatServer() as fake: ... fake.base_url ...``. The helpers
    speak HTTP, so ``FakeWeChatServer.attach(url)`` drives a fake run elsewhere.
    """

    def __init__(self, app_id: str = DEV_SECRETS["WECHAT_APP_ID"],
                 app_secret: str = DEV_SECRETS["WECHAT_APP_SECRET"],
                 token_ttl: int = 7200, host: str = "127.0.0.1", port: int = 0):
        self.app_id, self.app_secret, self.token_ttl = app_id, app_secret, token_ttl
        self.host, self.port = host, port
        self.url = ""
        self.app: Flask | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @classmethod
    def attach(cls, url: str, app_id: str = DEV_SECRETS["WECHAT_APP_ID"],
               app_secret: str = DEV_SECRETS["WECHAT_APP_SECRET"]) -> "FakeWeChatServer":
        """Helpers for a fake already running at ``url`` (its root)."""
        helper = cls(app_id, app_secret)
        helper.url = url.rstrip("/").removesuffix("/cgi-bin")
        return helper

    def start(self) -> "FakeWeChatServer":
        self.app = create_fake_app(self.app_id, self.app_secret, self.token_ttl)
        self._server = make_server(self.host, self.port, self.app, threaded=True,
                                   request_handler=_QuietHandler)
        self.url = f"http://{self.host}:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        name="fake-wechat", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(timeout=5)
            self._server = None

    def __enter__(self) -> "FakeWeChatServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """What to use as wechatpy's ``API_BASE_URL``."""
        return self.url + "/cgi-bin/"

    @property
    def token_url(self) -> str:
        return self.base_url + "token"

    def _control(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(method, f"{self.url}/_fake/{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json()

    def calls(self, path: str | None = None, openid: str | None = None,
              since_id: int = 0) -> list[dict]:
        params = {"path": path, "openid": openid, "since_id": since_id}
        return self._control("GET", "calls", params=params)["calls"]

    def messages(self, openid: str | None = None, since_id: int = 0) -> list[dict]:
        return self._control("GET", "messages", params={"openid": openid, "since_id": since_id})["messages"]

    def fault(self, **fault: Any) -> dict:
        """Queue a fault: path, errcode, count, openid, http_status, delay, errmsg."""
        return self._control("POST", "faults", json=fault)["fault"]

    def clear_faults(self) -> None:
        self._control("DELETE", "faults")

    def seed_media(self, data: bytes, content_type: str = "image/jpeg",
                   media_id: str | None = None) -> str:
        body = {"content_type": content_type, "data_base64": base64.b64encode(data).decode()}
        if media_id:
            body["media_id"] = media_id
        return self._control("POST", "media", json=body)["media_id"]

    def set_user(self, openid: str, **fields: Any) -> dict:
        """subscribed=bool, last_interaction_ago=seconds|None, nickname=str."""
        return self._control("POST", f"users/{openid}", json=fields)["user"]

    def advance_clock(self, seconds: float) -> None:
        self._control("POST", "clock", json={"advance": seconds})

    def revoke_tokens(self) -> None:
        self._control("POST", "revoke_tokens")

    def stats(self) -> dict:
        return self._control("GET", "stats")

    def reset(self) -> None:
        self._control("POST", "reset")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Run the fake WeChat API server.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--app-id", default=DEV_SECRETS["WECHAT_APP_ID"])
    parser.add_argument("--app-secret", default=DEV_SECRETS["WECHAT_APP_SECRET"])
    parser.add_argument("--token-ttl", type=int, default=7200)
    args = parser.parse_args()
    serve(args.host, args.port, args.app_id, args.app_secret, args.token_ttl)
