"""The sync ledger as the planner sees it: rows of ``LedgerEntry`` as a ``LedgerView``.

Payloads are stored as JSON with amounts as text; they are read back as ``Decimal``
where QBO carries money (``app.plan.payload_text``) so the planner compares like with like.
"""

from __future__ import annotations

from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from app.accounting.ledger_view import LedgerView, PostedRecord
from app.models.ledger import LedgerEntry
from app.plan.payload_text import LazyPayload
from app.plan.plan import Period


def load_ledger_view(session: Session, company_id: int) -> LedgerView:
    """Every ledger entry of the company, keyed by its ledger key.

    Read with plain columns (no ORM objects) and the payloads left as text until a plan
    reads them: the cost of loading grows with what a period touches, not with history.
    """
    rows = session.execute(
        select(LedgerEntry.key, LedgerEntry.entity_type, LedgerEntry.qbo_id,
               LedgerEntry.content_hash, LedgerEntry.state,
               cast(LedgerEntry.posted_payload, Text), LedgerEntry.txn_date,
               LedgerEntry.total_amount)
        .where(LedgerEntry.company_id == company_id)
        # Ordered as written (SQLite's order unasked; PostgreSQL's only when asked).
        .order_by(LedgerEntry.id))
    return {key: PostedRecord(key, entity, qbo_id, digest, state,
                              None if text is None or text == "null" else LazyPayload(text),
                              day, total)
            for key, entity, qbo_id, digest, state, text, day, total in rows}


def load_locked_periods(session: Session, company_id: int) -> tuple[Period, ...]:
    """The periods the bookkeeper locked (changes to them become adjustments)."""
    from app.models.jobs import LockedPeriod

    rows = session.scalars(select(LockedPeriod).where(LockedPeriod.company_id == company_id)
                           .order_by(LockedPeriod.period_start))
    return tuple(Period(row.period_start, row.period_end) for row in rows)
