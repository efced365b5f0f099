"""What a QuickBooks record does to the books: debits and credits per account and class.

Read from the record as QuickBooks holds it (or as Ledgerbridge meant to send it, its
references resolved to ids), with QuickBooks' own chart: an invoice credits each line's
item income account and debits Accounts Receivable; a payment debits its deposit
account and credits A/R; a credit memo and a refund receipt reverse sales lines; a
journal entry is its lines. A voided record has no amounts left. Reconciliation sums
these for both sides, so a difference is a difference of content, never of method.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO, money
from app.plan.postings import Posting, credit, debit

SALES_SIDE = {"Invoice": 1, "CreditMemo": -1, "RefundReceipt": -1, "SalesReceipt": 1}


@dataclass(frozen=True)
class Chart:
    """QuickBooks' accounts, classes and items, as read at the start of a reconciliation."""

    account_names: Mapping[str, str]  # id -> fully-qualified name
    class_names: Mapping[str, str]
    item_accounts: Mapping[str, str]  # item id -> income account id
    receivable: str | None = None  # id of the default Accounts Receivable account
    missing: set[str] = field(default_factory=set)  # ids referenced but not found

    @classmethod
    def read(cls, accounts: Iterable[Mapping[str, Any]], classes: Iterable[Mapping[str, Any]],
             items: Iterable[Mapping[str, Any]]) -> Chart:
        accounts = list(accounts)
        names = {str(a["Id"]): str(a.get("FullyQualifiedName") or a.get("Name"))
                 for a in accounts}
        receivable = next((str(a["Id"]) for a in accounts
                           if a.get("AccountType") == "Accounts Receivable"), None)
        return cls(names, {str(c["Id"]): str(c.get("FullyQualifiedName") or c.get("Name"))
                           for c in classes},
                   {str(i["Id"]): str(i["IncomeAccountRef"]["value"]) for i in items
                    if isinstance(i.get("IncomeAccountRef"), Mapping)}, receivable)

    def account(self, reference: Any) -> str:
        qbo_id = _id(reference)
        if qbo_id is None:
            return "(no account)"
        return self.account_names.get(qbo_id) or f"Account #{qbo_id}"

    def class_of(self, reference: Any) -> str | None:
        qbo_id = _id(reference)
        return None if qbo_id is None else self.class_names.get(qbo_id, f"Class #{qbo_id}")

    def item_account(self, reference: Any) -> str:
        qbo_id = _id(reference)
        account = self.item_accounts.get(qbo_id or "")
        return self.account({"value": account}) if account else f"(item #{qbo_id})"


def record_postings(entity: str, record: Mapping[str, Any], chart: Chart) -> list[Posting]:
    """The record's effect on the books, as QuickBooks would post it."""
    if entity == "JournalEntry":
        return list(_journal(record, chart))
    if entity == "Payment":
        total = _amount(record.get("TotalAmt"))
        if total == ZERO:
            return []  # a void, or a payment that only links a credit memo to an invoice
        receivable = chart.account(record.get("ARAccountRef") or {"value": chart.receivable})
        return [debit(chart.account(record.get("DepositToAccountRef")), total),
                credit(receivable, total)]
    sign = SALES_SIDE.get(entity)
    if sign is None:
        return []
    return _sales(entity, record, chart, sign)


def _sales(entity: str, record: Mapping[str, Any], chart: Chart, sign: int) -> list[Posting]:
    postings: list[Posting] = []
    total = ZERO
    for line in record.get("Line") or ():
        detail = line.get("SalesItemLineDetail")
        if line.get("DetailType") != "SalesItemLineDetail" or not isinstance(detail, Mapping):
            continue
        amount = _amount(line.get("Amount")) * sign
        total += amount
        postings.append(credit(chart.item_account(detail.get("ItemRef")), amount,
                               chart.class_of(detail.get("ClassRef"))))
    if total == ZERO:
        return [p for p in postings if p.net != ZERO]
    if entity == "RefundReceipt":
        offset = chart.account(record.get("DepositToAccountRef"))
    else:
        offset = chart.account(record.get("ARAccountRef") or {"value": chart.receivable})
    return [p for p in postings if p.net != ZERO] + [debit(offset, total)]


def _journal(record: Mapping[str, Any], chart: Chart) -> Iterable[Posting]:
    for line in record.get("Line") or ():
        detail = line.get("JournalEntryLineDetail")
        if not isinstance(detail, Mapping):
            continue
        amount = _amount(line.get("Amount"))
        if detail.get("PostingType") == "Credit":
            amount = -amount
        yield debit(chart.account(detail.get("AccountRef")), amount,
                    chart.class_of(detail.get("ClassRef")))


def _id(reference: Any) -> str | None:
    if isinstance(reference, Mapping):
        value = reference.get("value")
        return None if value in (None, "") else str(value)
    return None if reference in (None, "") else str(reference)


def _amount(value: Any) -> Decimal:
    return ZERO if value in (None, "") else money(value)


def read_chart(client: Any) -> Chart:
    """The company's accounts, classes and items, active and inactive (a ``QboClient``)."""
    def every(entity: str) -> list[dict[str, Any]]:
        return list(client.query(f"SELECT * FROM {entity}")) + list(client.query(
            f"SELECT * FROM {entity} WHERE Active = false"))

    return Chart.read(every("Account"), every("Class"), every("Item"))
