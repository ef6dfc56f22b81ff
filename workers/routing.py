"""Which office gets a case: the deepest office whose area name appears in the worker's location.

A complaint is never routed to the accused employer's own enterprise union (its chair is
often management): it stops at the township/street office above it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Office
from handlers.normalise import normalise_company


def location_text(location: Any) -> str:
    """The place as the worker stated it, or the label of a sent location."""
    if isinstance(location, dict):
        return str(location.get("text") or location.get("label") or "")
    return str(location or "")


def route(session: Session, location: str, employer_key: str | None = None) -> Office:
    """The office for a case at ``location`` (text) against the employer ``employer_key`` (normalised)."""
    offices = {office.id: office for office in session.scalars(select(Office))}
    if not offices:
        raise LookupError("no offices are set up: add one with `python -m bot office add`")
    matches = [(_depth(office, offices), len(area), office) for office in offices.values()
               for area in office.areas or () if area and area in location]
    office = max(matches, key=lambda m: m[:2])[2] if matches else None
    if office is not None and _own_union(office, employer_key):
        office = _township_above(office, offices)
    return office or _default(offices)


def _depth(office: Office, offices: dict[int, Office]) -> int:
    depth = 0
    while office.parent_id in offices:
        office, depth = offices[office.parent_id], depth + 1
    return depth


def _own_union(office: Office, employer_key: str | None) -> bool:
    return bool(employer_key and office.kind == "enterprise" and office.employer
                and normalise_company(office.employer) == employer_key)


def _township_above(office: Office, offices: dict[int, Office]) -> Office | None:
    while office.parent_id in offices:
        office = offices[office.parent_id]
        if office.kind in ("township", "city"):
            return office
    return None


def _default(offices: dict[int, Office]) -> Office:
    defaults = [o for o in offices.values() if o.is_default] or [o for o in offices.values() if o.parent_id is None]
    return min(defaults, key=lambda o: o.id)
