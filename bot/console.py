"""/staff: the staff console (server-rendered pages, usable on a phone).

A thin HTTP layer over bot.cases, which holds every rule (scope, roles, validation,
audit). This module adds what only a browser needs: login with throttling, sessions
that logout really ends (bot.auth keeps them in Redis) with an idle expiry, CSRF tokens
(bot.csrf), masking on screen and attachment files. Security headers: bot.create_app.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request, send_file, session,
                   url_for)
from flask.blueprints import BlueprintSetupState
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import auth, cases, csrf
from bot.models import Attachment, AuditEvent, JobFailure, Office, Staff, Ticket, TicketGroup, utcnow
from bot.refs import mask_text_keep_refs
from handlers.normalise import mask_phone
from workers import context

bp = Blueprint("console", __name__, url_prefix="/staff", static_folder="static/console",
               static_url_path="/static")

PUBLIC_ENDPOINTS = {"console.login", "console.static"}
LOGIN_MAX_FAILURES = 5  # wrong passwords for one username from one address ...
LOGIN_MAX_FAILURES_PER_ADDRESS = 20  # ... or for any usernames from one address ...
LOGIN_WINDOW = 15 * 60  # ... within this many seconds lock that pair (or address) for this long
PER_PAGE = 30

CATEGORY_LABELS = {
    "wage_arrears": "欠薪", "hardship_aid": "困难帮扶", "education_aid": "金秋助学", "medical_aid": "医疗互助",
    "legal_aid": "法律援助", "consultation": "咨询",
}
ROLE_LABELS = {"admin": "管理员", "agent": "经办人", "viewer": "只读"}
OFFICE_KIND_LABELS = {"city": "市总", "township": "镇/街道", "federation": "联合会", "enterprise": "企业工会"}
DELIVERY_LABELS = {"queued": "排队中", "sent": "已送达", "failed": "发送失败", "fallback_template": "已改发模板消息"}
OVERDUE_LABELS = {"first_response": "首次回复超时", "resolve": "办结超时"}
FIELD_LABELS = {
    "name": "姓名", "phone": "电话", "id_number": "身份证号", "employer": "用人单位", "project": "项目",
    "location": "地点", "period": "欠薪时段", "period_months": "欠薪月数", "amount_owed": "欠薪金额(元)",
    "amount_approx": "金额为约数", "amount_working": "金额怎么算的", "amount_unknown": "金额不清楚", "amount_under": "金额不到这个数",
    "own_amount": "工人本人被欠(元)", "hearing": "开庭/仲裁时间", "general_contractor": "总包单位",
    "wechat_only": "只在微信联系", "workers_approx": "人数为约数", "amount_per_head": "金额是每人的",
    "workers_affected": "涉及人数", "description": "情况说明", "story": "工人原话", "student_name": "孩子姓名",
    "patient": "病人", "for_whom": "替谁申请",
    "question": "工人问的问题", "danger": "危险类型", "unfinished": "未填完的申请", "recent": "工人最近说的话",
    "text": "内容", "assignee": "经办人", "status": "状态", "outcome": "办理结果", "difficulty": "难度",
    "office": "机构", "reason": "原因", "referred_to": "转介单位", "referred_ref": "转介编号",
    "amount_recovered": "追回金额", "aid_amount": "帮扶金额", "workers_covered": "受益人数",
    "source": "来源", "source_office": "转办单位", "source_ref": "来文编号", "category": "类别",
    "title": "标题", "code": "机构代码", "parent": "上级机构", "kind": "类型", "username": "用户名",
    "role": "角色", "password": "密码", "wecom_webhook": "企业微信群机器人", "what": "号码",
    "overdue": "超时", "group": "群体案件", "page": "页码", "old": "原", "new": "新",
}
# The kinds of danger a crisis case was opened for (handlers/crisis.py), as staff read them.
DANGER_LABELS = {"self_harm": "轻生风险", "medical": "有人受伤或病危", "violence": "人身安全（打、关、威胁）",
                 "anger": "扬言伤人", "death_hidden": "死亡瞒报", "hazard": "火灾或被困", "stranded": "断粮、流落街头"}
AUDIT_LABELS = {
    "create": "登记", "reply": "回复", "note": "备注", "assign": "分派", "status": "状态", "difficulty": "难度",
    "transfer": "转办", "reveal_phone": "查看完整电话", "reveal_id": "查看完整身份证号", "created": "收到微信案件",
}
# Fields of the manual-case form, in order: (name, label, input type).
MANUAL_FIELDS = (
    ("name", "姓名", "text"), ("phone", "电话", "tel"), ("id_number", "身份证号", "text"),
    ("employer", "用人单位/包工头", "text"), ("project", "项目", "text"), ("location", "务工地点", "text"),
    ("period", "欠薪时段", "text"), ("amount_owed", "金额(元)", "number"), ("workers_affected", "涉及人数", "number"),
    ("description", "情况说明", "textarea"),
)


# ---------------------------------------------------------------- setup, session, errors

@bp.record_once
def _configure(state: BlueprintSetupState) -> None:
    """Cookie session settings: lifetime from config, HttpOnly, SameSite=Lax (Secure in production)."""
    cfg = state.app.extensions["union_desk"].config
    state.app.config.update(
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=cfg.staff_session_minutes),
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=cfg.production)


def db() -> Session:
    """This request's database session (closed at teardown; routes commit)."""
    if "db" not in g:
        g.db = context.get().db.sessions()
    return g.db


