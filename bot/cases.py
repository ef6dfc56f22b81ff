"""Cases (tickets): the one service layer behind the JSON API (bot/api.py) and the staff console.

Every function takes a SQLAlchemy session and the acting ``Staff``, checks scope and
role, makes the change, writes an ``AuditEvent`` and flushes. The CALLER COMMITS;
jobs (reply delivery) and the worker's case-view refresh run only after that commit.

Errors, for the caller to turn into answers:
- ``NotFound``: unknown, or outside the staff member's offices (API: 404);
- ``Forbidden``: the role may not do this, e.g. a viewer acting (403);
- ``Invalid(field, message)``: bad input, naming the field (422).

Scope: admins see every office; agents and viewers their office and its sub-offices.
Only admins and agents act; only admins manage offices, staff and canned replies.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import event, func, not_, or_, select
from sqlalchemy.orm import Session, selectinload

from bot import auth, refs
from bot.models import (AuditEvent, CannedReply, Delivery, Office, Staff, Ticket, TicketMessage,
                        utcnow)
from bot.refs import mask_text_keep_refs
from handlers.messages import CHINA, Action  # CHINA: refs count days in local time
from handlers.normalise import mask_id, mask_phone, normalise_company, parse_id_number, parse_phone
from workers import context, worker_view
from workers.queues import enqueue, job_id
from workers import sla
from workers.sla import due_times

log = logging.getLogger(__name__)

STATUS_LABELS = {
    "new": "待受理", "assigned": "已分派", "in_progress": "处理中", "waiting_worker": "等待工人回复",
    "referred": "已转介", "resolved": "已办结", "closed": "已关闭", "reopened": "重新办理",
}
STATUSES = tuple(STATUS_LABELS)  # accepted by change_status; "reopened" is stored as in_progress
CLOSED_STATUSES = ("resolved", "closed")
OUTCOME_LABELS = {
    "mediated": "调解成功", "recovered": "追回欠薪", "referred": "转介其他部门", "not_accepted": "不予受理",
    "withdrawn": "工人撤回", "aid_granted": "帮扶已发放", "aid_refused": "帮扶未获批", "answered": "已答复",
}
OUTCOMES = tuple(OUTCOME_LABELS)
DIFFICULTY_LABELS = {"general": "一般", "difficult": "疑难", "complex": "复杂"}
DIFFICULTIES = tuple(DIFFICULTY_LABELS)
SOURCE_LABELS = {"wechat": "微信", "walk_in": "来访", "phone": "来电", "transferred_in": "上级转办"}
MANUAL_SOURCES = ("walk_in", "phone", "transferred_in")
OFFICE_KINDS = ("city", "township", "federation", "enterprise")
MAX_TEXT = 2000  # a WeChat customer-service text is limited to 2048 characters
MAX_PER_PAGE = 200
_CODE_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")


class CaseError(Exception):
    """Base of the errors below."""


class NotFound(CaseError):
    """Unknown, or outside the acting staff member's offices."""


class Forbidden(CaseError):
    """The acting staff member's role may not do this."""


