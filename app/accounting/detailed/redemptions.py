"""Gift card redemptions: a credit memo on the gift card's item, applied by a 0.00 payment.

SPEC §3a: a payment with tender ``gift_card`` is not money coming in. The gift card was
already paid for when it was sold (its item posts to Gift Card Holding, a liability), so
spending it must not count income again nor show cash that never arrived. It becomes:

- a credit memo ``<payment>-GC`` to the customer of the order, one line on the gift-card
  program's item for the amount redeemed: debit Gift Card Holding, credit A/R;
- a Payment of TotalAmt 0.00 (the source payment's own key) whose lines apply that
  credit to the order's invoices, up to their balance — each invoice linked (TxnType
  Invoice) and the credit memo linked (TxnType CreditMemo) for the same total, as
  QuickBooks' Receive Payment does with 0.00 received. It moves no money; whatever the
  invoices cannot take stays on the credit memo as the customer's credit.

Income is counted once: when the invoice for what was bought was posted. A redemption
voided in the source after posting is undone: the 0.00 payment is voided and the credit
memo deleted (QuickBooks has no void for credit memos through the API; its audit log
keeps the deletion), or, in a locked period, a journal entry in the first open period
debits A/R (naming the customer) and credits Gift Card Holding.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.domain.money import ZERO
from app.domain.records import Payment
from app.plan.operations import Operation, ref, ref_id
from app.plan.plan import Issue
from app.plan.postings import reverse

from .context import PlanContext, note
from .invoices import moved_memo, sales_payload
from .lines import Line, read_lines, sales_postings
from .names import doc_number

if TYPE_CHECKING:
    from .items import Catalog
    from .payments import PaymentPlanner

NO_PROGRAM = "gift_card_without_program"


def credit_memo_key(payment_id: str) -> str:
    return f"creditmemo:giftcard:{payment_id}"


def applies_credit(operation: Operation) -> bool:
    """A payment that applies a credit memo goes after credit memos are created."""
    return operation.entity == "Payment" and any(
        link.get("TxnType") == "CreditMemo" for line in operation.payload.get("Line", ())
        for link in line.get("LinkedTxn", ()))


class Redemptions:
    def __init__(self, ctx: PlanContext, catalog: Catalog, payments: PaymentPlanner) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.payments = payments

    # --- the redemption ------------------------------------------------------------------
    def plan(self, payment: Payment, remaining: dict[str, Decimal],
             kept: dict[str, Decimal] | None = None) -> None:
        key = f"payment:{payment.payment_id}"
        source = f"payment:{payment.payment_id}"
        memo_key = credit_memo_key(payment.payment_id)
        day = self.ctx.scope.posting_date(payment.date)
        parties = self._parties(payment, (key, memo_key), source)
        if parties is None or day is None:
            return
        customer, item = parties
        line = self._line(payment, item, memo_key, day)
        if line is None:
            return
        self.payments.directory.use(customer)
        self._credit_memo(payment, customer, line, day)
        applications = self.payments.applications(payment, remaining, kept)
        if not applications:
            return  # nothing open to apply it to: the credit memo stays a customer credit
        applied = sum((amount for _invoice, amount in applications), ZERO)
        payload: dict[str, Any] = {
            "CustomerRef": ref(customer),
            "TotalAmt": ZERO,
            "TxnDate": day.isoformat(),
            "ARAccountRef": self.ctx.account_ref(self.ctx.receivable(),  # type: ignore[arg-type]
                                                 "accounts_receivable", key),
            "PrivateNote": note(key, f"gift card redeemed: {payment.amount} by credit memo "
                                     f"{doc_number(payment.payment_id, '-GC')}"),
            "Line": [*({"Amount": amount,
                        "LinkedTxn": [{"TxnId": ref_id(invoice), "TxnType": "Invoice"}]}
                       for invoice, amount in applications),
                     {"Amount": applied,
                      "LinkedTxn": [{"TxnId": ref_id(memo_key), "TxnType": "CreditMemo"}]}],
        }
        self.ctx.plan_record(
            "Payment", key, payload,
            f"Gift card {payment.payment_id} applied: {applied} of {payment.amount} (0.00 "
            "payment)", sources=(source,), txn_date=day, amount=ZERO, postings=())

    def _parties(self, payment: Payment, keys: tuple[str, ...],
                 source: str) -> tuple[str, str] | None:
        """(customer key, gift card item key), or None (blocked, reported)."""
        item = self.catalog.gift_card_item()
        customer = self.payments.customer_for(payment)
        problems = self.payments.problems
        if item is None:
            problems.define(NO_PROGRAM, Issue(
                "error", NO_PROGRAM, "A gift card is redeemed but no program is a gift card "
                "(kind gift_card)", "import the programs export with the gift card program"))
            problem: str | None = NO_PROGRAM
        elif customer is None:
            problems.define("unknown_payer", Issue(
                "error", "unknown_payer", "A payment has no known payer",
                "re-import customers and participants"))
            problem = "unknown_payer"
        elif self.ctx.receivable() is None:
            problems.define("unmapped_receivable", Issue(
                "error", "unmapped_receivable", "No accounts receivable account is mapped",
                "map accounts.accounts_receivable"))
            problem = "unmapped_receivable"
        else:
            problem = self.catalog.problem_of(item)
        if problem is not None:
            for key in keys:
                problems.block(problem, key, source)
            return None
        assert item is not None and customer is not None
        return customer, item

    def _line(self, payment: Payment, item: str, memo_key: str, day: Any) -> Line | None:
        program = self.ctx.dataset.program_by_id[item.split(":", 2)[2]]
        target = self.ctx.location_class(program.location_id)
        class_ref = self.ctx.class_ref(target, memo_key)
        return Line(item, payment.amount, class_ref, target.name if target else None,
                    service_date=day,
                    description=f"Gift card redeemed (payment {payment.payment_id})")

    def _credit_memo(self, payment: Payment, customer: str, line: Line, day: Any) -> None:
        key = credit_memo_key(payment.payment_id)
        number = doc_number(payment.payment_id, "-GC")
        memo = f"Gift card redeemed for order {payment.order_id}" if payment.order_id else \
            "Gift card redeemed"
        if day != payment.date:
            memo += f"; {moved_memo(payment.date, day)}"
        payload = sales_payload(self.ctx, key, customer, day, number, [line], memo)
        postings = reverse(sales_postings([line], self.catalog.account_name,
                                          self.payments.receivable_name()))
        old = self._old_postings(key)
        self.ctx.plan_record("CreditMemo", key, payload, f"Credit memo {number} (gift card)",
                             sources=(f"payment:{payment.payment_id}",), txn_date=day,
                             amount=payment.amount, postings=postings, old_postings=old,
                             posted_on=payment.date)

    def _old_postings(self, key: str) -> tuple:
        if not self.ctx.ledger.exists(key):
            return ()
        lines = read_lines(self.ctx.ledger.payload(key), self.ctx.ledger)
        return reverse(sales_postings(lines, self.catalog.account_name,
                                      self.payments.receivable_name()))

    # --- undone in the source -------------------------------------------------------------
    def plan_undo(self, payment: Payment) -> bool:
        """A posted redemption failed or voided in an open period: void the 0.00 payment
        and delete the credit memo. False when the period is locked (a reversing entry)."""
        if self.ctx.scope.is_locked(payment.date):
            return False
        key, memo_key = f"payment:{payment.payment_id}", credit_memo_key(payment.payment_id)
        sources = (f"payment:{payment.payment_id}",)
        depends: tuple[str, ...] = ()
        if self.ctx.ledger.is_posted(key):
            self.ctx.emit(Operation(
                "void", "Payment", key, {}, summary=f"Void gift card application "
                f"{payment.payment_id} ({payment.status} in the source)", sources=sources,
                txn_date=payment.date, amount=ZERO))
            depends = (key,)
        if self.ctx.ledger.is_posted(memo_key):
            self.ctx.emit(Operation(
                "delete", "CreditMemo", memo_key, {}, depends_on=depends,
                summary=f"Delete gift card credit memo {doc_number(payment.payment_id, '-GC')}"
                f" ({payment.status} in the source)", sources=sources, txn_date=payment.date,
                amount=payment.amount, postings=reverse(self._old_postings(memo_key))))
        return True
