"""Quick answers: one line for what workers ask in passing ("要钱吗", "要多久", "你是机器人吗").

Defined in ``handlers/data/quick_answers.yaml``; the conversation answers them in the middle of a form
(and goes on with it) or before whatever else the message asks for.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import yaml

QUICK_FILE = Path(__file__).with_name("data") / "quick_answers.yaml"


class Entry(NamedTuple):
    pattern: re.Pattern[str]
    answer: str
    also_told: bool  # given even when the worker asks nothing ("主管让我写自愿离职": "先别签")
    topic: str | None  # the FAQ topic it belongs to: the worker's figures that follow are worked out for it
    alone: bool = False  # the whole reply: no case starts from the message ("借我五百块 下个月发工资就还")


@lru_cache(maxsize=1)
def _entries() -> tuple[Entry, ...]:
    with QUICK_FILE.open(encoding="utf-8") as f:
        return tuple(Entry(re.compile(e["pattern"]), e["answer"].strip(), bool(e.get("also_told")), e.get("topic"),
                           bool(e.get("alone"))) for e in yaml.safe_load(f))


@lru_cache(maxsize=256)
def match(text: str, question: bool = True) -> Entry | None:
    """The entry for a message that asks one of these things, else None. When the message is no question,
    only the entries marked ``also_told`` count."""
    return next((e for e in _entries() if (question or e.also_told) and e.pattern.search(text)), None)


def answer(text: str, question: bool = True) -> str | None:
    """The quick answer for a message (see ``match``), else None."""
    entry = match(text, question)
    return entry.answer if entry else None
