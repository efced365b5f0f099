"""Undo a run: QuickBooks as if the run had never happened, or reversed where it must stay.

From the run's manifest (SPEC §5 "Undo a run"): what it created in an open period is
deleted, in reverse order (payments before the invoices they pay); what it changed is
restored to its payload before the run; where the period is closed in QuickBooks or
locked here, an equal-and-opposite reversing entry is posted on the first open day
instead, labelled with the run. Names it created (items, customers) are made inactive
when nothing left uses them (QuickBooks never deletes names); accounts and classes the
mapping names stay. A void cannot be undone in QuickBooks and is listed as such. The
undo is a run of its own, previewed first; undoing a run twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from app.accounting.summary.buckets import first_open_day
from app.company_data import load_company_data
from app.domain.money import ZERO
from app.models.database import Database
from app.models.jobs import ManifestEntry, PostingRun
from app.plan.operations import Operation, referenced_keys
from app.plan.payload_text import from_text
from app.plan.plan import Period
from app.plan.postings import Posting, net_by_account, reverse
from app.sync.client import QboClient
from app.sync.closed_period import closing_date
from app.sync.ledger_writes import LedgerRecord, LiveLedger
from app.sync.qbo_books import Chart, record_postings
from app.sync.query import quote
from app.sync.wire import UnresolvedReference, resolve_refs

NAMES = ("Account", "Class", "Item", "Customer")
# An undo can be undone too: its reversing entries (closed periods) are removed; what it
# deleted comes back with the next post.
UNDOABLE_KINDS = ("post", "retry", "undo")


class LaterRunsBuildOnIt(ValueError):
    """The undo is refused: later runs changed or refer to what the run posted."""

    def __init__(self, run_id: int, building: dict[int, str]) -> None:
        runs = ", ".join(f"run {n} ({key})" for n, key in sorted(building.items()))
        super().__init__(f"later runs build on what run {run_id} posted: {runs}. Undo the "
                         "latest run first, then this one")
        self.run_id = run_id
        self.building = dict(building)  # later run -> one record of it that builds on it


@dataclass
class UndoPlan:
    run_id: int
    operations: list[Operation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what is not undone, and why


def plan_undo(database: Database, company_id: int, client: QboClient, ledger: LiveLedger,
              run_id: int, chart: Chart) -> UndoPlan:
    entries = _run_entries(database, company_id, run_id)
    undo = UndoPlan(run_id)
    data = load_company_data(database, company_id=company_id, need_mapping=False)
    preferences = client.query("SELECT * FROM Preferences")
    closed = closing_date(preferences[0] if preferences else {})
    locked = tuple(data.locked)
    current = _current(client, ledger, entries)
    removed: set[str] = set()
    for entry in reversed(entries):
        record = ledger.get(entry.ledger_key)
        if entry.entity_type in NAMES:
            continue  # names last, once what uses them is gone
        operation = _undo_one(entry, record, current, chart, ledger, closed, locked, undo)
        if operation is not None:
            undo.operations.append(operation)
            if operation.action == "delete":
                removed.add(entry.ledger_key)
    _refuse_if_later_runs_build_on_it(database, company_id, run_id, ledger, {
        op.key for op in undo.operations if op.action in ("delete", "update")})
    undo.operations += _retire_names(entries, ledger, removed, undo)
    return undo


def _undo_one(entry: ManifestEntry, record: LedgerRecord | None,
              current: Mapping[str, dict[str, Any]], chart: Chart, ledger: LiveLedger,
              closed: date | None, locked: tuple[Period, ...], undo: UndoPlan
              ) -> Operation | None:
    key, entity = entry.ledger_key, entry.entity_type
    if entry.action == "void":
        undo.notes.append(f"{entity} {key} was voided by the run; QuickBooks cannot un-void "
                          "a record: post it again from the source if it should exist")
        return None
    if record is None:
        if entry.action == "delete":
            undo.notes.append(f"{entity} {key} was deleted by that undo: the next post "
                              "creates it again from the source")
        return None  # gone already: undone before
    row = current.get(key)
    if entry.action == "create":
        if row is None:
            undo.notes.append(f"{entity} {key} is no longer in QuickBooks")
            return None
        day = record.txn_date or entry.txn_date
        postings = tuple(record_postings(entity, row, chart))
        if _closed(day, closed, locked):
            if ledger.get(f"je:undo:{undo.run_id}:{key}") is not None:
                return None  # reversed already by an earlier undo of this run
            return _reversing(undo.run_id, key, entity, row, postings, day, closed, locked,
                              chart)
        return Operation("delete", entity, key, {}, f"Delete {entity} "
                         f"{row.get('DocNumber') or key} (undo of run {undo.run_id})",
                         txn_date=day, amount=record.total_amount,
                         postings=reverse(postings))
    if entry.action == "update" and entry.before_payload is not None:
        before = from_text(entry.before_payload)
        if dict(record.payload) == before:
            return None  # restored already
        restore = _restore_postings(entity, row, before, ledger, chart)
        if _closed(record.txn_date, closed, locked):  # the change is reversed, not undone
            if ledger.get(f"je:undo:{undo.run_id}:{key}") is not None or row is None:
                return None
            return _reversing(undo.run_id, key, entity, row, reverse(restore),
                              record.txn_date, closed, locked, chart)
        return Operation("update", entity, key, before, f"Restore {entity} {key} as it was "
                         f"before run {undo.run_id}", txn_date=record.txn_date,
                         amount=record.total_amount, postings=restore)
    return None


def _reversing(run_id: int, key: str, entity: str, row: Mapping[str, Any],
               postings: tuple[Posting, ...], day: date | None, closed: date | None,
               locked: tuple[Period, ...], chart: Chart) -> Operation | None:
    """An equal-and-opposite journal entry on the first open day (the period is closed)."""
    reversing_key = f"je:undo:{run_id}:{key}"
    nets = net_by_account(reverse(postings))
    if not nets:
        return None
    when = _first_open(day or date.min, closed, locked)
    ids = {name: qbo_id for qbo_id, name in chart.account_names.items()}
    class_ids = {name: qbo_id for qbo_id, name in chart.class_names.items()}
    customer = row.get("CustomerRef")
    lines = []
    for (account, class_name), net in sorted(nets.items(), key=lambda kv: (kv[0][0],
                                                                          kv[0][1] or "")):
        detail: dict[str, Any] = {"PostingType": "Debit" if net > ZERO else "Credit",
                                  "AccountRef": {"value": ids[account]}}
        if class_name is not None and class_name in class_ids:
            detail["ClassRef"] = {"value": class_ids[class_name]}
        if customer and account == chart.account({"value": chart.receivable}):
            detail["Entity"] = {"Type": "Customer", "EntityRef": dict(customer)}
        lines.append({"Amount": abs(net), "DetailType": "JournalEntryLineDetail",
                      "Description": f"Reverses {entity} {row.get('DocNumber') or key}",
                      "JournalEntryLineDetail": detail})
    number = f"UNDO{run_id}-{entity[0]}{row['Id']}"[:21]  # ids repeat across kinds
    payload = {"TxnDate": when.isoformat(), "DocNumber": number,
               "PrivateNote": f"Ledgerbridge {reversing_key} | reverses {entity} "
                              f"{row.get('DocNumber') or key} of run {run_id}, dated "
                              f"{day} in a closed period",
               "Adjustment": True, "Line": lines}
    return Operation("create", "JournalEntry", reversing_key, payload,
                     f"Reversing entry for {entity} {row.get('DocNumber') or key} (closed "
                     f"period; undo of run {run_id})", txn_date=when,
                     amount=sum((abs(n) for n in nets.values() if n > ZERO), ZERO),
                     postings=reverse(postings))


def _retire_names(entries: list[ManifestEntry], ledger: LiveLedger, removed: set[str],
                  undo: UndoPlan) -> list[Operation]:
    """Items and customers the run created, made inactive when nothing left uses them."""
    in_use = _references(ledger, removed)
    operations: list[Operation] = []
    for entry in reversed(entries):
        record = ledger.get(entry.ledger_key)
        if entry.entity_type not in NAMES or entry.action != "create" or record is None \
                or record.state != "posted":
            continue
        if entry.entity_type in ("Account", "Class"):
            undo.notes.append(f"{entry.entity_type} {entry.ledger_key.split(':', 1)[1]} stays: "
                              "the mapping names it")
            continue
        if entry.ledger_key in in_use:
            undo.notes.append(f"{entry.entity_type} {entry.ledger_key} stays active: records "
                              "outside this run use it")
            continue
        removed.add(entry.ledger_key)
        in_use = _references(ledger, removed)
        # A parent goes inactive after its children (QuickBooks refuses to touch a child
        # whose parent is inactive): it waits for their deactivation.
        children = tuple(op.key for op in operations
                         if entry.ledger_key in _refs_of(ledger.get(op.key)))
        operations.append(Operation("deactivate", entry.entity_type, entry.ledger_key,
                                    {"Active": False}, f"Make {entry.entity_type.lower()} "
                                    f"{entry.ledger_key} inactive (undo of run {undo.run_id})",
                                    depends_on=children))
    return operations


def _refs_of(record: LedgerRecord | None) -> set[str]:
    return referenced_keys(record.payload) if record is not None else set()


def _references(ledger: LiveLedger, removed: set[str]) -> set[str]:
    used: set[str] = set()
    for record in ledger:
        if record.key not in removed and record.state != "inactive":
            used |= referenced_keys(record.payload)
    return used


def _restore_postings(entity: str, row: Mapping[str, Any] | None, before: Mapping[str, Any],
                      ledger: LiveLedger, chart: Chart) -> tuple[Posting, ...]:
    try:
        earlier = record_postings(entity, resolve_refs(dict(before), ledger.id_of), chart)
    except UnresolvedReference:
        return ()
    now = record_postings(entity, row, chart) if row is not None else []
    return tuple(earlier) + reverse(now)


def _current(client: QboClient, ledger: LiveLedger, entries: Iterable[ManifestEntry]
             ) -> dict[str, dict[str, Any]]:
    """The run's records as QuickBooks holds them now, by key (one query per kind)."""
    wanted: dict[str, dict[str, str]] = {}
    for entry in entries:
        record = ledger.get(entry.ledger_key)
        if record is not None:
            wanted.setdefault(record.entity, {})[record.qbo_id] = record.key
    found: dict[str, dict[str, Any]] = {}
    for entity, keys in wanted.items():
        ids = sorted(keys)
        for start in range(0, len(ids), 200):
            listed = ", ".join(quote(i) for i in ids[start:start + 200])
            for row in client.query(f"SELECT * FROM {entity} WHERE Id IN ({listed})"):
                found[keys[str(row["Id"])]] = row
    return found


