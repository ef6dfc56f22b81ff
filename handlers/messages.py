"""The data that crosses the boundary between bot/ and handlers/.

Handlers are pure: they take session state and an Inbound message and return
replies, the new state and Actions. bot/ and workers/ carry out the actions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving: a worker's day and month
MEDIA_LABELS = {"image": "照片", "voice": "语音", "video": "视频", "shortvideo": "视频", "file": "文件"}


@dataclass(frozen=True)
class Inbound:
    """One message or event pushed by WeChat, reduced to what handlers need."""

    openid: str
    msg_type: str  # text image voice video shortvideo location link file event unknown
    text: str = ""  # text content, or the voice Recognition text
    event: str = ""  # lower case: subscribe unsubscribe scan location click view ...
    event_key: str = ""  # CLICK key, or qrscene for subscribe/scan
    media_id: str = ""
    location: dict[str, Any] | None = None  # {"lat", "lng", "label"}
    create_time: int = 0
    msg_id: str = ""
    url: str = ""  # link messages

    @property
    def is_event(self) -> bool:
        return self.msg_type == "event"

    @property
    def day(self) -> date | None:
        """The day the worker sent it, in China (None without a CreateTime)."""
        return datetime.fromtimestamp(self.create_time, CHINA).date() if self.create_time else None


@dataclass(frozen=True)
class Action:
    """Something slow or external to do after replying: data, not a call."""

    kind: str  # send_text, create_ticket, download_media, ...
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    replies: list[str]
    state: dict[str, Any]
    actions: list[Action] = field(default_factory=list)

    def __iter__(self):  # allows: replies, state, actions = handle(...)
        return iter((self.replies, self.state, self.actions))


def reply(state: dict[str, Any], *replies_and_actions: Any, pending: Any = None) -> Result:
    """A Result from replies (str) and Actions in any order; ``pending``: the numbered options just offered."""
    replies = [r for r in replies_and_actions if isinstance(r, str)]
    actions = [a for a in replies_and_actions if isinstance(a, Action)]
    if pending is not None:
        state["pending"] = pending
    return Result(replies, state, actions)


def ticket(category: str, message: Inbound, fields: dict[str, Any], evidence: list[dict[str, str]] | None = None,
           urgent: bool = False) -> Action:
    """The action that makes a case for staff (its reference is allocated by the webhook: ``{ref}``)."""
    return Action("create_ticket", {"ref": None, "category": category, "openid": message.openid, "fields": fields,
                                    "evidence": evidence or [], "urgent": urgent, "summary": fields.get("text", "")})


def remember_me(state: dict[str, Any], fields: dict[str, Any]) -> None:
    """Keep the worker's own name and phone (``me``) for the next form."""
    me = state.setdefault("me", {})
    me.update({k: fields[k] for k in ("name", "phone") if fields.get(k)})
