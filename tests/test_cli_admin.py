"""python -m bot office add / staff add / staff token."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from bot import auth
from bot.cli import cli
from bot.models import Office, Staff
from tests.conftest import ROOT


@pytest.fixture
def run(ctx):
    def invoke(*args: str):
        return CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return invoke


def one(ctx, model, **where):
    with ctx.db.session() as s:
        return s.scalars(select(model).filter_by(**where)).one()


def test_office_add(ctx, run):
    assert run("office", "add", "CITY", "市总工会", "--kind", "city").exit_code == 0
    result = run("office", "add", "TA", "镇A总工会", "--parent", "CITY", "--areas", "镇A,幸福村，工业园",
                 "--default", "--wecom-webhook", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k")
    assert result.exit_code == 0 and result.output == "office TA 镇A总工会 added\n"
    office = one(ctx, Office, code="TA")
    assert (office.parent_id, office.areas, office.kind, office.is_default) == (
        one(ctx, Office, code="CITY").id, ["镇A", "幸福村", "工业园"], "township", True)
    assert run("office", "add", "XD", "鑫达工会", "--parent", "TA", "--kind", "enterprise",
               "--employer", "鑫达劳务").exit_code == 0
    assert one(ctx, Office, code="XD").employer == "鑫达劳务"
    result = run("office", "add", "TA", "again")
    assert result.exit_code == 1 and "code: 已存在" in result.output
    assert "parent: 没有代码为“NOPE”的机构" in run("office", "add", "TB", "镇B", "--parent", "NOPE").output
    assert run("office", "add", "TB", "镇B", "--kind", "club").exit_code == 2


def test_staff_add_and_token(ctx, run):
    run("office", "add", "TA", "镇A总工会")
    result = run("staff", "add", "li", "--role", "agent", "--office", "TA")
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "staff li (agent) added at TA" and lines[1].startswith("password: ")
    assert auth.verify_password(one(ctx, Staff, username="li"), lines[1].removeprefix("password: "))

    result = run("staff", "add", "wang", "--role", "viewer", "--office", "TA", "--password", "a long password")
    assert result.output == "staff wang (viewer) added at TA\n"
    assert auth.verify_password(one(ctx, Staff, username="wang"), "a long password")
    assert "username: 已被占用" in run("staff", "add", "li", "--role", "agent", "--office", "TA").output
    assert "password: 至少 8 个字符" in run("staff", "add", "zhao", "--role", "agent", "--office", "TA",
                                       "--password", "short").output
    assert "office: 没有代码为“NO”的机构" in run("staff", "add", "zhao", "--role", "agent", "--office", "NO").output
    assert run("staff", "add", "zhao", "--role", "boss", "--office", "TA").exit_code == 2

    result = run("staff", "token", "li")
    token = result.output.strip()
    assert result.exit_code == 0 and result.output == token + "\n" and len(token) >= 40
    with ctx.db.session() as s:
        assert auth.staff_for_token(s, token).username == "li"
    assert run("staff", "token", "nobody").exit_code == 1


def test_staff_token_in_a_real_process(ctx, run, tmp_path):
    run("office", "add", "TA", "镇A总工会")
    run("staff", "add", "li", "--role", "admin", "--office", "TA", "--password", "a long password")
    env = dict(os.environ, DATABASE_URL=ctx.config.sqlalchemy_url, REDIS_URL=ctx.redis_url,
               INSTANCE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "bot", "staff", "token", "li"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    token = done.stdout.strip()
    assert done.stdout == token + "\n"
    with ctx.db.session() as s:
        assert auth.staff_for_token(s, token).username == "li"
