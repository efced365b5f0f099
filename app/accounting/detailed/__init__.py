"""The detailed posting style (SPEC §3a, the Regpack model): invoices per registrant.

``plan_detailed`` turns canonical records, the mapping and the ledger into the ordered
QBO operations for one period. Each module does one job:
``items`` (Service and tax items), ``customers`` (families and children, unique names),
``history`` (what stays invoiced and what each refund pays out of), ``invoices`` (lines),
``changes`` (first invoice, in-place update, supplemental invoice, credit memo),
``payments``, ``redemptions`` (gift cards spent), ``refunds``, ``deferred``
(recognition entries) and ``journal``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from app.accounting.ledger_view import LedgerView
from app.domain.dataset import Dataset
from app.mapping.config import MappingConfig
from app.plan.dependencies import without_blocked
from app.plan.operations import Operation
from app.plan.plan import Issue, Period, Plan

from .changes import OrderDocuments
from .context import PlanContext
from .customers import Directory
from .deferred import plan_recognition
from .history import order_histories
from .invoices import LineBuilder, OrderGroup, order_groups
from .items import Catalog
from .payments import PaymentPlanner
from .problems import Problems
from .redemptions import Redemptions, applies_credit
from .refunds import RefundPlanner, posted_split

_STAGE = {"Account": 0, "Class": 0, "Item": 1, "Customer": 2, "Invoice": 4, "Payment": 5,
          "RefundReceipt": 6, "CreditMemo": 6, "JournalEntry": 7}


def plan_detailed(dataset: Dataset, mapping: MappingConfig, ledger: LedgerView,
                  period: Period, locked_periods: Iterable[Period] = ()) -> Plan:
    ctx = PlanContext.build(dataset, mapping, ledger, period, tuple(locked_periods))
    problems = Problems()
    catalog = Catalog(ctx, problems)
    directory = Directory(ctx)
    builder = LineBuilder(ctx, catalog, problems)
    histories = order_histories(dataset, period.end, posted_split(ctx))
    groups_by_order = _plan_orders(ctx, catalog, builder, directory, problems, histories)
    payments = PaymentPlanner(ctx, directory, problems, groups_by_order)
    payments.plan(Redemptions(ctx, catalog, payments))
    RefundPlanner(ctx, catalog, builder, payments, groups_by_order).plan(histories)
    plan_recognition(ctx)
    _mark_used(ctx, catalog, directory)
    catalog.plan_items()
    directory.plan_customers()
    operations, issues = _with_targets(ctx, problems.issues())
    if dataset.missing:
        issues.append(Issue(
            "warning", "missing_from_export",
            f"{len(dataset.missing)} records are no longer in the latest full export; "
            "what was posted from them stays in QuickBooks",
            "check the source system; correct them there and re-import if they were deleted "
            "by mistake", sources=tuple(sorted(dataset.missing))))
    return Plan(tuple(sorted(operations, key=_order)), tuple(issues + ctx.issues), period)


def _plan_orders(ctx: PlanContext, catalog: Catalog, builder: LineBuilder,
                 directory: Directory, problems: Problems,
                 histories: dict) -> dict[str, list[OrderGroup]]:
    documents = OrderDocuments(ctx, catalog, builder, problems)
    groups_by_order: dict[str, list[OrderGroup]] = {}
    for order_id in sorted(k for k in histories if k is not None):
        groups = order_groups(histories[order_id],
                              ctx.dataset.charges_by_order.get(order_id, ()))
        for group in groups:
            group.customer_key = directory.key_for_participant(group.participant_id)
            documents.plan(group)
        groups_by_order[order_id] = groups
    return groups_by_order


def _mark_used(ctx: PlanContext, catalog: Catalog, directory: Directory) -> None:
    """Items and customers are planned when a planned transaction references them."""
    for operation in ctx.operations:
        for key in operation.depends_on:  # every $ref of the payload (see ``emit``)
            if key.startswith("customer:"):
                directory.use(key)
            elif key.startswith("item:"):
                catalog.use(key)


def _with_targets(ctx: PlanContext, issues: list[Issue]) -> tuple[list[Operation], list[Issue]]:
    """Plan the accounts and classes to create (create_missing), or block what needs them."""
    from app.accounting.targets_needed import plan_needed_targets

    operations, target_issues, blocked = plan_needed_targets(ctx.mapping, ctx.needed)
    everything = operations + ctx.operations
    kept = _without_unused(without_blocked(everything, blocked))
    target_issues = [replace(issue, blocks=tuple(sorted(
        {o.key for o in everything} - {o.key for o in without_blocked(everything, issue.blocks)}
        | set(issue.blocks)))) for issue in target_issues]
    return kept, issues + target_issues


def _without_unused(operations: list[Operation]) -> list[Operation]:
    """Drop the creation of an item or customer that no kept operation references.

    Items and customers are created only for a transaction that uses them (SPEC §3a);
    one whose only user was held back (an unmapped class, a missing account) waits too.
    """
    while True:
        used = {key for o in operations for key in o.depends_on}
        unused = {o.key for o in operations if o.action == "create"
                  and o.entity in ("Item", "Customer") and o.key not in used}
        if not unused:
            return operations
        operations = [o for o in operations if o.key not in unused]


def _order(operation: Operation) -> tuple:
    """SPEC §3a creation order: accounts/classes, items, customers, sub-customers,
    invoices, payments, refund receipts and credit memos, journal entries; payment voids
    before the invoices, and a payment taking what another gives up after that one."""
    stage: float = _STAGE.get(operation.entity, 8)
    if operation.entity == "Customer" and "ParentRef" in operation.payload:
        stage = 3
    if operation.action == "void":  # frees what the payment held: before the invoices and
        stage = 3.5  # payments of this run that count on it (QBO refuses to over-apply)
    elif operation.entity == "Payment" and any(d.startswith("payment:")
                                               for d in operation.depends_on):
        stage = 5.5  # takes what another payment of this run gives up: after it
    elif applies_credit(operation):
        stage = 6.5  # a gift card's 0.00 payment applies its credit memo: after it
    return stage, operation.txn_date or date.min, operation.key


__all__ = ["plan_detailed"]