@bp.teardown_request
def _close_db(_error) -> None:
    database = g.pop("db", None)
    if database is not None:
        database.close()


def _session_seconds() -> int:
    return context.get().config.staff_session_minutes * 60


@bp.before_request
def _load_staff() -> Response | None:
    """Who is logged in; an idle, deactivated or ended session goes back to the login page.

    The signed cookie holds the staff id and a session id; the session must also be alive
    in Redis (bot.auth.session_alive), so logout, deactivation and a new password end
    it even for a copied cookie. Each request restarts the idle timer there.
    """
    g.me = None
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    staff_id, seen = session.get("staff_id"), session.get("seen", 0)
    if staff_id is None:
        return _to_login()
    if time.time() - seen > _session_seconds():
        return _to_login("长时间未操作，已自动退出，请重新登录。")
    me = db().get(Staff, staff_id)
    if me is None or not me.active:
        return _to_login("账号已停用。")
    if not auth.session_alive(context.get().redis, session.get("sid"), staff_id, _session_seconds()):
        return _to_login("登录已失效，请重新登录。")
    session["seen"] = int(time.time())
    g.me = me
    return None


csrf.protect(bp)  # after _load_staff: an expired session is sent to the login page first


def _to_login(message: str | None = None) -> Response:
    auth.end_session(context.get().redis, session.get("sid"))
    session.clear()
    if message:
        flash(message, "error")
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("console.login", next=target))


@bp.context_processor
def _template_globals() -> dict[str, Any]:
    return {"me": g.get("me"), "categories": CATEGORY_LABELS, "statuses": cases.STATUS_LABELS,
            "outcomes": cases.OUTCOME_LABELS, "difficulties": cases.DIFFICULTY_LABELS,
            "sources": cases.SOURCE_LABELS, "roles": ROLE_LABELS, "office_kinds": OFFICE_KIND_LABELS,
            "delivery_labels": DELIVERY_LABELS, "overdue_labels": OVERDUE_LABELS, "field_labels": FIELD_LABELS,
            "audit_labels": AUDIT_LABELS, "mask_phone": mask_phone}


@bp.app_template_filter("masked")
def masked(value: Any) -> str:
    """Text written by workers or staff, phone and ID numbers masked, case refs readable."""
    return mask_text_keep_refs("" if value is None else str(value))


def _error_page(code: int, title: str, message: str) -> tuple[str, int]:
    return render_template("console/error.html", code=code, title=title, message=message), code


@bp.errorhandler(cases.NotFound)
@bp.errorhandler(404)
def _not_found(_error) -> tuple[str, int]:
    return _error_page(404, "找不到", "没有这个页面或案件，或者它不在您的机构范围内。")


