"""Refunds and chargebacks: a refund receipt for what reduces income, a journal entry for
what only pays out a customer's credit (see ``history`` for the rule).

SPEC §3a: paid out of the tender's deposit account (default Undeposited Funds), with
lines on the refunded program's item and its tax: first the removed lines the refund
turned out to pay for, the rest pro rata over what the order still sells and earlier
refunds have not taken back (by the payment's allocations when the export has them, else
by the charges). The rounding cent goes on the largest line. A receipt already posted
is never rewritten: a removal since moves its income reduction by a journal entry
(docs/accounting-detailed.md §2.8).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from app.domain.money import ZERO, cents, money
from app.plan.plan import Issue
from app.plan.postings import reverse

from .context import GIFT_CARD, PlanContext
from .history import Cover, OrderHistory, RefundSplit, removal_date
from .invoices import LineBuilder, OrderGroup, moved_memo, sales_payload
from .items import Catalog, tax_item_key
from .journal import JournalLine, journal_entry, posted_entry_keys, read_entry
from .lines import Line, line_signatures, lines_total, read_lines, sales_postings
from .names import doc_number
from .payments import PaymentPlanner

KIND_TEXT = {"refund": "Refund", "chargeback": "Chargeback", "echeck_return": "eCheck return"}


@dataclass(frozen=True)
class Share:
    """A part of what was sold, to spread a refund over: an item in a class."""

    program_id: str
    item_kind: str  # "revenue" | "tax"
    tax_rate_id: str | None
    location_id: str | None
    sale_date: date
    weight: Decimal
    payment_id: str | None = None  # an allocation's payment: its own refunds take from it


class RefundPlanner:
    def __init__(self, ctx: PlanContext, catalog: Catalog, builder: LineBuilder,
                 payments: PaymentPlanner, groups_by_order: dict[str, list[OrderGroup]]) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.builder = builder
        self.payments = payments
        self.groups_by_order = groups_by_order
        self._attributions: dict[str, list[tuple[Share, Decimal]] | None] = {}

    def plan(self, histories: dict[str | None, OrderHistory]) -> None:
        for order_id in sorted(histories, key=lambda o: o or ""):
            history = histories[order_id]
            reduced: dict[tuple, Decimal] = {}  # what earlier refunds already took back
            self._attributions = {
                split.refund.refund_id: self._attribute(split, history, reduced)
                for split in history.refunds if split.from_revenue > 0}
            for split in history.refunds:
                day = self.ctx.scope.posting_date(split.refund.date)
                posted = self.ctx.ledger.exists(f"refundreceipt:{split.refund.refund_id}")
                removed_on = self._removed_since(split, history)
                if split.from_revenue > 0 and posted and removed_on is not None:
                    # A posted receipt is never rewritten for a later removal (its period
                    # may be reported or closed): a journal entry dated the removal moves
                    # its income reduction.
                    self._reclassify(split, history, removed_on)
                elif split.from_revenue > 0 and day is not None:
                    self._refund_receipt(split, history, day)
                if split.from_credit > 0 and day is not None:
                    self._credit_refund(split, day)

    # --- shares -----------------------------------------------------------------------
    def shares(self, split: RefundSplit, history: OrderHistory,
               bought_by_then: bool = True) -> list[Share]:
        allocations = self.ctx.dataset.allocations_by_payment.get(split.payment.payment_id, ())
        shares: list[Share] = []
        if allocations:
            for a in allocations:
                program = self.ctx.dataset.program_by_id.get(a.program_id)
                location = a.location_id or (program.location_id if program else None)
                shares.append(Share(a.program_id, "revenue", None, location,
                                    split.payment.date, a.amount, a.payment_id))
                if a.tax_amount:
                    shares.append(Share(a.program_id, "tax", a.tax_rate_id, location,
                                        split.payment.date, a.tax_amount, a.payment_id))
            return _still_sold(shares, history)
        # What is still sold, and was already bought when the refund was made (a refund
        # cannot be for a later purchase); a removed line's refunded part is on the
        # refund that covered it.
        still = [k for k in history.kept if not k.removed]
        before = [k for k in still if k.charge.date <= split.refund.date or not bought_by_then]
        for kept in before:
            charge = kept.charge
            program = self.ctx.dataset.program_by_id.get(charge.program_id)
            location = program.location_id if program else None
            shares.append(Share(charge.program_id, "revenue", None, location, charge.date,
                                kept.amount))
            if kept.tax:
                shares.append(Share(charge.program_id, "tax", charge.tax_rate_id, location,
                                    charge.date, kept.tax))
        return [s for s in shares if s.weight > 0]

    def lines(self, split: RefundSplit, history: OrderHistory, key: str,
              day: date) -> list[Line] | None:
        """The refund's income reduction: first on the removed lines it turned out to pay
        for (their own items and tax), the rest pro rata over what is still sold."""
        pairs = self._attributions.get(split.refund.refund_id)
        if pairs is None:
            self.ctx.issue(Issue(
                "error", "refund_without_sale",
                f"Refund {split.refund.refund_id} cannot be matched to anything sold",
                "check the refund's payment ID, or import that payment's allocations",
                sources=(f"refund:{split.refund.refund_id}",), blocks=(key,)))
            return None
        merged: dict[tuple[str, str | None], list] = {}
        for share, amount in pairs:
            item_key = self._item(share, split.refund.date)
            problem = self.catalog.problem_of(item_key)
            if problem is not None:
                self.builder.problems.block(problem, key, f"refund:{split.refund.refund_id}")
                return None
            class_ref, class_name = self._class(share.location_id, key)
            entry = merged.setdefault((item_key, class_name), [ZERO, class_ref])
            entry[0] += amount
        kind = KIND_TEXT.get(split.refund.kind, "Refund")
        result = []
        for (item_key, class_name), (amount, class_ref) in merged.items():
            if amount:
                result.append(Line(item_key, amount, class_ref, class_name,
                                   service_date=day, description=kind))
        return result

    def _attribute(self, split: RefundSplit, history: OrderHistory,
                   reduced: dict[tuple, Decimal]) -> list[tuple[Share, Decimal]] | None:
        """Where the refund's income reduction goes: first the removed lines it turned out
        to pay for (their own items and tax, exactly), the rest pro rata over what is still
        sold and not yet refunded by an earlier refund (so no line is refunded below zero);
        None when nothing can take it."""
        covers = history.covers.get(split.refund.refund_id, [])
        pairs = [(share, share.weight) for cover in covers
                 for share in _cover_shares(self.ctx, cover)]
        rest = split.from_revenue - sum((amount for _s, amount in pairs), ZERO)
        if rest > 0:
            spread_over = _left_to_refund(self.shares(split, history), reduced)
            if sum((s.weight for s in spread_over), ZERO) < rest:
                spread_over = _left_to_refund(self.shares(split, history, False), reduced)
            if sum((s.weight for s in spread_over), ZERO) <= 0:
                return None
            pairs += zip(spread_over, _spread(rest, [s.weight for s in spread_over]),
                         strict=True)
        for share, amount in pairs:
            reduced[_share_key(share)] = reduced.get(_share_key(share), ZERO) + amount
        return pairs

    def _item(self, share: Share, refund_date: date) -> str:
        if share.item_kind == "tax":
            return tax_item_key(share.tax_rate_id or "")
        return self.builder.revenue_item(share.program_id, share.sale_date, refund_date)

    def _class(self, location_id: str | None, key: str):
        target = self.ctx.location_class(location_id)
        if target is None:
            return None, None
        return self.ctx.class_ref(target, key), target.name

    # --- records ---
    def _refund_receipt(self, split: RefundSplit, history: OrderHistory, day: date) -> None:
        refund = split.refund
        key = f"refundreceipt:{refund.refund_id}"
        tender = refund.tender or split.payment.tender
        if tender == GIFT_CARD:
            self._gift_card_refund(split, key)
            return
        parties = self.payments.parties(split.payment, tender, key, f"refund:{refund.refund_id}")
        if parties is None:
            return
        customer, deposit, _receivable = parties
        lines = self.lines(split, history, key, day)
        if lines is None:
            return
        number = doc_number(refund.refund_id, "-R")
        memo = f"{KIND_TEXT.get(refund.kind, 'Refund')} of payment {split.payment.payment_id}"
        if day != refund.date:
            memo += f"; {moved_memo(refund.date, day)}"
        payload = sales_payload(self.ctx, key, customer, day, number, lines, memo)
        payload.pop("ARAccountRef", None)  # a refund receipt does not touch A/R
        payload["DepositToAccountRef"] = deposit[0]
        self.payments.directory.use(customer)
        postings = reverse(sales_postings(lines, self.catalog.account_name, deposit[1]))
        self.ctx.plan_record("RefundReceipt", key, payload, f"Refund receipt {number}",
                             sources=(f"refund:{refund.refund_id}",), txn_date=day,
                             amount=lines_total(lines), postings=postings,
                             old_postings=self._old(key, deposit[1]), posted_on=refund.date)

    def _gift_card_refund(self, split: RefundSplit, key: str) -> None:
        """Putting spent gift card money back on the card reloads a liability; a refund
        receipt pays out of a bank account and cannot. Held back, with the fix."""
        refund = split.refund
        self.ctx.issue(Issue(
            "error", "gift_card_refund",
            f"Refund {refund.refund_id} puts {split.from_revenue} back on a gift card "
            f"(payment {split.payment.payment_id}); Ledgerbridge does not post that yet",
            "enter a credit memo on the refunded program and a journal entry from A/R to Gift "
            "Card Holding by hand, or refund to another tender in the source",
            sources=(f"refund:{refund.refund_id}",), blocks=(key,)))

    def _old(self, key: str, account: str):
        if not self.ctx.ledger.exists(key):
            return ()
        lines = read_lines(self.ctx.ledger.payload(key), self.ctx.ledger)
        return reverse(sales_postings(lines, self.catalog.account_name, account))

    def _reclassify(self, split: RefundSplit, history: OrderHistory, removed_on: date) -> None:
        """Move a posted refund's income reduction onto the lines removed since.

        The refund receipt stays as posted (its period may be closed); this entry debits
        the removed lines' items and credits back what the receipt had spread elsewhere,
        so income falls once, on the program the family no longer takes.
        """
        refund = split.refund
        key = f"je:refund_reclass:{refund.refund_id}"
        if self.ctx.ledger.exists(key):  # posted: a later removal is an adjustment of it
            day: date | None = date.fromisoformat(self.ctx.ledger.payload(key)["TxnDate"])
        else:
            day = self.ctx.scope.posting_date(removed_on)
        if day is None:
            return
        covers = history.covers.get(refund.refund_id, [])
        target = self.lines(split, history, key, day)
        if target is None:
            return
        receipt_key = f"refundreceipt:{refund.refund_id}"
        posted = read_lines(self.ctx.ledger.payload(receipt_key), self.ctx.ledger)
        moves = {sig: entry[0] for sig, entry in line_signatures(target).items()}
        for sig, entry in line_signatures(posted).items():
            moves[sig] = moves.get(sig, ZERO) - entry[0]
        if sum(moves.values(), ZERO) != 0:
            self.ctx.issue(Issue(
                "warning", "refund_not_reclassified",
                f"Refund {refund.refund_id} was posted for another amount; its income "
                "reduction is not moved onto the lines removed since",
                "check the refund receipt in QuickBooks and move it by hand",
                sources=(f"refund:{refund.refund_id}",)))
            return
        self.ctx.refund_lines[receipt_key] = [line.payload() for line in target]
        self.ctx.refund_moved_on[receipt_key] = removed_on
        classes = {t.name: t for t in self.ctx.mapping.locations.values()}
        lines = []
        for (item_key, class_name), amount in sorted(moves.items()):
            spec = self.catalog.specs.get(item_key)
            if not amount or spec is None or spec.account is None:
                if amount:
                    return  # an item without an account: the receipt's own issue shows it
                continue
            lines.append(JournalLine(spec.account, spec.account_role, amount,
                                     classes.get(class_name) if class_name else None))
        kind = KIND_TEXT.get(refund.kind, "Refund")
        removed = ", ".join(sorted({c.charge.charge_id for c in covers})) or "none"
        memo = (f"{kind} {refund.refund_id} (payment {split.payment.payment_id}) moved off "
                f"lines removed since; removed lines it paid back: {removed}")
        journal_entry(self.ctx, key, day, doc_number(refund.refund_id, "-RX"), lines, memo,
                      (f"refund:{refund.refund_id}",
                       *(f"charge:{c.charge.charge_id}" for c in covers)), changed_on=removed_on)

    def _removed_since(self, split: RefundSplit, history: OrderHistory) -> date | None:
        """The last removal from the order on or after the refund (None: none since)."""
        dates = [removal_date(c) for c in self.ctx.dataset.charges_by_order.get(
            history.order_id or "", ()) if c.status == "removed"
            and split.refund.date <= removal_date(c) <= self.ctx.as_of]
        return max(dates, default=None)

    def _credit_refund(self, split: RefundSplit, day: date) -> None:
        """Pay out the customer's credit: A/R up (the credit is used), cash down."""
        refund = split.refund
        key = f"je:refund_credit:{refund.refund_id}"
        tender = refund.tender or split.payment.tender
        parties = self.payments.parties(split.payment, tender, key, f"refund:{refund.refund_id}")
        deposit = self.ctx.deposit_account(tender)
        if parties is None or deposit is None:
            return
        customer, _deposit_ref, receivable = parties
        kind = KIND_TEXT.get(refund.kind, "Refund")
        lines = [
            JournalLine(receivable, "accounts_receivable", split.from_credit, None, customer,
                        f"{kind} of the customer's credit"),
            JournalLine(deposit, self.ctx.deposit_role(tender), -split.from_credit, None, None,
                        kind),
        ]
        memo = f"{kind} of credit, payment {split.payment.payment_id}"
        if day != refund.date:
            memo += f"; {moved_memo(refund.date, day)}"
        journal_entry(self.ctx, key, day, doc_number(refund.refund_id, "-RC"), lines, memo,
                      (f"refund:{refund.refund_id}",), changed_on=refund.date)


