"""Human-readable case references: QX-20261122-0007 (prefix = category, then day and sequence).

The counter lives in the database (not Redis, which may be lost), advanced with
one atomic upsert, so two processes never hand out the same reference.
"""
from __future__ import annotations

import re
from datetime import date

from sqlalchemy import text
from sqlalchemy.engine import Connection

from bot.db import Database
from handlers.normalise import mask_text

PREFIXES = {
    "wage_arrears": "QX",  # 欠薪
    "hardship_aid": "BF",  # 帮扶
    "education_aid": "ZX",  # 助学
    "medical_aid": "YL",  # 医疗
    "legal_aid": "FY",  # 法援
    "consultation": "RG",  # 人工 / 咨询
}
CATEGORIES = tuple(PREFIXES)
# A reference as written in free text: a known prefix, a 20xx date and the day's number.
# The date's "20" means no mobile (1xx) can hide in it; a longer digit tail is not a ref.
REF_RE = re.compile(rf"(?<![A-Za-z0-9])(?:{'|'.join(PREFIXES.values())})-20\d{{6}}-\d{{4,6}}(?!\d)", re.I)

_UPSERT = ("INSERT INTO ref_counters (key, value) VALUES ({p}, 1) "
           "ON CONFLICT (key) DO UPDATE SET value = ref_counters.value + 1 RETURNING value")


def allocate(connection: Connection, category: str, day: date) -> str:
    """The next reference for ``category`` on ``day``; commit with the caller's transaction."""
    key = _key(category, day)
    value = connection.execute(text(_UPSERT.replace("{p}", ":key")), {"key": key}).scalar_one()
    return f"{key}-{value:04d}"


def allocate_now(db: Database, category: str, day: date) -> str:
    """The next reference, committed at once (the webhook's hot path: one round trip).

    If the connection drops mid-statement the upsert is run again: at worst a number is skipped."""
    key = _key(category, day)
    [(value,)] = db.hot.execute(db.hot.sql(_UPSERT), [key])
    return f"{key}-{value:04d}"


def _key(category: str, day: date) -> str:
    return f"{PREFIXES[category]}-{day:%Y%m%d}"


def mask_text_keep_refs(text: str) -> str:
    """``text`` with phone and ID numbers masked (handlers.normalise.mask_text), case refs left readable.

    mask_text alone turns "QX-20261122-0004" into "QX-202*****0004" (12 digits look like a
    long number), so the text between refs is masked and the refs are kept as they are.
    """
    out, last = [], 0
    for match in REF_RE.finditer(text):
        out += [mask_text(text[last:match.start()]), match[0]]
        last = match.end()
    return "".join(out + [mask_text(text[last:])])
