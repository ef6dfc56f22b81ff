"""Conversation logic: pure functions, no Flask, no network, no Redis.

``handle(state, message) -> Result(replies, state, actions)`` is the one entry
point the webhook calls. Results unpack as ``replies, state, actions``.
"""
from handlers.conversation import handle
from handlers.messages import Action, Inbound, Result

__all__ = ["Action", "Inbound", "Result", "handle", "warm_up"]


def warm_up() -> None:
    """Load the router model, jieba and the FAQ index now, not on a worker's first message (~3 s)."""
    for words in ("我叫王强电话13912345678，在恒通电子厂干了半年，老板欠我三个月工资一万二", "加班费怎么算", "你好"):
        handle(None, Inbound(openid="warm-up", msg_type="text", text=words))
