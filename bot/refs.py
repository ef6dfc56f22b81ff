"""Human-readable case references: QX-20261122-0007 (prefix = category, then day and sequence).

The counter lives in the database (not Redis, which may be lost), advanced with
one atomic upsert, so two processes never hand out the same reference.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection

PREFIXES = {
    "wage_arrears": "QX",  # 欠薪
    "hardship_aid": "BF",  # 帮扶
    "education_aid": "ZX",  # 助学
    "medical_aid": "YL",  # 医疗
    "legal_aid": "FY",  # 法援
    "consultation": "RG",  # 人工 / 咨询
}
CATEGORIES = tuple(PREFIXES)

_UPSERT = text(
    "INSERT INTO ref_counters (key, value) VALUES (:key, 1) "
    "ON CONFLICT (key) DO UPDATE SET value = ref_counters.value + 1 RETURNING value")


def allocate(connection: Connection, category: str, day: date) -> str:
    """The next reference for ``category`` on ``day``; commit with the caller's transaction."""
    key = f"{PREFIXES[category]}-{day:%Y%m%d}"
    value = connection.execute(_UPSERT, {"key": key}).scalar_one()
    return f"{key}-{value:04d}"