@bp.errorhandler(cases.Forbidden)
@bp.errorhandler(403)
def _forbidden(_error) -> tuple[str, int]:
    return _error_page(403, "没有权限", "您的账号不能进行这项操作。")


@bp.errorhandler(400)
def _bad_request(error) -> tuple[str, int]:
    return _error_page(400, "请求无效", "页面已过期或表单不完整，请刷新页面后重试。")


@bp.app_template_filter("local_time")
def local_time(moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time shown in China time."""
    if moment is None:
        return ""
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).astimezone(cases.CHINA).strftime(fmt)


def _invalid(exc: cases.Invalid) -> None:
    flash(f"{FIELD_LABELS.get(exc.field.removeprefix('fields.'), exc.field)}：{exc.message}", "error")


def _require_admin() -> None:
    if g.me.role != "admin":
        abort(403)


# ---------------------------------------------------------------- login

def _throttle_keys(username: str, address: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """(Redis key, limit) of the failures of this username from this address, and of this address."""
    return ((f"ud:login-failures:user:{username.lower()[:64]}|{address}", LOGIN_MAX_FAILURES),
            (f"ud:login-failures:addr:{address}", LOGIN_MAX_FAILURES_PER_ADDRESS))


def _address() -> str:
    """The client's address (behind a reverse proxy, configure ProxyFix so this is not the proxy's)."""
    return request.remote_addr or "unknown"


def _locked_for(username: str, address: str) -> int:
    """Seconds before this username may be tried again from this address (0: now).

    Login throttling, so that guessing is slow but nobody can lock a real user out:
    - 5 wrong passwords for one username from one address within 15 minutes lock that
      username *from that address* for 15 minutes; the user elsewhere (another phone,
      the office network) is not affected, as they were when the lock was per username;
    - 20 wrong passwords from one address, for any usernames, within 15 minutes lock
      that address for 15 minutes (answer 429), which caps spraying many usernames.
    A locked attempt is not checked and not counted. A success clears the username's
    count from that address but not the address's count (logging into one's own
    account must not reset the budget for guessing others).
    """
    r = context.get().redis
    waits = [max(r.ttl(key), 1) for key, limit in _throttle_keys(username, address)
             if int(r.get(key) or 0) >= limit]
    return max(waits, default=0)


def _record_failure(username: str, address: str) -> None:
    """Count a failure; each window starts at the first failure and restarts when it locks."""
    r = context.get().redis
    for key, limit in _throttle_keys(username, address):
        failures = r.incr(key)
        if failures == 1 or failures >= limit:
            r.expire(key, LOGIN_WINDOW)


def _safe_next(target: str | None) -> str:
    """Only a path inside the console (no open redirect)."""
    if target and target.startswith("/staff") and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("console.queue")


@bp.route("/login", methods=["GET", "POST"])
def login():
    next_url = request.args.get("next")
    if request.method == "GET":
        if session.get("staff_id") is not None:
            return redirect(_safe_next(next_url))
        return render_template("console/login.html", next=next_url, username="")
    username, address = request.form.get("username", "").strip(), _address()
    wait = _locked_for(username, address) if username else 0
    if wait:
        flash(f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试。", "error")
        return render_template("console/login.html", next=next_url, username=username), 429
    staff = auth.authenticate(db(), username, request.form.get("password", ""))
    if staff is None:
        if username:
            _record_failure(username, address)
        flash("用户名或密码错误。", "error")
        return render_template("console/login.html", next=next_url, username=username), 401
    r = context.get().redis
    r.delete(_throttle_keys(username, address)[0][0])
    auth.end_session(r, session.get("sid"))  # a session already in this browser
    session.clear()
    session.permanent = True
    session.update(staff_id=staff.id, seen=int(time.time()),
                   sid=auth.start_session(r, staff.id, _session_seconds()))
    csrf.rotate()
    return redirect(_safe_next(next_url))


@bp.post("/logout")
def logout():
    """End the session in Redis too, so a copy of the cookie is worthless."""
    auth.end_session(context.get().redis, session.get("sid"))
    session.clear()
    flash("已退出。", "ok")
    return redirect(url_for("console.login"))


# ---------------------------------------------------------------- the queue

@bp.get("/")
def queue():
    args = request.args.to_dict()
    try:
        filters = cases.filters_from_args(args)
        filters.setdefault("per_page", PER_PAGE)
        tickets, total = cases.list_tickets(db(), g.me, **filters)
    except cases.Invalid as exc:
        _invalid(exc)
        filters, tickets, total = {"per_page": PER_PAGE}, [], 0
    page, per_page = filters.get("page", 1), filters["per_page"]
    group = db().get(TicketGroup, filters["group"]) if isinstance(filters.get("group"), int) else None
    return render_template(
        "console/queue.html", tickets=tickets, total=total, page=page, pages=max(1, -(-total // per_page)),
        args=args, group=group, offices=cases.list_offices(db(), g.me), colleagues=_colleagues(),
        overdue=cases.overdue_kind, page_url=lambda p: url_for("console.queue", **{**args, "page": p}))


def _colleagues(ticket: Ticket | None = None) -> list[Staff]:
    """Active agents and admins who can see ``ticket``'s office (or any of mine when None)."""
    members = db().scalars(select(Staff).where(Staff.active.is_(True), Staff.role.in_(("agent", "admin")))
                           .order_by(Staff.username))
    if ticket is not None:
        return [m for m in members if auth.can_see_office(db(), m, ticket.office_id)]
    visible = auth.visible_office_ids(db(), g.me)
    return [m for m in members if visible is None or m.office_id in visible]


