"""The sync ledger: what exists in QuickBooks because Ledgerbridge put it there.

One row per QBO record Ledgerbridge created (keyed by its stable ledger key), written
only once QuickBooks confirmed the write, in the same transaction as the job that made
it. Requests in flight are the job table's business, never the ledger's: a row here
means the record exists in QBO (``posted``; ``voided``, which QBO keeps as a record; or
``inactive``, a name an undo made inactive, which a later post reactivates). A record
deleted in QBO by an undo has no row.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, ExactDecimal, ExactJSON, TimestampMixin, UtcDateTime

LEDGER_STATES = ("posted", "voided", "inactive")


class LedgerEntry(TimestampMixin, Base):
    __tablename__ = "ledger_entry"
    __table_args__ = (UniqueConstraint("company_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("company.id"), index=True)
    # The stable key of the source thing (e.g. "invoice:order:A17"); stamped in QBO too.
    key: Mapped[str] = mapped_column(String(200))
    entity_type: Mapped[str] = mapped_column(String(30))  # QBO entity name, e.g. "Invoice"
    qbo_id: Mapped[str] = mapped_column(String(40))
    sync_token: Mapped[str | None] = mapped_column(String(20))
    doc_number: Mapped[str | None] = mapped_column(String(21))
    # Hash of the content last sent; a different plan hash means an update is due.
    content_hash: Mapped[str] = mapped_column(String(64))
    # Totals as posted, for reconciliation against what QBO holds now.
    total_amount: Mapped[Decimal | None] = mapped_column(ExactDecimal())
    txn_date: Mapped[date | None] = mapped_column(Date)
    # The payload as planned ($ref keys, amounts as text): later edits are deltas of it.
    posted_payload: Mapped[dict[str, Any] | None] = mapped_column(ExactJSON)
    state: Mapped[str] = mapped_column(String(20))
    posted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_run_id: Mapped[int | None] = mapped_column(ForeignKey("posting_run.id"))
