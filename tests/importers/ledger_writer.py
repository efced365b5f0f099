"""The same books written twice: as canonical files and as a ledger in one of its shapes.

A ``Book`` is a few families' payments (each over one or more item lines, with tax, a
line may be a discount) and refunds. ``write_canonical`` writes the canonical files
(customers, programs, locations, tax rates, payments, allocations, refunds);
``write_ledger`` writes one transactions file the way registration systems do — title
lines, split rows sharing the transaction ID, refunds signed or typed, amounts with ``$``
and thousands separators, US dates, a totals row. Both must import to the same records
(the property test), and the benchmark times both.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from app.importers.mapping import Preset, TableMapping, TableRule
from app.importers.shape import TableShape

CENT = Decimal("0.01")
TENDERS = {"Visa": "card", "Cash": "cash", "Check": "check", "Account Credit": "house_credit",
           "ACH": "echeck"}
FAMILY_NAMES = ("Smith / Jones", "O'Brien", "Núñez", "Lee, Pat", "Ng", "Okafor", "Brennan",
                "Alvarez", "Castillo", "Lindqvist")
PROGRAMS = ("Swim Level 1", "Swim Level 2", "Dance: Ballet", "Goggles", "Recital Fee",
            "Summer Camp", "Gymnastics", "Tap Shoes")
LOCATIONS = ("Downtown", "North Side", "Uptown")
TAX_RATE = "Sales tax"
SHAPES = ("typed", "signed", "same_id")  # the refund's link: reference, reference, its ID


@dataclass
class Line:
    program: str
    location: str
    amount: Decimal
    tax: Decimal


@dataclass
class Pay:
    payment_id: str
    family: str  # the family's ID
    day: date
    method: str  # a key of TENDERS
    lines: list[Line]

    @property
    def amount(self) -> Decimal:
        return sum((line.amount + line.tax for line in self.lines), Decimal(0))


@dataclass
class Back:
    refund_id: str
    payment: Pay
    day: date
    amount: Decimal


@dataclass
class Book:
    families: dict[str, str] = field(default_factory=dict)  # ID -> name
    payments: list[Pay] = field(default_factory=list)
    refunds: list[Back] = field(default_factory=list)


def random_book(rng: random.Random, families: int, payments: int,
                refund_share: float = 0.1, prices: int = 0) -> Book:
    """``prices``: 0 draws every amount at random (each one different: the hardest case
    for an importer that reads each distinct text once); N draws lines from N prices, as
    fees and tuition are."""
    book = Book({f"F{n}": _family_name(rng, n) for n in range(1, families + 1)})
    price_list = [_money(rng, 500, 150_000) for _ in range(prices)]
    start = date(2025, 1, 1)
    for n in range(1, payments + 1):
        count = rng.choice((1, 1, 1, 2, 2, 3))
        programs = rng.sample(PROGRAMS, count)
        lines = [Line(p, rng.choice(LOCATIONS),
                      rng.choice(price_list) if price_list else _money(rng, 500, 150_000),
                      _money(rng, 0, 900) if rng.random() < 0.3 else Decimal("0.00"))
                 for p in programs]
        if count > 1 and rng.random() < 0.3:  # a discount line, less than the rest
            rest = sum((line.amount for line in lines[:-1]), Decimal(0))
            lines[-1] = Line(lines[-1].program, lines[-1].location,
                             -_money(rng, 1, int(rest * 50)), Decimal("0.00"))
        pay = Pay(f"T{n}", rng.choice(list(book.families)), start + timedelta(rng.randrange(90)),
                  rng.choice(list(TENDERS)), lines)
        book.payments.append(pay)
        if rng.random() < refund_share:
            amount = min(pay.amount, _money(rng, 1, int(pay.amount * 100)))
            # a day later at least: without a type column, a negative row of the same
            # transaction on the same day is a line of the payment (a discount), not a refund
            book.refunds.append(Back(f"R{n}", pay, pay.day + timedelta(1 + rng.randrange(20)),
                                     amount))
    return book


def _family_name(rng: random.Random, n: int) -> str:
    name = FAMILY_NAMES[(n - 1) % len(FAMILY_NAMES)]
    return name if n <= len(FAMILY_NAMES) else f"{name} {n}"


def _money(rng: random.Random, low: int, high: int) -> Decimal:
    return (Decimal(rng.randint(low, max(low, high))) * CENT).quantize(CENT)


# --- canonical files ---------------------------------------------------------------------


def write_canonical(folder: Path, book: Book, shape: str = "typed") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [(p, line) for p in book.payments for line in p.lines]
    paying = {p.family for p in book.payments}
    _write(folder / "customers.csv", ["customer_id", "name"],
           ((k, v) for k, v in book.families.items() if k in paying))
    _write(folder / "programs.csv", ["program_id", "name"],
           sorted({(line.program, line.program) for _, line in lines}))
    _write(folder / "locations.csv", ["location_id", "name"],
           sorted({(line.location, line.location) for _, line in lines}))
    _write(folder / "tax_rates.csv", ["tax_rate_id", "name"], [(TAX_RATE, TAX_RATE)])
    _write(folder / "payments.csv", ["payment_id", "customer_id", "date", "tender", "amount"],
           ((p.payment_id, p.family, p.day.isoformat(), TENDERS[p.method], str(p.amount))
            for p in book.payments))
    _write(folder / "payment_allocations.csv",
           ["payment_id", "program_id", "location_id", "tax_rate_id", "amount", "tax_amount"],
           ((p.payment_id, line.program, line.location, TAX_RATE, str(line.amount),
             str(line.tax)) for p, line in lines))
    _write(folder / "refunds.csv", ["refund_id", "payment_id", "date", "amount", "tender"],
           ((canonical_refund_id(r, shape), r.payment.payment_id, r.day.isoformat(),
             str(r.amount), TENDERS[r.payment.method]) for r in book.refunds))


def canonical_refund_id(refund: Back, shape: str) -> str:
    """A refund carrying its payment's transaction ID gets ``<id>/refund/<date>``."""
    if shape == "same_id":
        return f"{refund.payment.payment_id}/refund/{refund.day.isoformat()}"
    return refund.refund_id


