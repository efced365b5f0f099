"""``app.accounting.planner.plan`` runs the style the mapping names."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.accounting.planner import plan
from app.domain.records import PaymentAllocation

from .helpers import MARCH, D, charge, dataset, day, mapping, payment


def test_detailed_mapping_plans_invoices():
    data = dataset(charge("X1", "O1", "100.00", day(3)), payment("PA1", "O1", "100.00", day(4)))
    entities = {o.entity for o in plan(data, mapping(), {}, MARCH).operations}
    assert "Invoice" in entities and "JournalEntry" not in entities


def test_summary_mapping_plans_journal_entries():
    data = dataset(charge("X1", "O1", "100.00", day(3)), payment("PA1", "O1", "100.00", day(4)),
                   PaymentAllocation("PA1", "SW1", D("100.00"), "L1"))
    config = replace(mapping(), style="summary", organisation_class="Riverside Swim",
                     organisation_class_id="499", go_live=date(2026, 3, 1))
    entities = {o.entity for o in plan(data, config, {}, MARCH).operations}
    assert "Invoice" not in entities and "JournalEntry" in entities


def test_unknown_style_is_refused():
    config = mapping()
    object.__setattr__(config, "style", "other")
    with pytest.raises(ValueError, match="unknown posting style"):
        plan(dataset(), config, {}, MARCH)
