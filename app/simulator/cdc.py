"""Change Data Capture: ``GET /cdc?entities=A,B&changedSince=<dateTime>`` (notes §8).

Returns the full current payload of each record of the named kinds changed at or after
``changedSince`` (by ``MetaData.LastUpdatedTime``), and for deleted transactions a stub
with ``status: "Deleted"``; at most 1000 objects in all; ``changedSince`` may look back at
most 30 days. The fault codes for a bad request are UNCONFIRMED (2010/2020 here).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.simulator import errors
from app.simulator.company import Company
from app.simulator.entities import KINDS

MAX_OBJECTS = 1000
LOOK_BACK = timedelta(days=30)
TOMBSTONE_SUFFIX = "#deleted"


def remember_deletion(company: Company, kind: str, entity_id: str) -> None:
    """Keep a stub of a deleted record so CDC can report it."""
    company.put(kind + TOMBSTONE_SUFFIX, {
        "Id": entity_id, "status": "Deleted", "domain": "QBO",
        "MetaData": {"LastUpdatedTime": company.clock.iso_now()}})


def _moment(text: str, element: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise errors.invalid_property(element, f"Property Name:{element} must be an ISO "
                                      "8601 date-time") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def changes(company: Company, params: dict[str, str]) -> dict[str, Any]:
    names = [n.strip() for n in params.get("entities", "").split(",") if n.strip()]
    if not names:
        raise errors.required_missing("entities")
    unknown = [n for n in names if n not in KINDS]
    if unknown:
        raise errors.invalid_property("entities", f"Property Name:entities {unknown[0]!r} is "
                                      "not a supported entity")
    if not params.get("changedSince"):
        raise errors.required_missing("changedSince")
    since = _moment(params["changedSince"], "changedSince")
    now = datetime.fromtimestamp(company.clock.now(), UTC)
    if since < now - LOOK_BACK:
        raise errors.invalid_property("changedSince", "Property Name:changedSince cannot be "
                                      "more than 30 days in the past")
    budget = MAX_OBJECTS
    responses = []
    for name in names:
        rules = KINDS[name]
        rows = [rules.present(company, r) for r in company.scan(name)]
        rows += company.scan(name + TOMBSTONE_SUFFIX)
        changed = sorted((r for r in rows if _moment(r["MetaData"]["LastUpdatedTime"],
                                                      "LastUpdatedTime") >= since),
                         key=lambda r: r["MetaData"]["LastUpdatedTime"])[:budget]
        budget -= len(changed)
        block: dict[str, Any] = {}
        if changed:
            block = {name: changed, "startPosition": 1, "maxResults": len(changed)}
        responses.append(block)
    return {"CDCResponse": [{"QueryResponse": responses}]}
