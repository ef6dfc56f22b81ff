"""``python -m bot staff ...`` and ``python -m bot office ...``: set up offices and staff accounts.

The command line is trusted (it can reach the database anyway): it acts as an admin.
"""
from __future__ import annotations

import click
from sqlalchemy import select

from bot import auth, cases
from bot.models import Staff
from workers import context


def _fail(exc: cases.CaseError) -> click.ClickException:
    message = f"{exc.field}: {exc.message}" if isinstance(exc, cases.Invalid) else f"not found: {exc}"
    return click.ClickException(message)


@click.group()
def staff() -> None:
    """Staff accounts."""


@staff.command("add")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(auth.ROLES))
@click.option("--office", "office_code", required=True, help="office code")
@click.option("--password", help="default: a random password, printed once")
@click.option("--name", "display_name", help="display name")
def staff_add(username: str, role: str, office_code: str, password: str | None, display_name: str | None) -> None:
    """Add a staff account."""
    generated = password is None
    password = password or auth.new_password()
    try:
        with context.get().db.session() as s:
            cases.create_staff(s, None, username=username, role=role, office_code=office_code,
                               password=password, display_name=display_name)
    except cases.CaseError as exc:
        raise _fail(exc) from None
    click.echo(f"staff {username} ({role}) added at {office_code}")
    if generated:
        click.echo(f"password: {password}")


@staff.command("token")
@click.argument("username")
def staff_token(username: str) -> None:
    """Issue a new API bearer token (the old one stops working); prints only the token."""
    with context.get().db.session() as s:
        member = s.scalars(select(Staff).where(Staff.username == username)).first()
        if member is None or not member.active:
            raise click.ClickException(f"no active staff member {username!r}")
        token = auth.issue_token(s, member)
    click.echo(token)


@click.group()
def office() -> None:
    """Union offices."""


@office.command("add")
@click.argument("code")
@click.argument("name")
@click.option("--parent", "parent_code", help="code of the office above")
@click.option("--areas", default="", help="place names it covers, comma-separated: 地名,地名")
@click.option("--kind", default="township", show_default=True, type=click.Choice(cases.OFFICE_KINDS))
@click.option("--default", "is_default", is_flag=True, help="cases with no known place go here")
@click.option("--employer", help="enterprise unions: the employer they belong to")
@click.option("--wecom-webhook", "wecom_webhook", help="WeCom group-robot URL for alerts")
def office_add(code: str, name: str, parent_code: str | None, areas: str, kind: str, is_default: bool,
               employer: str | None, wecom_webhook: str | None) -> None:
    """Add an office."""
    try:
        with context.get().db.session() as s:
            cases.create_office(s, None, code=code, name=name, parent_code=parent_code, kind=kind,
                                areas=areas.replace("，", ",").split(","), employer=employer,
                                is_default=is_default, wecom_webhook=wecom_webhook)
    except cases.CaseError as exc:
        raise _fail(exc) from None
    click.echo(f"office {code} {name} added")
