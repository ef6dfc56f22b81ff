"""User-facing Chinese text, kept in copy.yaml so staff can edit it."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

COPY_FILE = Path(__file__).with_name("copy.yaml")


@lru_cache(maxsize=1)
def _load() -> dict:
    with COPY_FILE.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def table(key: str) -> dict[str, str]:
    """A mapping kept in the copy file (e.g. intent labels)."""
    return dict(_load()[key])


def text(key: str, **values: object) -> str:
    """The copy for ``key`` with ``{placeholders}`` filled in."""
    template = _load()[key]
    return template.format(**values).strip() if values else template.strip()
