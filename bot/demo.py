"""Development bootstrap: a demo office tree and an admin, so a newcomer can log in to /staff."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import auth, cases
from bot.models import Office, Staff

# (code, name, parent code, kind, areas)
OFFICES = (
    ("city", "示范市总工会", None, "city", []),
    ("town-a", "城东街道总工会", "city", "township", ["城东街道", "城东"]),
    ("town-b", "青山镇总工会", "city", "township", ["青山镇", "青山"]),
    ("park-a", "城东工业园区工会联合会", "town-a", "federation", ["城东工业园"]),
)
CANNED = (
    ("wage_arrears", "已受理欠薪", "您好，您反映的欠薪问题我们已受理，工作人员会在一个工作日内联系您，请保持电话畅通。"),
    ("wage_arrears", "请补充证据", "请把欠条、工资条、考勤记录或聊天记录拍照发给我们，越清楚越好。"),
    ("any", "已转办", "您的问题已转给当地工会办理，他们会尽快联系您。"),
)


def needs_demo(session: Session) -> bool:
    """True when there is no staff account yet."""
    return not session.scalar(select(func.count()).select_from(Staff))


def seed_demo(session: Session) -> str:
    """Create the demo offices (those missing), canned replies and the admin ``admin``; returns its (random) password."""
    existing = set(session.scalars(select(Office.code)))
    for code, name, parent, kind, areas in OFFICES:
        if code in existing:
            continue
        cases.create_office(session, None, code=code, name=name, parent_code=parent, kind=kind, areas=areas,
                            is_default=code == "city")
    for category, title, text in CANNED:
        cases.save_canned(session, None, category=category, title=title, text=text)
    password = auth.new_password()
    cases.create_staff(session, None, username="admin", role="admin", office_code="city", password=password,
                       display_name="管理员")
    return password
