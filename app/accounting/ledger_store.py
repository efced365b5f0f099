"""The sync ledger as the planner sees it: rows of ``LedgerEntry`` as a ``LedgerView``.

Payloads are stored as JSON with amounts as text; they are read back as ``Decimal``
where QBO carries money so the planner compares like with like.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.accounting.ledger_view import LedgerView, PostedRecord
from app.domain.money import money
from app.models.ledger import LedgerEntry
from app.plan.plan import Period

# Payload fields that hold money or quantities (QBO names); everything else is kept as
# stored. They are read through ``money``: exact text or a whole number; a float (a JSON
# number written by something other than Ledgerbridge) is refused, never rounded quietly.
EXACT_FIELDS = frozenset({"Amount", "TotalAmt", "UnitPrice", "Qty"})


def _decimals(value: Any, name: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _decimals(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimals(v, name) for v in value]
    if name in EXACT_FIELDS and value is not None:
        return money(value)
    return value


def load_ledger_view(session: Session, company_id: int) -> LedgerView:
    """Every ledger entry of the company, keyed by its ledger key."""
    # Ordered as written (SQLite's order unasked; PostgreSQL's only when asked).
    rows = session.scalars(select(LedgerEntry).where(LedgerEntry.company_id == company_id)
                           .order_by(LedgerEntry.id))
    view: dict[str, PostedRecord] = {}
    for row in rows:
        view[row.key] = PostedRecord(
            key=row.key, entity=row.entity_type, qbo_id=row.qbo_id,
            content_hash=row.content_hash, state=row.state,
            payload=_decimals(row.posted_payload) if row.posted_payload is not None else None,
            txn_date=row.txn_date, total_amount=row.total_amount)
    return view


def load_locked_periods(session: Session, company_id: int) -> tuple[Period, ...]:
    """The periods the bookkeeper locked (changes to them become adjustments)."""
    from app.models.jobs import LockedPeriod

    rows = session.scalars(select(LockedPeriod).where(LockedPeriod.company_id == company_id)
                           .order_by(LockedPeriod.period_start))
    return tuple(Period(row.period_start, row.period_end) for row in rows)
