"""Deferred revenue: recognised by a journal entry on the program's start date.

SPEC §3a/§5: a charge sold before its program starts is invoiced on the program's
deferred item (the deferred revenue liability). The entry that moves it to income
belongs to the period holding the start date, whatever today's date is. Its amount is
read from the documents themselves (invoices minus credit memos and refund receipts
on the deferred item dated before the start; a refund receipt whose income reduction a
``-RX`` entry moved counts where it was moved to), so it moves exactly what was deferred.
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
                moved = ctx.refund_lines.get(record.key)  # a ``-RX`` entry moved it
                yield sign, record.payload if moved is None else {**record.payload,
                                                                  "Line": moved}


def deferred_amounts(ctx: PlanContext, programs: list[Program]) -> dict[str, dict]:
    """Program ID -> {class name: amount on its deferred item before it starts}, in one
    pass over the documents."""
    starts = {deferred_item_key(p.program_id): p for p in programs if p.start_date}
    totals: dict[str, dict[str | None, Decimal]] = {}
    for sign, payload in _documents(ctx):
        day = date.fromisoformat(payload["TxnDate"])
        for line in read_lines(payload, ctx.ledger):
            program = starts.get(line.item_key)
            if program is None or day >= (program.start_date or date.max):
                continue
            by_class = totals.setdefault(program.program_id, {})
            by_class[line.class_name] = by_class.get(line.class_name, ZERO) + sign * line.amount
    return {pid: {c: a for c, a in by_class.items() if a} for pid, by_class in totals.items()}


def recognition_key(program_id: str) -> str:
    return f"je:deferred:{program_id}"


def _moved_items(ctx: PlanContext) -> dict[str, date]:
    """Item key -> the latest removal in this run's reach that moved a refund receipt's
    income reduction off or onto it (a ``-RX`` entry): a recognition already posted for
    that item changes on that day."""
    moved: dict[str, date] = {}
    for receipt, day in ctx.refund_moved_on.items():
        if ctx.scope.posting_date(day) is None:
            continue
        lines = [*ctx.refund_lines.get(receipt, ()), *ctx.ledger.payload(receipt).get("Line", ())]
        for line in read_lines({"Line": lines}, ctx.ledger):
            moved[line.item_key] = max(day, moved.get(line.item_key, day))
    return moved


def plan_recognition(ctx: PlanContext) -> None:
    """On its start date, a program's deferred amount moves to income (one entry). A later
    change to what was deferred (a refund moved off its line after the start) is an
    adjustment of that entry dated the change, never a rewrite of it."""
    if not ctx.mapping.deferred_revenue:
        return
    liability = ctx.mapping.accounts.get("deferred_revenue")
    moved = _moved_items(ctx)
    due = [p for p in ctx.dataset.programs if p.start_date and (
        ctx.scope.posting_date(p.start_date) is not None or (
            deferred_item_key(p.program_id) in moved
            and ctx.ledger.exists(recognition_key(p.program_id))))]
    if liability is None or not due:
        return
    all_amounts = deferred_amounts(ctx, due)
    for program in due:
        start: date = program.start_date  # type: ignore[assignment]
        day = ctx.scope.posting_date(start) or start  # a posted entry keeps its own date
        income = ctx.mapping.income.get(program.income_category)
        amounts = all_amounts.get(program.program_id, {})
        if income is None:
            continue
        lines = []
        for class_name, amount in sorted(amounts.items(), key=lambda a: a[0] or ""):
            cls = next((t for t in ctx.mapping.locations.values() if t.name == class_name), None)
            lines.append(JournalLine(liability, "deferred_revenue", amount, cls))
            lines.append(JournalLine(income, "income", -amount, cls))
        memo = f"Revenue for {program.name} recognised on its start date"
        if day != start:
            memo += f" ({start}, in a locked period)"
        changed_on = max(start, moved.get(deferred_item_key(program.program_id), start))
        journal_entry(ctx, recognition_key(program.program_id), day,
                      doc_number(program.program_id, "-DEF"), lines, memo,
                      (f"program:{program.program_id}",), changed_on=changed_on)
