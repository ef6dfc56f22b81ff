"""CSRF protection for the staff console: one random token per session, checked on every POST.

Forms carry it in the hidden field ``csrf_token`` (templates call ``csrf_token()``);
scripts may send it in the ``X-CSRF-Token`` header instead. A missing or wrong
token answers 400.
"""
from __future__ import annotations

import hmac
import secrets

from flask import Blueprint, abort, request, session

FIELD = "csrf_token"
HEADER = "X-CSRF-Token"


def token() -> str:
    """This session's token, created on first use."""
    if FIELD not in session:
        session[FIELD] = secrets.token_urlsafe(32)
    return session[FIELD]


def rotate() -> None:
    """A fresh token (after login, so a token seen before it is worthless)."""
    session[FIELD] = secrets.token_urlsafe(32)


def check() -> None:
    """Abort with 400 unless the request carries this session's token."""
    expected = session.get(FIELD)
    sent = request.form.get(FIELD) or request.headers.get(HEADER) or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description="CSRF token missing or wrong: reload the page and try again")


def protect(bp: Blueprint) -> None:
    """Check the token on every POST to ``bp`` and give its templates ``csrf_token()``."""

    @bp.before_request
    def _check_post() -> None:
        if request.method == "POST":
            check()

    bp.context_processor(lambda: {"csrf_token": token})
