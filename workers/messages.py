"""What workers/ jobs say (to workers and to staff), kept in messages.yaml."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_FILE = Path(__file__).with_name("messages.yaml")


@lru_cache(maxsize=1)
def _load() -> dict[str, Any]:
    with MESSAGES_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def text(key: str, **values: object) -> str:
    """The message ``key`` with its ``{placeholders}`` filled in."""
    return _load()[key].format(**values).strip()


def label(group: str, value: object) -> str:
    """A plain-Chinese label (statuses, categories, media, priorities); the value itself if unknown."""
    return str(_load()[group].get(value, value))
