"""Canonical source records (SPEC §2): what every export is mapped onto.

Frozen dataclasses with exact types; the importer builds them, the planner reads them.
Optional text fields are ``None`` when absent (never the empty string), so "missing"
and "blank" cannot be confused downstream.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from decimal import Decimal
from typing import ClassVar

TENDERS_PLAIN = ("card", "echeck", "cash", "check")
TENDERS_CREDIT = ("house_credit", "coupon", "gift_card", "other_credit", "multiplier")
CUSTOM_TENDER_PREFIX = "custom:"
# A record's key is stored as its source ID: at most this long, and without NUL
# characters (PostgreSQL enforces both; SQLite would silently accept either).
MAX_KEY_LENGTH = 1000


def is_valid_tender(tender: str) -> bool:
    """``card``…``check``, a credit type, or ``custom:<name>`` with a non-empty name."""
    if tender in TENDERS_PLAIN or tender in TENDERS_CREDIT:
        return True
    return tender.startswith(CUSTOM_TENDER_PREFIX) and len(tender) > len(CUSTOM_TENDER_PREFIX)


@dataclass(frozen=True, slots=True)
class Customer:
    record_type: ClassVar[str] = "customer"
    customer_id: str
    name: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone: str | None = None

    @property
    def key(self) -> str:
        return self.customer_id


@dataclass(frozen=True, slots=True)
class Participant:
    record_type: ClassVar[str] = "participant"
    participant_id: str
    first_name: str
    last_name: str
    customer_id: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        return self.participant_id


@dataclass(frozen=True, slots=True)
class Location:
    record_type: ClassVar[str] = "location"
    location_id: str
    name: str

    @property
    def key(self) -> str:
        return self.location_id


@dataclass(frozen=True, slots=True)
class Program:
    record_type: ClassVar[str] = "program"
    program_id: str
    name: str
    category: str | None = None
    location_id: str | None = None
    price: Decimal | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    kind: str = "regular"  # "regular" | "gift_card"

    @property
    def key(self) -> str:
        return self.program_id

    @property
    def income_category(self) -> str:
        """The category that maps to an income account; the name when none is given."""
        return self.category or self.name


@dataclass(frozen=True, slots=True)
class TaxRate:
    record_type: ClassVar[str] = "tax_rate"
    tax_rate_id: str
    name: str
    rate: Decimal | None = None  # percent

    @property
    def key(self) -> str:
        return self.tax_rate_id


@dataclass(frozen=True, slots=True)
class Charge:
    record_type: ClassVar[str] = "charge"
    charge_id: str
    order_id: str
    participant_id: str
    program_id: str
    date: dt.date
    amount: Decimal
    description: str | None = None
    quantity: Decimal = Decimal(1)
    unit_price: Decimal | None = None
    tax_rate_id: str | None = None
    tax_amount: Decimal | None = None
    status: str = "active"  # "active" | "removed"
    removed_date: dt.date | None = None
    due_date: dt.date | None = None

    @property
    def key(self) -> str:
        return self.charge_id


@dataclass(frozen=True, slots=True)
class Payment:
    """A payment; ``customer_id`` or ``participant_id`` names the payer (one is required)."""

    record_type: ClassVar[str] = "payment"
    payment_id: str
    date: dt.date
    tender: str
    amount: Decimal
    customer_id: str | None = None
    participant_id: str | None = None
    order_id: str | None = None
    status: str = "completed"  # "completed" | "failed" | "voided"
    reference: str | None = None

    @property
    def key(self) -> str:
        return self.payment_id


@dataclass(frozen=True, slots=True)
class PaymentAllocation:
    """A deposit split line: ``amount`` is revenue before tax, ``tax_amount`` its tax.

    An allocation has no ID of its own in the exports; its key is the payment ID plus
    the program, location and tax rate it splits to (unique within a payment).
    """

    record_type: ClassVar[str] = "payment_allocation"
    payment_id: str
    program_id: str
    amount: Decimal
    location_id: str | None = None
    tax_rate_id: str | None = None
    tax_amount: Decimal | None = None

    @property
    def key(self) -> str:
        return "|".join(
            (self.payment_id, self.program_id, self.location_id or "", self.tax_rate_id or "")
        )


@dataclass(frozen=True, slots=True)
class Refund:
    record_type: ClassVar[str] = "refund"
    refund_id: str
    payment_id: str
    date: dt.date
    amount: Decimal
    kind: str = "refund"  # "refund" | "chargeback" | "echeck_return"
    tender: str | None = None

    @property
    def key(self) -> str:
        return self.refund_id


RECORD_TYPES: dict[str, type] = {
    cls.record_type: cls
    for cls in (
        Customer, Participant, Location, Program, TaxRate,
        Charge, Payment, PaymentAllocation, Refund,
    )
}

# Canonical file names (``customers.csv`` …) for each record type, in dependency order.
FILE_NAMES: dict[str, str] = {
    "customer": "customers",
    "participant": "participants",
    "location": "locations",
    "program": "programs",
    "tax_rate": "tax_rates",
    "charge": "charges",
    "payment": "payments",
    "payment_allocation": "payment_allocations",
    "refund": "refunds",
}


def field_names(record_type: str) -> tuple[str, ...]:
    """The canonical field names of a record type, in declaration order."""
    return tuple(f.name for f in fields(RECORD_TYPES[record_type]))
