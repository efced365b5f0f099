"""Turn one payment or refund into signed summary postings (SPEC §3b and §4, exactly).

A posting is ``(line id, amount)`` with debits positive and credits negative. Line ids
index a catalogue of line descriptions (section, account, class, text), so a day's
entry is a dict of line id -> running total, cheap enough for 100,000 payments.

Sections: 1 payments by tender group (debits); 2 programs and taxes per location
(credits, with the location's class); 3 gift cards, multipliers and unallocated money.
A refund, chargeback or eCheck return is the refunded payment's postings, pro rata and
with the opposite sign (``sign = -1``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from app.accounting.summary.resolve import Resolved, Resolver, Slot, Unmapped
from app.domain.money import ZERO, cents
from app.domain.records import Payment, PaymentAllocation

FLOWS = ("payment", "refund", "chargeback", "echeck_return")
FLOW_LABELS = {
    "payment": "Payments",
    "refund": "Refunds",
    "chargeback": "Chargebacks",
    "echeck_return": "eCheck returns",
}


@dataclass(frozen=True)
class LineSpec:
    """One line of a summary entry before amounts: where it posts and what it says."""

    sort: tuple[object, ...]
    account: Resolved
    klass: Resolved | None
    description: str

    @property
    def unmapped(self) -> tuple[Unmapped, ...]:
        return tuple(x for x in (self.account, self.klass) if isinstance(x, Unmapped))


@dataclass(frozen=True)
class Component:
    """A revenue or tax share of a payment: what section 2 credits."""

    program_id: str
    location_id: str | None
    tax_rate_id: str | None
    is_tax: bool
    amount: Decimal


def components_of(allocations: Sequence[PaymentAllocation], location_of) -> list[Component]:  # type: ignore[no-untyped-def]
    parts: list[Component] = []
    for a in sorted(allocations, key=lambda a: a.key):
        location = a.location_id or location_of(a.program_id)
        parts.append(Component(a.program_id, location, a.tax_rate_id, False, a.amount))
        if a.tax_amount:
            parts.append(Component(a.program_id, location, a.tax_rate_id, True, a.tax_amount))
    return parts


def prorate(parts: Sequence[Component], whole: Decimal, share: Decimal) -> list[Component]:
    """``parts`` scaled by ``share / whole`` to the cent; the rounding cent on the largest."""
    if not parts or whole == ZERO:
        return []
    scaled = [cents(p.amount * share / whole) for p in parts]
    wanted = cents(sum((p.amount for p in parts), ZERO) * share / whole)
    largest = max(range(len(parts)), key=lambda i: (abs(parts[i].amount), -i))
    scaled[largest] += wanted - sum(scaled, ZERO)
    return [Component(p.program_id, p.location_id, p.tax_rate_id, p.is_tax, amount)
            for p, amount in zip(parts, scaled, strict=True)]


class LineCatalog:
    """Line specs by small integer id, memoised by what identifies each line."""

    def __init__(self, resolver: Resolver, per_tender: bool = False) -> None:
        self.resolver = resolver
        self.per_tender = per_tender  # the go-live lump sum shows one line per tender
        self.specs: list[LineSpec] = []
        self._ids: dict[tuple[object, ...], int] = {}

    def _id(self, memo_key: tuple[object, ...], make) -> int:  # type: ignore[no-untyped-def]
        line_id = self._ids.get(memo_key)
        if line_id is None:
            line_id = len(self.specs)
            self.specs.append(make())
            self._ids[memo_key] = line_id
        return line_id

    def tender_line(self, tender: str, flow: str) -> int:
        def make() -> LineSpec:
            account = self.resolver.tender_account(tender)
            label = tender if self.per_tender else _leaf(account)
            description = f"{FLOW_LABELS[flow]} – {label}"
            if self.per_tender:
                description = f"Go-live lump sum: {description}"
            return LineSpec((1, FLOWS.index(flow), label), account,
                            self.resolver.organisation_class(), description)

        key = ("t", tender if self.per_tender else self.resolver.tender_account(tender).name, flow)
        return self._id(key, make)

    def component_line(self, part: Component, flow: str) -> int:
        def make() -> LineSpec:
            r = self.resolver
            where = r.location_name(part.location_id)
            if part.is_tax:
                rate = r.dataset.tax_rate_by_id.get(part.tax_rate_id or "")
                what = f"Tax Rate - {rate.name if rate else part.tax_rate_id} {part.tax_rate_id}"
                account = r.tax_account(part.tax_rate_id or "")
            else:
                program = r.dataset.program_by_id.get(part.program_id)
                what = program.name if program else part.program_id
                account = r.income_account(part.program_id)
            suffix = "" if flow == "payment" else f" ({FLOW_LABELS[flow].lower()})"
            text = f"{what} – {where}{suffix}" if where else f"{what}{suffix}"
            return LineSpec((2, where, part.location_id or "", int(part.is_tax), what,
                             FLOWS.index(flow)), account, r.location_class(part.location_id), text)

        tax_key = part.tax_rate_id if part.is_tax else None
        return self._id(("c", part.program_id, part.location_id, tax_key, part.is_tax, flow), make)

    def section3_line(self, kind: str, account: Resolved, klass: Resolved | None,
                      text: str, order: tuple[object, ...]) -> int:
        return self._id(("s3", kind, account.name, klass.name if klass else None, text),
                        lambda: LineSpec((3, *order), account, klass, text))


def _leaf(resolved: Resolved) -> str:
    return resolved.target.leaf_name if isinstance(resolved, Slot) else "unmapped"


class PaymentExpander:
    """The postings of one payment (or of its refund, with ``sign = -1``)."""

    def __init__(self, catalog: LineCatalog) -> None:
        self.catalog = catalog
        self.r = catalog.resolver

    def postings(self, payment: Payment, parts: Sequence[Component], total: Decimal,
                 sign: int, flow: str, tender: str) -> Iterator[tuple[int, Decimal]]:
        c = self.catalog
        yield c.tender_line(tender, flow), sign * total
        if payment.tender == "multiplier" or not parts:
            kind = "multiplier" if payment.tender == "multiplier" else "unallocated"
            text = "Multipliers" if kind == "multiplier" else "Payments not allocated to a program"
            unapplied = self.r.role_account("unapplied_payments")
            line = c.section3_line(kind, unapplied, self.r.organisation_class(),
                                   f"{text} – {FLOW_LABELS[flow].lower()}", (kind, flow))
            yield line, -sign * total
            return
        for part in parts:
            yield c.component_line(part, flow), -sign * part.amount
            if not part.is_tax and self._is_gift_card(part.program_id):
                yield from self._gift_card_sale(part, sign, flow)
        if payment.tender == "gift_card":
            yield from self._redemption(total, sign, flow)

    def _is_gift_card(self, program_id: str) -> bool:
        program = self.r.dataset.program_by_id.get(program_id)
        return program is not None and program.kind == "gift_card"

    def _gift_card_sale(self, part: Component, sign: int,
                        flow: str) -> Iterator[tuple[int, Decimal]]:
        """Move a gift card sale out of the gift-card program's income into the liability."""
        c, r = self.catalog, self.r
        klass = r.location_class(part.location_id)
        text = f"Gift card sales to Gift Card Holding ({FLOW_LABELS[flow].lower()})"
        where = r.location_name(part.location_id)
        income = c.section3_line("sale-income", r.income_account(part.program_id), klass,
                                 text, ("a-sale", where, part.program_id, flow, 0))
        holding = c.section3_line("sale-holding", r.role_account("gift_card_holding"), klass,
                                  text, ("a-sale", where, part.program_id, flow, 1))
        yield income, sign * part.amount
        yield holding, -sign * part.amount

    def _redemption(self, total: Decimal, sign: int, flow: str) -> Iterator[tuple[int, Decimal]]:
        """A gift card spent: Gift Card Holding -> Unapplied Payments (SPEC §4)."""
        c, r = self.catalog, self.r
        klass = r.organisation_class()
        text = f"Gift card redemptions ({FLOW_LABELS[flow].lower()})"
        holding = c.section3_line("redeem-holding", r.role_account("gift_card_holding"), klass,
                                  text, ("b-redeem", flow, 0))
        unapplied = c.section3_line("redeem-unapplied", r.role_account("unapplied_payments"),
                                    klass, text, ("b-redeem", flow, 1))
        yield holding, sign * total
        yield unapplied, -sign * total
