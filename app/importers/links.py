"""Refunds and voids that name no payment, linked to one across the whole import.

A ledger lists a refund or a void as its own row, dated the day it happened. Where the
export has a reference column (``refund.payment_id``) it names the payment. Otherwise:

1. a refund or void carrying the transaction ID of a payment (in this import or stored
   by an earlier one) belongs to that payment — the refund then gets its own ID,
   ``<transaction>/<kind>/<date>``;
2. else it is matched to the same payer's completed payment of that amount, dated on or
   before it and not already refunded: one candidate is taken, and the import says so
   (a warning on the row); several that would post alike (same tender, same program
   lines) — the monthly tuition paid every month — the latest is taken and the import
   says so; several that would post differently are an error naming them; a partial
   refund with no payment of its amount takes the payer's only payment it fits;
3. nothing found is an error naming the payer, the amount and the fix.

A void sets its payment's status to ``voided`` (SPEC §2: the canonical records hold a
void as a status, so the void's own date is not kept); a void of a payment stored by an
earlier import re-imports that payment with the new status (an update, shown as such).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from app.domain.records import Payment
from app.importers.convert import RecordBatch
from app.importers.issues import WARNING, ImportIssue
from app.importers.ledger import UNLINKED, LinkRequest
from app.importers.validate import KnownRecords

ZERO = Decimal(0)


@dataclass
class _Found:
    payment: Payment
    batch: RecordBatch | None  # None: stored by an earlier import
    index: int = -1
    row: int | None = None


@dataclass
class _Payments:
    """Payments of this import and, when needed, those stored earlier, by ID and payer."""

    batches: list[RecordBatch]
    known: KnownRecords
    refunded: dict[str, Decimal] = field(default_factory=dict)
    _by_id: dict[str, _Found] = field(default_factory=dict)
    _by_payer: dict[str, list[_Found]] | None = None
    _stored: dict[str, Payment] | None = None
    _lines: dict[str, tuple[Any, ...]] | None = None

    def __post_init__(self) -> None:
        for batch in self.batches:
            if batch.record_type == "payment" and not batch.derived:
                for n, (payment, row) in enumerate(zip(batch.records, batch.rows,
                                                       strict=True)):
                    self._by_id[payment.payment_id] = _Found(payment, batch, n, row)
            if batch.record_type == "refund":
                for refund in batch.records:
                    if refund.payment_id != UNLINKED:
                        self.consume(refund.payment_id, refund.amount)

    def stored(self) -> dict[str, Payment]:
        if self._stored is None:
            loader: Callable[[], dict[str, Payment]] | None = self.known.load_payments
            self._stored = loader() if loader is not None else {}
        return self._stored

    def get(self, payment_id: str) -> _Found | None:
        found = self._by_id.get(payment_id)
        if found is None and payment_id in self.known.ids.get("payment", ()):
            payment = self.stored().get(payment_id)
            found = _Found(payment, None) if payment is not None else None
        return found

    def of_payer(self, payer: str) -> list[_Found]:
        if self._by_payer is None:
            self._by_payer = {}
            stored = [_Found(p, None) for pid, p in self.stored().items()
                      if pid not in self._by_id]
            for found in [*self._by_id.values(), *stored]:
                payers = {found.payment.customer_id, found.payment.participant_id}
                for key in payers:
                    if key is not None:
                        self._by_payer.setdefault(key, []).append(found)
        return self._by_payer.get(payer, [])

    def remaining(self, payment: Payment) -> Decimal:
        return payment.amount - self.refunded.get(payment.payment_id, ZERO)

    def consume(self, payment_id: str, amount: Decimal) -> None:
        self.refunded[payment_id] = self.refunded.get(payment_id, ZERO) + amount

    def posts_alike(self, candidates: list[_Found]) -> bool:
        """Same tender and the same program lines: linking to either books the same."""
        signatures = {(f.payment.tender, self.lines(f.payment.payment_id, with_amounts=all(
            c.batch is not None for c in candidates))) for f in candidates}
        return len(signatures) == 1

    def lines(self, payment_id: str, *, with_amounts: bool) -> tuple[Any, ...]:
        if self._lines is None:
            self._lines = {}
            grouped: dict[str, list[Any]] = {}
            for batch in self.batches:
                if batch.record_type == "payment_allocation":
                    for a in batch.records:
                        grouped.setdefault(a.payment_id, []).append(
                            (a.program_id, a.location_id, a.tax_rate_id, a.amount, a.tax_amount))
            self._lines = {pid: tuple(sorted(v, key=str)) for pid, v in grouped.items()}
        own = self._lines.get(payment_id)
        if own is not None:
            return own if with_amounts else tuple(line[:3] for line in own)
        prefix = payment_id + "|"
        keys = sorted(k for k in self.known.ids.get("payment_allocation", ()) if
                      k.startswith(prefix))
        return tuple(tuple(k.split("|")[1:]) for k in keys)


def resolve_links(batches: list[RecordBatch], links: list[LinkRequest],
                  known: KnownRecords | None, issues: list[ImportIssue]) -> list[RecordBatch]:
    """Every refund linked (or an error), every void applied; returns the batches."""
    if not links:
        return batches
    payments = _Payments(batches, known or KnownRecords())
    dropped: dict[int, set[int]] = {}
    extra: list[RecordBatch] = []
    for request in sorted(links, key=lambda r: (r.record.date, r.file, r.row)):
        found = _Resolver(payments, request, issues).find()
        if request.kind == "void":
            _apply_void(request, found, payments, extra, issues)
        elif found is None:
            dropped.setdefault(id(request.batch), set()).add(request.index)
            request.batch.failed_keys.add(request.record.refund_id)  # type: ignore[union-attr]
        else:
            _link_refund(request, found, payments)
    for batch in batches:
        gone = dropped.get(id(batch))
        if gone:
            keep = [i for i in range(len(batch.records)) if i not in gone]
            batch.records = [batch.records[i] for i in keep]
            batch.rows = [batch.rows[i] for i in keep]
            batch.columns = {}
    return batches + extra


class _Resolver:
    def __init__(self, payments: _Payments, request: LinkRequest,
                 issues: list[ImportIssue]) -> None:
        self.payments = payments
        self.request = request
        self.issues = issues
        self.refund = request.record
        self.what = "void" if request.kind == "void" else self.refund.kind.replace("_", " ")

    def find(self) -> _Found | None:
        named = self.refund.payment_id
        if named != UNLINKED:  # the export's reference column named it
            found = self.payments.get(named)
            if found is None:
                self._error(f"{self.what} of unknown payment {named!r} (not in this import "
                            "nor an earlier one)")
            return found
        same = self.payments.get(self.request.key) if self.request.key else None
        if same is not None:
            return same
        return self._match()

    def _match(self) -> _Found | None:
        payer, amount, day = self.request.payer, self.refund.amount, self.refund.date
        if payer is None:
            self._error(f"this {self.what} names no payment and no payer to find it by: map "
                        "the export's reference column to refund.payment_id")
            return None
        open_ = [f for f in self.payments.of_payer(payer)
                 if f.payment.status == "completed" and f.payment.date <= day
                 and self.payments.remaining(f.payment) >= amount]
        exact = [f for f in open_ if f.payment.amount == amount]
        if self.request.kind == "void":
            open_ = exact  # a void is of the whole payment
        if len(exact) == 1:
            return self._matched(exact[0], "the payer's payment of that amount")
        if exact and self.payments.posts_alike(exact):
            latest = max(exact, key=lambda f: (f.payment.date, f.row or 0))
            return self._matched(latest, f"the latest of {len(exact)} payments of that amount "
                                         "by the payer that post alike (same tender and "
                                         "programs)")
        if exact:
            self._error(f"this {self.what} names no payment and {payer!r} has {len(exact)} "
                        f"payments of {amount} that post differently "
                        f"({_names(exact)}): map the export's reference column to "
                        "refund.payment_id, or split the refund in the source")
            return None
        if len(open_) == 1:
            return self._matched(open_[0], "the payer's only payment it fits (a partial "
                                           "refund)")
        if open_:
            self._error(f"this partial {self.what} of {amount} names no payment and "
                        f"{payer!r} has {len(open_)} payments it could be of "
                        f"({_names(open_)}): map the export's reference column to "
                        "refund.payment_id")
            return None
        self._error(f"this {self.what} of {amount} names no payment, and {payer!r} has no "
                    f"payment of at least {amount} on or before {day} left to refund, in this "
                    "import or an earlier one: import the export with the payment first, or "
                    "map the reference column to refund.payment_id")
        return None

    def _matched(self, found: _Found, how: str) -> _Found:
        where = f"row {found.row}" if found.row is not None else "an earlier import"
        self.issues.append(ImportIssue(
            self.request.file, self.request.row, "", self.refund.refund_id,
            f"{self.what} {self.refund.refund_id} names no payment: matched to payment "
            f"{found.payment.payment_id} ({found.payment.date}, {found.payment.amount}, "
            f"{where}), {how}", WARNING))
        return found

    def _error(self, reason: str) -> None:
        self.issues.append(ImportIssue(self.request.file, self.request.row, "",
                                       self.refund.refund_id, reason))


def _link_refund(request: LinkRequest, found: _Found, payments: _Payments) -> None:
    refund = request.record
    payment_id = found.payment.payment_id
    new_id = refund.refund_id
    if request.key == payment_id:  # the refund carries its payment's transaction ID
        new_id = f"{payment_id}/{refund.kind}/{refund.date.isoformat()}"
    batch = request.batch
    assert batch is not None
    batch.records[request.index] = replace(refund, refund_id=new_id, payment_id=payment_id)
    batch.columns = {}
    payments.consume(payment_id, refund.amount)


def _apply_void(request: LinkRequest, found: _Found | None, payments: _Payments,
                extra: list[RecordBatch], issues: list[ImportIssue]) -> None:
    if found is None:
        return
    payment = found.payment
    if request.record.amount != payment.amount:
        issues.append(ImportIssue(
            request.file, request.row, "", request.record.refund_id,
            f"a void is of the whole payment: this one is {request.record.amount}, payment "
            f"{payment.payment_id} is {payment.amount} (a partial reversal is a refund: "
            "map this row type to refund)"))
        return
    voided = replace(payment, status="voided")
    payments.consume(payment.payment_id, payment.amount)
    if found.batch is not None:
        found.batch.records[found.index] = voided
        found.batch.columns = {}
    else:
        extra.append(RecordBatch("payment", request.file, [voided], [request.row]))


def _names(found: list[_Found]) -> str:
    shown = ", ".join(f"{f.payment.payment_id} on {f.payment.date}" for f in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")
