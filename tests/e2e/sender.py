"""TEST HARNESS ONLY — sends a Plan to the simulator so tests can check what QBO accepts.

This is *not* the poster (a later issue builds that, with the ledger written before and
after every request, unknown-outcome recovery, cancel and progress). It does the least
a poster must do for the books to come out right, so the end-to-end tests can prove the
planners' output over real HTTP:

- before planning, re-validate the mapping (with its create_missing defaults written in)
  against the company's accounts and classes, as every run does (docs/mapping.md);
- send operations in plan order with ``QboClient``, each with its own ``requestid``;
- swap ``{"$ref": key}`` for ``{"value": id}`` and ``{"$ref": key, "$bare": true}`` for
  the bare id, from the ids recorded so far;
- add ``Id`` and the *current* ``SyncToken`` for update, void and delete, read from QBO
  just before: QBO bumps an invoice's SyncToken when a payment is applied to it, so the
  token recorded when Ledgerbridge wrote the invoice is stale (5010) by the time it is
  updated (the poster must do the same, or re-read once on 5010);
- record a ``PostedRecord`` per key with the payload *as planned* (``$ref`` keys kept;
  for a sparse update the managed fields merged over the last payload), which is the
  form both planners read back.

A QBO fault is recorded (never raised) and whatever depends on the failed record is
skipped, so one run reports every rejected payload at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.accounting.ledger_view import PostedRecord
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.mapping.defaults import with_defaults
from app.mapping.validation import revalidate
from app.plan.operations import Operation
from app.plan.plan import Plan
from app.sync.client import QboClient
from app.sync.errors import QboError
from tests.e2e.payloads import wire_body


@dataclass
class Fault:
    key: str
    action: str
    entity: str
    error: str
    body: dict[str, Any]


@dataclass
class TestSender:
    client: QboClient
    ledger: dict[str, PostedRecord] = field(default_factory=dict)
    faults: list[Fault] = field(default_factory=list)
    sent: list[Operation] = field(default_factory=list)

    __test__ = False  # not a pytest test class

    def current_mapping(self, mapping: MappingConfig, dataset: Dataset) -> MappingConfig:
        """The mapping re-validated against the company now (ids of what exists filled)."""
        accounts = self.client.query("SELECT * FROM Account")
        classes = self.client.query("SELECT * FROM Class")
        result = revalidate(with_defaults(mapping, dataset), accounts, classes)
        errors = [i.message for i in result.issues if i.severity == "error"]
        assert errors == [], errors
        return result.mapping

    def send(self, plan: Plan) -> None:
        failed: set[str] = set()
        for operation in plan.operations:
            if failed & set(operation.depends_on):
                failed.add(operation.key)
                continue
            if not self._send(operation):
                failed.add(operation.key)

    # --- one operation ------------------------------------------------------------------
    def _send(self, operation: Operation) -> bool:
        try:
            current = None
            if operation.action != "create":
                qbo_id = str(self.ledger[operation.key].qbo_id)
                current = (qbo_id, str(self.client.read(operation.entity, qbo_id)["SyncToken"]))
            body = wire_body(operation, self._id_of, current)
            saved = self._call(operation, body)
        except QboError as exc:
            self.faults.append(Fault(operation.key, operation.action, operation.entity,
                                     str(exc), dict(operation.payload)))
            return False
        self.sent.append(operation)
        self._record(operation, saved)
        return True

    def _call(self, operation: Operation, body: dict[str, Any]) -> dict[str, Any]:
        entity, request_id = operation.entity, operation.request_id
        if operation.action == "create":
            return self.client.create(entity, body, request_id=request_id)
        if operation.action == "update":
            return self.client.update(entity, body, request_id=request_id)
        if operation.action == "void":
            return self.client.void(entity, body["Id"], body["SyncToken"], request_id=request_id)
        self.client.delete(entity, body["Id"], body["SyncToken"], request_id=request_id)
        return {"Id": body["Id"], "SyncToken": body["SyncToken"]}

    def _id_of(self, key: str) -> str:
        record = self.ledger.get(key)
        if record is None or record.qbo_id is None:
            raise AssertionError(f"reference to {key}, which was never created")
        return record.qbo_id

    def _record(self, operation: Operation, saved: Mapping[str, Any]) -> None:
        planned = {k: v for k, v in operation.payload.items() if k != "sparse"}
        old = self.ledger.get(operation.key)
        if operation.action == "create":
            self.ledger[operation.key] = PostedRecord(
                operation.key, operation.entity, str(saved["Id"]), operation.hash, "posted",
                planned, operation.txn_date, operation.amount)
        elif operation.action == "update":
            assert old is not None
            self.ledger[operation.key] = PostedRecord(
                operation.key, operation.entity, old.qbo_id, operation.hash, "posted",
                {**(old.payload or {}), **planned}, operation.txn_date, operation.amount)
        else:
            assert old is not None
            state = "voided" if operation.action == "void" else "deleted"
            self.ledger[operation.key] = PostedRecord(
                operation.key, operation.entity, old.qbo_id, operation.hash, state,
                old.payload, old.txn_date, old.total_amount)
