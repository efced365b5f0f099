"""What each canonical field accepts, derived from the record dataclasses (SPEC §2).

Required fields are exactly the dataclass fields without a default, so the spec's
asterisks live in one place (``app.domain.records``) and cannot drift from the importer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import cache
from typing import Any

from app.domain.codec import _field_kinds
from app.domain.records import RECORD_TYPES

MONEY, NUMBER, PERCENT, DATE, TEXT, TENDER, CHOICE = (
    "money", "number", "percent", "date", "text", "tender", "choice",
)

CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("program", "kind"): ("regular", "gift_card"),
    ("charge", "status"): ("active", "removed"),
    ("payment", "status"): ("completed", "failed", "voided"),
    ("refund", "kind"): ("refund", "chargeback", "echeck_return"),
}
_NUMBER_FIELDS = {("charge", "quantity"): NUMBER, ("tax_rate", "rate"): PERCENT}

# The field holding a record's ID, and the fields whose text is its natural key.
ID_FIELD = {
    "customer": "customer_id",
    "participant": "participant_id",
    "location": "location_id",
    "program": "program_id",
    "tax_rate": "tax_rate_id",
    "charge": "charge_id",
    "payment": "payment_id",
    "refund": "refund_id",
}
NATURAL_KEY_FIELDS = {
    "customer": ("name",),
    "participant": ("first_name", "last_name"),
    "location": ("name",),
    "program": ("name",),
    "tax_rate": ("name",),
}
# Reference fields: (record type, field) -> the record type it names.
REFERENCES: dict[tuple[str, str], str] = {
    ("participant", "customer_id"): "customer",
    ("program", "location_id"): "location",
    ("charge", "participant_id"): "participant",
    ("charge", "program_id"): "program",
    ("charge", "tax_rate_id"): "tax_rate",
    ("payment", "customer_id"): "customer",
    ("payment", "participant_id"): "participant",
    ("payment_allocation", "payment_id"): "payment",
    ("payment_allocation", "program_id"): "program",
    ("payment_allocation", "location_id"): "location",
    ("payment_allocation", "tax_rate_id"): "tax_rate",
    ("refund", "payment_id"): "payment",
}
# Types a denormalised row can carry beside its own record (they have a natural key).
DERIVABLE = tuple(NATURAL_KEY_FIELDS)


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str
    required: bool
    default: Any
    choices: tuple[str, ...] = ()


@cache
def record_schema(record_type: str) -> tuple[FieldSpec, ...]:
    """The fields of a record type in dataclass order (the constructor's order)."""
    kinds = _field_kinds(record_type)
    specs = []
    for f in dataclasses.fields(RECORD_TYPES[record_type]):
        required = f.default is dataclasses.MISSING
        default = None if required else f.default
        kind = _kind(record_type, f.name, kinds[f.name])
        choices = CHOICES.get((record_type, f.name), ())
        specs.append(FieldSpec(f.name, kind, required, default, choices))
    return tuple(specs)


def _kind(record_type: str, name: str, python_type: type) -> str:
    if (record_type, name) in CHOICES:
        return CHOICE
    if name == "tender":
        return TENDER
    if (record_type, name) in _NUMBER_FIELDS:
        return _NUMBER_FIELDS[(record_type, name)]
    if python_type.__name__ == "Decimal":
        return MONEY
    if python_type.__name__ == "date":
        return DATE
    return TEXT
