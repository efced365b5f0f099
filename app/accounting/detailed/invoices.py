"""Invoices: one per order and participant, lines = the charges kept on the books.

SPEC §3a: item, quantity, rate, amount, the location's class and the service date per
charge; sales tax as separate lines on the rate's tax item; TxnDate = the first charge
date; DocNumber from the order ID (at most 21 characters); $0 invoices are still sent.
What happens when a posted order changes is decided in ``changes``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO
from app.domain.records import Charge
from app.plan.operations import ref
from app.plan.plan import Issue

from .context import PlanContext, note
from .history import KeptCharge, OrderHistory, removal_date
from .items import Catalog, deferred_item_key, program_item_key, tax_item_key
from .lines import Line
from .names import doc_number
from .problems import Problems


@dataclass
class OrderGroup:
    """The charges of one order for one participant: one invoice and its follow-ups."""

    order_id: str
    participant_id: str
    root: str  # "order:A17", or "order:A17:participant:P2" for a second participant
    charges: list[Charge]
    kept: list[KeptCharge]
    customer_key: str | None = None
    invoices: list[tuple[str, Decimal]] = field(default_factory=list)  # (key, total)
    # Posted invoices whose totals are read only if a payment needs them (an order with
    # nothing to plan this period is never read back: planning does not grow with history)
    deferred: tuple[list[str], Callable[[str], Decimal]] | None = None

    def invoice_totals(self) -> list[tuple[str, Decimal]]:
        """The order's posted invoices with their totals (read back on first use)."""
        if self.deferred is not None:
            keys, total_of = self.deferred
            self.invoices = [(key, total_of(key)) for key in keys]
            self.deferred = None
        return self.invoices

    @property
    def base_key(self) -> str:
        return f"invoice:{self.root}"

    @property
    def base_doc_number(self) -> str:
        if self.root == f"order:{self.order_id}":
            return doc_number(self.order_id)
        return doc_number(f"{self.order_id}-{self.participant_id}")

    def change_date(self, as_of: date) -> date | None:
        """The date of the latest cart event up to ``as_of`` (where a change is posted);
        None when the order has none yet."""
        days = [c.date for c in self.charges if c.date <= as_of]
        days += [removal_date(c) if c.removed_date else as_of
                 for c in self.charges if c.status == "removed" and c.date <= as_of]
        return max(days, default=None)


def order_groups(history: OrderHistory, charges: Iterable[Charge]) -> list[OrderGroup]:
    charges = sorted(charges, key=lambda c: (c.date, c.charge_id))
    if not charges or history.order_id is None:
        return []
    primary = charges[0].participant_id
    groups: dict[str, OrderGroup] = {}
    for charge in charges:
        pid = charge.participant_id
        root = f"order:{history.order_id}" + ("" if pid == primary else f":participant:{pid}")
        groups.setdefault(pid, OrderGroup(history.order_id, pid, root, [], []))
        groups[pid].charges.append(charge)
    for kept in history.kept:
        groups[kept.charge.participant_id].kept.append(kept)
    return [groups[pid] for pid in sorted(groups, key=lambda p: (p != primary, p))]