def _cover_shares(ctx: PlanContext, cover: Cover) -> list[Share]:
    """A covered part of a removed charge: its revenue and its tax, weighted exactly."""
    charge = cover.charge
    program = ctx.dataset.program_by_id.get(charge.program_id)
    location = program.location_id if program else None
    shares = [Share(charge.program_id, "revenue", None, location, charge.date, cover.amount),
              Share(charge.program_id, "tax", charge.tax_rate_id, location, charge.date,
                    cover.tax)]
    return [s for s in shares if s.weight > 0]


def _share_key(share: Share) -> tuple:
    """What earlier refunds take from: a sold line (program, tax, location and sale), or
    one payment's allocation — not another payment's of the same day (before, the second of
    two same-day payments refunded found its allocation used up by the first's refund, and
    the refund was blocked as matching nothing sold; found by the end-to-end property test)."""
    return share.program_id, share.item_kind, share.tax_rate_id, share.location_id, (
        share.sale_date, share.payment_id or "")


def _left_to_refund(shares: list[Share], reduced: dict[tuple, Decimal]) -> list[Share]:
    """``shares`` merged per item and sale, less what earlier refunds took from them."""
    merged: dict[tuple, Share] = {}
    for share in shares:
        key = _share_key(share)
        old = merged.get(key)
        merged[key] = share if old is None else replace(old, weight=old.weight + share.weight)
    left = [replace(s, weight=s.weight - reduced.get(k, ZERO)) for k, s in merged.items()]
    return [s for s in left if s.weight > 0]