class Invalid(CaseError):
    """Bad input; ``field`` names it (dotted for nested fields, e.g. ``fields.phone``)."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# ---------------------------------------------------------------- reading

def list_tickets(session: Session, staff: Staff, *, status: str | Iterable[str] | None = None,
                 category: str | None = None, office: str | None = None, assignee: str | None = None,
                 overdue: bool | None = None, group: bool | int | None = None, q: str | None = None,
                 page: int = 1, per_page: int = 50, now: datetime | None = None) -> tuple[list[Ticket], int]:
    """One page of the cases ``staff`` may see, most urgent then oldest first, and the total count.

    ``status``: a status, a list of them, or "open" (not resolved/closed); ``office``: an office
    code (that office and its sub-offices); ``assignee``: a username, "me" or "none"; ``overdue``:
    past a time limit now; ``group``: True (in any group), False (in none) or a group id;
    ``q``: searches ref, worker name, phone and employer. Query-string values: see filters_from_args.
    """
    query = select(Ticket).options(selectinload(Ticket.office), selectinload(Ticket.assignee),
                                   selectinload(Ticket.group))
    visible = auth.visible_office_ids(session, staff)
    if visible is not None:
        query = query.where(Ticket.office_id.in_(visible))
    if status:
        query = query.where(Ticket.status.in_(_statuses(status)))
    if category:
        query = query.where(Ticket.category == _choice("category", category, refs.CATEGORIES))
    if office:
        query = query.where(Ticket.office_id.in_(auth.office_subtree(session, _office(session, office).id)))
    if assignee == "me":
        query = query.where(Ticket.assignee_id == staff.id)
    elif assignee == "none":
        query = query.where(Ticket.assignee_id.is_(None))
    elif assignee:
        query = query.where(Ticket.assignee.has(Staff.username == assignee))
    if overdue is not None:
        late = _overdue_clause(now or utcnow())
        query = query.where(late if overdue else not_(late))
    if group is True:
        query = query.where(Ticket.group_id.is_not(None))
    elif group is False:
        query = query.where(Ticket.group_id.is_(None))
    elif group is not None:
        query = query.where(Ticket.group_id == group)
    if q:
        query = query.where(or_(*(column.icontains(q.strip(), autoescape=True) for column in
                                  (Ticket.ref, Ticket.worker_name, Ticket.phone, Ticket.employer))))
    if page < 1:
        raise Invalid("page", "须为 1 或以上")
    if not 1 <= per_page <= MAX_PER_PAGE:
        raise Invalid("per_page", f"须在 1 到 {MAX_PER_PAGE} 之间")
    total = session.scalar(select(func.count()).select_from(query.subquery()))
    items = session.scalars(query.order_by(Ticket.priority.desc(), Ticket.id)
                            .offset((page - 1) * per_page).limit(per_page)).all()
    return list(items), total or 0


def filters_from_args(args: Mapping[str, str]) -> dict[str, Any]:
    """list_tickets keyword arguments from query-string values (API and console share this).

    ``status`` may be comma-separated; ``overdue`` is true/false (1/0); ``group`` is
    true/false or a group id; ``page``/``per_page`` are integers. Empty values are ignored.
    """
    values = {name: args.get(name, "").strip() for name in
              ("status", "category", "office", "assignee", "overdue", "group", "q", "page", "per_page")}
    filters: dict[str, Any] = {name: values[name] for name in ("category", "office", "assignee", "q")
                               if values[name]}
    if values["status"]:
        filters["status"] = [s.strip() for s in values["status"].split(",") if s.strip()]
    if values["overdue"]:
        filters["overdue"] = _flag("overdue", values["overdue"])
    if values["group"]:
        filters["group"] = int(values["group"]) if values["group"].isdigit() else _flag("group", values["group"])
    for name in ("page", "per_page"):
        if values[name]:
            if not values[name].isdigit():
                raise Invalid(name, "须为整数")
            filters[name] = int(values[name])
    return filters


def get_ticket(session: Session, staff: Staff, ref: str) -> Ticket:
    """The case ``ref`` if ``staff`` may see it, else NotFound."""
    ticket = session.scalars(select(Ticket).where(Ticket.ref == ref)).first()
    if ticket is None or not auth.can_see_office(session, staff, ticket.office_id):
        raise NotFound(ref)
    return ticket


def overdue_kind(ticket: Ticket, now: datetime | None = None) -> str | None:
    """"first_response" or "resolve" when an open case is past that time limit now (sla.late, in Python)."""
    if ticket.status in CLOSED_STATUSES:
        return None
    now = now or utcnow()
    if ticket.first_response_at is None and ticket.first_response_due and _aware(ticket.first_response_due) < now:
        return "first_response"
    if ticket.resolve_due and ticket.status not in sla.WAITING_ON_OTHERS and _aware(ticket.resolve_due) < now:
        return "resolve"
    return None


def reveal(session: Session, staff: Staff, ticket: Ticket, what: str) -> str:
    """The full phone ("phone") or ID number ("id_number") of the worker; audited. Not for viewers."""
    _check_actor(session, staff, ticket)
    field = _choice("what", what, ("phone", "id_number"))
    value = ticket.phone if field == "phone" and ticket.phone else (ticket.fields or {}).get(field)
    if not value:
        raise Invalid("what", "没有记录电话号码" if field == "phone" else "没有记录身份证号")
    _audit(session, staff, "reveal_phone" if field == "phone" else "reveal_id", ticket)
    return str(value)


# ---------------------------------------------------------------- acting on a case

def reply(session: Session, staff: Staff, ticket: Ticket, text: str) -> TicketMessage:
    """Send ``text`` to the worker: an "out" message, a queued Delivery and, after commit, a deliver_reply job.

    Sets first_response_at (once); a new or assigned case becomes in_progress.
    """
    _check_actor(session, staff, ticket)
    text = _text("text", text)
    if not ticket.openid:
        raise Invalid("text", "此案件不是通过微信提交的，无法回复工人，请改为添加备注")
    message = TicketMessage(ticket=ticket, direction="out", text=text, staff=staff)
    session.add(message)
    session.flush()
    message.delivery_key = f"reply-{message.id}"
    session.add(Delivery(key=message.delivery_key, openid=ticket.openid, kind="text", text=text,
                         status="queued", attempts=0))
    ticket.first_response_at = ticket.first_response_at or utcnow()
    if ticket.status in ("new", "assigned"):
        ticket.status = "in_progress"
    _audit(session, staff, "reply", ticket, message_id=message.id)
    _enqueue_after_commit(session, Action("deliver_reply", {"message_id": message.id}), message.delivery_key)
    _refresh_worker_after_commit(session, ticket)
    return message


def add_note(session: Session, staff: Staff, ticket: Ticket, text: str) -> TicketMessage:
    """An internal note on the thread (never sent to the worker)."""
    _check_actor(session, staff, ticket)
    message = TicketMessage(ticket=ticket, direction="note", text=_text("text", text), staff=staff)
    session.add(message)
    session.flush()
    _audit(session, staff, "note", ticket, message_id=message.id)
    return message


def assign(session: Session, staff: Staff, ticket: Ticket, assignee_username: str | None) -> Ticket:
    """Assign to an active agent or admin who can see the case's office ("me": oneself; None, "" or "none": unassign).

    A new case becomes assigned; an assigned case left without an assignee becomes new.
    """
    _check_actor(session, staff, ticket)
    assignee = None
    if assignee_username not in (None, "", "none"):
        if not isinstance(assignee_username, str):
            raise Invalid("assignee", "须为用户名")
        username = staff.username if assignee_username == "me" else assignee_username
        assignee = session.scalars(select(Staff).where(Staff.username == username)).first()
        if assignee is None or not assignee.active or assignee.role not in ("agent", "admin"):
            raise Invalid("assignee", "不是在用的经办人或管理员账号")
        if not auth.can_see_office(session, assignee, ticket.office_id):
            raise Invalid("assignee", "不在本案件所属机构的范围内，不能分派")
    ticket.assignee = assignee
    if assignee is not None and ticket.status == "new":
        ticket.status = "assigned"
    elif assignee is None and ticket.status == "assigned":
        ticket.status = "new"
    name = assignee.display_name or assignee.username if assignee else None
    _system(session, staff, ticket, f"分派给 {name}" if name else "取消分派")
    _audit(session, staff, "assign", ticket, assignee=assignee.username if assignee else None)
    _refresh_worker_after_commit(session, ticket)
    return ticket


def change_status(session: Session, staff: Staff, ticket: Ticket, status: str, *, outcome: str | None = None,
                  amount_recovered: float | str | None = None, aid_amount: float | str | None = None,
                  workers_covered: int | str | None = None, referred_to: str | None = None,
                  referred_ref: str | None = None) -> Ticket:
    """Move the case to ``status`` (one of STATUSES), recording the outcome and figures.

    "reopened" (only from resolved/closed) makes it in_progress again and clears outcome and
    dates; a closed case can only be reopened; "assigned" needs an assignee; "referred" needs
    ``referred_to``; resolved/closed need an ``outcome`` (one of OUTCOMES; given now or before).
    Amounts and workers_covered are non-negative numbers (strings from forms are accepted).
    """
    _check_actor(session, staff, ticket)
    new, old = _choice("status", status, STATUSES), ticket.status
    reopen = new == "reopened"
    if reopen:
        if old not in CLOSED_STATUSES:
            raise Invalid("status", "只有已办结或已关闭的案件才能重新办理")
        new = "in_progress"
    elif old == "closed" and new != "closed":
        raise Invalid("status", "已关闭的案件只能重新办理")
    if new == "assigned" and ticket.assignee_id is None:
        raise Invalid("status", "请先分派经办人")
    if outcome and new not in CLOSED_STATUSES:
        raise Invalid("outcome", "只在办结或关闭案件时填写")
    # validate everything first, so that an Invalid leaves the case untouched
    changes: dict[str, Any] = {"outcome": None if reopen else ticket.outcome}
    if outcome:
        changes["outcome"] = _choice("outcome", outcome, OUTCOMES)
    if new in CLOSED_STATUSES and not changes["outcome"]:
        raise Invalid("outcome", f"结案需要填写办理结果：{'、'.join(OUTCOME_LABELS.values())}")
    if referred_to or new == "referred":
        changes["referred_to"] = _text("referred_to", referred_to or ticket.referred_to, max_len=120)
    if referred_ref:
        changes["referred_ref"] = _text("referred_ref", referred_ref, max_len=64)
    for name, value in (("amount_recovered", amount_recovered), ("aid_amount", aid_amount)):
        if value not in (None, ""):
            changes[name] = _amount(name, value)
    if workers_covered not in (None, ""):
        changes["workers_covered"] = int(_amount("workers_covered", workers_covered, whole=True))
    now = utcnow()
    if reopen:
        changes.update(resolved_at=None, closed_at=None)
    if new in CLOSED_STATUSES and old not in CLOSED_STATUSES:
        changes["resolved_at"] = now
    if new == "closed" and old != "closed":
        changes["closed_at"] = now
    for name, value in changes.items():
        setattr(ticket, name, value)
    ticket.status = new
    text = f"状态：{STATUS_LABELS[old]} → {STATUS_LABELS[new]}"
    if new in CLOSED_STATUSES:
        text += f"（{OUTCOME_LABELS[ticket.outcome]}）"
    if new == "referred":
        text += f"（转介：{ticket.referred_to}）"
    _system(session, staff, ticket, text)
    _audit(session, staff, "status", ticket, old=old, new=new, outcome=ticket.outcome,
           amount_recovered=ticket.amount_recovered, aid_amount=ticket.aid_amount,
           workers_covered=ticket.workers_covered, referred_to=ticket.referred_to)
    _refresh_worker_after_commit(session, ticket)
    return ticket


def set_difficulty(session: Session, staff: Staff, ticket: Ticket, difficulty: str) -> Ticket:
    """Tier the case (general 一般, difficult 疑难, complex 复杂); resolve_due follows the tier's time limit."""
    _check_actor(session, staff, ticket)
    old, ticket.difficulty = ticket.difficulty, _choice("difficulty", difficulty, DIFFICULTIES)
    ticket.resolve_due = due_times(context.get().config, _aware(ticket.created_at), ticket.difficulty)[1]
    _system(session, staff, ticket, f"难度：{DIFFICULTY_LABELS[old]} → {DIFFICULTY_LABELS[ticket.difficulty]}")
    _audit(session, staff, "difficulty", ticket, old=old, new=ticket.difficulty)
    return ticket


