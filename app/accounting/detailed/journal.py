"""Journal entries the detailed style needs: deferred revenue recognition, refunds paid
out of a customer's credit, refund reclassifications, and reversals that stand in for
edits to locked periods.

A posted journal entry is never rewritten (SPEC §3a): when what an entry should hold
changes after it was posted, the difference is a new entry ``<key>:adj:<n>``, dated the
day of the change (the first open day when that day is in a locked period) and labelled
with the entry it adjusts. The entry and its adjustments together always hold exactly
what the source says now, so planning again plans nothing.

Every entry is checked to balance before it is planned; a line on Accounts Receivable
names its customer (QBO wants an entity on A/R lines).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO, money
from app.mapping.config import Target
from app.plan.operations import REF, Operation, ref
from app.plan.postings import Posting, credit, debit, is_balanced

from .context import PlanContext, note
from .names import doc_number

ADJUSTMENT = ":adj:"


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

    @property
    def identity(self) -> tuple[str, str, str]:
        """Where the line posts: account, class and customer (by name and key)."""
        cls = self.class_target.name if self.class_target else ""
        return self.account.name, cls, self.customer_key or ""


def adjustment_key(key: str, n: int) -> str:
    return f"{key}{ADJUSTMENT}{n}"


def posted_entry_keys(ctx: PlanContext, key: str) -> list[str]:
    """The posted entry and its posted adjustments, oldest first ([] if never posted)."""
    if not ctx.ledger.exists(key):
        return []
    keys, n = [key], 1
    while ctx.ledger.exists(adjustment_key(key, n)):
        keys.append(adjustment_key(key, n))
        n += 1
    return keys


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
                  changed_on: date | None = None) -> Operation | None:
    """Plan a balanced entry, or, once it is posted, the adjustment its change needs.

    ``day`` dates a new entry; ``changed_on`` is the day of the event that changes an
    entry already posted (default: ``day``): its adjustment is posted then, or on the
    first open day after a locked period, by the run whose period holds that day.
    """
    lines = [line for line in lines if line.amount != 0]
    _check_balanced(key, lines)
    posted = posted_entry_keys(ctx, key)
    if posted:
        return _adjustment(ctx, key, posted, number, lines, memo, sources, changed_on or day)
    if not lines:
        return None  # nothing to move (a zero amount)
    return _create(ctx, key, day, number, lines, memo, sources)


def _check_balanced(key: str, lines: list[JournalLine]) -> None:
    postings = [line.posting() for line in lines]
    if not is_balanced(postings):
        raise ValueError(f"journal entry {key} does not balance: {postings}")


def _create(ctx: PlanContext, key: str, day: date, number: str, lines: list[JournalLine],
            memo: str, sources: tuple[str, ...], adjustment: bool = False,
            ) -> Operation | None:
    if ctx.ledger.exists(key):  # the rule this module keeps: a posted entry is never updated
        raise ValueError(f"journal entry {key} is posted: plan an adjustment, not an update")
    for line in lines:
        if line.customer_key is not None:
            ctx.wanted.add(line.customer_key)
    payload: dict[str, Any] = {
        "TxnDate": day.isoformat(),
        "DocNumber": number,
        "PrivateNote": note(key, memo),
        "Line": [_line_payload(ctx, line, key) for line in lines],
    }
    if adjustment:
        payload["Adjustment"] = True
    total = sum((line.amount for line in lines if line.amount > 0), ZERO)
    return ctx.plan_record("JournalEntry", key, payload, f"Journal entry {number}: {memo}",
                           sources=sources, txn_date=day, amount=total,
                           postings=tuple(line.posting() for line in lines))


def _adjustment(ctx: PlanContext, key: str, posted: list[str], number: str,
                lines: list[JournalLine], memo: str, sources: tuple[str, ...],
                changed_on: date) -> Operation | None:
    """A new entry with the difference between ``lines`` and what is posted under ``key``."""
    day = ctx.scope.posting_date(changed_on)
    if day is None:
        return None  # the change belongs to another period's run
    # Adjustments dated after this run's period answer events it cannot see: re-running an
    # earlier period leaves them alone instead of reversing them.
    seen = [k for k in posted if k == key or _dated(ctx, k) <= ctx.as_of]
    delta = _difference(lines, [line for k in seen for line in read_entry(ctx, k)])
    if not delta:
        return None
    n = len(posted)  # the entry itself, then adjustments 1, 2, …
    label = f"Adjustment to {number}: {memo}"
    if day != changed_on:
        label += f" (change dated {changed_on.isoformat()} in a locked period)"
    return _create(ctx, adjustment_key(key, n), day, doc_number(number, f"-A{n}"), delta,
                   label, sources, adjustment=True)


def _dated(ctx: PlanContext, key: str) -> date:
    return date.fromisoformat(str(ctx.ledger.payload(key).get("TxnDate", date.min.isoformat())))


def _difference(target: list[JournalLine], posted: list[JournalLine]) -> list[JournalLine]:
    """Lines taking ``posted`` (per account, class and customer) to ``target``."""
    amounts: dict[tuple[str, str, str], Decimal] = {}
    model: dict[tuple[str, str, str], JournalLine] = {}
    for sign, group in ((1, target), (-1, posted)):
        for line in group:
            amounts[line.identity] = amounts.get(line.identity, ZERO) + sign * line.amount
            model.setdefault(line.identity, line)
    result = []
    for identity, amount in amounts.items():
        if amount:
            line = model[identity]
            text = f"Adjustment: {line.description}" if line.description else "Adjustment"
            result.append(JournalLine(line.account, line.role, amount, line.class_target,
                                      line.customer_key, text))
    return result


def read_entry(ctx: PlanContext, key: str) -> list[JournalLine]:
    """A posted entry's lines back as ``JournalLine`` (accounts and classes by name)."""
    lines = []
    for raw in ctx.ledger.payload(key).get("Line", ()):
        detail = raw.get("JournalEntryLineDetail", {})
        amount = money(raw.get("Amount", "0"))
        account_ref, class_ref = detail.get("AccountRef"), detail.get("ClassRef")
        account, role = _account_target(ctx, account_ref)
        entity = (detail.get("Entity") or {}).get("EntityRef")
        lines.append(JournalLine(
            account, role, amount if detail.get("PostingType") == "Debit" else -amount,
            _class_target(ctx, class_ref),
            ctx.ledger.key_of(entity, "Customer") if entity else None,
            raw.get("Description")))
    return lines


def _account_target(ctx: PlanContext, reference: Mapping[str, Any] | None) -> tuple[Target, str]:
    name = ctx.ledger.account_name(reference)
    mapping = ctx.mapping
    roles: list[tuple[str, Mapping[str, Target]]] = [
        ("income", mapping.income), ("tax", mapping.tax_rates),
        ("undeposited_funds", mapping.tenders)]
    for role, target in mapping.accounts.items():
        if target.name == name:
            return target, role
    for role, targets in roles:
        for target in targets.values():
            if target.name == name:
                return target, role
    return Target(name, _posted_id(reference)), "income"  # posted, so it exists in QBO


def _class_target(ctx: PlanContext, reference: Mapping[str, Any] | None) -> Target | None:
    name = ctx.ledger.class_name(reference)
    if name is None:
        return None
    for target in ctx.mapping.locations.values():
        if target.name == name:
            return target
    return Target(name, _posted_id(reference))


def _posted_id(reference: Mapping[str, Any] | None) -> str | None:
    if not reference or REF in reference:
        return None
    return str(reference.get("value"))

