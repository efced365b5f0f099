"""Resync: rebuild the ledger from what QuickBooks holds, creating nothing (SPEC §5).

After a lost or restored local database, a disconnect and reconnect, or another machine
having posted, the ledger no longer says what exists in QuickBooks. Resync reads every
record that carries a Ledgerbridge key (and the accounts, classes and items the plan
names) and adopts it: kept as planned when QuickBooks holds exactly what the plan says,
otherwise as QuickBooks holds it, so the next post sends only what is missing or
changed. It writes only the local ledger (under the posting lock), as a run of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.accounting.ledger_view import PostedRecord
from app.accounting.planner import plan as make_plan
from app.company_data import CompanyData, load_company_data
from app.domain.money import money
from app.mapping.defaults import with_defaults
from app.models.base import utcnow
from app.models.database import Database
from app.models.jobs import ManifestEntry
from app.plan.operations import Operation, content_hash
from app.plan.plan import Period
from app.posting import ClientOpener
from app.progress import CancelToken, PostProgress
from app.sync.client import QboClient
from app.sync.job_store import JobStore
from app.sync.ledger_writes import LedgerRecord, LiveLedger, as_posted, write_record
from app.sync.preflight import check_company
from app.sync.projection import agrees, project
from app.sync.recovery import is_voided
from app.sync.stamps import stamped_key
from app.sync.wire import UnresolvedReference, resolve_refs
from app.write_session import write_session

STAMPED = ("Customer", "Invoice", "Payment", "CreditMemo", "RefundReceipt", "JournalEntry")
MAX_ROUNDS = 12  # each round adopts what the plan can name once the last round's exist
NAMES = ("Account", "Class", "Item")
STEPS = len(STAMPED) + len(NAMES) + 2  # every kind read, the rebuild, the ledger written


@dataclass
class ResyncReport:
    adopted: list[str] = field(default_factory=list)
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # key, what differs
    missing: list[str] = field(default_factory=list)  # planned, not in QuickBooks
    gone: list[str] = field(default_factory=list)  # in the ledger, deleted in QuickBooks
    ledger_size: int = 0  # records the ledger holds once the resync is written
    run_id: int | None = None
    declined: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "adopted": len(self.adopted),
                "adopted_keys": self.adopted,
                "conflicts": [{"key": k, "differs": d} for k, d in self.conflicts],
                "missing_in_quickbooks": self.missing, "gone_from_quickbooks": self.gone,
                "ledger_records": self.ledger_size, "declined": self.declined}


def resync(database: Database, company_id: int, company_name: str, open_client: ClientOpener,
           confirm: Callable[[ResyncReport], bool] | None = None, *,
           progress: Callable[[PostProgress], None] | None = None,
           cancel: CancelToken | None = None) -> ResyncReport:
    """Rebuild the ledger; ``cancel`` stops it between reads, before anything is written."""
    step = _Steps(progress, cancel)
    with write_session(database, company_id, company_name, open_client) as session:
        client, ledger = session.client, session.ledger
        data = load_company_data(database, company_id=company_id)
        found = _Found.read(client, step)
        gone = [record for record in ledger
                if (record.entity, record.qbo_id) not in found.ids]
        for record in gone:  # deleted in QuickBooks: the plan may create it again
            ledger.put(record.key, None)
        step("Matching QuickBooks' records with the source")
        report, adopted = _rebuild(data, client, ledger, found)
        report.gone = sorted(record.key for record in gone)
        report.ledger_size = len(ledger)
        if confirm is not None and not confirm(report):
            report.declined = True
            return report
        step("Writing the ledger")
        if adopted or gone:
            report.run_id = _record(database, session.store, company_id, adopted, gone)
        step.done()
    return report


class _Steps:
    """Progress by step (each kind read is one), checking cancel before each."""

    def __init__(self, progress: Callable[[PostProgress], None] | None,
                 cancel: CancelToken | None) -> None:
        self._progress, self._cancel, self._done = progress, cancel, 0

    def __call__(self, label: str) -> None:
        if self._cancel is not None:
            self._cancel.check()
        if self._progress is not None:
            self._progress(PostProgress(self._done, STEPS, label))
        self._done += 1

    def done(self) -> None:
        if self._progress is not None:
            self._progress(PostProgress(STEPS, STEPS, "Done"))


# -- the rebuild, in memory -----------------------------------------------------------------

@dataclass
class _Found:
    stamped: dict[str, tuple[str, dict[str, Any]]]  # key -> (entity, record)
    names: dict[tuple[str, str], dict[str, Any]]  # (entity, name or FQN) -> record
    ids: set[tuple[str, str]] = field(default_factory=set)  # every record read

    @classmethod
    def read(cls, client: QboClient, step: Callable[[str], None] = lambda _label: None
             ) -> _Found:
        stamped: dict[str, tuple[str, dict[str, Any]]] = {}
        ids: set[tuple[str, str]] = set()
        for entity in STAMPED:
            step(f"Reading {entity} records from QuickBooks")
            for row in _every(client, entity):
                ids.add((entity, str(row["Id"])))
                key = stamped_key(entity, row)
                if key is not None and key not in stamped:  # the oldest: QBO ids ascend
                    stamped[key] = (entity, row)
        names: dict[tuple[str, str], dict[str, Any]] = {}
        for entity in NAMES:
            step(f"Reading {entity} records from QuickBooks")
            for row in _every(client, entity):
                ids.add((entity, str(row["Id"])))
                name = row.get("FullyQualifiedName") or row.get("Name")
                names.setdefault((entity, str(name)), row)
        return cls(stamped, names, ids)

    def match(self, operation: Operation) -> dict[str, Any] | None:
        if operation.entity in ("Account", "Class"):
            return self.names.get((operation.entity, operation.key.split(":", 1)[1]))
        if operation.entity == "Item":
            return self.names.get(("Item", str(operation.payload.get("Name"))))
        entry = self.stamped.get(operation.key)
        return entry[1] if entry is not None and entry[0] == operation.entity else None


def _rebuild(data: CompanyData, client: QboClient, ledger: LiveLedger, found: _Found
             ) -> tuple[ResyncReport, list[tuple[Operation | None, LedgerRecord]]]:
    if data.mapping is None:
        raise ValueError("there is no mapping yet: run `ledgerbridge mapping import FILE`")
    mapping = check_company(client, with_defaults(data.mapping, data.dataset)).mapping
    period = _posted_history(data, found)
    report = ResyncReport()
    adopted: list[tuple[Operation | None, LedgerRecord]] = []
    leftovers_done = False
    for _round in range(MAX_ROUNDS):
        view = {record.key: as_posted(record) for record in ledger}
        planned = make_plan(data.dataset, mapping, view, period, data.locked)
        added = _adopt_planned(planned.operations, ledger, found, report, adopted)
        if added:
            continue
        if leftovers_done:
            report.missing = [op.key for op in planned.operations if op.action == "create"]
            break
        leftovers_done = True
        if not _adopt_leftovers(ledger, found, report, adopted):
            report.missing = [op.key for op in planned.operations if op.action == "create"]
            break
    return report, adopted


def _adopt_planned(operations: Iterable[Operation], ledger: LiveLedger, found: _Found,
                   report: ResyncReport,
                   adopted: list[tuple[Operation | None, LedgerRecord]]) -> int:
    count = 0
    for operation in operations:
        if operation.action != "create" or ledger.get(operation.key) is not None:
            continue
        row = found.match(operation)
        if row is None:
            continue
        record = _adopt(operation.entity, operation.key, row, ledger, operation, report)
        ledger.put(operation.key, record)
        adopted.append((operation, record))
        count += 1
    return count


def _adopt_leftovers(ledger: LiveLedger, found: _Found, report: ResyncReport,
                     adopted: list[tuple[Operation | None, LedgerRecord]]) -> int:
    """Keyed records no plan names now (another period's entries, documents of changes):
    they exist, so the ledger must know them; kept as QuickBooks holds them."""
    count = 0
    for key, (entity, row) in sorted(found.stamped.items(), key=lambda kv: int(
            kv[1][1].get("Id") or 0)):
        if ledger.get(key) is None:
            record = _adopt(entity, key, row, ledger, None, report)
            ledger.put(key, record)
            adopted.append((None, record))
            count += 1
    return count


def _adopt(entity: str, key: str, row: dict[str, Any], ledger: LiveLedger,
           operation: Operation | None, report: ResyncReport) -> LedgerRecord:
    state = "voided" if is_voided(row) else "posted"
    payload, digest = None, None
    if operation is not None:
        try:
            body = resolve_refs(dict(operation.payload), ledger.id_of)
        except UnresolvedReference:
            body = None
        if body is not None and agrees(body, row):
            payload, digest = dict(operation.payload), operation.hash
    if payload is None:
        payload = project(entity, row, _key_of(ledger))
        digest = content_hash(entity, "create", payload)
        if operation is not None:
            report.conflicts.append((key, "QuickBooks holds something other than the source "
                                          "now says: the next post sends the difference"))
    report.adopted.append(key)
    day = row.get("TxnDate")
    total = row.get("TotalAmt")
    return LedgerRecord(key, entity, str(row["Id"]), str(row.get("SyncToken") or "0"),
                        str(digest), state, payload,
                        date.fromisoformat(str(day)) if day else None,
                        money(total) if total is not None else None,
                        str(row["DocNumber"])[:21] if row.get("DocNumber") else None)


def _key_of(ledger: LiveLedger) -> Callable[[str, str], str | None]:
    by_id = {(record.entity, record.qbo_id): record.key for record in ledger}

    def key_of(entity: str, qbo_id: str) -> str | None:
        if len(by_id) != len(ledger):
            by_id.clear()
            by_id.update({(r.entity, r.qbo_id): r.key for r in ledger})
        return by_id.get((entity, qbo_id))

    return key_of


def _record(database: Database, store: JobStore, company_id: int,
            adopted: list[tuple[Operation | None, LedgerRecord]],
            gone: list[LedgerRecord]) -> int:
    """The adopted records in the ledger (and the deleted ones out), as a resync run."""
    run_id = store.start_run("resync", None)
    now = utcnow()
    with database.session() as session:
        for record in gone:
            write_record(session, company_id, record.key, None, run_id=run_id, now=now)
            session.add(ManifestEntry(
                run_id=run_id, ledger_key=record.key, entity_type=record.entity,
                action="delete", result="gone", qbo_id=record.qbo_id,
                doc_number=record.doc_number, amount=record.total_amount,
                txn_date=record.txn_date, at=now,
                message="deleted in QuickBooks: the next post creates it again from the "
                        "source"))
        for operation, record in adopted:
            write_record(session, company_id, record.key, record, run_id=run_id, now=now)
            session.add(ManifestEntry(
                run_id=run_id, ledger_key=record.key, entity_type=record.entity,
                action="create", result="adopted", qbo_id=record.qbo_id,
                doc_number=record.doc_number, amount=record.total_amount,
                txn_date=record.txn_date, at=now,
                message=None if operation is not None else "kept as QuickBooks holds it"))
    store.finish_run(run_id, "finished")
    return run_id


def _posted_history(data: CompanyData, found: _Found) -> Period:
    """From go-live to the last day QuickBooks holds a Ledgerbridge record for: the plan
    as of then is what was posted (a later change in the source is the next post's)."""
    days = [c.date for c in data.dataset.charges] + [p.date for p in data.dataset.payments] + [
        r.date for r in data.dataset.refunds]
    start = (data.mapping.go_live if data.mapping else None) or (min(days) if days else None)
    posted = [date.fromisoformat(str(row["TxnDate"])[:10])
              for _entity, row in found.stamped.values() if row.get("TxnDate")]
    end = max(posted) if posted else (max(days) if days else None)
    if start is None or end is None:
        raise ValueError("there is no imported data yet: import the exports first")
    return Period(start, max(start, end))


def _every(client: QboClient, entity: str) -> list[dict[str, Any]]:
    rows = client.query(f"SELECT * FROM {entity}")
    if entity in ("Account", "Class", "Item", "Customer"):
        rows += client.query(f"SELECT * FROM {entity} WHERE Active = false")
    return rows


__all__ = ["PostedRecord", "ResyncReport", "resync"]
