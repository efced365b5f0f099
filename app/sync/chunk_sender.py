"""One request of the poster: a batch of creates or updates, or one void or delete.

Runs on a worker thread and only talks HTTP. An update (and a void or delete) needs the
record's *current* SyncToken, which QuickBooks moves on its own (applying a payment to
an invoice bumps the invoice's): it is read just before the request, all the chunk's
records of one entity in one query.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.plan.operations import NAME_STATE_ACTIONS, Operation
from app.progress import CancelToken
from app.sync.batch import BatchOperation, BatchResult
from app.sync.client import QboClient
from app.sync.drift import changes, name_changes
from app.sync.errors import (
    DeletedInQuickBooks,
    EditedInQuickBooks,
    NotFoundError,
    QboError,
    ServerError,
    ValidationError,
)
from app.sync.ledger_writes import LiveLedger
from app.sync.query import quote
from app.sync.wire import UnresolvedReference, resolve_refs, wire_body

NAME_ENTITIES = frozenset({"Account", "Class", "Item", "Customer"})
# Transactions whose hand edits are guarded (names carry no amounts to protect).
EDITABLE_CHECKED = frozenset({"Invoice", "Payment", "CreditMemo", "RefundReceipt",
                              "JournalEntry"})


def batch_request_id(request_ids: Iterable[str]) -> str:
    """One requestid for a batch (at most 36 characters), from its items' own ids."""
    return hashlib.sha256("|".join(request_ids).encode()).hexdigest()[:32]


class ChunkSender:
    def __init__(self, client: QboClient, overwrite: frozenset[str] = frozenset()) -> None:
        self.client = client
        self.overwrite = overwrite  # keys the bookkeeper chose to overwrite though edited

    def interruptible(self, cancel: CancelToken) -> ChunkSender:
        return ChunkSender(self.client.interruptible(cancel), self.overwrite)

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        """One result per operation of ``chunk``; raises when the whole request failed."""
        current = self._current_records(chunk, ledger)
        tokens = {key: f"{row['Id']}|{row['SyncToken']}" for key, row in current.items()}
        edited = self._edited(chunk, ledger, current)
        if chunk[0].action in ("void", "delete"):
            if chunk[0].key in edited:
                return [edited[chunk[0].key]]
            return [self._single(chunk[0], request_ids[0], tokens)]
        items: list[BatchOperation | BatchResult] = []
        for operation in chunk:
            items.append(edited.get(operation.key) or self._item(
                operation, ledger, tokens, overrides.get(operation.key, {})))
        ready = [item for item in items if isinstance(item, BatchOperation)]
        answers = iter(self.client.batch(ready, request_id=batch_request_id(request_ids),
                                         resend_unknown=False) if ready else [])
        return [next(answers) if isinstance(item, BatchOperation) else item for item in items]

    def _item(self, operation: Operation, ledger: LiveLedger, tokens: Mapping[str, str],
              overrides: Mapping[str, Any]) -> BatchOperation | BatchResult:
        action = "update" if operation.action in NAME_STATE_ACTIONS else operation.action
        placeholder = BatchOperation(action, {}, operation.entity)
        try:
            current = None if operation.action == "create" else _current(operation, tokens)
            body = wire_body(operation, ledger.id_of, current)
        except UnresolvedReference as exc:
            return BatchResult(placeholder, error=ValidationError(
                f"{exc}: it failed or was never posted", detail=exc.key))
        except NotFoundError as exc:
            return BatchResult(placeholder, error=exc)
        return BatchOperation(action, {**body, **overrides}, operation.entity)

    def _single(self, operation: Operation, request_id: str,
                tokens: Mapping[str, str]) -> BatchResult:
        placeholder = BatchOperation("update", {}, operation.entity)
        try:
            qbo_id, token = _current(operation, tokens)
            if operation.action == "void":
                saved = self.client.void(operation.entity, qbo_id, token, request_id=request_id)
            else:
                self.client.delete(operation.entity, qbo_id, token, request_id=request_id)
                saved = {"Id": qbo_id, "status": "Deleted"}
        except QboError as exc:
            if exc.retryable or exc.after_unknown_outcome or isinstance(exc, ServerError):
                raise  # the outcome is the poster's to find out
            return BatchResult(placeholder, error=exc)
        return BatchResult(placeholder, entity=saved)

    def _edited(self, chunk: Sequence[Operation], ledger: LiveLedger,
                current: Mapping[str, Mapping[str, Any]]) -> dict[str, BatchResult]:
        """Records changed in QuickBooks since posted: held, unless chosen to overwrite."""
        held: dict[str, BatchResult] = {}
        for operation in chunk:
            record = ledger.get(operation.key)
            row = current.get(operation.key)
            if record is None or row is None or operation.key in self.overwrite \
                    or operation.action in NAME_STATE_ACTIONS:
                continue
            try:
                intended = resolve_refs(dict(record.payload), ledger.id_of)
            except UnresolvedReference:
                continue
            if operation.entity in EDITABLE_CHECKED:
                what = changes(operation.entity, row, intended,
                               intended_voided=record.state == "voided", dates=False)
            else:  # a name: a hand rename or another account or price
                what = name_changes(row, intended)
            if what:
                placeholder = BatchOperation("update", {}, operation.entity)
                held[operation.key] = BatchResult(placeholder,
                                                  error=EditedInQuickBooks(operation.key, what))
        return held

    def _current_records(self, chunk: Sequence[Operation], ledger: LiveLedger
                         ) -> dict[str, dict[str, Any]]:
        """The records the non-creates change, as QuickBooks has them now, by key."""
        wanted: dict[str, dict[str, str]] = {}
        for operation in chunk:
            record = ledger.get(operation.key)
            if operation.action != "create" and record is not None:
                wanted.setdefault(operation.entity, {})[record.qbo_id] = operation.key
        found: dict[str, dict[str, Any]] = {}
        for entity, keys in wanted.items():
            ids = ", ".join(quote(qbo_id) for qbo_id in sorted(keys))
            statement = f"SELECT * FROM {entity} WHERE Id IN ({ids})"
            rows = self.client.query(statement)
            if entity in NAME_ENTITIES:  # QuickBooks leaves inactive names out unless asked
                rows += self.client.query(f"{statement} AND Active = false")
            for row in rows:
                key = keys.get(str(row.get("Id")))
                if key is not None:
                    found[key] = row
        return found


def _current(operation: Operation, tokens: Mapping[str, str]) -> tuple[str, str]:
    """(Id, SyncToken) of the record ``operation`` changes, as QuickBooks has it now."""
    if operation.key not in tokens:
        raise DeletedInQuickBooks(operation.summary, operation.key)
    qbo_id, _, token = tokens[operation.key].partition("|")
    return qbo_id, token
