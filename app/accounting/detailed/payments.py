"""Payments: deposited to the tender's account and applied to the order's invoices.

SPEC §3a: applied to the order's invoice(s) up to their balance, oldest first; any
excess stays unapplied (a credit on the customer). A payment that later fails or is
voided is voided in QBO; if its period is locked, a reversing journal entry in the
first open period takes its place (a void would rewrite a closed period).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from app.domain.money import ZERO, money
from app.domain.records import TENDERS_CREDIT, Payment
from app.mapping.config import Target
from app.plan.operations import Operation, ref, ref_id
from app.plan.plan import Issue
from app.plan.postings import Posting, credit, debit, reverse

from .context import GIFT_CARD, UNDEPOSITED_FUNDS, PlanContext, note
from .customers import Directory
from .invoices import OrderGroup
from .journal import JournalLine, journal_entry
from .names import REF_NUM_MAX, clean_name, doc_number
from .problems import Problems
from .redemptions import Redemptions, credit_memo_key


def payment_key(payment_id: str) -> str:
    return f"payment:{payment_id}"


class PaymentPlanner:
    def __init__(self, ctx: PlanContext, directory: Directory, problems: Problems,
                 groups_by_order: dict[str, list[OrderGroup]]) -> None:
        self.ctx = ctx
        self.directory = directory
        self.problems = problems
        self.groups_by_order = groups_by_order
        self._warned: set[str] = set()
        # invoice key -> posted payments that keep less of it than they held
        self._givers: dict[str, set[str]] = {}

    # --- who and where ----------------------------------------------------------------
    def customer_for(self, payment: Payment) -> str | None:
        """The customer the order is invoiced to, else the payer."""
        groups = self.groups_by_order.get(payment.order_id or "", [])
        keys = {g.customer_key for g in groups if g.customer_key}
        if len(keys) == 1:
            return keys.pop()
        if keys:  # several children on one order: the family pays
            parents = {self.directory.parent_key(k) for k in keys}
            if len(parents) == 1 and None not in parents:
                return parents.pop()
            return groups[0].customer_key
        if payment.participant_id:
            return self.directory.key_for_participant(payment.participant_id)
        if payment.customer_id:
            return self.directory.key_for_customer(payment.customer_id)
        return None

    def deposit(self, tender: str, key: str, source: str) -> tuple[Any, str] | None:
        """(DepositToAccountRef, account name), or None when unmapped (blocks ``key``)."""
        target = self.ctx.deposit_account(tender)
        mapped = tender in self.ctx.mapping.tenders
        if tender == GIFT_CARD and target is None:
            self.problems.define("unmapped_gift_card_holding", Issue(
                "error", "unmapped_gift_card_holding", "Gift cards are sold or redeemed but "
                "no gift card holding account is mapped", "map accounts.gift_card_holding "
                "(a liability), or turn on create_missing"))
            self.problems.block("unmapped_gift_card_holding", key, source)
            return None
        if target is not None and tender in TENDERS_CREDIT and not mapped and (
                tender != GIFT_CARD):
            self._warn_once(f"credit_tender:{tender}", Issue(
                "warning", "credit_tender_to_undeposited_funds",
                f"{tender!r} payments are not money to deposit but go to {target.name}",
                f"map {tender!r} under [tenders], e.g. to Discounts and Credits or the gift "
                "card liability", sources=(source,)))
        if target is None:
            problem = f"unmapped_tender:{tender}"
            self.problems.define(problem, Issue(
                "error", "unmapped_tender",
                f"Tender {tender!r} has no deposit account and Undeposited Funds is not mapped",
                f"map {tender!r} under [tenders] or map accounts.undeposited_funds"))
            self.problems.block(problem, key, source)
            return None
        return self.ctx.account_ref(target, self.ctx.deposit_role(tender), key), target.name

    def _warn_once(self, marker: str, issue: Issue) -> None:
        if marker not in self._warned:
            self._warned.add(marker)
            self.ctx.issue(issue)

    def parties(self, payment: Payment, tender: str, key: str,
                source: str) -> tuple[str, tuple[Any, str], Target] | None:
        """(customer key, deposit account, A/R) for a money movement, or None (blocked)."""
        customer = self.customer_for(payment)
        receivable = self.ctx.receivable()
        if customer is None or receivable is None:
            problem = "unknown_payer" if customer is None else "unmapped_receivable"
            self.problems.define(problem, Issue(
                "error", problem, "A payment has no known payer" if customer is None
                else "No accounts receivable account is mapped",
                "re-import customers and participants" if customer is None
                else "map accounts.accounts_receivable"))
            self.problems.block(problem, key, source)
            return None
        deposit = self.deposit(tender, key, source)
        if deposit is None:
            return None
        return customer, deposit, receivable

    # --- planning -----------------------------------------------------------------------
    def plan(self, redemptions: Redemptions) -> None:
        completed = [p for p in self.ctx.dataset.payments
                     if p.status == "completed" and p.date <= self.ctx.as_of]
        in_scope = [p for p in completed if self._in_scope(p)]
        replanned = {payment_key(p.payment_id) for p in in_scope}
        voiding = [p for p in self.ctx.dataset.payments
                   if p.status != "completed" and self.ctx.ledger.is_posted(
                       payment_key(p.payment_id))]
        # A void frees the invoice; a reversing entry (locked period) leaves it applied.
        replanned |= {payment_key(p.payment_id) for p in voiding
                      if not self.ctx.scope.is_locked(p.date)}
        remaining = self._balances(replanned)
        in_order = sorted(in_scope, key=lambda p: (p.date, p.payment_id))
        kept = {p.payment_id: self._kept(p, remaining) for p in in_order}
        for payment in in_order:
            if payment.tender != GIFT_CARD:
                self._plan_payment(payment, remaining, kept[payment.payment_id])
            elif not self._blocked_by_order(payment, payment_key(payment.payment_id)):
                redemptions.plan(payment, remaining, kept[payment.payment_id])
        for payment in voiding:
            if payment.tender != GIFT_CARD or not redemptions.plan_undo(payment):
                self._plan_void(payment)
        if GIFT_CARD in self.ctx.mapping.tenders and any(
                p.tender == GIFT_CARD for p in in_scope):
            self.ctx.issue(Issue(
                "info", "gift_card_tender_not_deposited",
                "Gift card redemptions are credit memos on the gift card's item applied to "
                f"the order's invoice; the [tenders] account for 'gift_card' "
                f"({self.ctx.mapping.tenders[GIFT_CARD].name}) is not used in the detailed "
                "style", "nothing to do; remove the gift_card line under [tenders] if you like"))

    def _in_scope(self, payment: Payment) -> bool:
        day = self.ctx.scope.posting_date(payment.date)
        if day is None:
            return False
        exists = self.ctx.ledger.exists(self._posted_key(payment))
        if exists and day != payment.date:
            self._locked_change(payment)
            return False
        return True

    def _locked_change(self, payment: Payment) -> None:
        """A posted payment in a locked period changed amount: adjust by the difference
        in the first open period (debit the deposit account, credit A/R, or reverse)."""
        posted = self._posted_amount(payment)
        day = self.ctx.scope.posting_date(payment.date)
        adjustment_key = f"je:payment_adjustment:{payment.payment_id}"
        if day is None or (posted == payment.amount and not self.ctx.ledger.exists(
                adjustment_key)):
            return
        source = f"payment:{payment.payment_id}"
        parties = self.parties(payment, payment.tender, adjustment_key, source)
        deposit = self.ctx.deposit_account(payment.tender)
        if parties is None or deposit is None:
            return
        customer, _ref, receivable = parties
        change = payment.amount - posted
        journal_entry(self.ctx, adjustment_key, day, doc_number(payment.payment_id, "-ADJ"), [
            JournalLine(deposit, self.ctx.deposit_role(payment.tender), change),
            JournalLine(receivable, "accounts_receivable", -change, None, customer),
        ], f"Payment {payment.payment_id} changed from {posted} to {payment.amount} after its "
           f"period was locked ({payment.date.isoformat()})", (source,),
            changed_on=payment.date)

    def _posted_key(self, payment: Payment) -> str:
        """The record that holds a posted payment's amount (a redemption's credit memo)."""
        if payment.tender == GIFT_CARD:
            return credit_memo_key(payment.payment_id)
        return payment_key(payment.payment_id)

    def _posted_amount(self, payment: Payment) -> Decimal:
        payload = self.ctx.ledger.payload(self._posted_key(payment))
        if payment.tender == GIFT_CARD:
            return sum((money(line.get("Amount", "0")) for line in payload.get("Line", ())),
                       ZERO)
        return money(payload.get("TotalAmt", "0"))

    def _balances(self, replanned: set[str]) -> Balances:
        """Each invoice's balance after the payments this run does not re-plan."""
        ledger, by_order = self.ctx.ledger, self.ctx.dataset.payments_by_order

        def applied(invoice: str, order_id: str) -> Decimal:
            keys = [payment_key(p.payment_id) for p in by_order.get(order_id, ())]
            return ledger.applied_by(invoice, [k for k in keys if k not in replanned])

        return Balances(applied)

    def _posted_applications(self, key: str) -> dict[str, Decimal]:
        return self.ctx.ledger.applications(key)

    def _kept(self, payment: Payment, remaining: dict[str, Decimal]) -> dict[str, Decimal]:
        """What a posted payment keeps of what it applies, as far as the invoices still
        carry it (and the payment its amount).

        A payment planned again never hands what it holds to another payment of the run:
        QBO refuses the other's update until this one's is sent (6000, applied beyond the
        open balance). What is free goes to the payments in date order. A payment that
        keeps less than it held gives way first (``_givers``)."""
        own = payment_key(payment.payment_id)
        if not self.ctx.ledger.exists(own):
            return {}
        posted = self.ctx.ledger.applications(own)
        left, kept = payment.amount, {}
        for group in self.groups_by_order.get(payment.order_id or "", []):
            invoices = group.invoice_totals()
            if isinstance(remaining, Balances):
                remaining.learn(group.order_id, invoices)
            for key, _total in invoices:
                held = posted.get(key, ZERO)
                share = min(left, held if self._after_run(key) else min(
                    held, max(ZERO, remaining.get(key, ZERO))))
                if share > 0:
                    kept[key] = share
                    remaining[key] -= share
                    left -= share
                if share < held:
                    self._givers.setdefault(key, set()).add(own)
        return kept

    def applications(self, payment: Payment, remaining: dict[str, Decimal],
                     kept: dict[str, Decimal] | None = None) -> list:
        """(invoice key, amount) the payment applies, oldest invoice first: what it keeps,
        then up to each invoice's balance left in ``remaining`` (which it lowers)."""
        return self._applications(payment, remaining, kept or {})[0]

    def _applications(self, payment: Payment, remaining: dict[str, Decimal],
                      kept: dict[str, Decimal]) -> tuple[list, set[str]]:
        """(invoice, amount) applications, and the payments that must give way first."""
        left = payment.amount - sum(kept.values(), ZERO)
        applications, after = [], set()
        own = payment_key(payment.payment_id)
        for group in self.groups_by_order.get(payment.order_id or "", []):
            invoices = group.invoice_totals()
            if group.kept and not invoices:
                self._warn_no_invoice(group, payment)
            if isinstance(remaining, Balances):
                remaining.learn(group.order_id, invoices)
            for key, _total in invoices:
                share = ZERO
                if not self._after_run(key):  # a later period's invoice: as posted only
                    share = min(left, max(ZERO, remaining.get(key, ZERO)))
                if share > 0:
                    remaining[key] -= share
                    left -= share
                    after |= self._givers.get(key, set()) - {own}
                if kept.get(key, ZERO) + share > 0:
                    applications.append((key, kept.get(key, ZERO) + share))
        return applications, after

    def _after_run(self, invoice_key: str) -> bool:
        """A posted invoice dated after this run's last day (a later period posted it).

        An earlier period run again plans as of its own last day: it neither applies a
        payment to such an invoice nor takes an application away, so re-running it after
        the later period changes nothing (SPEC §5)."""
        if not self.ctx.ledger.exists(invoice_key):
            return False
        txn_date = self.ctx.ledger.payload(invoice_key).get("TxnDate")
        return bool(txn_date) and date.fromisoformat(str(txn_date)) > self.ctx.as_of

    def _warn_no_invoice(self, group: OrderGroup, payment: Payment) -> None:
        first = min(k.charge.date for k in group.kept)
        fix = ("the order was invoiced before the go-live date: apply the payment to that "
               "invoice in QuickBooks by hand" if self.ctx.scope.before_go_live(first) else
               "preview and post the period of the order's first charge; the payment is then "
               "applied to it")
        self._warn_once(f"no_invoice:{group.base_key}", Issue(
            "warning", "invoice_not_in_quickbooks",
            f"Order {group.order_id}'s invoice is not in QuickBooks yet, so payment "
            f"{payment.payment_id} is posted as a credit on the customer", fix,
            sources=(f"payment:{payment.payment_id}",)))

    def _plan_payment(self, payment: Payment, remaining: dict[str, Decimal],
                      kept: dict[str, Decimal]) -> None:
        key = payment_key(payment.payment_id)
        if self._blocked_by_order(payment, key):
            return
        planned = self._payload(payment, remaining, kept, key)
        if planned is None:
            return
        payload, after = planned
        account = self._deposit_name(payload)
        postings = (debit(account, payment.amount), credit(self.receivable_name(), payment.amount))
        old = self._old_postings(key)
        self.ctx.plan_record(
            "Payment", key, payload,
            f"Payment {payment.payment_id} ({payment.tender}) {payment.amount}",
            sources=(f"payment:{payment.payment_id}",), txn_date=payment.date,
            amount=payment.amount, postings=postings, old_postings=old,
            depends_on=tuple(sorted(after)))

    def _blocked_by_order(self, payment: Payment, key: str) -> bool:
        """A payment waits for its order's invoice when mapping problems block that."""
        for group in self.groups_by_order.get(payment.order_id or "", []):
            for problem, keys in self.problems.blocked.items():
                if group.base_key in keys:
                    self.problems.block(problem, key, f"payment:{payment.payment_id}")
                    return True
        return False

    def _payload(self, payment: Payment, remaining: dict[str, Decimal],
                 kept: dict[str, Decimal], key: str) -> tuple[dict[str, Any], set[str]] | None:
        parties = self.parties(payment, payment.tender, key, f"payment:{payment.payment_id}")
        if parties is None:
            return None
        customer, deposit, receivable = parties
        self.directory.use(customer)
        applications, after = self._applications(payment, remaining, kept)
        payload: dict[str, Any] = {
            "CustomerRef": ref(customer),
            "TotalAmt": payment.amount,
            "TxnDate": payment.date.isoformat(),
            "DepositToAccountRef": deposit[0],
            "ARAccountRef": self.ctx.account_ref(receivable, "accounts_receivable", key),
            "PrivateNote": note(key, f"tender {payment.tender}"),
            "Line": [{"Amount": amount,
                      "LinkedTxn": [{"TxnId": ref_id(invoice), "TxnType": "Invoice"}]}
                     for invoice, amount in applications],
        }
        if payment.reference:
            payload["PaymentRefNum"] = clean_name(payment.reference, REF_NUM_MAX)
        return payload, after

    def _deposit_name(self, payload: dict[str, Any]) -> str:
        reference = payload.get("DepositToAccountRef")
        return self.ctx.ledger.account_name(reference) if reference else UNDEPOSITED_FUNDS

    def receivable_name(self) -> str:
        target = self.ctx.receivable()
        return target.name if target else "Accounts Receivable"

    def _old_postings(self, key: str) -> tuple[Posting, ...]:
        if not self.ctx.ledger.exists(key):
            return ()
        posted = dict(self.ctx.ledger.payload(key))
        amount = money(posted.get("TotalAmt", "0"))
        return (debit(self._deposit_name(posted), amount), credit(self.receivable_name(), amount))

    # --- failed or voided after posting -------------------------------------------------
    def _plan_void(self, payment: Payment) -> None:
        key = payment_key(payment.payment_id)
        source = (f"payment:{payment.payment_id}",)
        if not self.ctx.scope.is_locked(payment.date):
            self.ctx.emit(Operation(
                "void", "Payment", key, {},
                summary=f"Void payment {payment.payment_id} ({payment.status} in the source)",
                sources=source, txn_date=payment.date, amount=payment.amount,
                postings=reverse(self._old_postings(key))))
            return
        day = self.ctx.scope.posting_date(payment.date)
        customer = self.customer_for(payment)
        if day is None or customer is None:
            return
        deposit = self.ctx.deposit_account(payment.tender)
        receivable = self.ctx.receivable()
        if deposit is None or receivable is None:
            return
        lines = [
            JournalLine(receivable, "accounts_receivable", payment.amount, None, customer),
            JournalLine(deposit, self.ctx.deposit_role(payment.tender), -payment.amount),
        ]
        journal_entry(self.ctx, f"je:payment_reversal:{payment.payment_id}", day,
                      doc_number(payment.payment_id, "-V"), lines,
                      f"Payment {payment.payment_id} {payment.status} after its period was "
                      f"locked ({payment.date.isoformat()})", source, changed_on=payment.date)

__all__ = ["PaymentPlanner", "payment_key"]


class Balances(dict[str, Decimal]):
    """Invoice key -> balance left, filled in as payments reach their orders' invoices,
    so an order without a payment this period is never read back from the ledger."""

    def __init__(self, applied: Callable[[str, str], Decimal]) -> None:
        super().__init__()
        self.applied = applied  # (invoice key, order id) -> what posted payments apply

    def learn(self, order_id: str, invoices: list[tuple[str, Decimal]]) -> None:
        for key, total in invoices:
            if key not in self:
                self[key] = total - self.applied(key, order_id)