def transfer(session: Session, staff: Staff, ticket: Ticket, office_code: str, reason: str, *,
             worker_agrees: bool = False) -> Ticket:
    """转办: move the case to ``office_code``, up or down the office tree (admins: anywhere).

    The thread and audit keep the history. An assignee who cannot see the new office is
    removed (an assigned case becomes new). A case naming an employer is never sent to that
    employer's own enterprise union unless ``worker_agrees``.
    """
    _check_actor(session, staff, ticket)
    target = _office(session, office_code)
    reason = _text("reason", reason, max_len=500)
    if target.id == ticket.office_id:
        raise Invalid("office", "案件已在该机构")
    if staff.role != "admin" and target.id not in auth.office_subtree(session, ticket.office_id) \
            and ticket.office_id not in auth.office_subtree(session, target.id):
        raise Invalid("office", "只能在上下级之间转办")
    employer_key = ticket.employer_key or (normalise_company(ticket.employer) if ticket.employer else None)
    if (target.kind == "enterprise" and target.employer and employer_key
            and normalise_company(target.employer) == employer_key and not worker_agrees):
        raise Invalid("office", "这是用人单位自己的企业工会，须经工人同意才能转办")
    old = ticket.office
    ticket.office = target
    if ticket.assignee is not None and not auth.can_see_office(session, ticket.assignee, target.id):
        ticket.assignee = None
        if ticket.status == "assigned":
            ticket.status = "new"
    _system(session, staff, ticket, f"转办：{old.name} → {target.name}（{reason}）")
    _audit(session, staff, "transfer", ticket, old=old.code, new=target.code, reason=reason)
    _refresh_worker_after_commit(session, ticket)
    return ticket