def _refuse_if_later_runs_build_on_it(database: Database, company_id: int, run_id: int,
                                      ledger: LiveLedger, touched: set[str]) -> None:
    """A later run that changed records this undo deletes or restores, or made records
    that refer to them (a payment applied to an invoice), must be undone first: undoing
    under it would leave the books half undone (QuickBooks refuses to delete a paid
    invoice). Names are never deleted, so records using them do not count."""
    with database.session() as session:
        undone = set(session.scalars(select(PostingRun.undoes_run_id).where(
            PostingRun.company_id == company_id, PostingRun.kind == "undo",
            PostingRun.status == "finished")))
        later = session.execute(
            select(ManifestEntry.run_id, ManifestEntry.ledger_key, ManifestEntry.action)
            .join(PostingRun, PostingRun.id == ManifestEntry.run_id)
            .where(PostingRun.company_id == company_id, ManifestEntry.run_id > run_id,
                   PostingRun.kind.in_(("post", "retry")),
                   ManifestEntry.result.in_(("posted", "adopted")))).all()
    building: dict[int, str] = {}
    for later_run, key, action in later:
        if later_run in undone:
            continue
        record = ledger.get(key)
        if record is None or record.state == "inactive":
            continue  # undone already
        if (key in touched and action != "create") or _refs_of(record) & touched:
            building.setdefault(later_run, key)
    if building:
        raise LaterRunsBuildOnIt(run_id, building)


def _run_entries(database: Database, company_id: int, run_id: int) -> list[ManifestEntry]:
    with database.session() as session:
        run = session.get(PostingRun, run_id)
        if run is None or run.company_id != company_id:
            raise LookupError(f"there is no run {run_id}: see `ledgerbridge runs`")
        if run.kind not in UNDOABLE_KINDS:
            raise ValueError(f"run {run_id} is a {run.kind}: only posts, retries and undos "
                             "can be undone")
        return list(session.scalars(select(ManifestEntry).where(
            ManifestEntry.run_id == run_id,
            ManifestEntry.result.in_(("posted", "adopted"))).order_by(ManifestEntry.id)))


def _closed(day: date | None, closed: date | None, locked: tuple[Period, ...]) -> bool:
    if day is None:
        return False
    return (closed is not None and day <= closed) or any(day in period for period in locked)


def _first_open(day: date, closed: date | None, locked: tuple[Period, ...]) -> date:
    start = max(day, closed + timedelta(days=1)) if closed is not None else day
    return first_open_day(start, locked)
