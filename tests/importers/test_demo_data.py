"""The demo export set obeys every SPEC §2/§4 rule, so neither planner warns about the data.

The demo company is what a new user sees first: a warning caused by the generator (not
by a deliberate case such as two children with the same name) would teach them to ignore
warnings. The mapping here maps everything, so what remains can only come from the data.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from app.accounting.planner import plan
from app.domain.dataset import Dataset
from app.domain.records import TENDERS_CREDIT
from app.importers.demo_data import write_demo_data
from app.importers.pipeline import import_paths
from app.mapping.config import MappingConfig, Target
from app.plan.plan import Period

FIRST_QUARTER = Period(date(2025, 1, 1), date(2025, 3, 31))
ACCOUNTS = {
    "accounts_receivable": "Accounts Receivable (A/R)",
    "undeposited_funds": "Undeposited Funds",
    "merchant_settlement": "Merchant Settlement",
    "discounts_and_credits": "Discounts and Credits",
    "gift_card_holding": "Gift Card Holding",
    "unapplied_payments": "Unapplied Payments",
    "deferred_revenue": "Deferred Revenue",
    "tax_parent": "Sales Tax Payable",
}
# A warning the demo data raises on purpose: SPEC §3a's "two children named Sam Lee".
DELIBERATE = {"duplicate_display_name"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    folder: Path = tmp_path_factory.mktemp("demo")
    write_demo_data(folder, families=40, months=3, seed=1)
    result = import_paths([folder])
    assert result.ok and not result.issues, [i.as_text() for i in result.issues[:5]]
    return Dataset.from_records(r for records in result.records.values() for r in records)


def _full_mapping(style: str, data: Dataset) -> MappingConfig:
    return MappingConfig(
        style=style, go_live=FIRST_QUARTER.start, organisation_class="Demo Org",
        accounts={role: Target(name) for role, name in ACCOUNTS.items()},
        income={p.category or p.name: Target(f"Tuition:{p.category or p.name}")
                for p in data.programs},
        tenders={t: Target("Gift Card Holding" if t == "gift_card" else "Discounts and Credits")
                 for t in TENDERS_CREDIT},
        locations={loc.location_id: Target(f"Demo Org:{loc.name.replace(':', '')}")
                   for loc in data.locations},
        tax_rates={t.tax_rate_id: Target(f"Sales Tax Payable:Tax Rate - {t.tax_rate_id}")
                   for t in data.tax_rates},
        create_missing=True, deferred_revenue=True,
    )


def test_multipliers_have_no_program_allocation(demo: Dataset) -> None:
    multipliers = [p for p in demo.payments if p.tender == "multiplier"]
    assert multipliers, "the demo set must exercise multipliers"
    assert not any(demo.allocations_by_payment.get(p.payment_id) for p in multipliers)


def test_other_completed_payments_are_split_exactly(demo: Dataset) -> None:
    """SPEC §2: allocations, amount plus tax, add up to the payment amount."""
    for payment in demo.payments:
        if payment.tender == "multiplier" or payment.status != "completed":
            continue
        allocations = demo.allocations_by_payment.get(payment.payment_id, ())
        assert allocations, payment.payment_id
        total = sum((a.amount + (a.tax_amount or Decimal(0)) for a in allocations), Decimal(0))
        assert total == payment.amount, payment.payment_id


@pytest.mark.parametrize("style", ["summary", "detailed"])
def test_planners_find_nothing_wrong_with_the_data(demo: Dataset, style: str) -> None:
    result = plan(demo, _full_mapping(style, demo), {}, FIRST_QUARTER)
    assert result.operations
    assert not result.blocking_issues, [i.message for i in result.blocking_issues[:5]]
    unexpected = [i for i in result.issues
                  if i.severity == "warning" and i.code not in DELIBERATE]
    assert not unexpected, [f"{i.code}: {i.message}" for i in unexpected[:5]]


def test_deliberate_name_collisions_are_real_namesakes(demo: Dataset) -> None:
    result = plan(demo, _full_mapping("detailed", demo), {}, FIRST_QUARTER)
    people = {f"customer:{c.customer_id}": c.name for c in demo.customers}
    people.update({f"participant:{p.participant_id}": f"{p.first_name} {p.last_name}"
                   for p in demo.participants})
    namesakes = Counter(people.values())
    flagged = [i for i in result.issues if i.code == "duplicate_display_name"]
    assert flagged
    for issue in flagged:
        assert namesakes[people[issue.sources[0]]] > 1, issue.message
