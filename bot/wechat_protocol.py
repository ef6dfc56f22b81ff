"""WeChat's push protocol: signatures, safe-mode AES, hostile-XML checks, replies.

Crypto, message classes and reply rendering are wechatpy's; this module adds what
wechatpy leaves out: refusing DTDs and entities before any parser sees the
bytes, trying the previous EncodingAESKey after a rotation, and escaping text
so that ``]]>`` or control characters cannot break the reply's CDATA. XML becomes
a dict the way wechatpy's xmltodict does it (text stripped, empty -> None, nested
elements -> dicts, repeats -> lists), but with ElementTree's C parser, four times
faster on the webhook's hot path.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from xml.etree import ElementTree

from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.events import EVENT_TYPES
from wechatpy.messages import MESSAGE_TYPES, LinkMessage, LocationMessage, TextMessage, UnknownMessage
from wechatpy.replies import TextReply
from wechatpy.utils import WeChatSigner

from handlers.messages import Inbound

# A DTD is the door to XXE and billion-laughs; WeChat never sends one.
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY|ELEMENT|ATTLIST)", re.IGNORECASE)
# XML 1.0 forbids most C0 controls; a CDATA section cannot contain "]]>".
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MEDIA_TYPES = ("image", "voice", "video", "shortvideo", "file")


class ProtocolError(Exception):
    """A request WeChat would never send. ``status`` is the HTTP answer."""

    def __init__(self, status: int, reason: str):
        super().__init__(reason)
        self.status = status
        self.reason = reason


def sign(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def check_signature(token: str, signature: str | None, timestamp: str | None, nonce: str | None) -> None:
    if not (signature and timestamp and nonce):
        raise ProtocolError(403, "missing signature parameters")
    if sign(token, timestamp, nonce) != signature:
        raise ProtocolError(403, "bad signature")


def parse_xml(raw: bytes | str) -> dict:
    """XML to a flat dict, refusing DTDs and entities before parsing.

    WeChat sends UTF-8. The bytes must be UTF-8 without NUL (which XML forbids, and which UTF-16 and
    UTF-32 are full of), and the parser reads them as UTF-8 whatever the XML declaration says, so the
    DTD check sees exactly what the parser sees: a UTF-16 or EBCDIC body cannot smuggle a DTD (and
    billion laughs) past it.
    """
    data = raw.encode("utf-8") if isinstance(raw, str) else raw
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "XML is not UTF-8") from None
    if b"\x00" in data:
        raise ProtocolError(400, "NUL byte in XML")
    if _DTD.search(data):
        raise ProtocolError(400, "DTD or entity declaration refused")
    try:
        root = ElementTree.fromstring(data, parser=ElementTree.XMLParser(encoding="utf-8"))
    except Exception as exc:  # expat raises several types for garbage
        raise ProtocolError(400, f"malformed XML: {type(exc).__name__}") from None
    xml = _element(root) if root.tag == "xml" else None
    if not isinstance(xml, dict):
        raise ProtocolError(400, "no <xml> root")
    return xml


def _element(element: ElementTree.Element) -> dict | str | None:
    """An element as xmltodict gives it: children as a dict (repeats as a list), else its stripped text."""
    if len(element) == 0:
        return (element.text or "").strip() or None
    out: dict = {}
    for child in element:
        value = _element(child)
        if child.tag not in out:
            out[child.tag] = value
        elif isinstance(out[child.tag], list):
            out[child.tag].append(value)
        else:
            out[child.tag] = [out[child.tag], value]
    return out


@dataclass(frozen=True)
class Envelope:
    """What arrived: the plaintext XML and, in safe mode, the key that opened it."""

    xml: str
    key_index: int | None  # None: plaintext mode


class SafeMode:
    """AES safe mode with the current EncodingAESKey and, optionally, the previous one."""

    def __init__(self, token: str, app_id: str, keys: list[str]):
        self.token = token
        self.cryptos = [WeChatCrypto(token, key, app_id) for key in keys if key]

    def open(self, body: bytes, msg_signature: str | None, timestamp: str | None, nonce: str | None) -> Envelope:
        if not self.cryptos:
            raise ProtocolError(400, "safe mode is not configured (WECHAT_AES_KEY unset)")
        if not (msg_signature and timestamp and nonce):
            raise ProtocolError(403, "missing msg_signature parameters")
        outer = parse_xml(body)
        encrypt = outer.get("Encrypt")
        if not isinstance(encrypt, str) or not encrypt:
            raise ProtocolError(400, "no Encrypt element")
        if sign(self.token, timestamp, nonce, encrypt) != msg_signature:
            raise ProtocolError(403, "bad msg_signature")
        reason = "undecryptable payload"
        for index, crypto in enumerate(self.cryptos):
            try:
                xml = crypto.decrypt_message({"Encrypt": encrypt}, msg_signature, timestamp, nonce)
            except InvalidAppIdException:
                reason = "wrong AppID in payload"
            except InvalidSignatureException:  # cannot happen after the check above
                raise ProtocolError(403, "bad msg_signature") from None
            except Exception:
                reason = "undecryptable payload"
            else:
                return Envelope(xml, index)
        raise ProtocolError(400, reason)

    def seal(self, xml: str, key_index: int, nonce: str, timestamp: str | None = None) -> str:
        return self.cryptos[key_index].encrypt_message(xml, nonce, timestamp or str(int(time.time())))


def to_inbound(xml: str | dict) -> Inbound:
    """Parse plaintext message XML (or its dict) into an Inbound, via wechatpy's message classes."""
    data = parse_xml(xml) if isinstance(xml, str) else xml
    if not isinstance(data.get("FromUserName"), str) or not isinstance(data.get("MsgType"), str):
        raise ProtocolError(400, "FromUserName or MsgType missing")
    msg_type = data["MsgType"].lower()
    event = str(data.get("Event") or "").lower() if msg_type == "event" else ""
    key = str(data.get("EventKey") or "")
    if event == "subscribe" and key.startswith("qrscene_"):
        event, key = "subscribe_scan", key[len("qrscene_"):]
    cls = EVENT_TYPES.get(event, UnknownMessage) if event else MESSAGE_TYPES.get(msg_type, UnknownMessage)
    msg = cls(data)
    try:
        common = dict(openid=msg.source, create_time=int(msg.time or 0), msg_id=str(msg.id or ""))
    except (TypeError, ValueError):
        raise ProtocolError(400, "non-numeric MsgId or CreateTime") from None
    if not (0 <= common["create_time"] < 2**32 and len(common["msg_id"]) <= 32 and 0 < len(msg.source) <= 64):
        raise ProtocolError(400, "MsgId, CreateTime or FromUserName out of range")
    if msg_type == "event":
        location = None
        if event == "location":
            location = {"lat": _float(data.get("Latitude")), "lng": _float(data.get("Longitude")), "label": ""}
        return Inbound(msg_type="event", event=event, event_key=key, location=location, **common)
    if isinstance(msg, TextMessage):
        return Inbound(msg_type="text", text=str(msg.content or ""), **common)
    if isinstance(msg, LocationMessage):
        location = {"lat": _float(msg.location_x), "lng": _float(msg.location_y), "label": str(msg.label or "")}
        return Inbound(msg_type="location", location=location, text=location["label"], **common)
    if isinstance(msg, LinkMessage):
        return Inbound(msg_type="link", text=str(msg.title or ""), url=str(msg.url or ""), **common)
    if msg_type in _MEDIA_TYPES:  # wechatpy has no class for "file": read the dict
        recognition = str(data.get("Recognition") or "") if msg_type == "voice" else ""
        return Inbound(msg_type=msg_type, text=recognition, media_id=str(data.get("MediaId") or ""), **common)
    return Inbound(msg_type="unknown", **common)


def _float(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def clean_text(text: str) -> str:
    """Make text safe inside a CDATA section of the reply XML."""
    return _CONTROL.sub("", text).replace("]]>", "]]]]><![CDATA[>")


def render_text_reply(text: str, to_openid: str, from_account: str, now: int | None = None) -> str:
    reply = TextReply(content=clean_text(text), source=from_account, target=to_openid,
                      time=now or int(time.time()))
    return reply.render()
