"""What the ledger says after QuickBooks confirmed a write, in memory and in the database.

The one place that knows how each action changes the ledger: a create adds the record
(its QBO id and SyncToken, the payload as planned), an update merges the sent fields
over what was posted (a sparse update changes only those), a void keeps the record as
voided, a delete removes it. The poster, recovery and the tests all go through here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Text, cast, delete, select
from sqlalchemy.orm import Session

from app.accounting.ledger_view import LedgerView, PostedRecord
from app.models.ledger import LedgerEntry
from app.plan.operations import Operation
from app.plan.payload_text import LazyPayload
from app.sync.wire import UnresolvedReference

SERVER_ONLY = ("sparse", "Id", "SyncToken")


@dataclass(frozen=True)
class LedgerRecord:
    key: str
    entity: str
    qbo_id: str
    sync_token: str | None
    content_hash: str
    state: str  # "posted" | "voided" | "inactive" (a name made inactive by an undo)
    payload: Mapping[str, Any]  # as planned ($ref keys), amounts as Decimal
    txn_date: date | None = None
    total_amount: Decimal | None = None
    doc_number: str | None = None


def record_after(operation: Operation, saved: Mapping[str, Any],
                 before: LedgerRecord | None) -> LedgerRecord | None:
    """The ledger record once ``operation`` succeeded (None: the record is gone)."""
    planned = {k: v for k, v in operation.payload.items() if k not in SERVER_ONLY}
    token = _token(saved, before)
    if operation.action == "create":
        return LedgerRecord(operation.key, operation.entity, str(saved["Id"]), token,
                            operation.hash, "posted", planned, operation.txn_date,
                            operation.amount, _doc_number(planned))
    if before is None:
        raise UnresolvedReference(operation.key)
    if operation.action == "update":
        merged = {**before.payload, **planned}
        return replace(before, sync_token=token, content_hash=operation.hash, payload=merged,
                       txn_date=operation.txn_date or before.txn_date,
                       total_amount=operation.amount if operation.amount is not None
                       else before.total_amount, doc_number=_doc_number(merged))
    if operation.action == "void":
        return replace(before, sync_token=token, state="voided")
    if operation.action == "deactivate":
        return replace(before, sync_token=token, state="inactive")
    if operation.action == "reactivate":
        return replace(before, sync_token=token, state="posted")
    return None  # deleted


class LiveLedger:
    """The company's ledger in memory: ids for references, tokens, payloads as posted."""

    def __init__(self, records: Iterable[LedgerRecord] = ()) -> None:
        self._records = {record.key: record for record in records}

    @classmethod
    def load(cls, session: Session, company_id: int) -> LiveLedger:
        """Plain columns, payloads parsed on first use (``LazyPayload``)."""
        rows = session.execute(
            select(LedgerEntry.key, LedgerEntry.entity_type, LedgerEntry.qbo_id,
                   LedgerEntry.sync_token, LedgerEntry.content_hash, LedgerEntry.state,
                   cast(LedgerEntry.posted_payload, Text), LedgerEntry.txn_date,
                   LedgerEntry.total_amount, LedgerEntry.doc_number)
            .where(LedgerEntry.company_id == company_id).order_by(LedgerEntry.id))
        return cls(LedgerRecord(key, entity, qbo_id, token, digest, state,
                                LazyPayload(text) if text and text != "null" else {},
                                day, total, number)
                   for key, entity, qbo_id, token, digest, state, text, day, total, number in rows)

    def get(self, key: str) -> LedgerRecord | None:
        return self._records.get(key)

    def id_of(self, key: str) -> str:
        record = self._records.get(key)
        if record is None or record.state != "posted":
            raise UnresolvedReference(key)
        return record.qbo_id

    def put(self, key: str, record: LedgerRecord | None) -> None:
        if record is None:
            self._records.pop(key, None)
        else:
            self._records[key] = record

    def __len__(self) -> int:
        return len(self._records)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self._records.values())


def write_record(session: Session, company_id: int, key: str, record: LedgerRecord | None,
                 *, run_id: int | None, now: datetime) -> None:
    """Make the database row of ``key`` say what ``record`` says (delete it for None)."""
    row = session.scalars(select(LedgerEntry).where(
        LedgerEntry.company_id == company_id, LedgerEntry.key == key)).first()
    if record is None:
        if row is not None:
            session.execute(delete(LedgerEntry).where(LedgerEntry.id == row.id))
        return
    if row is None:
        row = LedgerEntry(company_id=company_id, key=key)
        session.add(row)
    row.entity_type = record.entity
    row.qbo_id = record.qbo_id
    row.sync_token = record.sync_token
    row.doc_number = record.doc_number
    row.content_hash = record.content_hash
    row.total_amount = record.total_amount
    row.txn_date = record.txn_date
    row.posted_payload = dict(record.payload)
    row.state = record.state
    row.posted_at = now
    row.last_run_id = run_id


def _token(saved: Mapping[str, Any], before: LedgerRecord | None) -> str | None:
    token = saved.get("SyncToken")
    if token is not None:
        return str(token)
    return before.sync_token if before is not None else None


def _doc_number(payload: Mapping[str, Any]) -> str | None:
    number = payload.get("DocNumber")
    return str(number)[:21] if number else None


def as_posted(record: LedgerRecord) -> PostedRecord:
    """The planner's view of a ledger record."""
    return PostedRecord(record.key, record.entity, record.qbo_id, record.content_hash,
                        record.state, record.payload, record.txn_date, record.total_amount)


def ledger_after(view: LedgerView, operations: Iterable[Operation],
                 new_id: Callable[[int, Operation], str]) -> dict[str, PostedRecord]:
    """The planner's ledger once every operation succeeded (``new_id`` numbers creations).

    What the poster writes, without a QuickBooks: planner tests and previews of a
    sequence of runs use it, so there is one rule of how the ledger changes.
    """
    live = LiveLedger(LedgerRecord(p.key, p.entity, p.qbo_id or "", None, p.content_hash,
                                   p.state, p.payload or {}, p.txn_date, p.total_amount)
                      for p in view.values())
    for n, operation in enumerate(operations):
        saved = {"Id": new_id(n, operation)} if operation.action == "create" else {}
        live.put(operation.key, record_after(operation, saved, live.get(operation.key)))
    return {record.key: as_posted(record) for record in live}
