"""Staff accounts: passwords, API bearer tokens, console sessions and office scoping.

Roles: ``admin`` (everything, every office), ``agent`` (acts on the cases of their
office and its sub-offices), ``viewer`` (reads those cases only).
"""
from __future__ import annotations

import hashlib
import re
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from bot.models import Office, Staff

ROLES = ("admin", "agent", "viewer")
USERNAME_RE = re.compile(r"[A-Za-z0-9_.@-]{2,64}")
MIN_PASSWORD = 8


class AccountError(ValueError):
    """A staff account field is invalid; ``field`` names it."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def new_password() -> str:
    """A random password to hand to a new staff member."""
    return secrets.token_urlsafe(12)


def check_account(username: str | None = None, role: str | None = None, password: str | None = None) -> None:
    """Raise AccountError for a malformed username, unknown role or too short password (None: not checked)."""
    if username is not None and not USERNAME_RE.fullmatch(username):
        raise AccountError("username", "须为 2-64 位字母、数字或 _ . @ -")
    if role is not None and role not in ROLES:
        raise AccountError("role", f"须为以下之一：{', '.join(ROLES)}")
    if password is not None and len(password) < MIN_PASSWORD:
        raise AccountError("password", f"至少 {MIN_PASSWORD} 个字符")


def create_staff(session: Session, *, username: str, password: str, role: str, office: Office,
                 display_name: str | None = None) -> Staff:
    """Add a staff account (no permission check: callers decide who may do this)."""
    check_account(username, role, password)
    if session.scalars(select(Staff.id).where(Staff.username == username)).first() is not None:
        raise AccountError("username", "已被占用")
    staff = Staff(username=username, password_hash=hash_password(password), role=role, office=office,
                  display_name=display_name, active=True)
    session.add(staff)
    session.flush()
    return staff


def verify_password(staff: Staff, password: str) -> bool:
    """True when ``password`` is right and the account is active."""
    return bool(staff.active and password and check_password_hash(staff.password_hash, password))


def authenticate(session: Session, username: str, password: str) -> Staff | None:
    """The active staff member with these credentials, or None (console login)."""
    staff = session.scalars(select(Staff).where(Staff.username == username)).first()
    return staff if staff is not None and verify_password(staff, password) else None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, staff: Staff) -> str:
    """A new API bearer token for ``staff``; replaces the old one. Only its sha256 is stored."""
    token = secrets.token_urlsafe(32)
    staff.token_hash = _token_hash(token)
    session.flush()
    return token


def staff_for_token(session: Session, token: str) -> Staff | None:
    """The active staff member owning ``token``, or None."""
    if not token:
        return None
    staff = session.scalars(select(Staff).where(Staff.token_hash == _token_hash(token))).first()
    return staff if staff is not None and staff.active else None


def office_subtree(session: Session, office_id: int) -> set[int]:
    """``office_id`` and the ids of all offices below it."""
    children: dict[int | None, list[int]] = {}
    for id_, parent_id in session.execute(select(Office.id, Office.parent_id)):
        children.setdefault(parent_id, []).append(id_)
    found, todo = set(), [office_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def visible_office_ids(session: Session, staff: Staff) -> set[int] | None:
    """The offices whose cases ``staff`` may see: None (all) for admins, else their office subtree."""
    return None if staff.role == "admin" else office_subtree(session, staff.office_id)


def can_see_office(session: Session, staff: Staff, office_id: int) -> bool:
    visible = visible_office_ids(session, staff)
    return visible is None or office_id in visible


# ---------------------------------------------------------------- console sessions (Redis)
#
# The signed cookie alone cannot be revoked: a copy keeps working after logout. So the
# cookie carries a random session id, and Redis holds ``ud:staff-session:<id>`` -> staff id
# with the idle limit as its TTL (restarted on activity). A session id missing there is
# logged out. ``ud:staff-sessions:<staff id>`` lists a member's ids, to end them all.

def _session_key(session_id: str) -> str:
    return f"ud:staff-session:{session_id}"


def _sessions_key(staff_id: int) -> str:
    return f"ud:staff-sessions:{staff_id}"


def start_session(r, staff_id: int, ttl: int) -> str:
    """A new console session for ``staff_id`` lasting ``ttl`` idle seconds; returns its id."""
    session_id = secrets.token_urlsafe(32)
    members = _sessions_key(staff_id)
    stale = [m for m in r.smembers(members) if not r.exists(_session_key(_text(m)))]
    pipe = r.pipeline(transaction=False)
    pipe.set(_session_key(session_id), staff_id, ex=ttl)
    if stale:
        pipe.srem(members, *stale)
    pipe.sadd(members, session_id)
    pipe.expire(members, ttl)
    pipe.execute()
    return session_id


def session_alive(r, session_id: str | None, staff_id: int, ttl: int) -> bool:
    """True when the session exists and belongs to ``staff_id``; its idle timer restarts."""
    if not session_id or not isinstance(session_id, str):
        return False
    pipe = r.pipeline(transaction=False)
    pipe.getex(_session_key(session_id), ex=ttl)
    pipe.expire(_sessions_key(staff_id), ttl)
    owner, _ = pipe.execute()
    return owner is not None and _text(owner) == str(staff_id)


def end_session(r, session_id: str | None) -> None:
    """Log one console session out (a missing or unknown id is fine)."""
    if session_id and isinstance(session_id, str):
        r.delete(_session_key(session_id))


def end_all_sessions(r, staff_id: int) -> None:
    """Log out every console session of ``staff_id`` (deactivated, or a new password)."""
    members = _sessions_key(staff_id)
    keys = [_session_key(_text(m)) for m in r.smembers(members)]
    r.delete(members, *keys)


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)
