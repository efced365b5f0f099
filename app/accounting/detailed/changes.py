"""An order's documents over time: the first invoice, then changes after sync.

SPEC §3a: an open invoice (balance > 0) is updated in place; a closed one is never
modified: additions go on a supplemental invoice, removals on a credit memo, each
exactly the difference between what the order should now carry and what its posted
documents carry — charge by charge (every line names its charge), so a charge removed
and another added are two documents even on one program and class. In-place updates
also give way to that when they cannot be done safely: the invoice sits in a locked
period, the new total would fall below what is already applied, or a deferred line on it
was already recognised.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.money import ZERO
from app.plan.operations import Operation
from app.plan.plan import Issue
from app.plan.postings import reverse

from .context import PlanContext
from .invoices import LineBuilder, OrderGroup, moved_memo, sales_payload
from .items import Catalog
from .lines import Line, charge_signatures, lines_total, read_lines, sales_postings
from .names import doc_number
from .problems import Problems

RECEIVABLE_PROBLEM = "unmapped_receivable"


class OrderDocuments:
    def __init__(self, ctx: PlanContext, catalog: Catalog, builder: LineBuilder,
                 problems: Problems) -> None:
        self.ctx = ctx
        self.catalog = catalog
        self.builder = builder
        self.problems = problems
        self._leaving_by_invoice: dict[str, Decimal] | None = None
        self._lines_cache: dict[str, list[Line]] = {}
        problems.define(RECEIVABLE_PROBLEM, Issue(
            "error", RECEIVABLE_PROBLEM, "No accounts receivable account is mapped",
            "map accounts.accounts_receivable"))

    # --- posted state ---------------------------------------------------------------
    def existing(self, prefix: str) -> list[str]:
        """Keys ``prefix1``, ``prefix2``… that exist, in order."""
        keys, n = [], 1
        while self.ctx.ledger.exists(f"{prefix}{n}"):
            keys.append(f"{prefix}{n}")
            n += 1
        return keys

    def posted_lines(self, key: str) -> list[Line]:
        if key not in self._lines_cache:
            self._lines_cache[key] = read_lines(self.ctx.ledger.payload(key), self.ctx.ledger)
        return self._lines_cache[key]

    def posted_total(self, key: str) -> Decimal:
        return lines_total(self.posted_lines(key))

    # --- planning -------------------------------------------------------------------
    def plan(self, group: OrderGroup) -> None:
        if not self._ready(group):
            return
        supplements = self.existing(f"invoice:{group.root}:s")
        credits = self.existing(f"creditmemo:{group.root}:c")
        if not self.ctx.ledger.exists(group.base_key):
            self._plan_first_invoice(group)
            return
        keys = [group.base_key, *supplements]
        natural = group.change_date(self.ctx.as_of)
        day = None if natural is None else self.ctx.scope.posting_date(natural)
        if natural is None or day is None or self._ahead_of_run([*keys, *credits]):
            # nothing to plan for it in this run: its invoices are read only if a payment
            # needs them (planning does not grow with the history already posted)
            group.deferred = (keys, self.posted_total)
            return
        group.invoices = [(k, self.posted_total(k)) for k in keys]
        if not supplements and not credits and self._update_in_place(group, day):
            return
        self._plan_difference(group, day, [group.base_key, *supplements], credits, natural)

    def _ahead_of_run(self, keys: list[str]) -> bool:
        """Whether a posted document of the order is dated, or serves a line, after this
        run's last day: a later period's run already posted later cart events, and an
        earlier period run again must not undo them (it plans only what is missing as of
        its own last day; the later period's run plans the order's difference)."""
        as_of = self.ctx.as_of
        for key in keys:
            txn_date = self.ctx.ledger.payload(key).get("TxnDate")
            if txn_date and date.fromisoformat(str(txn_date)) > as_of:
                return True
            if any(line.service_date is not None and line.service_date > as_of
                   for line in self.posted_lines(key)):
                return True
        return False

    def _ready(self, group: OrderGroup) -> bool:
        owner = group.base_key
        if group.customer_key is None:
            self.problems.define("unknown_participant", Issue(
                "error", "unknown_participant", "A charge names a participant the data lacks",
                "re-import the participants export"))
            self.problems.block("unknown_participant", owner, f"order:{group.order_id}")
            return False
        if self.ctx.receivable() is None:
            self.problems.block(RECEIVABLE_PROBLEM, owner, f"order:{group.order_id}")
            return False
        return True

    def _plan_first_invoice(self, group: OrderGroup) -> None:
        if not group.kept:
            return
        natural = min(k.charge.date for k in group.kept)
        day = self.ctx.scope.posting_date(natural)
        if day is None:
            return
        lines = self.builder.lines(group.kept, day, group.base_key)
        if lines is None:
            return
        self._emit_invoice(group, group.base_key, day, group.base_doc_number, lines,
                           moved_memo(natural, day))
        group.invoices = [(group.base_key, lines_total(lines))]

    def _emit_invoice(self, group: OrderGroup, key: str, day: date, number: str,
                      lines: list[Line], memo: str = "") -> Operation | None:
        payload = sales_payload(self.ctx, key, group.customer_key or "", day, number, lines,
                                memo)
        postings = sales_postings(lines, self.catalog.account_name, self._receivable())
        old = sales_postings(self.posted_lines(key), self.catalog.account_name,
                             self._receivable()) if self.ctx.ledger.exists(key) else ()
        return self.ctx.plan_record(
            "Invoice", key, payload, f"Invoice {number} ({len(lines)} lines)",
            sources=_sources(group), txn_date=day, amount=lines_total(lines),
            postings=postings, old_postings=old)

    def _receivable(self) -> str:
        target = self.ctx.receivable()
        return target.name if target else "Accounts Receivable"

    # --- open invoice: update in place ---------------------------------------------------
    def _update_in_place(self, group: OrderGroup, day: date) -> bool:
        """Update the open base invoice if that is safe; False to fall back to deltas."""
        ledger = self.ctx.ledger
        base = ledger.payload(group.base_key)
        base_day = date.fromisoformat(base.get("TxnDate", day.isoformat()))
        applied = ledger.applied_by(group.base_key, [
            f"payment:{p.payment_id}"
            for p in self.ctx.dataset.payments_by_order.get(group.order_id, ())])
        posted_lines = self.posted_lines(group.base_key)
        staying = applied - self._leaving(group.base_key)
        if self.ctx.scope.is_locked(base_day) or staying >= lines_total(posted_lines):
            return False
        remap = self.builder.recognised(day)
        if any(remap(line.item_key) != line.item_key for line in posted_lines):
            return False  # a deferred line was already moved to income
        lines = self.builder.lines(group.kept, base_day, group.base_key)
        if lines is None:
            return True  # blocked: reported, nothing else to plan
        if any(remap(line.item_key) != line.item_key for line in lines):
            return False
        if not lines or lines_total(lines) < applied:
            return False
        memo = str(base.get("PrivateNote", "")).partition(" | ")[2]
        self._emit_invoice(group, group.base_key, base_day,
                           str(base.get("DocNumber", group.base_doc_number)), lines, memo)
        group.invoices[0] = (group.base_key, lines_total(lines))
        return True

    def _leaving(self, invoice_key: str) -> Decimal:
        """What posted payments that failed or were voided in the source apply to it.

        Those payments are voided in this run, so the invoice counts as open: deciding
        on the balance before their void would flip the decision on the next run.
        """
        if self._leaving_by_invoice is None:
            self._leaving_by_invoice = {}
            for payment in self.ctx.dataset.payments:
                key = f"payment:{payment.payment_id}"
                if payment.status == "completed" or not self.ctx.ledger.is_posted(key) or (
                        self.ctx.scope.is_locked(payment.date)):
                    continue  # stays applied: a locked payment is reversed, not voided
                for invoice, amount in self.ctx.ledger.applications(key).items():
                    self._leaving_by_invoice[invoice] = (
                        self._leaving_by_invoice.get(invoice, ZERO) + amount)
        return self._leaving_by_invoice.get(invoice_key, ZERO)

    # --- closed invoice: supplemental invoice and credit memo ---------------------------
    def _plan_difference(self, group: OrderGroup, day: date, invoices: list[str],
                         credits: list[str], natural: date) -> None:
        desired_lines = self.builder.lines(group.kept, day, group.base_key)
        if desired_lines is None:
            return
        remap = self.builder.recognised(day)
        desired = charge_signatures(desired_lines, remap)
        posted = charge_signatures([line for k in invoices for line in self.posted_lines(k)],
                                   remap)
        for key in credits:
            for sig, (amount, qty, line) in charge_signatures(self.posted_lines(key),
                                                              remap).items():
                entry = posted.setdefault(sig, [ZERO, ZERO, line])
                entry[0] -= amount
                entry[1] -= qty
        added, removed = [], []
        for sig in sorted(set(desired) | set(posted), key=_in_cart_order(group)):
            want = desired.get(sig, [ZERO, ZERO, None])
            have = posted.get(sig, [ZERO, ZERO, None])
            change, qty_change = want[0] - have[0], want[1] - have[1]
            sample = want[2] or have[2]
            if change > 0:
                added.append(_delta_line(sig[1], sample, change, qty_change))
            elif change < 0:
                removed.append(_delta_line(sig[1], sample, -change, -qty_change))
        memo = moved_memo(natural, day)
        if added:
            self._plan_supplement(group, day, added, len(invoices), memo)
        if removed:
            self._plan_credit_memo(group, day, removed, len(credits) + 1, memo)

    def _plan_supplement(self, group: OrderGroup, day: date, lines: list[Line],
                         n: int, memo: str) -> None:
        key = f"invoice:{group.root}:s{n}"
        number = doc_number(group.base_doc_number, f"-S{n}")
        memo = memo or f"Added after invoice {group.base_doc_number} was paid"
        if self._emit_invoice(group, key, day, number, lines, memo) is not None:
            group.invoices.append((key, lines_total(lines)))

    def _plan_credit_memo(self, group: OrderGroup, day: date, lines: list[Line], n: int,
                          memo: str) -> None:
        key = f"creditmemo:{group.root}:c{n}"
        number = doc_number(group.base_doc_number, f"-C{n}")
        memo = memo or f"Removed from invoice {group.base_doc_number} after it was paid"
        payload = sales_payload(self.ctx, key, group.customer_key or "", day, number, lines,
                                memo)
        postings = reverse(sales_postings(lines, self.catalog.account_name,
                                          self._receivable()))
        self.ctx.plan_record("CreditMemo", key, payload, f"Credit memo {number}",
                             sources=_sources(group), txn_date=day,
                             amount=lines_total(lines), postings=postings)


def _delta_line(item_key: str, sample: Line, amount: Decimal, qty: Decimal) -> Line:
    """A line for one charge's difference on one (item, class): whole units when they fit,
    the charge's own service date and description, naming the charge."""
    use_qty = qty if qty > 0 else Decimal(1)
    return Line(item_key, amount, sample.class_ref, sample.class_name, use_qty, sample.rate,
                sample.service_date, sample.description, sample.charge_id)


def _in_cart_order(group: OrderGroup):  # type: ignore[no-untyped-def]
    """Sort key of a (charge, item, class) signature: charges in cart order, each charge's
    sales line before its tax line."""
    rank = {c.charge_id: n for n, c in enumerate(
        sorted(group.charges, key=lambda c: (c.date, c.charge_id)))}

    def key(sig: tuple[str, str, str]) -> tuple:
        return (rank.get(sig[0], len(rank)), sig[0], sig[1].startswith("item:tax:"),
                sig[1], sig[2])

    return key


def _sources(group: OrderGroup) -> tuple[str, ...]:
    return tuple(f"charge:{c.charge_id}" for c in group.charges)