def create_manual_ticket(session: Session, staff: Staff, *, source: str, category: str, fields: dict[str, Any],
                         source_office: str | None = None, source_ref: str | None = None,
                         office_code: str | None = None, now: datetime | None = None) -> Ticket:
    """Record a case received outside WeChat: walk_in, phone, or transferred_in (needs ``source_office``).

    ``fields`` as from the WeChat dialog (name, phone, id_number, employer, amount_owed,
    description ...); phone and id_number are checked and normalised. The office defaults
    to the staff member's and must be within their offices. The ref is allocated now.
    """
    _check_actor(session, staff)
    source = _choice("source", source, MANUAL_SOURCES)
    category = _choice("category", category, refs.CATEGORIES)
    if not isinstance(fields, dict):
        raise Invalid("fields", "格式错误，须为对象（键值对）")
    fields = {key: value for key, value in fields.items() if value not in (None, "")}
    office = _office(session, office_code) if office_code else staff.office
    if not auth.can_see_office(session, staff, office.id):
        raise Invalid("office", "不在您的机构范围内")
    if source == "transferred_in" or source_office:
        source_office = _text("source_office", source_office, max_len=100)
    for key, parse in (("phone", parse_phone), ("id_number", parse_id_number)):
        if key in fields:
            fields[key] = parse(str(fields[key]))
            if not fields[key]:
                raise Invalid(f"fields.{key}", "不是有效的手机号码" if key == "phone" else "不是有效的身份证号")
    if "amount_owed" in fields:
        fields["amount_owed"] = _amount("fields.amount_owed", fields["amount_owed"])
    now = now or utcnow()
    employer = str(fields["employer"])[:120] if fields.get("employer") else None
    first_due, resolve_due = due_times(context.get().config, now)
    ticket = Ticket(
        ref=refs.allocate(session.connection(), category, now.astimezone(CHINA).date()),
        source=source, source_office=source_office,
        source_ref=_text("source_ref", source_ref, max_len=64) if source_ref else None,
        category=category, status="new", office=office, worker_name=str(fields.get("name", ""))[:64] or None,
        phone=fields.get("phone"), employer=employer, employer_key=normalise_company(employer) if employer else None,
        fields=fields, amount_owed=fields.get("amount_owed"), first_response_due=first_due, resolve_due=resolve_due,
        created_at=now, updated_at=now)
    session.add(ticket)
    session.flush()
    _system(session, staff, ticket, f"登记案件（{SOURCE_LABELS[source]}）")
    _audit(session, staff, "create", ticket, source=source, source_office=source_office, source_ref=source_ref)
    if category == "wage_arrears":  # a walk-in complaint counts towards group wage-arrears alerts too
        _enqueue_after_commit(session, Action("group_alert", {"ticket_id": ticket.id}), ticket.ref)
    return ticket


