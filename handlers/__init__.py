"""Conversation logic: pure functions, no Flask, no network, no Redis.

``handle(state, message) -> Result(replies, state, actions)`` is the one entry
point the webhook calls. Results unpack as ``replies, state, actions``.
"""
from handlers.conversation import handle
from handlers.messages import Action, Inbound, Result

__all__ = ["Action", "Inbound", "Result", "handle"]
