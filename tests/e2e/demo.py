"""The demo export set, imported in memory; mappings with nothing but defaults; edits.

Shared by the end-to-end tests: generate (``write_demo_data``), import through the real
pipeline (``import_paths``), and hand the planners a ``Dataset``.
"""

from __future__ import annotations

import dataclasses
from calendar import monthrange
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from app.domain.dataset import Dataset
from app.domain.records import Payment, PaymentAllocation, Refund
from app.importers.demo_data import START, write_demo_data
from app.importers.pipeline import import_paths
from app.mapping.config import MappingConfig
from app.plan.plan import Period

ORGANISATION = "Demo Org"
MONTHS = [Period(date(2025, m, 1), date(2025, m, monthrange(2025, m)[1])) for m in (1, 2, 3)]
EVERYTHING = Period(MONTHS[0].start, MONTHS[-1].end)


def demo_dataset(folder: Path, families: int = 6, months: int = 2, seed: int = 1) -> Dataset:
    """The demo exports written to ``folder`` and imported: every error fails the test."""
    write_demo_data(folder, families=families, months=months, seed=seed)
    result = import_paths([folder])
    assert result.ok, [str(issue) for issue in result.errors]
    return Dataset.from_records(r for records in result.records.values() for r in records)


def defaults_mapping(style: str, **options: Any) -> MappingConfig:
    """create_missing and an organisation class; no [accounts]/[income]/[tax_rates]/[locations]."""
    go_live: date | None = START if style == "summary" else None
    return MappingConfig(style=style, go_live=go_live, organisation_class=ORGANISATION,
                         create_missing=True, **options)


def edited(data: Dataset) -> tuple[Dataset, set[str]]:
    """The demo data after edits to posted months, and the source keys edited."""
    charges = {c.charge_id: c for c in data.charges}
    payments = {p.payment_id: p for p in data.payments}
    paid_order = charges["ORD-0000012-1"]  # paid in full by card on 12 January
    removed = charges["ORD-0000016-2"]  # paid by eCheck on 7 February
    voided = payments["PAY-0000015"]  # card, 6 February
    refunded = payments["PAY-0000016"]  # card, 6 January
    late_day = voided.date  # a day whose entry is already posted
    assert paid_order.status == removed.status == "active" and refunded.status == "completed"
    added = dataclasses.replace(paid_order, charge_id="EDIT-ADD", program_id="PRG-SWIM-N-002",
                                date=late_day, amount=Decimal("120.00"),
                                unit_price=Decimal("120.00"), description="Added later")
    late = Payment("EDIT-PAY", late_day, "card", Decimal("120.00"),
                   customer_id=payments["PAY-0000014"].customer_id,
                   order_id=paid_order.order_id)
    records = [
        *(c for c in data.charges if c.charge_id != removed.charge_id),
        dataclasses.replace(removed, status="removed", removed_date=date(2025, 3, 5)),
        added,
        *(p for p in data.payments if p.payment_id != voided.payment_id),
        dataclasses.replace(voided, status="voided"),
        late,
        *data.payment_allocations,
        PaymentAllocation("EDIT-PAY", "PRG-SWIM-N-002", Decimal("120.00"), "LOC-N"),
        *data.refunds,
        Refund("EDIT-REF", refunded.payment_id, date(2025, 2, 25), Decimal("50.00"), "refund"),
        *data.customers, *data.participants, *data.locations, *data.programs, *data.tax_rates,
    ]
    keys = {f"charge:{removed.charge_id}", "charge:EDIT-ADD", f"payment:{voided.payment_id}",
            "payment:EDIT-PAY", "refund:EDIT-REF"}
    # A change to an order may change how much of its programs' revenue is deferred.
    orders = {paid_order.order_id, removed.order_id, voided.order_id, refunded.order_id}
    keys |= {f"program:{c.program_id}" for c in data.charges if c.order_id in orders}
    return Dataset.from_records(records), keys