# ---------------------------------------------------------------- JSON

def ticket_json(ticket: Ticket, *, full: bool = False, now: datetime | None = None) -> dict[str, Any]:
    """The case as JSON (phone and ID number masked); ``full`` adds messages, attachments and history."""
    data: dict[str, Any] = {
        "ref": ticket.ref, "category": ticket.category, "status": ticket.status, "priority": ticket.priority,
        "difficulty": ticket.difficulty, "source": ticket.source, "source_office": ticket.source_office,
        "source_ref": ticket.source_ref, "office": ticket.office.code, "office_name": ticket.office.name,
        "assignee": ticket.assignee.username if ticket.assignee else None,
        "worker_name": ticket.worker_name, "phone": mask_phone(ticket.phone) if ticket.phone else None,
        "employer": ticket.employer, "fields": masked_fields(ticket.fields or {}),
        "group": ticket.group_id, "group_label": ticket.group.label if ticket.group else None,
        "created_at": _iso(ticket.created_at), "updated_at": _iso(ticket.updated_at),
        "first_response_due": _iso(ticket.first_response_due), "first_response_at": _iso(ticket.first_response_at),
        "resolve_due": _iso(ticket.resolve_due), "resolved_at": _iso(ticket.resolved_at),
        "closed_at": _iso(ticket.closed_at), "overdue": overdue_kind(ticket, now),
        "outcome": ticket.outcome, "amount_owed": ticket.amount_owed, "amount_recovered": ticket.amount_recovered,
        "aid_amount": ticket.aid_amount, "workers_covered": ticket.workers_covered,
        "referred_to": ticket.referred_to, "referred_ref": ticket.referred_ref, "rating": ticket.rating,
    }
    if full:
        data["messages"] = [message_json(m) for m in ticket.messages]
        data["attachments"] = [{"id": a.id, "msg_type": a.msg_type, "status": a.status, "content_type": a.content_type,
                                "size": a.size, "created_at": _iso(a.created_at)} for a in ticket.attachments]
        data["history"] = [{"action": e.action, "staff": e.staff.username if e.staff else None,
                            "detail": masked_detail(e.detail), "created_at": _iso(e.created_at)}
                           for e in history(ticket)]
    return data


