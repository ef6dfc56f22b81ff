"""The data that crosses the boundary between bot/ and handlers/.

Handlers are pure: they take session state and an Inbound message and return
replies, the new state and Actions. bot/ and workers/ carry out the actions.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")  # no daylight saving: a worker's day and month


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
