"""Turn one payment or refund into signed summary postings (SPEC §3b and §4, exactly).

Every posting is linear in the source amounts, so a bucket first sums its events by
what decides their lines (tender and flow; program, location, tax rate and flow), and
``expand`` turns those sums into line totals: a dict of line id -> amount, debits
positive, credits negative. Line ids index a catalogue of line descriptions (section,
account, class, text). Summing first keeps 100,000 payments cheap.

Sections: 1 payments by tender group (debits); 2 programs and taxes per location
(credits, with the location's class); 3 gift cards, multipliers and unallocated money.
A refund, chargeback or eCheck return is the refunded payment's postings, pro rata and
with the opposite sign.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from app.accounting.summary.resolve import Resolved, Resolver, Slot, Unmapped
from app.domain.money import ZERO, cents
from app.domain.records import PaymentAllocation
from app.mapping.targets import target_ref

FLOWS = ("payment", "refund", "chargeback", "echeck_return")
FLOW_LABELS = {
    "payment": "Payments",
    "refund": "Refunds",
    "chargeback": "Chargebacks",
    "echeck_return": "eCheck returns",
}
FLOW_NOTES = {  # how a line says which flow it belongs to, after its text
    "payment": "payments",
    "refund": "refunds",
    "chargeback": "chargebacks",
    "echeck_return": "eCheck returns",
}


class JeLine(NamedTuple):
    """One line to send: debit when ``amount`` > 0, credit when < 0."""

    account_ref: Mapping[str, Any]
    class_ref: Mapping[str, Any] | None
    description: str
    amount: Decimal
    identity: tuple[str, str]  # (account, class) names: what deltas are computed over


def ref_of(resolved: Resolved | None) -> Mapping[str, Any] | None:
    if resolved is None:
        return None
    assert isinstance(resolved, Slot), "unmapped lines never reach a payload"
    return target_ref(resolved.entity, resolved.target)


def ident_of(resolved: Resolved | None) -> str:
    return "" if resolved is None else resolved.name


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

    @cached_property
    def order(self) -> tuple[object, ...]:
        """Section order, then account, class and text so equal sorts never tie."""
        klass = self.klass.name if self.klass is not None else ""
        return (self.sort, self.account.name, klass, self.description)

    @cached_property
    def template(self) -> JeLine:
        """The payload line it becomes, with amount zero: refs built once per spec."""
        return JeLine(ref_of(self.account) or {}, ref_of(self.klass), self.description, ZERO,
                      (ident_of(self.account), ident_of(self.klass)))


class Component(NamedTuple):
    """A revenue or tax share of a payment: what section 2 credits (a tuple: built 10^5 times)."""

    program_id: str
    location_id: str | None
    tax_rate_id: str | None
    is_tax: bool
    amount: Decimal


def components_of(allocations: Sequence[PaymentAllocation], location_of) -> list[Component]:  # type: ignore[no-untyped-def]
    parts: list[Component] = []
    ordered = allocations if len(allocations) < 2 else sorted(allocations, key=lambda a: a.key)
    for a in ordered:
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
        self._tender_ids: dict[tuple[str, str], int] = {}
        self._s3_ids: dict[tuple[object, ...], int] = {}

    def _id(self, memo_key: tuple[object, ...], make) -> int:  # type: ignore[no-untyped-def]
        line_id = self._ids.get(memo_key)
        if line_id is None:
            line_id = len(self.specs)
            self.specs.append(make())
            self._ids[memo_key] = line_id
        return line_id

    def tender_line(self, tender: str, flow: str) -> int:
        line_id = self._tender_ids.get((tender, flow))
        if line_id is None:
            line_id = self._tender_ids[(tender, flow)] = self._new_tender_line(tender, flow)
        return line_id

    def _new_tender_line(self, tender: str, flow: str) -> int:
        account = self.resolver.tender_account(tender)

        def make() -> LineSpec:
            label = tender if self.per_tender else _leaf(account)
            description = f"{FLOW_LABELS[flow]} – {label}"
            if self.per_tender:
                description = f"Go-live lump sum: {description}"
            return LineSpec((1, FLOWS.index(flow), label), account,
                            self.resolver.organisation_class(), description)

        return self._id(("t", tender if self.per_tender else account.name, flow), make)

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
            suffix = "" if flow == "payment" else f" ({FLOW_NOTES[flow]})"
            text = f"{what} – {where}{suffix}" if where else f"{what}{suffix}"
            return LineSpec((2, where, part.location_id or "", int(part.is_tax), what,
                             FLOWS.index(flow)), account, r.location_class(part.location_id), text)

        tax_key = part.tax_rate_id if part.is_tax else None
        return self._id(("c", part.program_id, part.location_id, tax_key, part.is_tax, flow), make)

    def section3_line(self, memo: tuple[object, ...], make_line) -> int:  # type: ignore[no-untyped-def]
        """A section-3 line, memoised by ``memo`` (what identifies it for the caller)."""
        line_id = self._s3_ids.get(memo)
        if line_id is None:
            account, klass, text, order = make_line()
            key = ("s3", account.name, klass.name if klass else None, text)
            line_id = self._s3_ids[memo] = self._id(
                key, lambda: LineSpec((3, *order), account, klass, text))
        return line_id


def _leaf(resolved: Resolved) -> str:
    return resolved.target.leaf_name if isinstance(resolved, Slot) else "unmapped"


@dataclass
class EventSums:
    """A bucket's source amounts, summed by what decides their lines (all amounts >= 0).

    ``flow`` is ``payment`` or a refund kind; refund flows post with the opposite sign.
    """

    tenders: dict[tuple[str, str], Decimal] = field(default_factory=dict)  # section 1
    parts: dict[tuple[str, str | None, str | None, bool, str], Decimal] = field(
        default_factory=dict)  # section 2 (and gift card sales in section 3)
    redemptions: dict[str, Decimal] = field(default_factory=dict)  # gift card tender, by flow
    multipliers: dict[str, Decimal] = field(default_factory=dict)
    unallocated: dict[str, Decimal] = field(default_factory=dict)

    def add_event(self, payment_tender: str, tender: str, flow: str, total: Decimal,
                  parts: Sequence[Component]) -> None:
        tenders, key = self.tenders, (tender, flow)
        tenders[key] = tenders.get(key, ZERO) + total
        if payment_tender == "multiplier":
            _bump(self.multipliers, flow, total)
            return
        if not parts:
            _bump(self.unallocated, flow, total)
            return
        sums = self.parts
        for p in parts:  # the hot loop of a large import: plain indexing, no helper calls
            part_key = (p[0], p[1], p[2], p[3], flow)
            sums[part_key] = sums.get(part_key, ZERO) + p[4]
        if payment_tender == "gift_card":
            _bump(self.redemptions, flow, total)

    def fingerprint(self) -> str:
        """Text that changes exactly when the sums (the books this bucket makes) change."""
        items = [(name, str(key), format(amount.normalize(), "f"))
                 for name in ("tenders", "parts", "redemptions", "multipliers", "unallocated")
                 for key, amount in getattr(self, name).items() if amount]
        return repr(sorted(items))


def _bump(sums: dict, key: object, amount: Decimal) -> None:  # type: ignore[type-arg]
    sums[key] = sums.get(key, ZERO) + amount


def _sign(flow: str) -> int:
    return 1 if flow == "payment" else -1


def expand(catalog: LineCatalog, sums: EventSums) -> dict[int, Decimal]:
    """Line id -> signed total for a bucket: the three sections of SPEC §3b and §4."""
    lines: dict[int, Decimal] = {}
    for (tender, flow), amount in sums.tenders.items():
        _bump(lines, catalog.tender_line(tender, flow), _sign(flow) * amount)
    r = catalog.resolver
    for key, amount in sums.parts.items():
        part, flow = Component(*key[:4], amount), key[4]
        sign = _sign(flow)
        _bump(lines, catalog.component_line(part, flow), -sign * amount)
        if not part.is_tax and _is_gift_card(r, part.program_id):
            income, holding = _gift_card_sale_lines(catalog, part, flow)
            _bump(lines, income, sign * amount)
            _bump(lines, holding, -sign * amount)
    for flow, amount in sums.redemptions.items():
        holding, unapplied = _redemption_lines(catalog, flow)
        _bump(lines, holding, _sign(flow) * amount)
        _bump(lines, unapplied, -_sign(flow) * amount)
    for kind, table in (("multiplier", sums.multipliers), ("unallocated", sums.unallocated)):
        for flow, amount in table.items():
            line = catalog.section3_line((kind, flow), lambda k=kind, f=flow:
                                         _unapplied_line(r, k, f))
            _bump(lines, line, -_sign(flow) * amount)
    return lines


def _unapplied_line(r: Resolver, kind: str, flow: str) -> tuple[Any, ...]:
    text = "Multipliers" if kind == "multiplier" else "Payments not allocated to a program"
    return (r.role_account("unapplied_payments"), r.organisation_class(),
            f"{text} ({FLOW_NOTES[flow]})", (kind, flow))


def _is_gift_card(r: Resolver, program_id: str) -> bool:
    program = r.dataset.program_by_id.get(program_id)
    return program is not None and program.kind == "gift_card"


def _gift_card_sale_lines(catalog: LineCatalog, part: Component, flow: str) -> tuple[int, int]:
    """A gift card sale moves out of the gift-card program's income into the liability."""
    r = catalog.resolver

    def line(n: int) -> tuple[Any, ...]:
        where = r.location_name(part.location_id)
        account = r.income_account(part.program_id) if n == 0 else \
            r.role_account("gift_card_holding")
        text = f"Gift card sales to Gift Card Holding ({FLOW_NOTES[flow]})"
        return (account, r.location_class(part.location_id), text,
                ("a-sale", where, part.program_id, flow, n))

    memo = ("sale", part.program_id, part.location_id, flow)
    return (catalog.section3_line((*memo, 0), lambda: line(0)),
            catalog.section3_line((*memo, 1), lambda: line(1)))


def _redemption_lines(catalog: LineCatalog, flow: str) -> tuple[int, int]:
    """A gift card spent: Gift Card Holding -> Unapplied Payments (SPEC §4)."""
    r = catalog.resolver

    def line(n: int) -> tuple[Any, ...]:
        role = "gift_card_holding" if n == 0 else "unapplied_payments"
        text = f"Gift card redemptions ({FLOW_NOTES[flow]})"
        return r.role_account(role), r.organisation_class(), text, ("b-redeem", flow, n)

    return (catalog.section3_line(("redeem", flow, 0), lambda: line(0)),
            catalog.section3_line(("redeem", flow, 1), lambda: line(1)))