def message_json(message: TicketMessage) -> dict[str, Any]:
    """One thread message, phone and ID numbers masked (case refs kept); "out" adds its delivery.

    Every direction is masked: a staff reply or note may quote the worker's numbers too
    (the full ones are shown only by ``reveal``, which is audited).
    """
    data: dict[str, Any] = {
        "id": message.id, "direction": message.direction, "text": mask_text_keep_refs(message.text or ""),
        "staff": message.staff.username if message.staff else None, "created_at": _iso(message.created_at)}
    if message.direction == "out":
        delivery = _session_of(message).scalars(select(Delivery).where(Delivery.key == message.delivery_key)).first()
        data["delivery"] = {"status": delivery.status, "errcode": delivery.errcode} if delivery else None
    return data


def masked_fields(fields: dict[str, Any]) -> dict[str, Any]:
    """The dialog fields with phone and id_number masked."""
    maskers = {"phone": mask_phone, "id_number": mask_id}
    return {key: maskers[key](str(value)) if key in maskers and value else value for key, value in fields.items()}


def masked_detail(detail: dict[str, Any] | None) -> dict[str, Any] | None:
    """An audit event's detail with phone and ID numbers masked in its text values (e.g. a transfer reason)."""
    if not detail:
        return detail
    return {key: mask_text_keep_refs(value) if isinstance(value, str) else value for key, value in detail.items()}


def history(ticket: Ticket) -> list[AuditEvent]:
    """The audit trail of a case, oldest first."""
    return list(_session_of(ticket).scalars(
        select(AuditEvent).where(AuditEvent.ticket_id == ticket.id).order_by(AuditEvent.id)))


# ---------------------------------------------------------------- admin: canned replies, offices, staff

def list_canned(session: Session, category: str | None = None) -> list[CannedReply]:
    """Canned replies for ``category`` (plus those for "any"); all of them when None."""
    query = select(CannedReply).order_by(CannedReply.category, CannedReply.title)
    if category:
        query = query.where(CannedReply.category.in_((category, "any")))
    return list(session.scalars(query))


def save_canned(session: Session, staff: Staff, *, category: str, title: str, text: str,
                canned_id: int | None = None) -> CannedReply:
    """Create (``canned_id`` None) or update a canned reply. Admins only."""
    _check_admin(staff)
    canned = session.get(CannedReply, canned_id) if canned_id is not None else CannedReply()
    if canned is None:
        raise NotFound(f"快捷回复 {canned_id}")
    canned.category = _choice("category", category, refs.CATEGORIES + ("any",))
    canned.title = _text("title", title, max_len=60)
    canned.text = _text("text", text)
    session.add(canned)
    session.flush()
    _audit(session, staff, "save_canned", None, canned_id=canned.id)
    return canned