# ---------------------------------------------------------------- a case

def _ticket(ref: str) -> Ticket:
    return cases.get_ticket(db(), g.me, ref)


def _case_page(ticket: Ticket, *, status: int = 200, revealed: dict[str, str] | None = None,
               draft: dict[str, str] | None = None) -> tuple[str, int]:
    """The case page: thread with delivery status, fields (masked), attachments, group, history."""
    fields = cases.masked_fields(ticket.fields or {})
    fields = {key: mask_text_keep_refs(value) if isinstance(value, str) and key not in ("phone", "id_number")
              else value for key, value in fields.items()}
    if "danger" in fields:
        fields["danger"] = DANGER_LABELS.get(fields["danger"], fields["danger"])
    group_cases = []
    if ticket.group_id:
        group_cases, _ = cases.list_tickets(db(), g.me, group=ticket.group_id, per_page=cases.MAX_PER_PAGE)
    return render_template(
        "console/case.html", ticket=ticket, fields=fields, thread=[(m, cases.message_json(m)) for m in ticket.messages],
        attachments=ticket.attachments, history=cases.history(ticket), group_cases=group_cases,
        overdue=cases.overdue_kind(ticket), canned=cases.list_canned(db(), ticket.category),
        colleagues=_colleagues(ticket), offices=db().scalars(select(Office).order_by(Office.code)).all(),
        revealed=revealed or {}, draft=draft or {}, has_id="id_number" in (ticket.fields or {}),
        phone=mask_phone(ticket.phone) if ticket.phone else None), status


@bp.get("/t/<ref>")
def case(ref: str):
    return _case_page(_ticket(ref))


FAILED = object()  # what _commit returns when the change was refused


def _commit(change: Callable[[], Any]) -> Any:
    """Run a service-layer change from a form: commit and return its result, or roll back, flash the
    reason and return FAILED (the caller shows its page again with 422)."""
    try:
        result = change()
    except cases.Invalid as exc:
        db().rollback()
        _invalid(exc)
        return FAILED
    db().commit()
    return result


def _act(ref: str, action: Callable[[Ticket], object], done: str):
    """Run a cases action from a form: commit and go back to the case, or show the error (422)."""
    ticket = _ticket(ref)
    if _commit(lambda: action(ticket)) is FAILED:
        return _case_page(_ticket(ref), status=422, draft=request.form.to_dict())
    flash(done, "ok")
    return redirect(url_for("console.case", ref=ref))


def _form(name: str) -> str | None:
    """A form value, None when empty."""
    return request.form.get(name, "").strip() or None


