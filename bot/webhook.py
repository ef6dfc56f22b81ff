"""/wechat: WeChat's server URL. Verify, decrypt, parse, dedup, lock, store, handle, reply.

The passive reply is the handler's first reply; later replies and everything slow
become RQ jobs. A retry of a message already handled gets the same reply and
causes nothing new.
"""
from __future__ import annotations

import json
import logging
import time

from flask import Blueprint, Response, current_app, request
from redis.exceptions import NoScriptError

import handlers
from bot import refs
from bot.inbox import store_inbound
from bot.redis_store import HotPath
from bot.wechat_protocol import (Envelope, ProtocolError, SafeMode, check_signature, parse_xml,
                                 render_text_reply, to_inbound)
from handlers.copy import text as copy_text
from handlers.messages import Action
from handlers.normalise import mask_text
from workers import context
from workers.queues import enqueue_all

log = logging.getLogger(__name__)
bp = Blueprint("webhook", __name__)


@bp.get("/wechat")
def verify():
    """URL verification: echo ``echostr`` when the signature is right."""
    cfg = context.get().config
    try:
        check_signature(cfg.wechat_token, request.args.get("signature"), request.args.get("timestamp"),
                        request.args.get("nonce"))
    except ProtocolError as exc:
        log.warning("GET /wechat refused: %s", exc.reason)
        return _plain(exc.reason, exc.status)
    return _plain(request.args.get("echostr", ""))


@bp.post("/wechat")
def receive():
    ctx = context.get()
    cfg = ctx.config
    args = request.args
    timestamp, nonce = args.get("timestamp"), args.get("nonce")
    safe = args.get("encrypt_type", "raw").lower() == "aes"
    try:
        if not safe or args.get("signature"):
            check_signature(cfg.wechat_token, args.get("signature"), timestamp, nonce)
        body = request.get_data(cache=False)
        mode = _safe_mode(cfg)
        envelope = mode.open(body, args.get("msg_signature"), timestamp, nonce) if safe else Envelope(body, None)
        data = parse_xml(envelope.xml)
        message = to_inbound(data)
    except ProtocolError as exc:
        log.warning("POST /wechat refused (%s): %s", exc.status, exc.reason)
        return _plain(exc.reason, exc.status)
    account = str(data.get("ToUserName") or "")
    reply_xml = _handle(ctx, message, account)
    if not reply_xml:
        return _plain("success")
    if envelope.key_index is not None:
        reply_xml = mode.seal(reply_xml, envelope.key_index, nonce or "")
    return Response(reply_xml, mimetype="application/xml")


def _handle(ctx: context.Context, message: handlers.Inbound, account: str) -> str:
    """Run one message through dedup, lock, storage and the handlers; return the reply XML ('' for none)."""
    started = time.monotonic()
    key = message.msg_id or f"{message.openid}:{message.create_time}:{message.event}"
    log.info("in %s %s from %s: %s", key, message.msg_type, message.openid, mask_text(message.text)[:200])
    store_inbound(ctx.db, key, message)  # first: whatever fails next, the message is kept (a retry is ignored)
    hot = _hot_path(ctx)
    # Wait for the worker's previous message at most until ~1.5 s before WeChat's deadline.
    wait = min(3.0, max(0.2, ctx.config.reply_deadline - 1.5 - (time.monotonic() - started)))
    turn = hot.begin(key, message.openid, wait=wait)
    if turn.outcome == "duplicate":
        log.info("retry of %s answered from the dedup cache", key)
        return turn.reply or ""
    if turn.outcome == "busy":
        return render_text_reply(copy_text("busy"), message.openid, account)
    try:
        replies, state, actions = handlers.handle({**(turn.session or {}), "worker": turn.worker or {}}, message)
    except Exception:  # a bug must not cost the worker an answer
        log.exception("handler failed on %s", key)
        replies, state, actions = [copy_text("error")], turn.session, []
    try:
        replies, state = _allocate_refs(ctx, actions, key, replies, state)
        actions = list(actions) + [Action("send_text", {"openid": message.openid, "text": extra,
                                                       "key": f"reply:{key}:{i}"})
                                   for i, extra in enumerate(replies[1:], start=1)]
        reply = render_text_reply(replies[0], message.openid, account) if replies else ""
        with ctx.redis.pipeline(transaction=False) as pipe:  # jobs and state in one round trip
            enqueue_all(actions, key, ctx, pipe)
            hot.finish(turn, key, message.openid, reply, state, pipe)
            try:
                pipe.execute()
            except NoScriptError:  # Redis restarted since start-up: the jobs went in, finish again
                hot.finish(turn, key, message.openid, reply, state)
    except Exception:
        hot.abort(turn, key, message.openid)
        raise
    elapsed = time.monotonic() - started
    if elapsed > 1.0:
        log.warning("slow message %s: %.2f s", key, elapsed)
    return reply


def _allocate_refs(ctx: context.Context, actions: list[Action], key: str, replies: list[str],
                   state: dict | None) -> tuple[list[str], dict | None]:
    """Give each new case its reference now, so the passive reply can tell the worker."""
    new_cases = [a for a in actions if a.kind == "create_ticket" and not a.payload.get("ref")]
    if not new_cases:
        return replies, state
    for action in new_cases:
        action.payload.update(ref=refs.allocate_now(ctx.db, action.payload["category"], ctx.config.today()),
                              inbound_key=key)
    ref = new_cases[-1].payload["ref"]
    filled = json.loads(json.dumps(state or {}, ensure_ascii=False).replace("{ref}", ref))
    return [reply.replace("{ref}", ref) for reply in replies], filled or None


def _safe_mode(cfg) -> SafeMode:
    app = current_app
    mode = app.extensions.get("union_desk_safe_mode")
    if mode is None:
        mode = SafeMode(cfg.wechat_token, cfg.wechat_app_id, [cfg.wechat_aes_key, cfg.wechat_aes_key_previous])
        app.extensions["union_desk_safe_mode"] = mode
    return mode


def _hot_path(ctx: context.Context) -> HotPath:
    app = current_app
    hot = app.extensions.get("union_desk_hot_path")
    if hot is None:
        hot = HotPath(ctx.redis, ctx.config.dedup_ttl, ctx.config.session_ttl)
        app.extensions["union_desk_hot_path"] = hot
    return hot


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")