def delete_canned(session: Session, staff: Staff, canned_id: int) -> None:
    """Delete a canned reply. Admins only."""
    _check_admin(staff)
    canned = session.get(CannedReply, canned_id)
    if canned is None:
        raise NotFound(f"快捷回复 {canned_id}")
    session.delete(canned)
    _audit(session, staff, "delete_canned", None, canned_id=canned_id, title=canned.title)
    session.flush()


def list_offices(session: Session, staff: Staff) -> list[Office]:
    """The offices ``staff`` may see, by code."""
    visible = auth.visible_office_ids(session, staff)
    query = select(Office).order_by(Office.code)
    return list(session.scalars(query if visible is None else query.where(Office.id.in_(visible))))


def create_office(session: Session, staff: Staff | None, *, code: str, name: str, parent_code: str | None = None,
                  kind: str = "township", areas: Iterable[str] = (), employer: str | None = None,
                  is_default: bool = False, wecom_webhook: str | None = None) -> Office:
    """Add an office. Admins only; ``staff`` None means the command line.

    ``is_default`` (where cases with no known place go) is taken from any other office.
    """
    _check_admin(staff)
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise Invalid("code", "须为 1-32 位字母、数字、_ 或 -")
    if session.scalars(select(Office.id).where(Office.code == code)).first() is not None:
        raise Invalid("code", "已存在")
    if wecom_webhook and not wecom_webhook.startswith("https://"):
        raise Invalid("wecom_webhook", "须为 https:// 开头的地址")
    parent = _office(session, parent_code, field="parent") if parent_code else None
    if is_default:
        for other in session.scalars(select(Office).where(Office.is_default.is_(True))):
            other.is_default = False
    office = Office(code=code, name=_text("name", name, max_len=100), parent=parent,
                    kind=_choice("kind", kind, OFFICE_KINDS), areas=[a.strip() for a in areas if a.strip()],
                    employer=employer or None, is_default=is_default, wecom_webhook=wecom_webhook or None)
    session.add(office)
    session.flush()
    _audit(session, staff, "create_office", None, code=code)
    return office


def create_staff(session: Session, staff: Staff | None, *, username: str, role: str, office_code: str,
                 password: str, display_name: str | None = None) -> Staff:
    """Add a staff account. Admins only; ``staff`` None means the command line."""
    _check_admin(staff)
    office = _office(session, office_code)
    try:
        created = auth.create_staff(session, username=username, password=password, role=role, office=office,
                                    display_name=display_name)
    except auth.AccountError as exc:
        raise Invalid(exc.field, exc.message) from None
    _audit(session, staff, "create_staff", None, username=username, role=role, office=office.code)
    return created


def update_staff(session: Session, staff: Staff | None, username: str, *, role: str | None = None,
                 office_code: str | None = None, active: bool | None = None, password: str | None = None,
                 display_name: str | None = None) -> Staff:
    """Change a staff account (None: unchanged). Admins only.

    Deactivating also revokes the API token; deactivating or a new password ends the
    member's console sessions (after commit).
    """
    _check_admin(staff)
    member = session.scalars(select(Staff).where(Staff.username == username)).first()
    if member is None:
        raise NotFound(username)
    try:
        auth.check_account(role=role, password=password)
    except auth.AccountError as exc:
        raise Invalid(exc.field, exc.message) from None
    office = _office(session, office_code) if office_code is not None else None
    changes: dict[str, Any] = {}
    if role is not None:
        member.role = changes["role"] = role
    if office is not None:
        member.office, changes["office"] = office, office_code
    if active is not None:
        member.active = changes["active"] = active
        if not active:
            member.token_hash = None
    if password is not None:
        member.password_hash = auth.hash_password(password)
        changes["password"] = "changed"
    if active is False or password is not None:  # a copied console cookie must stop working too
        _after_commit(session, lambda staff_id=member.id: auth.end_all_sessions(context.get().redis, staff_id))
    if display_name is not None:
        member.display_name = changes["display_name"] = display_name or None
    session.flush()
    _audit(session, staff, "update_staff", None, username=username, **changes)
    return member


# ---------------------------------------------------------------- helpers

