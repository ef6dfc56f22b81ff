"""/api: the JSON API for staff tools, with bearer tokens (``python -m bot staff token USERNAME``).

A thin HTTP layer over bot.cases, which holds every rule. Errors are JSON:
401 no or bad token, 403 the role may not act, 404 unknown or outside the caller's
offices, 422 ``{"error": "invalid", "field", "message"}`` for bad input (``message`` in
Chinese, for people; ``field`` is the key). Security headers: bot.create_app.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy.orm import Session

from bot import auth, cases
from bot.openapi import SPEC
from workers import context

bp = Blueprint("api", __name__, url_prefix="/api")


class Unauthorized(Exception):
    pass


@contextmanager
def _staff_session() -> Iterator[Session]:
    """A database session (committed on success) with the caller as ``g.staff``."""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    with context.get().db.session() as session:
        g.staff = auth.staff_for_token(session, token.strip()) if scheme.lower() == "bearer" else None
        if g.staff is None:
            raise Unauthorized()
        yield session


def _body() -> dict[str, Any]:
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        raise cases.Invalid("body", "请求体须为 JSON 对象")
    return body


@bp.get("/openapi.json")
def openapi():
    return jsonify(SPEC)


@bp.get("/tickets")
def list_tickets():
    with _staff_session() as s:
        items, total = cases.list_tickets(s, g.staff, **cases.filters_from_args(request.args))
        return jsonify(items=[cases.ticket_json(t) for t in items], total=total)


@bp.post("/tickets")
def create_ticket():
    body = _body()
    with _staff_session() as s:
        ticket = cases.create_manual_ticket(
            s, g.staff, source=body.get("source"), category=body.get("category"), fields=body.get("fields", {}),
            source_office=body.get("source_office"), source_ref=body.get("source_ref"),
            office_code=body.get("office"))
        return jsonify(cases.ticket_json(ticket, full=True)), 201


@bp.get("/tickets/<ref>")
def get_ticket(ref: str):
    with _staff_session() as s:
        return jsonify(cases.ticket_json(cases.get_ticket(s, g.staff, ref), full=True))


@bp.post("/tickets/<ref>/reply")
def reply(ref: str):
    body = _body()
    with _staff_session() as s:
        message = cases.reply(s, g.staff, cases.get_ticket(s, g.staff, ref), body.get("text"))
        return jsonify(cases.message_json(message)), 202


@bp.post("/tickets/<ref>/note")
def note(ref: str):
    body = _body()
    with _staff_session() as s:
        message = cases.add_note(s, g.staff, cases.get_ticket(s, g.staff, ref), body.get("text"))
        return jsonify(cases.message_json(message)), 201


@bp.post("/tickets/<ref>/assign")
def assign(ref: str):
    body = _body()
    with _staff_session() as s:
        ticket = cases.assign(s, g.staff, cases.get_ticket(s, g.staff, ref), body.get("assignee"))
        return jsonify(cases.ticket_json(ticket))


@bp.post("/tickets/<ref>/status")
def change_status(ref: str):
    body = _body()
    options = ("outcome", "amount_recovered", "aid_amount", "workers_covered", "referred_to", "referred_ref")
    with _staff_session() as s:
        ticket = cases.change_status(s, g.staff, cases.get_ticket(s, g.staff, ref), body.get("status"),
                                     **{name: body.get(name) for name in options})
        return jsonify(cases.ticket_json(ticket))


@bp.post("/tickets/<ref>/transfer")
def transfer(ref: str):
    body = _body()
    with _staff_session() as s:
        ticket = cases.transfer(s, g.staff, cases.get_ticket(s, g.staff, ref), body.get("office"),
                                body.get("reason"), worker_agrees=body.get("worker_agrees") is True)
        return jsonify(cases.ticket_json(ticket))


def _error(status: int, error: str, **extra: Any):
    return jsonify(error=error, **extra), status


@bp.errorhandler(Unauthorized)
def unauthorized(_exc):
    response, status = _error(401, "a valid bearer token is required")
    response.headers["WWW-Authenticate"] = "Bearer"
    return response, status


@bp.errorhandler(cases.NotFound)
def not_found(_exc):
    return _error(404, "not found")


@bp.errorhandler(cases.Forbidden)
def forbidden(exc):
    return _error(403, str(exc) or "forbidden")


@bp.errorhandler(cases.Invalid)
def invalid(exc: cases.Invalid):
    return _error(422, "invalid", field=exc.field, message=exc.message)
