"""Journal entries the detailed style needs: deferred revenue recognition, refunds paid
out of a customer's credit, and reversals that stand in for edits to locked periods.

Every entry is checked to balance before it is planned; a line on Accounts Receivable
names its customer (QBO wants an entity on A/R lines).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import money
from app.mapping.config import Target
from app.plan.operations import Operation, ref
from app.plan.postings import Posting, credit, debit, is_balanced

from .context import PlanContext, note


@dataclass(frozen=True)
class JournalLine:
    account: Target
    role: str  # the account's mapping role (decides its type if it must be created)
    amount: Decimal  # positive: debit; negative: credit
    class_target: Target | None = None
    customer_key: str | None = None
    description: str | None = None

    def posting(self) -> Posting:
        cls = self.class_target.name if self.class_target else None
        return debit(self.account.name, self.amount, cls) if self.amount >= 0 else credit(
            self.account.name, -self.amount, cls)


def _line_payload(ctx: PlanContext, line: JournalLine, key: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "PostingType": "Debit" if line.amount >= 0 else "Credit",
        "AccountRef": ctx.account_ref(line.account, line.role, key),
    }
    class_ref = ctx.class_ref(line.class_target, key)
    if class_ref is not None:
        detail["ClassRef"] = class_ref
    if line.customer_key is not None:
        detail["Entity"] = {"Type": "Customer", "EntityRef": ref(line.customer_key)}
    payload: dict[str, Any] = {"DetailType": "JournalEntryLineDetail", "Amount": abs(line.amount),
                               "JournalEntryLineDetail": detail}
    if line.description:
        payload["Description"] = line.description
    return payload


def journal_entry(ctx: PlanContext, key: str, day: date, number: str,
                  lines: Iterable[JournalLine], memo: str, sources: tuple[str, ...],
                  posted_on: date | None = None) -> Operation | None:
    """Plan a balanced entry; ``posted_on`` (its own date) guards locked periods."""
    lines = [line for line in lines if line.amount != 0]
    postings = tuple(line.posting() for line in lines)
    if not lines:
        return None  # nothing to move (a zero amount)
    if not is_balanced(postings):
        raise ValueError(f"journal entry {key} does not balance: {postings}")
    if ctx.ledger.exists(key):  # a posted entry keeps its date: a later period's run
        day = date.fromisoformat(str(ctx.ledger.payload(key)["TxnDate"]))  # must not move it
    for line in lines:
        if line.customer_key is not None:
            ctx.wanted.add(line.customer_key)
    payload = {
        "TxnDate": day.isoformat(),
        "DocNumber": number,
        "PrivateNote": note(key, memo),
        "Line": [_line_payload(ctx, line, key) for line in lines],
    }
    total = sum((line.amount for line in lines if line.amount > 0), Decimal("0"))
    old: tuple[Posting, ...] = ()
    if ctx.ledger.exists(key):
        old = tuple(_read_postings(ctx, ctx.ledger.payload(key)))
    return ctx.plan_record("JournalEntry", key, payload, f"Journal entry {number}: {memo}",
                           sources=sources, txn_date=day, amount=total, postings=postings,
                           old_postings=old, posted_on=posted_on or day)


def _read_postings(ctx: PlanContext, payload: Any) -> list[Posting]:
    postings = []
    for line in payload.get("Line", ()):
        detail = line.get("JournalEntryLineDetail", {})
        account = ctx.ledger.account_name(detail.get("AccountRef"))
        amount = money(str(line.get("Amount", "0")))
        cls = ctx.ledger.class_name(detail.get("ClassRef"))
        postings.append(debit(account, amount, cls) if detail.get("PostingType") == "Debit"
                        else credit(account, amount, cls))
    return postings