def _check_actor(session: Session, staff: Staff, ticket: Ticket | None = None) -> None:
    """NotFound for a case outside the staff member's offices, Forbidden for viewers."""
    if ticket is not None and not auth.can_see_office(session, staff, ticket.office_id):
        raise NotFound(ticket.ref)
    if staff.role not in ("admin", "agent"):
        raise Forbidden("只读账号不能办理案件")


def _check_admin(staff: Staff | None) -> None:
    if staff is not None and staff.role != "admin":
        raise Forbidden("仅限管理员")


def _office(session: Session, code: str, field: str = "office") -> Office:
    if code in (None, ""):
        raise Invalid(field, "必填")
    office = session.scalars(select(Office).where(Office.code == code)).first() if isinstance(code, str) else None
    if office is None:
        raise Invalid(field, f"没有代码为“{code}”的机构")
    return office


def _choice(field: str, value: Any, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if value not in allowed:
        raise Invalid(field, f"须为以下之一：{', '.join(allowed)}")
    return value


def _statuses(status: str | Iterable[str]) -> list[str]:
    names = [status] if isinstance(status, str) else list(status)
    if "open" in names:
        names = [n for n in names if n != "open"] + [s for s in STATUSES if s not in CLOSED_STATUSES]
    return [_choice("status", name, STATUSES) for name in names]


def _flag(field: str, value: str) -> bool:
    lowered = value.lower()
    if lowered not in ("1", "true", "yes", "0", "false", "no"):
        raise Invalid(field, "须为 true 或 false")
    return lowered in ("1", "true", "yes")


def _text(field: str, value: Any, max_len: int = MAX_TEXT) -> str:
    if not isinstance(value, str) or not value.strip():
        raise Invalid(field, "必填")
    if len(value.strip()) > max_len:
        raise Invalid(field, f"不能超过 {max_len} 个字")
    return value.strip()


def _amount(field: str, value: Any, whole: bool = False) -> float:
    """A non-negative number (a string from a form is accepted)."""
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
    except (TypeError, ValueError):
        raise Invalid(field, "须为数字") from None
    if number < 0 or number != number or number == float("inf") or (whole and number != int(number)):
        raise Invalid(field, "须为不小于 0 的整数" if whole else "须为不小于 0 的数")
    return round(number, 2)


def _overdue_clause(now: datetime):
    """SQL: open and past a time limit (never NULL, so it can be negated)."""
    return or_(sla.late("first_response", now), sla.late("resolve", now))


def _aware(moment: datetime) -> datetime:
    """SQLite gives naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _iso(moment: datetime | None) -> str | None:
    return _aware(moment).isoformat() if isinstance(moment, datetime) else None


def _session_of(instance: Any) -> Session:
    return Session.object_session(instance)


def _audit(session: Session, staff: Staff | None, action: str, ticket: Ticket | None, **detail: Any) -> None:
    session.add(AuditEvent(ticket_id=ticket.id if ticket else None, staff=staff, action=action,
                           detail=detail or None))


def _system(session: Session, staff: Staff, ticket: Ticket, text: str) -> None:
    session.add(TicketMessage(ticket=ticket, direction="system", text=text, staff=staff))


def _enqueue_after_commit(session: Session, action: Action, key: str) -> None:
    _after_commit(session, lambda: enqueue(action, job_id(action.kind, key)))


def _refresh_worker_after_commit(session: Session, ticket: Ticket) -> None:
    """Keep the worker's case summary in Redis (contracts.md: ud:worker:<openid>) up to date."""
    if ticket.openid:
        _after_commit(session, lambda openid=ticket.openid: worker_view.refresh(openid))


def _after_commit(session: Session, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the session's transaction commits (dropped on rollback)."""
    pending = session.info.setdefault("after_commit", [])
    if not event.contains(session, "after_commit", _run_pending):
        event.listen(session, "after_commit", _run_pending)
        event.listen(session, "after_soft_rollback", _drop_pending)
    pending.append(callback)


def _run_pending(session: Session) -> None:
    callbacks, session.info["after_commit"] = session.info.get("after_commit", []), []
    for callback in callbacks:
        try:
            callback()
        except Exception:  # the change is committed; a lost job must not turn it into an error
            log.exception("after-commit job failed")


def _drop_pending(session: Session, _previous_transaction) -> None:
    session.info["after_commit"] = []
