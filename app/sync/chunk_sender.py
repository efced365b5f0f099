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

from app.plan.operations import Operation
from app.progress import CancelToken
from app.sync.batch import BatchOperation, BatchResult
from app.sync.client import QboClient
from app.sync.errors import NotFoundError, QboError, ServerError, ValidationError
from app.sync.ledger_writes import LiveLedger
from app.sync.query import quote
from app.sync.wire import UnresolvedReference, wire_body


def batch_request_id(request_ids: Iterable[str]) -> str:
    """One requestid for a batch (at most 36 characters), from its items' own ids."""
    return hashlib.sha256("|".join(request_ids).encode()).hexdigest()[:32]


class ChunkSender:
    def __init__(self, client: QboClient) -> None:
        self.client = client

    def interruptible(self, cancel: CancelToken) -> ChunkSender:
        return ChunkSender(self.client.interruptible(cancel))

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        """One result per operation of ``chunk``; raises when the whole request failed."""
        tokens = self._current_tokens(chunk, ledger)
        if chunk[0].action in ("void", "delete"):
            return [self._single(chunk[0], request_ids[0], tokens)]
        items: list[BatchOperation | BatchResult] = []
        for operation in chunk:
            items.append(self._item(operation, ledger, tokens, overrides.get(operation.key, {})))
        ready = [item for item in items if isinstance(item, BatchOperation)]
        answers = iter(self.client.batch(ready, request_id=batch_request_id(request_ids),
                                         resend_unknown=False) if ready else [])
        return [next(answers) if isinstance(item, BatchOperation) else item for item in items]

    def _item(self, operation: Operation, ledger: LiveLedger, tokens: Mapping[str, str],
              overrides: Mapping[str, Any]) -> BatchOperation | BatchResult:
        placeholder = BatchOperation(operation.action, {}, operation.entity)
        try:
            current = None if operation.action == "create" else _current(operation, tokens)
            body = wire_body(operation, ledger.id_of, current)
        except UnresolvedReference as exc:
            return BatchResult(placeholder, error=ValidationError(
                f"{exc}: it failed or was never posted", detail=exc.key))
        except NotFoundError as exc:
            return BatchResult(placeholder, error=exc)
        return BatchOperation(operation.action, {**body, **overrides}, operation.entity)

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

    def _current_tokens(self, chunk: Sequence[Operation], ledger: LiveLedger) -> dict[str, str]:
        """``key -> "id|SyncToken"`` as QuickBooks has them now, for the non-creates."""
        wanted: dict[str, dict[str, str]] = {}
        for operation in chunk:
            record = ledger.get(operation.key)
            if operation.action != "create" and record is not None:
                wanted.setdefault(operation.entity, {})[record.qbo_id] = operation.key
        tokens: dict[str, str] = {}
        for entity, keys in wanted.items():
            ids = ", ".join(quote(qbo_id) for qbo_id in sorted(keys))
            for row in self.client.query(f"SELECT * FROM {entity} WHERE Id IN ({ids})"):
                key = keys.get(str(row.get("Id")))
                if key is not None:
                    tokens[key] = f"{row['Id']}|{row['SyncToken']}"
        return tokens


def _current(operation: Operation, tokens: Mapping[str, str]) -> tuple[str, str]:
    """(Id, SyncToken) of the record ``operation`` changes, as QuickBooks has it now."""
    if operation.key not in tokens:
        raise NotFoundError(f"{operation.summary}: the record is no longer in QuickBooks "
                            "(deleted there?)", code="610", detail=operation.key)
    qbo_id, _, token = tokens[operation.key].partition("|")
    return qbo_id, token