def _write(path: Path, header: list[str], rows: object) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)  # type: ignore[arg-type]


# --- the ledger ---------------------------------------------------------------------------

LEDGER_HEADER = ["Trans ID", "Original Trans ID", "Family ID", "Family Name", "Trans Date",
                 "Trans Type", "Item", "Location", "Amount", "Tax", "Payment Method"]


def write_ledger(path: Path, book: Book, shape: str, rng: random.Random) -> Decimal:
    """The book as one transactions file; returns the totals row's figure (the Amount
    column added up as written)."""
    header = list(LEDGER_HEADER)
    if shape != "typed":
        header.remove("Trans Type")
    if shape == "same_id":
        header.remove("Original Trans ID")
    total = Decimal(0)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        for title in rng.sample(["Transactions Report", "Date Range: 01/01/2025 - 03/31/2025",
                                 "Printed 04/01/2025"], rng.randint(0, 2)):
            writer.writerow([title])
        writer.writerow(header)
        for cells, signed in _rows(book, shape, rng):
            total += signed
            writer.writerow([cells.get(name, "") for name in header])
        writer.writerow(["Total:", *[""] * (header.index("Amount") - 1), _amount(total, rng)])
    return total


def _rows(book: Book, shape: str, rng: random.Random) -> Iterator[tuple[dict[str, str], Decimal]]:
    events: list[tuple[date, int, object]] = [(p.day, 0, p) for p in book.payments]
    events += [(r.day, 1, r) for r in book.refunds]
    events.sort(key=lambda e: (e[0], e[1]))
    for _, _, event in events:
        if isinstance(event, Pay):
            for line in event.lines:
                cells = _common(event, book)
                cells.update({"Trans ID": event.payment_id, "Trans Type": "Payment",
                              "Item": line.program, "Location": line.location,
                              "Amount": _amount(line.amount, rng), "Tax": str(line.tax)})
                yield cells, line.amount
        else:
            assert isinstance(event, Back)
            cells = _common(event.payment, book)
            typed = shape == "typed"
            written = event.amount if typed and rng.random() < 0.5 else -event.amount
            cells.update({"Trans ID": event.payment.payment_id if shape == "same_id"
                          else event.refund_id,
                          "Original Trans ID": event.payment.payment_id,
                          "Trans Date": _us(event.day), "Trans Type": "Refund",
                          "Amount": _amount(written, rng)})
            yield cells, written


def _common(pay: Pay, book: Book) -> dict[str, str]:
    return {"Family ID": pay.family, "Family Name": book.families[pay.family],
            "Trans Date": _us(pay.day), "Payment Method": pay.method}


def _us(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def _amount(value: Decimal, rng: random.Random) -> str:
    """``1234.50``, ``$1,234.50``; a negative as ``-…`` or ``(…)``."""
    text = f"${abs(value):,.2f}" if rng.random() < 0.5 else f"{abs(value):.2f}"
    if value >= 0:
        return text
    return f"({text})" if rng.random() < 0.5 else f"-{text}"


def ledger_preset(shape: str) -> Preset:
    columns = {
        "payment": {"payment_id": "Trans ID", "date": "Trans Date", "amount": "Amount",
                    "tender": "Payment Method"},
        "customer": {"customer_id": "Family ID", "name": "Family Name"},
        "program": {"name": "Item"}, "location": {"name": "Location"},
        "payment_allocation": {"tax_amount": "Tax"},
    }
    if shape != "same_id":
        columns["refund"] = {"payment_id": "Original Trans ID"}
    table_shape = TableShape(row_kind="Trans Type" if shape == "typed" else None,
                             group_by="Trans ID", fixed={"tax_rate.name": TAX_RATE})
    mapping = TableMapping("payment", columns, "%m/%d/%Y", table_shape)
    return Preset("ledger", (TableRule("*", mapping),))
