"""A small union for staff tests: offices, staff, tokens and one case per office.

CITY (市总) -> TA (镇A) -> TA1 (镇A 工业园联合会); CITY -> TB (镇B).
The ``world`` fixture is imported by tests/conftest.py, so every test module can use it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from bot import auth
from bot.models import Office, Staff, Ticket, utcnow
from workers import context
from workers.sla import due_times

PASSWORD = "correct horse battery"


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)  # username -> API token
    refs: dict[str, str] = field(default_factory=dict)  # office code -> ref of its case

    def headers(self, username: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[username]}"}


def add_ticket(session, office: Office, ref: str, **changes) -> Ticket:
    """A WeChat case as workers.tickets would store it."""
    now = utcnow()
    first_due, resolve_due = due_times(context.get().config, now)
    values = dict(ref=ref, category="wage_arrears", office=office, openid=f"o-{ref}", worker_name="张三",
                  phone="13812345678", employer="鑫达劳务有限公司", employer_key="鑫达劳务",
                  fields={"name": "张三", "phone": "13812345678", "id_number": "11010519491231002X",
                          "employer": "鑫达劳务有限公司", "amount_owed": 12000},
                  first_response_due=first_due, resolve_due=resolve_due, created_at=now)
    values.update(changes)
    ticket = Ticket(**values)
    session.add(ticket)
    session.flush()
    return ticket


@pytest.fixture
def world(ctx) -> World:
    data = World()
    with ctx.db.session() as s:
        city = Office(code="CITY", name="市总工会", kind="city", areas=[])
        ta = Office(code="TA", name="镇A总工会", parent=city, areas=["镇A"])
        ta1 = Office(code="TA1", name="镇A工业园联合会", parent=ta, kind="federation", areas=["工业园"])
        tb = Office(code="TB", name="镇B总工会", parent=city, areas=["镇B"])
        s.add_all([city, ta, ta1, tb])
        s.flush()
        for username, role, office in (("admin", "admin", city), ("agent_a", "agent", ta), ("agent_a1", "agent", ta1),
                                       ("agent_b", "agent", tb), ("viewer_a", "viewer", ta)):
            member = auth.create_staff(s, username=username, password=PASSWORD, role=role, office=office)
            data.tokens[username] = auth.issue_token(s, member)
        for office, number in ((ta, 1), (ta1, 2), (tb, 3), (city, 4)):
            data.refs[office.code] = add_ticket(s, office, f"QX-20200101-{number:04d}").ref
    return data


def staff(session, username: str) -> Staff:
    return session.query(Staff).filter_by(username=username).one()


def past(hours: int = 1):
    return utcnow() - timedelta(hours=hours)