@bp.post("/t/<ref>/reply")
def reply(ref: str):
    return _act(ref, lambda t: cases.reply(db(), g.me, t, request.form.get("text", "")), "回复已发出。")


@bp.post("/t/<ref>/note")
def note(ref: str):
    return _act(ref, lambda t: cases.add_note(db(), g.me, t, request.form.get("text", "")), "备注已保存。")


@bp.post("/t/<ref>/assign")
def assign(ref: str):
    return _act(ref, lambda t: cases.assign(db(), g.me, t, _form("assignee")), "分派已更新。")


@bp.post("/t/<ref>/status")
def status(ref: str):
    def change(ticket: Ticket) -> None:
        cases.change_status(db(), g.me, ticket, request.form.get("status", ""), outcome=_form("outcome"),
                            amount_recovered=_form("amount_recovered"), aid_amount=_form("aid_amount"),
                            workers_covered=_form("workers_covered"), referred_to=_form("referred_to"),
                            referred_ref=_form("referred_ref"))
    return _act(ref, change, "状态已更新。")


@bp.post("/t/<ref>/difficulty")
def difficulty(ref: str):
    return _act(ref, lambda t: cases.set_difficulty(db(), g.me, t, request.form.get("difficulty", "")), "难度已更新。")


@bp.post("/t/<ref>/transfer")
def transfer(ref: str):
    def move(ticket: Ticket) -> None:
        cases.transfer(db(), g.me, ticket, request.form.get("office", ""), request.form.get("reason", ""),
                       worker_agrees=request.form.get("worker_agrees") == "1")
    ticket = _ticket(ref)
    response = _act(ref, move, "已转办。")
    if isinstance(response, Response) and not auth.can_see_office(db(), g.me, ticket.office_id):
        return redirect(url_for("console.queue"))  # transferred out of my offices
    return response


@bp.post("/t/<ref>/reveal")
def reveal(ref: str):
    """Show a full phone or ID number once (audited by cases.reveal); the page is not cached."""
    ticket = _ticket(ref)
    what = request.form.get("what", "")
    value = _commit(lambda: cases.reveal(db(), g.me, ticket, what))
    if value is FAILED:
        return _case_page(_ticket(ref), status=422)
    return _case_page(ticket, revealed={what: value})


@bp.get("/t/<ref>/attachments/<int:attachment_id>")
def attachment(ref: str, attachment_id: int):
    """An evidence file of a case the staff member can see; images inline, the rest as downloads."""
    ticket = _ticket(ref)
    item = db().get(Attachment, attachment_id)
    if item is None or item.ticket_id != ticket.id or item.status != "downloaded" or not item.path:
        abort(404)
    path = Path(item.path).resolve()
    if not path.is_relative_to(context.get().config.media_dir.resolve()) or not path.is_file():
        abort(404)
    content_type = item.content_type or "application/octet-stream"
    response = send_file(path, mimetype=content_type, as_attachment=not content_type.startswith("image/"),
                         download_name=f"{ticket.ref}-{item.id}{path.suffix}", conditional=False)
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- a case received in person, by phone or from above

@bp.route("/new", methods=["GET", "POST"])
def new_case():
    if g.me.role == "viewer":
        abort(403)
    offices = cases.list_offices(db(), g.me)
    if request.method == "GET":
        return render_template("console/new_case.html", offices=offices, form={}, fields=MANUAL_FIELDS)
    form = request.form
    ticket = _commit(lambda: cases.create_manual_ticket(
        db(), g.me, source=form.get("source", ""), category=form.get("category", ""),
        fields={name: form.get(name, "").strip() for name, _, _ in MANUAL_FIELDS},
        source_office=_form("source_office"), source_ref=_form("source_ref"), office_code=_form("office")))
    if ticket is FAILED:
        return render_template("console/new_case.html", offices=offices, form=form, fields=MANUAL_FIELDS), 422
    flash(f"已登记，案件编号 {ticket.ref}。", "ok")
    return redirect(url_for("console.case", ref=ticket.ref))


# ---------------------------------------------------------------- admin: offices, staff, canned replies, failed jobs

