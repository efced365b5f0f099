"""A realistic, deterministic canonical export set for the demo company, tests and benches.

The same ``seed``, ``families`` and ``months`` always give byte-identical files. The data
exercises every case the books must get right: families of one to four children, three
locations, two tax rates, every tender (credit types and a custom one), payment plans,
partial refunds, chargebacks, eCheck returns, gift card sales and redemptions,
multipliers (never allocated to programs: SPEC §4), a $0 scholarship order, cart lines
removed after payment, sessions that start after the export period, and names with
apostrophes, accents and colons.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from app.domain.records import FILE_NAMES, field_names

START = date(2025, 1, 1)
CENT = Decimal("0.01")
LOCATIONS = (("LOC-N", "Northside Pool"), ("LOC-D", "Downtown Studio"),
             ("LOC-L", "Lakeview: Gym & Annex"))
TAX_RATES = (("TX-STATE", "State sales tax", Decimal("6.25")),
             ("TX-CITY", "City: combined tax", Decimal("8.875")))
# (category, base price, taxable, locations it runs at)
CATEGORIES = (
    ("Swim Lessons", Decimal("120.00"), False, ("LOC-N",)),
    ("Dance", Decimal("95.00"), False, ("LOC-D", "LOC-L")),
    ("Gymnastics", Decimal("110.00"), False, ("LOC-L",)),
    ("Summer Camp", Decimal("350.00"), False, ("LOC-N", "LOC-D", "LOC-L")),
    ("Merchandise", Decimal("24.99"), True, ("LOC-D",)),
)
GIFT_CARD_PROGRAM = "PRG-GIFT"
LAST_NAMES = ("O'Brien", "Núñez", "Müller", "Smith", "Nguyen", "D'Angelo", "García", "Kowalski",
              "Lefèvre", "Johnson", "Okafor", "Lee: Park", "Ó Súilleabháin", "Brown", "Chen")
FIRST_NAMES = ("Zoë", "José", "Renée", "Siobhán", "D'Andre", "Liam", "Ava", "Noah", "Mia",
               "Ethan", "Chloé", "Mateo", "Aaliyah", "Björn", "Isla", "Kai")
PARENT_NAMES = ("Anne", "Marc", "Priya", "Tom", "Ines", "Olu", "Sarah", "Jean-Luc", "Fatima")
# Tender weights: cards dominate, every tender appears.
TENDERS = (("card", 60), ("echeck", 12), ("cash", 6), ("check", 6), ("custom:Venmo", 4),
           ("house_credit", 3), ("coupon", 3), ("other_credit", 2), ("gift_card", 2),
           ("multiplier", 2))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class _Rows:
    tables: dict[str, list[list[str]]] = field(
        default_factory=lambda: {rtype: [] for rtype in FILE_NAMES})

    def add(self, record_type: str, **values: object) -> None:
        row = []
        for name in field_names(record_type):
            value = values.get(name)
            row.append("" if value is None else str(value))
        self.tables[record_type].append(row)


class _DemoBuilder:
    def __init__(self, families: int, months: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.families = families
        self.months = months
        self.rows = _Rows()
        # (program id, location id, price, tax rate id, month index)
        self.programs: list[tuple[str, str, Decimal, str | None, int]] = []
        self.tender_names = [t for t, _ in TENDERS]
        self.tender_weights = [w for _, w in TENDERS]
        # Every case appears at least once, even in a tiny set: first chances are taken.
        self.pending = {"scholarship", "removed", "gift_sale", "failed", "plan", "refund",
                        "chargeback", "echeck_return"}
        self.unused_tenders = list(self.tender_names)
        self.payment_no = 0
        self.order_no = 0
        self.refund_no = 0

    def build(self) -> _Rows:
        for location_id, name in LOCATIONS:
            self.rows.add("location", location_id=location_id, name=name)
        for tax_id, name, rate in TAX_RATES:
            self.rows.add("tax_rate", tax_rate_id=tax_id, name=name, rate=rate)
        self._programs()
        for number in range(1, self.families + 1):
            self._family(number)
        return self.rows

    def _programs(self) -> None:
        self.rows.add("program", program_id=GIFT_CARD_PROGRAM, name="Gift Card",
                      category="Gift Cards", kind="gift_card")
        # One session per category and location per month, plus two months beyond the
        # export period: those are the future-dated sessions.
        for month in range(self.months + 2):
            start = _add_months(START, month)
            end = _add_months(START, month + 1) - timedelta(days=1)
            for category, price, taxable, locations in CATEGORIES:
                for location_id in locations:
                    program_id = f"PRG-{category[:4].upper()}-{location_id[-1]}-{month + 1:03d}"
                    tax = ("TX-CITY" if location_id == "LOC-D" else "TX-STATE") if taxable else None
                    name = f"{category} {start:%b %Y} ({location_id[-1]})"
                    self.rows.add("program", program_id=program_id, name=name, category=category,
                                  location_id=location_id, price=price, start_date=start,
                                  end_date=end, kind="regular")
                    self.programs.append((program_id, location_id, price, tax, month))

    def _family(self, number: int) -> None:
        rng = self.rng
        last = rng.choice(LAST_NAMES)
        parent = rng.choice(PARENT_NAMES)
        customer_id = f"FAM-{number:05d}"
        email = f"family{number}@example.org"
        self.rows.add("customer", customer_id=customer_id, name=f"{last}, {parent}",
                      first_name=parent, last_name=last, email=email,
                      phone=f"555-{number % 10000:04d}")
        children = []
        for child in range(1, rng.choice((1, 1, 2, 2, 2, 3, 3, 4)) + 1):
            participant_id = f"{customer_id}-{child}"
            self.rows.add("participant", participant_id=participant_id,
                          first_name=rng.choice(FIRST_NAMES), last_name=last,
                          customer_id=customer_id)
            children.append(participant_id)
        for month in range(self.months):
            self._month(customer_id, children, month)

    def _month(self, customer_id: str, children: list[str], month: int) -> None:
        rng = self.rng
        offered = [p for p in self.programs if p[4] in (month, month + 1, month + 2)]
        # (participant, program, location, amount, tax rate id, tax)
        lines: list[tuple[str, str, str, Decimal, str | None, Decimal]] = []
        self.order_no += 1
        order_id = f"ORD-{self.order_no:07d}"
        day = _add_months(START, month) + timedelta(days=rng.randrange(0, 27))
        for participant_id in children:
            if rng.random() < 0.45:
                continue
            program_id, location_id, price, tax_id, _ = rng.choice(offered)
            quantity = 2 if price < 50 and rng.random() < 0.3 else 1
            amount = price * quantity
            rate = dict((t[0], t[2]) for t in TAX_RATES).get(tax_id or "", Decimal(0))
            tax = _cents(amount * rate / 100) if tax_id else None
            charge_id = f"{order_id}-{len(lines) + 1}"
            self.rows.add("charge", charge_id=charge_id, order_id=order_id,
                          participant_id=participant_id, program_id=program_id, date=day,
                          description=f"Registration: {program_id}", quantity=quantity,
                          unit_price=price, amount=amount, tax_rate_id=tax_id,
                          tax_amount=tax, status="active")
            lines.append((participant_id, program_id, location_id, amount, tax_id,
                          tax or Decimal(0)))
        if not lines:
            return
        if self._due("scholarship", 0.02):
            self._scholarship(lines[0][0], lines[0][1], day)
        if self._due("removed", 0.03):
            lines.append(self._removed_line(order_id, lines[-1], day))
        self._pay(customer_id, order_id, lines, day)
        if self._due("gift_sale", 0.015):
            self._gift_card_sale(customer_id, children[0], day)

    def _pay(self, customer_id, order_id, lines, day) -> None:  # type: ignore[no-untyped-def]
        """One payment, or a plan of two or three; sometimes a failed attempt first."""
        rng = self.rng
        total = sum((amount + tax for *_, amount, _, tax in lines), Decimal(0))
        installments = 1
        if total > 200:
            installments = 3 if self._due("plan", 0) else rng.choice((1, 1, 1, 1, 2, 3))
        remaining = total
        for index in range(installments):
            share = remaining if index == installments - 1 else _cents(total / installments)
            remaining -= share
            tender = self._tender()
            when = day + timedelta(days=30 * index)
            if self._due("failed", 0.02):
                self._payment(customer_id, order_id, when, tender, share, "failed")
            payment_id = self._payment(customer_id, order_id, when, tender, share, "completed")
            if tender != "multiplier":  # a multiplier credits Unapplied Payments, not programs
                self._allocate(payment_id, lines, share, total)
            self._maybe_refund(payment_id, share, tender, when)

    def _due(self, feature: str, probability: float) -> bool:
        """True the first time a feature is asked for, then with the given probability."""
        if feature in self.pending:
            self.pending.discard(feature)
            return True
        return self.rng.random() < probability

    def _tender(self) -> str:
        if self.unused_tenders:
            return self.unused_tenders.pop()
        return self.rng.choices(self.tender_names, self.tender_weights)[0]

    def _payment(self, customer_id, order_id, when, tender, amount, status) -> str:  # type: ignore[no-untyped-def]
        self.payment_no += 1
        payment_id = f"PAY-{self.payment_no:07d}"
        reference = f"ch_{self.rng.getrandbits(40):010x}" if tender in ("card", "echeck") else None
        self.rows.add("payment", payment_id=payment_id, customer_id=customer_id,
                      order_id=order_id, date=when, tender=tender, amount=_cents(amount),
                      status=status, reference=reference)
        return payment_id

    def _allocate(self, payment_id, lines, share, total) -> None:  # type: ignore[no-untyped-def]
        """Split a payment over the order's lines; amounts plus taxes add up exactly."""
        grouped: dict[tuple[str, str, str | None], list[Decimal]] = {}
        for _, program_id, location_id, amount, tax_id, tax in lines:
            entry = grouped.setdefault((program_id, location_id, tax_id), [Decimal(0)] * 2)
            entry[0] += amount
            entry[1] += tax
        left = share
        keys = list(grouped)
        for index, key in enumerate(keys):
            amount, tax = grouped[key]
            line_total = amount + tax
            portion = left if index == len(keys) - 1 else _cents(line_total * share / total)
            left -= portion
            tax_part = _cents(portion * tax / line_total) if line_total and tax else Decimal(0)
            program_id, location_id, tax_id = key
            self.rows.add("payment_allocation", payment_id=payment_id, program_id=program_id,
                          location_id=location_id, tax_rate_id=tax_id,
                          amount=_cents(portion - tax_part),
                          tax_amount=_cents(tax_part) if tax_id else None)

    def _maybe_refund(self, payment_id, amount, tender, when) -> None:  # type: ignore[no-untyped-def]
        roll = self.rng.random()
        kind, refunded = None, amount
        if tender == "echeck" and self._due("echeck_return", 0.02):
            kind = "echeck_return"
        elif tender == "card" and self._due("chargeback", 0.01):
            kind = "chargeback"
        elif tender in ("card", "cash", "check") and amount > 20 and (
            self._due("refund", 0) or roll < 0.04
        ):
            kind, refunded = "refund", _cents(amount * Decimal("0.25"))
        if kind is None:
            return
        self.refund_no += 1
        self.rows.add("refund", refund_id=f"REF-{self.refund_no:06d}", payment_id=payment_id,
                      date=when + timedelta(days=self.rng.randrange(2, 20)), amount=refunded,
                      kind=kind, tender=tender if kind == "refund" else None)

    def _scholarship(self, participant_id, program_id, day) -> None:  # type: ignore[no-untyped-def]
        """A $0 order (full scholarship): still invoiced, for enrolment reporting."""
        self.order_no += 1
        scholarship_order = f"ORD-{self.order_no:07d}"
        self.rows.add("charge", charge_id=f"{scholarship_order}-1", order_id=scholarship_order,
                      participant_id=participant_id, program_id=program_id, date=day,
                      description="Scholarship: full tuition waived", quantity=1,
                      unit_price="0.00", amount="0.00", status="active")

    def _removed_line(self, order_id, line, day):  # type: ignore[no-untyped-def]
        """A second cart line, paid with the order, removed ten days later (a credit memo)."""
        participant_id, program_id, _, amount, tax_id, tax = line
        self.rows.add("charge", charge_id=f"{order_id}-R", order_id=order_id,
                      participant_id=participant_id, program_id=program_id, date=day,
                      description="Extra week: removed after payment", quantity=1,
                      unit_price=amount, amount=amount, tax_rate_id=tax_id,
                      tax_amount=tax if tax_id else None, status="removed",
                      removed_date=day + timedelta(days=10))
        return line

    def _gift_card_sale(self, customer_id, participant_id, day) -> None:  # type: ignore[no-untyped-def]
        self.order_no += 1
        order_id = f"ORD-{self.order_no:07d}"
        value = Decimal(self.rng.choice((25, 50, 100)))
        self.rows.add("charge", charge_id=f"{order_id}-1", order_id=order_id,
                      participant_id=participant_id, program_id=GIFT_CARD_PROGRAM, date=day,
                      description="Gift card", quantity=1, unit_price=value, amount=value,
                      status="active")
        line = [(participant_id, GIFT_CARD_PROGRAM, None, value, None, Decimal(0))]
        payment_id = self._payment(customer_id, order_id, day, "card", value, "completed")
        self._allocate(payment_id, line, value, value)


def _add_months(start: date, months: int) -> date:
    year, month = divmod(start.month - 1 + months, 12)
    return date(start.year + year, month + 1, 1)


def write_demo_data(
    out: Path, *, families: int = 40, months: int = 3, seed: int = 1
) -> dict[str, int]:
    """Write the nine canonical CSV files into ``out``; returns rows per record type."""
    rows = _DemoBuilder(families, months, seed).build()
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for record_type, table in rows.tables.items():
        with (out / f"{FILE_NAMES[record_type]}.csv").open("w", encoding="utf-8",
                                                           newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(field_names(record_type))
            writer.writerows(table)
        counts[record_type] = len(table)
    return counts
