"""Finding out whether a write whose answer was lost reached QuickBooks.

QuickBooks' requestid replay is reported unreliable (SPEC §5), so before anything in
doubt is sent again, the record it would have written is looked up by the key stamped
in it. Found: the write happened and is adopted (ledger and job written as if the answer
had arrived). Not found: it did not happen, and it is sent again. A crash, a kill, a
dropped connection or a cancelled retry all end here, at the start of the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from app.plan.operations import NAME_STATE_ACTIONS, Operation
from app.sync.client import QboClient
from app.sync.errors import DeletedInQuickBooks, NotFoundError, QboError
from app.sync.job_store import Completion, JobStore, Outcome, job_operation
from app.sync.ledger_writes import LiveLedger, record_after
from app.sync.lookup import carries_changes
from app.sync.stamps import lookups_for
from app.sync.wire import UnresolvedReference, resolve_refs

log = logging.getLogger(__name__)


def sent_payload(operation: Operation, overrides: Mapping[str, Any]) -> dict[str, Any]:
    """What went on the wire for ``operation`` (before ids): the plan plus any re-dating."""
    return {**operation.payload, **overrides}


def find_existing(client: QboClient, ledger: LiveLedger, operation: Operation,
                  overrides: Mapping[str, Any]) -> dict[str, Any] | None:
    """The QBO record showing that ``operation`` was applied, or None if it was not."""
    payload = sent_payload(operation, overrides)
    if operation.action == "create":
        for lookup in lookups_for(operation.entity, operation.key, payload):
            found = client.find(operation.entity, lookup)
            if found is not None:
                return found
        return None
    before = ledger.get(operation.key)
    if before is None:
        raise UnresolvedReference(operation.key)
    try:
        current = client.read(operation.entity, before.qbo_id)
    except NotFoundError:
        if operation.action == "delete":
            return {"Id": before.qbo_id, "status": "Deleted"}
        raise DeletedInQuickBooks(operation.summary, operation.key) from None
    if operation.action == "void":
        return current if is_voided(current) else None
    if operation.action in NAME_STATE_ACTIONS:
        wanted = NAME_STATE_ACTIONS[operation.action]
        return current if bool(current.get("Active", True)) is wanted else None
    if operation.action == "delete":
        return None
    body = resolve_refs(payload, ledger.id_of)
    return current if carries_changes(current, body, skip=("sparse",)) else None


def is_voided(record: Mapping[str, Any]) -> bool:
    """QBO keeps a voided transaction with its amounts zeroed and "Voided" in its note."""
    note = str(record.get("PrivateNote") or "")
    total = record.get("TotalAmt")
    return note.startswith("Voided") and (total is None or str(total) in ("0", "0.0", "0.00"))


@dataclass
class RecoveryReport:
    adopted: list[str] = field(default_factory=list)  # ledger keys found in QBO
    to_send: list[str] = field(default_factory=list)  # not found: sent again this run
    gone: list[str] = field(default_factory=list)  # its record was deleted in QuickBooks
    runs: set[int] = field(default_factory=set)  # the runs whose jobs were resolved

    def as_dict(self) -> dict[str, Any]:
        return {"adopted": self.adopted, "to_send": self.to_send, "gone": self.gone}


def recover_in_doubt(client: QboClient, store: JobStore, ledger: LiveLedger) -> RecoveryReport:
    """Resolve every job left in doubt by an earlier run, before anything is sent.

    An adopted write is recorded in the manifest of the run that sent it: that run's
    request created the record, only its answer was lost.
    """
    report = RecoveryReport()
    for job in store.in_doubt():
        operation = job_operation(job)
        if job.run_id is not None:
            report.runs.add(job.run_id)
        try:
            found = find_existing(client, ledger, operation, job.overrides or {})
        except UnresolvedReference:
            found = None  # what it changes is not in the ledger: the plan decides afresh
        except DeletedInQuickBooks as gone:  # nothing to resolve: report it, go on
            store.settle(job.run_id, [Outcome(job.id, "failed", str(gone), kind=gone.kind)])
            report.gone.append(operation.key)
            continue
        if found is None:
            store.requeue([job.id])
            report.to_send.append(operation.key)
            continue
        before = ledger.get(operation.key)
        after = record_after(operation, found, before)
        store.complete(job.run_id, [Completion(job.id, operation, before, after, "adopted")])
        ledger.put(operation.key, after)
        report.adopted.append(operation.key)
        log.info("adopted %s (%s %s) found in QuickBooks after an unknown outcome",
                 operation.key, operation.action, operation.entity)
    return report


__all__ = ["QboError", "RecoveryReport", "find_existing", "recover_in_doubt"]
