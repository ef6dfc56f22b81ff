"""`python -m bot classify | ask | menu push` as an admin or a checker calls them."""
import json
import subprocess
import sys

from click.testing import CliRunner

from bot.cli import cli
from handlers import router
from tests.conftest import ROOT


def test_classify_prints_one_json_object_per_text_with_the_webhook_router():
    result = subprocess.run([sys.executable, "-m", "bot", "classify", "老板欠我三个月工资", "加班费怎么算", "人工"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["intent"] for r in rows] == ["wage_arrears", "faq", "human"]
    assert rows[1]["faq"] == "overtime_pay" and rows[0]["faq"] is None
    assert set(rows[0]) == {"text", "intent", "confidence", "faq"}
    assert rows[0]["confidence"] == round(router.route("老板欠我三个月工资").confidence, 4)


def test_classify_reads_stdin_lines():
    result = CliRunner().invoke(cli, ["classify"], input="欠薪\n\n工伤了怎么认定\n")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["text"] for r in rows] == ["欠薪", "工伤了怎么认定"]


def test_ask_prints_the_faq_match():
    result = CliRunner().invoke(cli, ["ask", "没签劳动合同能要双倍工资吗"])
    answer = json.loads(result.output)
    assert answer["faq"] == "no_written_contract" and 0 < answer["score"] <= 1
    assert all(set(a) == {"faq", "score"} for a in answer["alternatives"])


def test_menu_push_sends_the_menu_to_wechat(ctx, fake_wechat):
    result = CliRunner().invoke(cli, ["menu", "push"])
    assert result.exit_code == 0, result.output
    call = fake_wechat.calls(path="menu/create")[0]
    assert call["errcode"] == 0
    keys = [b.get("key") for top in call["body"]["button"] for b in [top, *top.get("sub_button", [])]]
    assert "MENU_WAGE" in keys and "MENU_HUMAN" in keys


def test_menu_push_reports_wechat_errors(ctx, fake_wechat):
    fake_wechat.fault(path="menu/create", errcode=40016)
    result = CliRunner().invoke(cli, ["menu", "push"])
    assert result.exit_code != 0 and "40016" in result.output
