"""Intent router: accuracy on the dev and holdout sets, short messages, typos, crisis."""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from handlers import router
from handlers.data import train_router

DEV_FILE = Path("/work/shared/devset/intents.jsonl")
HOLDOUT_FILE = Path(__file__).with_name("data") / "router_holdout.jsonl"
DEV_FLOOR = 0.97  # measured 0.995 on the 200 dev items
HOLDOUT_FLOOR = 0.95  # measured 0.99 on the 128 holdout items


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _accuracy(rows: list[dict]) -> float:
    return sum(router.route(r["text"]).intent in [r["intent"], *r.get("also", [])] for r in rows) / len(rows)


def _training_texts() -> list[str]:
    raw = yaml.safe_load(train_router.TRAINING_FILE.read_text(encoding="utf-8"))
    return [t for section in ("intents", "faq") for texts in raw[section].values() for t in texts]


def _key(text: str) -> str:
    return re.sub(r"\W", "", text)


@pytest.mark.skipif(not DEV_FILE.exists(), reason="public dev set not on this machine")
def test_dev_set_accuracy() -> None:
    accuracy = _accuracy(_rows(DEV_FILE))
    print(f"dev intent accuracy {accuracy:.3f}")
    assert accuracy >= DEV_FLOOR


def test_holdout_accuracy() -> None:
    rows = _rows(HOLDOUT_FILE)
    assert len(rows) >= 60
    accuracy = _accuracy(rows)
    print(f"holdout intent accuracy {accuracy:.3f}")
    assert accuracy >= HOLDOUT_FLOOR


@pytest.mark.skipif(not DEV_FILE.exists(), reason="public dev set not on this machine")
def test_training_data_does_not_contain_evaluation_sentences() -> None:
    evaluation = {_key(r["text"]) for path in (DEV_FILE, DEV_FILE.with_name("faq.jsonl"), HOLDOUT_FILE)
                  for r in _rows(path)}
    assert [t for t in _training_texts() if _key(t) in evaluation] == []


def test_model_is_built_from_the_current_data_files() -> None:
    shipped = json.loads(router.MODEL_FILE.read_text(encoding="utf-8"))["source_sha256"]
    assert shipped == train_router.source_digest(), "run handlers/data/train_router.py"


@pytest.mark.parametrize(("text", "intent"), [
    ("欠薪", "wage_arrears"),
    ("工资没发", "wage_arrears"),
    ("人工", "human"),
    ("转人工", "human"),
    ("找客服", "human"),
    ("查询", "status_query"),
    ("查询进度", "status_query"),
    ("你好", "greeting"),
    ("谢谢", "greeting"),
    ("在吗？", "greeting"),
    ("金秋助学", "education_aid"),
    ("法律援助", "legal_aid"),
])
def test_short_messages(text: str, intent: str) -> None:
    assert router.route(text).intent == intent


@pytest.mark.parametrize(("text", "intent"), [
    ("工姿被托欠三个月了", "wage_arrears"),
    ("老版不发公资", "wage_arrears"),
    ("加般费怎么算", "faq"),
    ("劳动仲栽要交钱吗", "faq"),
    ("现在的最底工资是多少", "faq"),
    ("在厂里受了工商 老板不管 我想告他", "legal_aid"),
    ("老细两个月冇出粮 点算好", "wage_arrears"),
    ("佢欠我哋人工唔畀", "wage_arrears"),
])
def test_typos_and_dialect(text: str, intent: str) -> None:
    assert router.route(text).intent == intent


@pytest.mark.parametrize(("general", "personal", "case_intent"), [
    ("加班费按几倍算", "老板欠我三个月加班费不给", "wage_arrears"),
    ("包工头跑了 法律上谁来付工资", "包工头跑了 我们十个人的工钱没拿到", "wage_arrears"),
    ("被辞退的经济补偿怎么算", "公司无故把我开除了 一分补偿不给 我要仲裁", "legal_aid"),
    ("金秋助学的条件是什么", "俺娃考上大学了 学费交不起", "education_aid"),
    ("医疗互助报销比例是多少", "我住院花了三万 想申请医疗互助", "medical_aid"),
    ("困难职工帮扶需要满足啥条件", "失业半年了 家里揭不开锅 求帮扶", "hardship_aid"),
])
def test_general_question_vs_personal_problem(general: str, personal: str, case_intent: str) -> None:
    assert router.route(general).intent == "faq"
    assert router.route(personal).intent == case_intent


def test_routing_fields() -> None:
    faq = router.route("法定节假日加班工资是几倍")
    assert (faq.intent, faq.faq) == ("faq", "holiday_work")
    case = router.route("包工头欠我两万块跑了")
    assert case.faq is None and case.confidence >= 0.5
    assert 0 < len(case.alternatives) <= router.MAX_ALTERNATIVES
    scores = [score for _, score in case.alternatives]
    assert scores == sorted(scores, reverse=True) and case.intent not in dict(case.alternatives)
    assert router.route("  ").confidence < 0.5


def test_faq_topic_falls_back_to_own_model_without_handlers_faq(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers

    monkeypatch.delattr(handlers, "faq", raising=False)
    monkeypatch.setitem(sys.modules, "handlers.faq", None)  # import raises ImportError
    assert router.route("加班费是怎么算的").faq == "overtime_pay"


@pytest.mark.parametrize("text", [
    "不想活了", "实在活不下去了", "我现在在塔吊上 不给钱我不下来", "爬上楼顶要跳下去",
    "老板再不给钱我就从楼上跳下去", "想喝农药死了算了", "工友喝了敌敌畏", "有个老乡想轻生",
    "他说要自杀", "我要和他同归于尽", "我们被包工头叫来的人打了", "被保安打伤了 在医院",
    "工友被关起来了 不让出去", "人被锁在厂里出不来", "真想一死了之",
])
def test_crisis_positives(text: str) -> None:
    assert router.is_crisis(text)


@pytest.mark.parametrize("text", [
    "被打工的老板骗了", "打了电话没人接", "打官司要多少钱", "我打工十年了", "不想干了 想辞职",
    "家里困难 日子过不下去了", "在楼里干活 要工资", "在工地干活被砸伤了", "今天吃了药好多了",
    "塔吊司机工资多少", "上班打卡迟到被扣钱",
])
def test_crisis_negatives(text: str) -> None:
    assert not router.is_crisis(text)