@bp.route("/admin/offices", methods=["GET", "POST"])
def offices():
    _require_admin()
    status = 200
    if request.method == "POST":
        form = request.form
        added = _commit(lambda: cases.create_office(
            db(), g.me, code=form.get("code", "").strip(), name=form.get("name", ""), parent_code=_form("parent"),
            kind=form.get("kind", "township"), areas=form.get("areas", "").replace("，", ",").split(","),
            employer=_form("employer"), is_default=form.get("is_default") == "1",
            wecom_webhook=_form("wecom_webhook")))
        if added is FAILED:
            status = 422
        else:
            flash("机构已添加。", "ok")
            return redirect(url_for("console.offices"))
    return render_template("console/offices.html", offices=cases.list_offices(db(), g.me)), status


@bp.route("/admin/staff", methods=["GET", "POST"])
def staff_list():
    """Staff accounts; POST adds one (without a typed password a random one is shown once)."""
    _require_admin()
    if request.method == "GET":
        return _staff_page()
    form = request.form
    password = _form("password") or auth.new_password()
    member = _commit(lambda: cases.create_staff(
        db(), g.me, username=form.get("username", "").strip(), role=form.get("role", ""),
        office_code=form.get("office", ""), password=password, display_name=_form("display_name")))
    if member is FAILED:
        return _staff_page(status=422)
    flash(f"账号 {member.username} 已添加。", "ok")
    return _staff_page(shown=None if _form("password") else (member.username, password))


@bp.post("/admin/staff/<username>")
def update_staff(username: str):
    """Change role, office, name or active flag; "重置密码" sets a random password, shown once."""
    _require_admin()
    form = request.form
    password = auth.new_password() if form.get("reset_password") == "1" else None
    updated = _commit(lambda: cases.update_staff(
        db(), g.me, username, role=_form("role"), office_code=_form("office"), active=form.get("active") == "1",
        display_name=form.get("display_name", "").strip(), password=password))
    if updated is FAILED:
        return _staff_page(status=422)
    flash(f"账号 {username} 已保存。", "ok")
    return _staff_page(shown=(username, password) if password else None)


def _staff_page(status: int = 200, shown: tuple[str, str] | None = None) -> tuple[str, int]:
    """The staff list; ``shown`` (username, password) is rendered once and never put in the cookie."""
    members = db().scalars(select(Staff).order_by(Staff.office_id, Staff.username)).all()
    return render_template("console/staff.html", members=members, offices=cases.list_offices(db(), g.me),
                           shown=shown), status


@bp.route("/admin/canned", methods=["GET", "POST"])
def canned():
    _require_admin()
    status = 200
    if request.method == "POST":
        form = request.form
        if form.get("delete") == "1":
            saved = _commit(lambda: cases.delete_canned(db(), g.me, int(form.get("id", "0"))))
        else:
            saved = _commit(lambda: cases.save_canned(
                db(), g.me, category=form.get("category", ""), title=form.get("title", ""), text=form.get("text", ""),
                canned_id=int(form["id"]) if form.get("id", "").isdigit() else None))
        if saved is FAILED:
            status = 422
        else:
            flash("快捷回复已保存。", "ok")
            return redirect(url_for("console.canned"))
    return render_template("console/canned.html", items=cases.list_canned(db())), status


@bp.get("/admin/failures")
def failures():
    _require_admin()
    items = db().scalars(select(JobFailure).where(JobFailure.resolved_at.is_(None))
                         .order_by(JobFailure.id.desc())).all()
    return render_template("console/failures.html", items=items)


@bp.post("/admin/failures/<int:failure_id>/resolve")
def resolve_failure(failure_id: int):
    """Mark a failed job as dealt with (audited)."""
    _require_admin()
    failure = db().get(JobFailure, failure_id)
    if failure is None:
        abort(404)
    if failure.resolved_at is None:
        failure.resolved_at = utcnow()
        db().add(AuditEvent(staff_id=g.me.id, action="resolve_job_failure",
                            detail={"job_id": failure.job_id, "function": failure.function}))
        db().commit()
    flash("已标记为已处理。", "ok")
    return redirect(url_for("console.failures"))