def _still_sold(shares: list[Share], history: OrderHistory) -> list[Share]:
    """Allocations of programs the order still sells; all of them if it sells none."""
    active = {k.charge.program_id for k in history.kept if not k.removed}
    kept = [s for s in shares if s.weight > 0 and s.program_id in active]
    return kept or [s for s in shares if s.weight > 0]


def _spread(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights``; the rounding cent on the largest."""
    whole = sum(weights, ZERO)
    amounts = [cents(total * w / whole) for w in weights]
    largest = max(range(len(weights)), key=lambda i: (weights[i], -i))
    amounts[largest] += total - sum(amounts, ZERO)
    return amounts


def posted_split(ctx: PlanContext):
    """How each refund was split when it was posted: (from credit, from revenue)."""

    def split(refund) -> tuple[Decimal, Decimal] | None:
        credit_key = f"je:refund_credit:{refund.refund_id}"
        receipt_key = f"refundreceipt:{refund.refund_id}"
        if not (ctx.ledger.exists(credit_key) or ctx.ledger.exists(receipt_key)):
            return None
        return _paid_out_of_credit(ctx, credit_key), _posted_total(ctx, receipt_key)

    return split


def _paid_out_of_credit(ctx: PlanContext, key: str) -> Decimal:
    """What a refund-of-credit entry and its adjustments took out of the customer's credit
    (the net debit on A/R; the entry is never rewritten, so the adjustments count)."""
    nets: dict[tuple[str, str, str], Decimal] = {}
    for k in posted_entry_keys(ctx, key):
        for line in read_entry(ctx, k):
            nets[line.identity] = nets.get(line.identity, ZERO) + line.amount
    return sum((net for net in nets.values() if net > 0), ZERO)


def _posted_total(ctx: PlanContext, key: str) -> Decimal:
    """The total of a posted refund receipt's lines."""
    if not ctx.ledger.exists(key):
        return ZERO
    return sum((money(line.get("Amount", "0")) for line in ctx.ledger.payload(key).get(
        "Line", ())), ZERO)
