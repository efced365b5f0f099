"""Deferred revenue: recognised by a journal entry on the program's start date.

SPEC §3a/§5: a charge sold before its program starts is invoiced on the program's
deferred item (the deferred revenue liability). The entry that moves it to income
belongs to the period holding the start date, whatever today's date is. Its amount is
read from the documents themselves (invoices minus credit memos and refund receipts
on the deferred item dated before the start), so it moves exactly what was deferred.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO
from app.domain.records import Program

from .context import PlanContext
from .items import deferred_item_key
from .journal import JournalLine, journal_entry
from .lines import read_lines
from .names import doc_number

_SIGN = {"Invoice": 1, "CreditMemo": -1, "RefundReceipt": -1}


def _documents(ctx: PlanContext) -> Iterable[tuple[int, Mapping[str, Any]]]:
    """(sign, payload) of every live or planned sales document (planned wins)."""
    seen = set()
    for operation in ctx.operations:
        if operation.entity in _SIGN and operation.action in ("create", "update"):
            seen.add(operation.key)
            yield _SIGN[operation.entity], operation.payload
    for entity, sign in _SIGN.items():
        for record in ctx.ledger.entities(entity):
            if record.key not in seen and record.payload is not None:
                yield sign, record.payload


def deferred_amounts(ctx: PlanContext, program: Program) -> dict[str | None, Decimal]:
    """Class name -> amount on the program's deferred item before it starts."""
    key = deferred_item_key(program.program_id)
    totals: dict[str | None, Decimal] = {}
    for sign, payload in _documents(ctx):
        if date.fromisoformat(payload["TxnDate"]) >= (program.start_date or date.max):
            continue
        for line in read_lines(payload, ctx.ledger):
            if line.item_key == key:
                totals[line.class_name] = totals.get(line.class_name, ZERO) + sign * line.amount
    return {cls: amount for cls, amount in totals.items() if amount}


def plan_recognition(ctx: PlanContext) -> None:
    if not ctx.mapping.deferred_revenue:
        return
    liability = ctx.mapping.accounts.get("deferred_revenue")
    for program in ctx.dataset.programs:
        if program.start_date is None or liability is None:
            continue
        day = ctx.scope.posting_date(program.start_date)
        income = ctx.mapping.income.get(program.income_category)
        if day is None or income is None:
            continue
        amounts = deferred_amounts(ctx, program)
        if not amounts:
            continue
        lines = []
        for class_name, amount in sorted(amounts.items(), key=lambda a: a[0] or ""):
            cls = next((t for t in ctx.mapping.locations.values() if t.name == class_name), None)
            lines.append(JournalLine(liability, "deferred_revenue", amount, cls))
            lines.append(JournalLine(income, "income", -amount, cls))
        memo = f"Revenue for {program.name} recognised on its start date"
        if day != program.start_date:
            memo += f" ({program.start_date.isoformat()}, in a locked period)"
        journal_entry(ctx, f"je:deferred:{program.program_id}", day,
                      doc_number(program.program_id, "-DEF"), lines, memo,
                      (f"program:{program.program_id}",))
