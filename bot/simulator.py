"""/simulator: a chat page that plays WeChat for development (never enabled in production).

The page posts what the "worker" types to /simulator/send; this module builds the
push exactly as WeChat does (signed, and AES-encrypted in safe mode), POSTs it
over HTTP to this service's /wechat, and opens the passive reply. Later messages
the service sends through the (fake) WeChat API are read from the fake's record.
"""
from __future__ import annotations

import base64
import time

import requests
from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from bot.wechat_sim import WeChatSide, event_xml, push_xml, text_xml
from workers import context

bp = Blueprint("simulator", __name__, template_folder="templates")

# A tiny JPEG-like payload standing in for a photo of an IOU (欠条).
SAMPLE_IMAGE = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5"
    "PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==")


@bp.get("/")
def home():
    return redirect(url_for("simulator.page"))


@bp.get("/simulator")
def page():
    return render_template("simulator.html")


@bp.post("/simulator/send")
def send():
    """Body: {"openid", "mode": plain|compat|safe, "type": text|voice|image|location|subscribe|unsubscribe|click, "text"}."""
    cfg = context.get().config
    data = request.get_json(silent=True) or {}
    openid = str(data.get("openid") or "o_simulator")[:64]
    mode = data.get("mode") if data.get("mode") in ("plain", "compat", "safe") else "safe"
    kind = data.get("type", "text")
    content = str(data.get("text") or "")[:2000]
    try:
        xml = _push(openid, kind, content)
    except ValueError as exc:
        return jsonify(error=str(exc)), 422
    side = WeChatSide(cfg.wechat_token, cfg.wechat_app_id, cfg.wechat_aes_key)
    params, body = side.request(xml, mode if cfg.wechat_aes_key else "plain")
    started = time.monotonic()
    response = requests.post(request.host_url.rstrip("/") + "/wechat", params=params, data=body,
                             headers={"Content-Type": "text/xml"}, timeout=10)
    elapsed_ms = round((time.monotonic() - started) * 1000, 1)
    if response.status_code != 200:
        return jsonify(status=response.status_code, error=response.text, elapsed_ms=elapsed_ms), 200
    reply = side.open_reply(response.content, params)
    return jsonify(status=200, reply=reply.get("Content", ""), elapsed_ms=elapsed_ms,
                   encrypted=b"<Encrypt>" in response.content)


@bp.get("/simulator/messages")
def messages():
    """What the service sent this worker through the WeChat API (read from the fake's record)."""
    cfg = context.get().config
    root = cfg.wechat_api_base.rstrip("/").removesuffix("/cgi-bin")
    params = {"openid": request.args.get("openid", ""), "since_id": request.args.get("since_id", "0")}
    try:
        found = requests.get(f"{root}/_fake/messages", params=params, timeout=5).json()
    except (requests.RequestException, ValueError):
        return jsonify(messages=[], error="fake WeChat API not reachable"), 200
    return jsonify(messages=found.get("messages", []))


def _push(openid: str, kind: str, content: str) -> str:
    if kind == "text":
        if not content:
            raise ValueError("empty text")
        return text_xml(openid, content)
    if kind == "voice":
        return push_xml(openid, "voice", MediaId=_seed_media(b"#!AMR\n" + content.encode(), "audio/amr"),
                        Format="amr", Recognition=content, MsgId=_msg_id())
    if kind == "image":
        return push_xml(openid, "image", PicUrl="http://example.invalid/iou.jpg",
                        MediaId=_seed_media(SAMPLE_IMAGE, "image/jpeg"), MsgId=_msg_id())
    if kind == "location":
        return push_xml(openid, "location", Location_X=23.134521, Location_Y=113.358803, Scale=20,
                        Label=content or "广东省广州市天河区", MsgId=_msg_id())
    if kind in ("subscribe", "unsubscribe"):
        return event_xml(openid, kind)
    if kind == "click":
        return event_xml(openid, "CLICK", content or "MENU_WAGE")
    raise ValueError(f"unknown message type {kind!r}")


def _seed_media(data: bytes, content_type: str) -> str:
    """Put the worker's file on the fake WeChat server, as WeChat would hold it."""
    root = context.get().config.wechat_api_base.rstrip("/").removesuffix("/cgi-bin")
    try:
        response = requests.post(f"{root}/_fake/media", timeout=5, json={
            "content_type": content_type, "data_base64": base64.b64encode(data).decode()})
        return response.json()["media_id"]
    except (requests.RequestException, ValueError, KeyError):
        return f"sim-{_msg_id()}"


def _msg_id() -> int:
    return time.time_ns() // 1000
