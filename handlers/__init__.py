"""Conversation logic: pure functions, no Flask, no network, no Redis.

``handle(state, message) -> Result(replies, state, actions)`` is the one entry
point the webhook calls. Results unpack as ``replies, state, actions``.
"""
from __future__ import annotations

from typing import Any

from handlers.copy import text
from handlers.messages import Action, Inbound, Result

__all__ = ["Action", "Inbound", "Result", "handle"]

MEDIA_TYPES = {"image", "voice", "video", "shortvideo", "file"}


def handle(state: dict[str, Any] | None, message: Inbound) -> Result:
    """Route one inbound message; never raises on user input."""
    state = dict(state or {})
    if message.is_event:
        return _event(state, message)
    actions = []
    if message.media_id and message.msg_type in MEDIA_TYPES:
        actions.append(Action("download_media", {"openid": message.openid, "media_id": message.media_id,
                                                 "msg_type": message.msg_type}))
    if message.text:
        return Result([text("echo", text=message.text)], state, actions)
    if actions:
        return Result([text("media_received")], state, actions)
    return Result([text("unsupported")], state, actions)


def _event(state: dict[str, Any], message: Inbound) -> Result:
    if message.event in ("subscribe", "subscribe_scan"):
        return Result([text("welcome")], {}, [Action("record_follower", {
            "openid": message.openid, "subscribed": True, "scene": message.event_key})])
    if message.event == "unsubscribe":
        return Result([], {}, [Action("record_follower", {"openid": message.openid, "subscribed": False})])
    return Result([], state, [])
