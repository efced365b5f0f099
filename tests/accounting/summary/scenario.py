"""Small hand-written summary-style scenarios: a mapped company, records, and readers.

``lines_of(op)`` renders a planned journal entry as (posting, account, class, amount)
tuples with fully-qualified names, so tests read like the entry an accountant checks.
``posted(plan, ledger)`` plays the poster: the ledger after the plan was sent.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from app.accounting.ledger_view import PostedRecord
from app.accounting.summary import plan_summary
from app.domain.dataset import Dataset
from app.domain.records import Location, Payment, PaymentAllocation, Program, Refund, TaxRate
from app.mapping.config import MappingConfig, Target
from app.plan.operations import REF, Operation
from app.plan.payload_text import from_text, to_text
from app.plan.plan import Period, Plan
from app.sync.ledger_writes import ledger_after

D = Decimal
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))

ACCOUNTS = {
    "undeposited_funds": Target("Undeposited Funds", "1"),
    "merchant_settlement": Target("Merchant Settlement", "2"),
    "discounts_and_credits": Target("Discounts and Credits", "3"),
    "gift_card_holding": Target("Gift Card Holding", "4"),
    "unapplied_payments": Target("Unapplied Payments", "5"),
    "tax_parent": Target("Sales Tax Payable", "6"),
}
INCOME = {
    "Swim Lessons": Target("Tuition:Swim Lessons", "10"),
    "Camp": Target("Tuition:Camp", "11"),
    "Gift Cards": Target("Gift Card Sales", "12"),
}
TAX_RATES = {"T1": Target("Sales Tax Payable:Tax Rate - County T1", "20")}
LOCATIONS = {
    "L1": Target("Riverside Swim:Downtown L1", "101"),
    "L2": Target("Riverside Swim:Uptown L2", "102"),
}


def mapping(**changes: Any) -> MappingConfig:
    values: dict[str, Any] = dict(
        style="summary", go_live=date(2026, 3, 1), sync="daily",
        organisation_class="Riverside Swim", organisation_class_id="100",
        accounts=ACCOUNTS, income=INCOME, tax_rates=TAX_RATES, locations=LOCATIONS,
    )
    values.update(changes)
    return MappingConfig(**values)


REFERENCE = [
    Location("L1", "Downtown"),
    Location("L2", "Uptown"),
    Program("SW", "Swim Lessons", category="Swim Lessons", location_id="L1"),
    Program("CA", "Summer Camp", category="Camp", location_id="L2"),
    Program("GC", "Gift Card", category="Gift Cards", kind="gift_card"),
    TaxRate("T1", "County", D("5")),
]


def pay(pid: str, day: int, tender: str, amount: str, *allocs: tuple[str, str, str | None],
        status: str = "completed", month: int = 3) -> list[Any]:
    """A payment plus its allocations ``(program, amount, tax)`` (tax rate T1 when taxed)."""
    records: list[Any] = [Payment(pid, date(2026, month, day), tender, D(amount),
                                  customer_id="C1", status=status)]
    for program, revenue, tax in allocs:
        records.append(PaymentAllocation(pid, program, D(revenue),
                                         tax_rate_id="T1" if tax else None,
                                         tax_amount=D(tax) if tax else None))
    return records


def refund(rid: str, pid: str, day: int, amount: str, kind: str = "refund",
           month: int = 3) -> Refund:
    return Refund(rid, pid, date(2026, month, day), D(amount), kind=kind)


def dataset(*groups: Iterable[Any] | Any) -> Dataset:
    records: list[Any] = list(REFERENCE)
    for group in groups:
        records.extend(group if isinstance(group, list) else [group])
    return Dataset.from_records(records)


def plan(data: Dataset, config: MappingConfig | None = None,
         ledger: Mapping[str, PostedRecord] | None = None, period: Period = MARCH,
         locked: Iterable[Period] = ()) -> Plan:
    return plan_summary(data, config or mapping(), ledger or {}, period, tuple(locked))


def _names(config: MappingConfig) -> dict[tuple[str, str], str]:
    names = {("Class", "100"): "Riverside Swim"}
    for table in (config.accounts, config.income, config.tax_rates, config.tenders):
        names.update({("Account", t.qbo_id): t.name for t in table.values() if t.qbo_id})
    names.update({("Class", t.qbo_id): t.name for t in config.locations.values() if t.qbo_id})
    return names


def _name(entity: str, ref: Mapping[str, Any] | None, names: Mapping[tuple[str, str], str]):
    if ref is None:
        return None
    if REF in ref:
        return ref[REF].split(":", 1)[1]
    return names[(entity, ref["value"])]


def lines_of(op: Operation, config: MappingConfig | None = None) -> list[tuple[str, str, Any, D]]:
    names = _names(config or mapping())
    out = []
    for line in op.payload["Line"]:
        detail = line["JournalEntryLineDetail"]
        out.append((detail["PostingType"], _name("Account", detail["AccountRef"], names),
                    _name("Class", detail.get("ClassRef"), names), line["Amount"]))
    return out


def balance(op: Operation) -> Decimal:
    signed = [line["Amount"] if line["JournalEntryLineDetail"]["PostingType"] == "Debit"
              else -line["Amount"] for line in op.payload["Line"]]
    return sum(signed, D(0))


def entries(result: Plan) -> list[Operation]:
    return [op for op in result.operations if op.entity == "JournalEntry"]


def by_key(result: Plan) -> dict[str, Operation]:
    return {op.key: op for op in result.operations}


def posted(result: Plan, ledger: Mapping[str, PostedRecord] | None = None,
           as_text: bool = True) -> dict[str, PostedRecord]:
    """The ledger after the poster sent ``result``; ``as_text``: as read back from the
    database (amounts stored as text, read back through ``from_text``)."""
    size = len(ledger or {})
    new = ledger_after(ledger or {}, result.operations, lambda n, _op: f"q{size}-{n}")
    if not as_text:
        return new
    return {key: dataclasses.replace(record, payload=from_text(to_text(record.payload)))
            for key, record in new.items()}


def account_totals(ops: Iterable[Operation], config: MappingConfig | None = None) -> dict[str, D]:
    """Net debit (+) / credit (-) per account over journal entries."""
    totals: dict[str, D] = {}
    for op in ops:
        if op.entity != "JournalEntry":
            continue
        for posting, account, _klass, amount in lines_of(op, config):
            signed = D(str(amount)) if posting == "Debit" else -D(str(amount))
            totals[account] = totals.get(account, D(0)) + signed
    return {k: v for k, v in totals.items() if v}


# The go-live lump sum (January, empty) already posted: later days get daily entries.
GOLIVE_KEY = "je:summary:golive:2026-01-01:2026-01-31"
GOLIVE_DONE = {
    GOLIVE_KEY: PostedRecord(GOLIVE_KEY, "JournalEntry", "900", "h", "posted",
                             {"PrivateNote": f"Ledgerbridge {GOLIVE_KEY} src:{'0' * 32}",
                              "Line": []}, date(2026, 1, 31)),
}


def daily_mapping(**changes: Any) -> MappingConfig:
    return mapping(**{"go_live": date(2026, 1, 1), **changes})


def plan_daily(data: Dataset, config: MappingConfig | None = None,
               ledger: Mapping[str, PostedRecord] | None = None, **kw: Any) -> Plan:
    """Plan March after the go-live entry was posted (so days get their own entries)."""
    return plan(data, config or daily_mapping(), {**GOLIVE_DONE, **(ledger or {})}, **kw)
