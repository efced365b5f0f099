"""Reconciliation: the source beside QuickBooks, per account and class, for a period.

The **source** column is what the source records say the books hold once everything is
posted: the records Ledgerbridge posted in the period, as it posted them, plus what the
current plan would still send (changes not yet posted). The **QuickBooks** column is
read from QuickBooks, not from the local ledger: every record in the period that carries
a Ledgerbridge key, with QuickBooks' own chart (``app/sync/qbo_books.py``). A difference
is always explained by one of the lists below the table: a record edited, voided or
deleted in QuickBooks, a record carrying a Ledgerbridge key the ledger does not know, or
a change in the source not yet posted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from app.accounting.planner import plan as make_plan
from app.company_data import load_company_data
from app.domain.money import ZERO, money_str
from app.mapping.defaults import with_defaults
from app.models.database import Database
from app.models.jobs import Job
from app.plan.plan import Period
from app.plan.postings import Posting
from app.sync.client import QboClient
from app.sync.drift import changes
from app.sync.errors import NotFoundError
from app.sync.ledger_writes import LedgerRecord, LiveLedger
from app.sync.preflight import check_company
from app.sync.qbo_books import Chart, read_chart, record_postings
from app.sync.query import quote
from app.sync.stamps import stamped_key
from app.sync.wire import UnresolvedReference, resolve_refs
from app.write_session import ClientOpener, load_ledger

TRANSACTIONS = ("Invoice", "Payment", "CreditMemo", "RefundReceipt", "JournalEntry")
UNDO_ENTRY = "je:undo:"  # reversing entries an undo posted in a closed period


@dataclass(frozen=True)
class AccountLine:
    account: str
    class_name: str | None
    source: Decimal  # net debit the source says
    quickbooks: Decimal  # net debit QuickBooks holds

    @property
    def difference(self) -> Decimal:
        return self.quickbooks - self.source


@dataclass(frozen=True)
class ChangedRecord:
    key: str
    entity: str
    qbo_id: str | None
    change: str  # "edited" | "voided" | "deleted" | "unknown key" | "second record"
    details: tuple[str, ...] = ()
    doc_number: str | None = None


@dataclass
class Reconciliation:
    period: Period
    lines: list[AccountLine] = field(default_factory=list)
    changed: list[ChangedRecord] = field(default_factory=list)
    pending: list[tuple[str, str, str]] = field(default_factory=list)  # action, entity, key
    records_checked: int = 0

    @property
    def differences(self) -> list[AccountLine]:
        return [line for line in self.lines if line.difference != ZERO]

    @property
    def agrees(self) -> bool:
        return not (self.differences or self.changed or self.pending)

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": {"from": self.period.start.isoformat(), "to": self.period.end.isoformat()},
            "agrees": self.agrees, "records_checked": self.records_checked,
            "accounts": [{"account": a.account, "class": a.class_name,
                          "source": money_str(a.source), "quickbooks": money_str(a.quickbooks),
                          "difference": money_str(a.difference)} for a in self.lines],
            "changed_in_quickbooks": [{"key": c.key, "entity": c.entity, "qbo_id": c.qbo_id,
                                       "doc_number": c.doc_number, "change": c.change,
                                       "details": list(c.details)} for c in self.changed],
            "not_yet_posted": [{"action": a, "entity": e, "key": k} for a, e, k in self.pending],
        }


    def as_text(self) -> str:
        lines = [f"Reconciliation {self.period.start} to {self.period.end}: "
                 f"{self.records_checked} posted record(s) checked in QuickBooks"]
        places = [line.account + (f" / {line.class_name}" if line.class_name else "")
                  for line in self.lines]
        width = min(max([len("Account / class"), *map(len, places)]), 90)
        lines.append(f"  {'Account / class':<{width}} {'Source':>12} {'QuickBooks':>12} "
                     f"{'Difference':>12}")
        for where, line in zip(places, self.lines, strict=True):
            mark = "  <-- differs" if line.difference else ""
            shown = where if len(where) <= width else where[:width - 1] + "…"
            lines.append(f"  {shown:<{width}} {money_str(line.source):>12} "
                         f"{money_str(line.quickbooks):>12} {money_str(line.difference):>12}"
                         f"{mark}")
        for change in self.changed:
            label = f"{change.entity} {change.doc_number or change.qbo_id or ''}".strip()
            lines.append(f"CHANGED IN QUICKBOOKS ({change.change}): {label} [{change.key}]: "
                         + "; ".join(change.details))
        if self.pending:
            lines.append(f"Not yet posted: {len(self.pending)} change(s) from the source "
                         "(`ledgerbridge preview` lists them, `post` sends them).")
        lines.append("Everything agrees." if self.agrees else
                     "Differences found: see docs/reconciliation.md for what each means.")
        return "\n".join(lines)


def reconcile(database: Database, company_id: int, open_client: ClientOpener,
              period: Period) -> Reconciliation:
    data = load_company_data(database, company_id=company_id)
    if data.mapping is None:
        raise ValueError("there is no mapping yet: run `ledgerbridge mapping import FILE`")
    result = Reconciliation(period)
    ledger = load_ledger(database, company_id)
    sent_dates = _sent_dates(database, company_id)
    with open_client() as client:
        chart = read_chart(client)
        checked = check_company(client, with_defaults(data.mapping, data.dataset))
        pending = make_plan(data.dataset, checked.mapping, data.ledger, period, data.locked)
        ours = [r for r in ledger if r.entity in TRANSACTIONS
                and _in(sent_dates.get(r.key, r.txn_date), period)]
        held = _read_period(client, period, ours)
    source: list[Posting] = []
    for record in ours:
        if not record.key.startswith(UNDO_ENTRY):  # an undo's reversal is not the source's
            source += _intended_postings(record, ledger, chart, sent_dates)
    for operation in pending.operations:
        if operation.entity in TRANSACTIONS and _in(operation.txn_date, period):
            source += operation.postings
            result.pending.append((operation.action, operation.entity, operation.key))
    quickbooks: list[Posting] = []
    for entity, row in held.rows_in_period:
        quickbooks += record_postings(entity, row, chart)
    result.changed = _changes(ours, ledger, held, sent_dates) + [
        ChangedRecord(r.key, r.entity, r.qbo_id, "reversed by an undo", (
            f"an undo reversed {r.key.split(':', 3)[3]} (posted by run "
            f"{r.key.split(':')[2]}) in a closed period; `ledgerbridge undo` of that undo run "
            "takes the reversal back",), r.doc_number)
        for r in ours if r.key.startswith(UNDO_ENTRY) and r.state == "posted"]
    result.lines = _table(source, quickbooks)
    result.records_checked = len(ours)
    return result


# -- the two sides ------------------------------------------------------------------------

@dataclass
class _Held:
    """What QuickBooks holds: stamped records dated in the period, and ours by id."""

    rows_in_period: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    by_id: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    stamped: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def _read_period(client: QboClient, period: Period, ours: list[LedgerRecord]) -> _Held:
    held = _Held()
    ids = {(r.entity, r.qbo_id) for r in ours}
    for entity in TRANSACTIONS:
        rows = client.query(f"SELECT * FROM {entity} WHERE TxnDate >= "
                            f"{quote(period.start.isoformat())} AND TxnDate <= "
                            f"{quote(period.end.isoformat())}")
        for row in rows:
            key = stamped_key(entity, row)
            if (entity, str(row["Id"])) in ids or key is not None:
                held.rows_in_period.append((entity, row))
                held.by_id[(entity, str(row["Id"]))] = row
            if key is not None:
                held.stamped.append((entity, key, row))
    missing: dict[str, list[str]] = {}
    for entity, qbo_id in ids - set(held.by_id):
        missing.setdefault(entity, []).append(qbo_id)
    for entity, qbo_ids in missing.items():  # dated out of the period in QBO, or deleted
        listed = ", ".join(quote(i) for i in sorted(qbo_ids))
        for row in client.query(f"SELECT * FROM {entity} WHERE Id IN ({listed})"):
            held.by_id[(entity, str(row["Id"]))] = row
    return held


def _intended(record: LedgerRecord, ledger: LiveLedger,
              sent_dates: Mapping[str, date]) -> dict[str, Any]:
    """The record as Ledgerbridge sent it: references as ids, the date it was sent on."""
    def id_of(key: str) -> str:
        found = ledger.get(key)
        if found is None:
            raise UnresolvedReference(key)
        return found.qbo_id

    body = resolve_refs(dict(record.payload), id_of)
    if record.key in sent_dates:
        body["TxnDate"] = sent_dates[record.key].isoformat()
    return body


def _intended_postings(record: LedgerRecord, ledger: LiveLedger, chart: Chart,
                       sent_dates: Mapping[str, date]) -> list[Posting]:
    if record.state != "posted":
        return []  # voided: nothing left in the books
    try:
        return record_postings(record.entity, _intended(record, ledger, sent_dates), chart)
    except UnresolvedReference:
        return []


def _changes(ours: list[LedgerRecord], ledger: LiveLedger, held: _Held,
             sent_dates: Mapping[str, date]) -> list[ChangedRecord]:
    found: list[ChangedRecord] = []
    for record in ours:
        current = held.by_id.get((record.entity, record.qbo_id))
        if current is None:
            found.append(ChangedRecord(record.key, record.entity, record.qbo_id, "deleted",
                                       ("not in QuickBooks any more",), record.doc_number))
            continue
        try:
            intended = _intended(record, ledger, sent_dates)
        except UnresolvedReference:
            continue
        what = changes(record.entity, current, intended,
                       intended_voided=record.state == "voided")
        if what:
            kind = "voided" if what == ["voided in QuickBooks"] else "edited"
            found.append(ChangedRecord(record.key, record.entity, record.qbo_id, kind,
                                       tuple(what), record.doc_number))
    known = {(r.entity, r.qbo_id): r.key for r in ledger}
    for entity, key, row in held.stamped:
        if (entity, str(row["Id"])) in known:
            continue
        mine = ledger.get(key)
        kind = "second record" if mine is not None else "unknown key"
        detail = (f"QuickBooks {entity} {row['Id']} carries {key}, which Ledgerbridge posted "
                  f"as {mine.qbo_id}") if mine else \
            (f"QuickBooks {entity} {row['Id']} carries a Ledgerbridge key the ledger does "
             "not know (posted from another computer, or the ledger was restored)")
        found.append(ChangedRecord(key, entity, str(row["Id"]), kind, (detail,),
                                   row.get("DocNumber")))
    return found


def _table(source: Iterable[Posting], quickbooks: Iterable[Posting]) -> list[AccountLine]:
    sides: dict[tuple[str, str | None], list[Decimal]] = {}
    for index, postings in enumerate((source, quickbooks)):
        for posting in postings:
            key = (posting.account, posting.class_name)
            sides.setdefault(key, [ZERO, ZERO])[index] += posting.net
    return [AccountLine(account, class_name, values[0], values[1])
            for (account, class_name), values in sorted(sides.items(),
                                                        key=lambda kv: (kv[0][0], kv[0][1] or ""))
            if values != [ZERO, ZERO]]


def _sent_dates(database: Database, company_id: int) -> dict[str, date]:
    """Records re-dated into an open period: the date QuickBooks was sent."""
    with database.session() as session:
        rows = session.execute(select(Job.ledger_key, Job.overrides).where(
            Job.company_id == company_id, Job.status == "posted"))
        return {key: date.fromisoformat(overrides["TxnDate"]) for key, overrides in rows
                if overrides and overrides.get("TxnDate")}


def _in(day: date | None, period: Period) -> bool:
    return day is not None and period.start <= day <= period.end


__all__ = ["NotFoundError", "Reconciliation", "reconcile"]
