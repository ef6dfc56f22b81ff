"""Plays WeChat's side of the push protocol: builds, signs and encrypts pushes, opens replies.

Used by the worker simulator page, the tests and the benchmark.
"""
from __future__ import annotations

import random
import re
import string
import time
from dataclasses import dataclass
from typing import Any

from wechatpy.crypto import PrpCrypto, WeChatCrypto

from bot.wechat_protocol import parse_xml, sign

ACCOUNT = "gh_union_desk"  # the official account's original id (ToUserName)


def push_xml(openid: str, msg_type: str, **fields: Any) -> str:
    """A push exactly as WeChat formats it: string fields in CDATA, numbers bare."""
    now = int(fields.pop("CreateTime", time.time()))
    parts = [f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{now}</CreateTime>",
             f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    for name, value in fields.items():
        if isinstance(value, (int, float)):
            parts.append(f"<{name}>{value}</{name}>")
        else:
            value = str(value).replace("]]>", "]]]]><![CDATA[>")
            parts.append(f"<{name}><![CDATA[{value}]]></{name}>")
    return "<xml>" + "".join(parts) + "</xml>"


def text_xml(openid: str, content: str, msg_id: int | None = None) -> str:
    return push_xml(openid, "text", Content=content, MsgId=msg_id or random.randint(10**15, 10**16))


def event_xml(openid: str, event: str, key: str = "", create_time: int | None = None) -> str:
    fields: dict[str, Any] = {"Event": event}
    if key:
        fields["EventKey"] = key
    if create_time:
        fields["CreateTime"] = create_time
    return push_xml(openid, "event", **fields)


@dataclass
class WeChatSide:
    """One official account's settings, as WeChat's servers know them."""

    token: str
    app_id: str
    aes_key: str = ""
    prefix: str | None = None  # fixed 16-byte random prefix (tests); None: random each time

    def request(self, xml: str, mode: str = "plain") -> tuple[dict[str, str], bytes]:
        """Query parameters and body for a POST to /wechat in ``plain``, ``compat`` or ``safe`` mode."""
        timestamp = str(int(time.time()))
        nonce = "".join(random.choices(string.digits, k=10))
        sender = re.search(r"<FromUserName>(?:<!\[CDATA\[)?([^<\]]*)", xml)
        params = {"signature": sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                  "openid": sender.group(1) if sender else ""}
        if mode == "plain":
            return params, xml.encode()
        encrypt = self.encrypt(xml)
        params.update(encrypt_type="aes", msg_signature=sign(self.token, timestamp, nonce, encrypt))
        if mode == "compat":
            body = xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        else:
            body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        return params, body.encode()

    def encrypt(self, xml: str) -> str:
        crypto = PrpCrypto(WeChatCrypto(self.token, self.aes_key, self.app_id).key)
        if self.prefix:
            crypto.get_random_string = lambda: self.prefix
        return crypto.encrypt(xml, self.app_id).decode()

    def open_reply(self, body: bytes | str, params: dict[str, str]) -> dict[str, Any]:
        """The reply as a dict; decrypted (and its signature checked) when it is encrypted."""
        raw = body.decode() if isinstance(body, bytes) else body
        if not raw or raw == "success":
            return {}
        data = parse_xml(raw)
        if "Encrypt" in data:
            crypto = WeChatCrypto(self.token, self.aes_key, self.app_id)
            inner = crypto.decrypt_message(raw, data["MsgSignature"], data["TimeStamp"], data["Nonce"])
            data = parse_xml(inner)
        return data
