"""What workers say that changes the course of a conversation: commands, pauses, giving up, thanks, a plea
for a person, a question rather than an answer, safe again after a danger.

Kept in ``handlers/data/phrases.yaml`` so that staff can add the ways people say things without touching code.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

PHRASES_FILE = Path(__file__).with_name("data") / "phrases.yaml"


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    with PHRASES_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def pattern(name: str) -> re.Pattern[str]:
    """The regular expression ``name``."""
    return re.compile(_data()[name])


def patterns(name: str) -> dict[str, re.Pattern[str]]:
    """A mapping of regular expressions (in file order)."""
    return {key: re.compile(value) for key, value in _data()[name].items()}


def words(name: str) -> dict[str, set[str]]:
    """A mapping of word lists, as sets."""
    return {key: {str(word) for word in value} for key, value in _data()[name].items()}


def data(name: str) -> Any:
    """An entry as written (a list of words)."""
    return _data()[name]