class LineBuilder:
    """Turns kept charges into invoice lines, or reports what blocks them."""

    def __init__(self, ctx: PlanContext, catalog: Catalog, problems: Problems) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.problems = problems

    def is_deferred(self, charge_date: date, program_id: str, on: date) -> bool:
        """Deferred: sold before the program starts, on a document dated before it."""
        program = self.ctx.dataset.program_by_id.get(program_id)
        if not self.ctx.mapping.deferred_revenue or program is None or not program.start_date:
            return False
        if program.kind == "gift_card":
            return False  # a gift card is a liability until spent, whatever its dates
        return charge_date < program.start_date and on < program.start_date

    def revenue_item(self, program_id: str, sale_date: date, on: date) -> str:
        if self.is_deferred(sale_date, program_id, on):
            return deferred_item_key(program_id)
        return program_item_key(program_id)

    def recognised(self, on: date):
        """Maps a deferred item to its income item once its program started by ``on``."""
        programs = self.ctx.dataset.program_by_id

        def remap(item_key: str) -> str:
            if item_key.startswith("item:deferred:"):
                program = programs.get(item_key.split(":", 2)[2])
                if program is not None and program.start_date and program.start_date <= on:
                    return program_item_key(program.program_id)
            return item_key

        return remap

    def class_of(self, program_id: str, owner: str) -> tuple[Any, str | None]:
        program = self.ctx.dataset.program_by_id[program_id]
        target = self.ctx.location_class(program.location_id)
        if target is None:
            return None, None
        return self.ctx.class_ref(target, owner), target.name

    def lines(self, kept: Iterable[KeptCharge], on: date, owner: str) -> list[Line] | None:
        """A sales line per charge, then each charge's tax line (on its rate's tax item),
        every line naming its charge; None when something blocks."""
        sales: list[Line] = []
        tax_lines: list[Line] = []
        for item in sorted(kept, key=lambda k: (k.charge.date, k.charge.charge_id)):
            charge = item.charge
            if not self._usable(charge, owner):
                return None
            item_key = self.revenue_item(charge.program_id, charge.date, on)
            if not self._item_usable(item_key, owner, f"charge:{charge.charge_id}"):
                return None
            class_ref, class_name = self.class_of(charge.program_id, owner)
            sales.append(self._sales_line(item, item_key, class_ref, class_name))
            if item.tax:
                tax_key = tax_item_key(charge.tax_rate_id or "")
                if not self._item_usable(tax_key, owner, f"charge:{charge.charge_id}"):
                    return None
                tax_lines.append(Line(tax_key, item.tax, class_ref, class_name,
                                      description=self._tax_text(tax_key),
                                      charge_id=charge.charge_id))
        return sales + tax_lines

    def _sales_line(self, item: KeptCharge, item_key: str, class_ref: Any,
                    class_name: str | None) -> Line:
        charge = item.charge
        program = self.ctx.dataset.program_by_id[charge.program_id]
        text = charge.description or program.name
        if item.removed:
            return Line(item_key, item.amount, class_ref, class_name, Decimal(1), None,
                        charge.date, f"{text} (removed after a refund; kept as refunded)",
                        charge.charge_id)
        return Line(item_key, item.amount, class_ref, class_name, charge.quantity,
                    charge.unit_price, charge.date, text, charge.charge_id)

    def _tax_text(self, tax_key: str) -> str:
        rate = self.ctx.dataset.tax_rate_by_id.get(tax_key.split(":", 2)[2])
        return f"Sales tax {rate.name}" if rate else "Sales tax"

    def _usable(self, charge: Charge, owner: str) -> bool:
        source = f"charge:{charge.charge_id}"
        if charge.program_id not in self.ctx.dataset.program_by_id:
            self._define("unknown_program", f"A charge names program {charge.program_id!r}, "
                         "which the data does not have", "re-import the programs export")
            self.problems.block("unknown_program", owner, source)
            return False
        if (charge.tax_amount or ZERO) and charge.tax_rate_id is None:
            self._define("tax_without_rate", "A charge has tax but no tax rate",
                         "add the tax_rate_id column to the charges export")
            self.problems.block("tax_without_rate", owner, source)
            return False
        return True

    def _item_usable(self, item_key: str, owner: str, source: str) -> bool:
        problem = self.catalog.problem_of(item_key)
        if problem is None:
            return True
        if problem == "unknown_item":
            self._define(problem, f"No program or tax rate for item {item_key!r}",
                         "re-import the programs and tax rates")
        self.problems.block(problem, owner, source)
        return False

    def _define(self, code: str, message: str, fix: str) -> None:
        self.problems.define(code, Issue("error", code, message, fix))


def sales_payload(ctx: PlanContext, key: str, customer_key: str, day: date,
                  number: str, lines: list[Line], memo: str = "") -> dict[str, Any]:
    """The body shared by Invoice and CreditMemo (and, without A/R, RefundReceipt)."""
    payload: dict[str, Any] = {
        "CustomerRef": ref(customer_key),
        "TxnDate": day.isoformat(),
        "DocNumber": number,
        "PrivateNote": note(key, memo),
        "Line": [line.payload() for line in lines],
    }
    receivable = ctx.receivable()
    if receivable is not None:
        payload["ARAccountRef"] = ctx.account_ref(receivable, "accounts_receivable", key)
    return payload


def moved_memo(natural: date, day: date) -> str:
    """The label of a record posted on another day than its own (a locked period)."""
    if natural == day:
        return ""
    return f"Adjustment: dated {natural.isoformat()} in a locked period"
