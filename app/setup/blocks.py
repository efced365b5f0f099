"""What an unmapped thing holds back, counted from the data (SPEC §4: unmapped items block
what needs them, not everything else).

These are the wizard's plain-words estimates per page, worked out from the records alone
so they are instant; the Summary page then plans for real and shows the exact blocked
operations the first preview will list. In the summary style a blocked payment holds
back the journal entry of its day; in the detailed style a blocked line holds back its
invoice and what depends on it (the payments applied to it).
"""

from __future__ import annotations

from collections.abc import Iterable

from app.domain.dataset import Dataset
from app.domain.records import TENDERS_CREDIT, Payment

CARD_TENDERS = ("card", "echeck")


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _payments_text(payments: Iterable[Payment]) -> str:
    chosen = list(payments)
    if not chosen:
        return "nothing in the data yet"
    days = len({p.date for p in chosen})
    return (f"holds back the journal entries of {_plural(days, 'day')} "
            f"({_plural(len(chosen), 'payment')})")


def _orders_text(orders: set[str], what: str = "invoice") -> str:
    if not orders:
        return "nothing in the data yet"
    return f"holds back {_plural(len(orders), what)} and the payments applied to them"


def _payments_with(dataset: Dataset, allocation_test) -> list[Payment]:  # type: ignore[no-untyped-def]
    ids = {a.payment_id for a in dataset.payment_allocations if allocation_test(a)}
    return [p for p in dataset.payments if p.payment_id in ids]


def _orders_with(dataset: Dataset, charge_test) -> set[str]:  # type: ignore[no-untyped-def]
    return {c.order_id for c in dataset.charges if charge_test(c)}


def by_programs(dataset: Dataset, style: str, program_ids: set[str]) -> str:
    if style == "summary":
        return _payments_text(_payments_with(dataset, lambda a: a.program_id in program_ids))
    return _orders_text(_orders_with(dataset, lambda c: c.program_id in program_ids))


def income(dataset: Dataset, style: str, category: str) -> str:
    ids = {p.program_id for p in dataset.programs if p.income_category == category}
    return by_programs(dataset, style, ids)


def location(dataset: Dataset, style: str, location_id: str) -> str:
    ids = {p.program_id for p in dataset.programs if p.location_id == location_id}
    if style == "summary":
        return _payments_text(_payments_with(
            dataset, lambda a: a.location_id == location_id or a.program_id in ids))
    return _orders_text(_orders_with(dataset, lambda c: c.program_id in ids))


def tax_rate(dataset: Dataset, style: str, tax_rate_id: str) -> str:
    if style == "summary":
        return _payments_text(_payments_with(dataset, lambda a: a.tax_rate_id == tax_rate_id))
    return _orders_text(_orders_with(dataset, lambda c: c.tax_rate_id == tax_rate_id))


def tender(dataset: Dataset, style: str, name: str) -> str:
    return tender_payments(style, [p for p in dataset.payments if p.tender == name])


def role(dataset: Dataset, style: str, role_name: str, *, deferred: bool = False,
         tenders_mapped: Iterable[str] = ()) -> str:
    """What leaving an account role unmapped holds back in ``style``."""
    mapped = set(tenders_mapped)
    gift_programs = {p.program_id for p in dataset.programs if p.kind == "gift_card"}
    if role_name == "accounts_receivable":
        return _orders_text({c.order_id for c in dataset.charges})
    if role_name == "undeposited_funds":
        plain = [p for p in dataset.payments if p.tender not in mapped and (
            style == "detailed" or (p.tender not in CARD_TENDERS
                                    and p.tender not in TENDERS_CREDIT))]
        return tender_payments(style, plain)
    if role_name == "merchant_settlement":
        return _payments_text(p for p in dataset.payments
                              if p.tender in CARD_TENDERS and p.tender not in mapped)
    if role_name == "discounts_and_credits":
        return _payments_text(p for p in dataset.payments
                              if p.tender in TENDERS_CREDIT and p.tender not in mapped)
    if role_name == "gift_card_holding":
        if style == "summary":
            return _payments_text(p for p in dataset.payments if p.tender == "gift_card"
                                  or p.payment_id in {a.payment_id for a in
                                                      dataset.payment_allocations
                                                      if a.program_id in gift_programs})
        return _orders_text(_orders_with(dataset, lambda c: c.program_id in gift_programs))
    if role_name == "unapplied_payments":
        return _payments_text(p for p in dataset.payments
                              if p.tender in ("gift_card", "multiplier"))
    if role_name == "deferred_revenue":
        if not deferred:
            return "nothing: the deferred-revenue option is off"
        starts = {p.program_id: p.start_date for p in dataset.programs if p.start_date}
        return _orders_text(_orders_with(
            dataset, lambda c: c.program_id in starts and starts[c.program_id] > c.date))
    if role_name == "tax_parent":
        return "nothing while every tax rate has its own account"
    if role_name == "rounding":
        return ("nothing: a day whose entry is a cent off is held with an error "
                "instead (never absorbed silently)")
    return "nothing"


def tender_payments(style: str, payments: list[Payment]) -> str:
    if style == "summary":
        return _payments_text(payments)
    return (f"holds back {_plural(len(payments), 'payment')}" if payments
            else "nothing in the data yet")
