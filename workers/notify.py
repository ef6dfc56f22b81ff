"""Alerting an office: its WeCom group robot and the WeChat accounts its staff bound.

Each recipient gets a notice at most once per key (a Delivery row per recipient).
Phone and ID numbers are masked: group chats are not the place for them.
"""
from __future__ import annotations

import logging
from functools import partial
from typing import Callable

import requests
from sqlalchemy import select

from bot.models import Office, Staff
from bot.refs import mask_text_keep_refs
from handlers.messages import Action
from workers import context, queues
from workers.delivery import claim, mark, send_template
from workers.wechat_client import TransientWeChatError, WeChatError, typed_error

log = logging.getLogger(__name__)

def notify_office(office_id: int, text: str, key: str) -> str:
    """Post ``text`` to the office's WeCom robot and send it to its bound staff, once per ``key``.

    A transient failure of any recipient raises after the others were tried, so the
    RQ retry resends only to those still waiting.
    """
    ctx = context.get()
    text = mask_text_keep_refs(text)
    with ctx.db.session() as s:
        office = s.get(Office, office_id)
        staff = s.scalars(select(Staff).where(Staff.office_id == office_id, Staff.active.is_(True),
                                              Staff.openid.is_not(None))).all()
    recipients: list[tuple[str, str, str, Callable[[], None]]] = []
    if office.wecom_webhook:
        recipients.append((f"{key}:wecom:{office.id}", f"office:{office.code}", "wecom",
                           partial(post_wecom, office.wecom_webhook, text)))
    if ctx.config.wechat_template_ticket_update:
        recipients += [(f"{key}:staff:{member.id}", member.openid, "template",
                        partial(send_template, member.openid, text)) for member in staff]
    retry: WeChatError | None = None
    for delivery_key, address, kind, send in recipients:
        if not claim(delivery_key, address[:64], kind, text):
            continue
        try:
            send()
        except WeChatError as exc:
            log.warning("notice %s failed: %s", delivery_key, exc)
            if exc.transient:
                retry = exc
            else:
                mark(delivery_key, "failed", exc.errcode, exc.errmsg)
            continue
        mark(delivery_key, "sent")
    if retry:
        raise retry
    return f"{len(recipients)} recipients"


def post_wecom(url: str, text: str) -> None:
    """One text message to a WeCom group robot webhook."""
    try:
        response = requests.post(url, json={"msgtype": "text", "text": {"content": text}},
                                 timeout=context.get().config.wechat_timeout)
        response.raise_for_status()
        result = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise TransientWeChatError(None, f"WeCom webhook: {type(exc).__name__}") from None
    if errcode := int(result.get("errcode") or 0):
        raise typed_error(errcode, str(result.get("errmsg", "")))


def enqueue_notice(office_id: int, text: str, key: str) -> None:
    """Queue ``notify_office`` (one job per key)."""
    queues.enqueue(Action("notify_office", {"office_id": office_id, "text": text, "key": key}),
                   queues.job_id("notify_office", key))
