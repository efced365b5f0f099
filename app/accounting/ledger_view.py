"""What the planner knows of what was already posted: a read-only view of the ledger."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class PostedRecord:
    key: str
    entity: str
    qbo_id: str | None
    content_hash: str
    state: str  # "posted" | "voided": the ledger holds only what exists in QBO
    payload: Mapping[str, Any] | None = None  # what was last sent (for deltas)
    txn_date: date | None = None
    total_amount: Decimal | None = None


LedgerView = Mapping[str, PostedRecord]
