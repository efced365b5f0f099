"""Small hand-written scenarios for the detailed planner, and a stand-in for the poster.

``post`` applies a plan to a ledger the way the poster will record it (the payload last
sent, merged for sparse updates), so tests can plan, post and plan again.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from app.accounting.detailed import plan_detailed
from app.accounting.ledger_view import PostedRecord
from app.domain.dataset import Dataset
from app.domain.records import (
    Charge,
    Customer,
    Location,
    Participant,
    Payment,
    Program,
    Refund,
    TaxRate,
)
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period, Plan
from app.plan.postings import net_by_account
from app.sync.ledger_writes import ledger_after

D = Decimal
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))

AR = "Accounts Receivable (A/R)"
UF = "Undeposited Funds"
SWIM = "Tuition:Swim Lessons"
CAMP = "Tuition:Camp"
TAX = "Sales Tax Payable:County T1"
DEFERRED = "Deferred Revenue"
DOWNTOWN = "Riverside Swim:Downtown L1"


def day(d: int, month: int = 3) -> date:
    return date(2026, month, d)


def mapping(**options: Any) -> MappingConfig:
    return MappingConfig(
        style="detailed",
        accounts={"accounts_receivable": Target(AR, "1"), "undeposited_funds": Target(UF, "2"),
                  "deferred_revenue": Target(DEFERRED, "3")},
        income={"Swim": Target(SWIM, "10"), "Camp": Target(CAMP, "11")},
        tenders={"card": Target("Merchant Settlement", "4")},
        locations={"L1": Target(DOWNTOWN, "500")},
        tax_rates={"T1": Target(TAX, "20")},
        **options,
    )


def base_records() -> list[Any]:
    return [
        Customer("C1", "Dana Lee", "Dana", "Lee", "dana@example.com"),
        Participant("P1", "Ava", "Lee", "C1"),
        Participant("P2", "Sam", "Lee", "C1"),
        Location("L1", "Downtown"),
        Program("SW1", "Swim Level 1", "Swim", "L1", D("100.00")),
        Program("CA1", "Summer Camp", "Camp", "L1", D("200.00"), start_date=day(1, 7)),
        TaxRate("T1", "County", D("5")),
    ]


def charge(cid: str, order: str, amount: str, when: date, *, participant: str = "P1",
           program: str = "SW1", tax: str | None = None, **kw: Any) -> Charge:
    return Charge(cid, order, participant, program, when, D(amount),
                  tax_rate_id="T1" if tax else None, tax_amount=D(tax) if tax else None, **kw)


def payment(pid: str, order: str | None, amount: str, when: date, **kw: Any) -> Payment:
    kw.setdefault("tender", "card")
    return Payment(pid, when, amount=D(amount), customer_id="C1", order_id=order, **kw)


def refund(rid: str, pid: str, amount: str, when: date, **kw: Any) -> Refund:
    return Refund(rid, pid, when, D(amount), **kw)


def dataset(*records: Any) -> Dataset:
    return Dataset.from_records([*base_records(), *records])


def plan(data: Dataset, ledger: dict | None = None, period: Period = MARCH,
         config: MappingConfig | None = None, locked: Iterable[Period] = ()) -> Plan:
    return plan_detailed(data, config or mapping(), ledger or {}, period, tuple(locked))


def post(plan_: Plan, ledger: dict[str, PostedRecord] | None = None) -> dict[str, PostedRecord]:
    """What the ledger holds after the poster sent every operation of ``plan_``."""
    start = len(ledger or {}) + 1
    return ledger_after(ledger or {}, plan_.operations, lambda n, _op: str(start + n))


def ops(plan_: Plan, entity: str | None = None, action: str | None = None) -> list:
    return [o for o in plan_.operations
            if (entity is None or o.entity == entity) and (action is None or o.action == action)]


def op(plan_: Plan, key: str):
    found = [o for o in plan_.operations if o.key == key]
    assert len(found) == 1, f"{key} planned {len(found)} times: {[o.key for o in plan_.operations]}"
    return found[0]


def lines(operation) -> list[tuple]:
    """(item key, amount, class id or ref) per line, compact for assertions."""
    result = []
    for line in operation.payload["Line"]:
        if "SalesItemLineDetail" in line:
            detail = line["SalesItemLineDetail"]
            cls = detail.get("ClassRef", {}).get("value")
            result.append((detail["ItemRef"]["$ref"], line["Amount"], cls))
        elif "JournalEntryLineDetail" in line:
            detail = line["JournalEntryLineDetail"]
            result.append((detail["PostingType"], detail["AccountRef"]["name"], line["Amount"]))
        else:
            result.append((line["LinkedTxn"][0]["TxnId"]["$ref"], line["Amount"]))
    return result


def books(*plans: Plan) -> dict[str, Decimal]:
    """Net debit per account over the postings of ``plans`` (classes merged)."""
    totals: dict[str, Decimal] = {}
    for plan_ in plans:
        for (account, _cls), amount in net_by_account(
                p for o in plan_.operations for p in o.postings).items():
            totals[account] = totals.get(account, D("0")) + amount
    return {k: v for k, v in totals.items() if v}


def sent_books(ledger: dict[str, PostedRecord], config: MappingConfig | None = None,
               ) -> dict[str, Decimal]:
    """Net debit per account read from the payloads the ledger holds (``payload_books``)."""
    from .payload_books import payload_books

    config = config or mapping()
    targets = [*config.accounts.values(), *config.income.values(), *config.tenders.values(),
               *config.tax_rates.values()]
    names = {t.qbo_id: t.name for t in targets if t.qbo_id}
    return payload_books(ledger, names, AR)
