"""Quick answers: one line for what workers ask in passing ("要钱吗", "要多久", "你是机器人吗").

Defined in ``handlers/data/quick_answers.yaml``; the conversation answers them in the middle of a form
(and goes on with it) or before whatever else the message asks for.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

QUICK_FILE = Path(__file__).with_name("data") / "quick_answers.yaml"


@lru_cache(maxsize=1)
def _entries() -> tuple[tuple[str, re.Pattern[str], str], ...]:
    with QUICK_FILE.open(encoding="utf-8") as f:
        return tuple((e["id"], re.compile(e["pattern"]), e["answer"].strip()) for e in yaml.safe_load(f))


@lru_cache(maxsize=256)
def answer(text: str) -> str | None:
    """The quick answer for a message that asks one of these things, else None."""
    return next((reply for _id, pattern, reply in _entries() if pattern.search(text)), None)
