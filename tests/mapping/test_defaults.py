"""One set of default targets (create_missing) for both posting styles."""

from __future__ import annotations

from datetime import date

import pytest

from app.accounting.planner import plan
from app.domain.dataset import Dataset
from app.domain.records import Location, Program, TaxRate
from app.mapping.config import MappingConfig, Target
from app.mapping.defaults import (
    income_target,
    location_target,
    role_target,
    tax_rate_target,
    with_defaults,
)
from app.plan.plan import Period
from tests.e2e.demo import defaults_mapping, demo_dataset

DATA = Dataset.from_records([
    Location("L1", "Lakeview: Gym"), TaxRate("T1", "City \"combined\""),
    Program("P1", "Swim Level 1", category="Swim: Lessons", location_id="L1"),
    Program("P2", "Camp")])


def test_defaults_are_named_by_the_documented_rules():
    m = MappingConfig(style="detailed", organisation_class="Org", create_missing=True)
    assert role_target(m, "accounts_receivable") == Target("Accounts Receivable (A/R)")
    assert role_target(m, "rounding") is None  # rounding only goes where chosen
    assert income_target(m, "Swim: Lessons") == Target("Swim- Lessons")
    assert tax_rate_target(m, "T1", 'City "combined"') == Target(
        "Sales Tax Payable:Tax Rate - City 'combined' T1")
    assert location_target(m, "L1", "Lakeview: Gym") == Target("Org:Lakeview- Gym L1")


def test_mapped_targets_win_and_without_create_missing_there_are_no_defaults():
    mapped = MappingConfig(style="summary", create_missing=True, organisation_class="Org",
                           accounts={"tax_parent": Target("Taxes", "7")},
                           income={"Camp": Target("Tuition:Camp", "9")})
    assert income_target(mapped, "Camp") == Target("Tuition:Camp", "9")
    assert tax_rate_target(mapped, "T1", "City") == Target("Taxes:Tax Rate - City T1")
    off = MappingConfig(style="summary", organisation_class="Org")
    assert with_defaults(off, DATA) is off
    assert (income_target(off, "Camp"), tax_rate_target(off, "T1"),
            location_target(off, "L1"), role_target(off, "undeposited_funds")) == (None,) * 4


def test_with_defaults_fills_every_thing_the_dataset_can_use_and_is_idempotent():
    m = with_defaults(MappingConfig(style="detailed", organisation_class="Org",
                                    create_missing=True), DATA)
    assert set(m.income) == {"Swim: Lessons", "Camp"}
    assert m.tax_rates["T1"].parent_name == "Sales Tax Payable"
    assert m.locations == {"L1": Target("Org:Lakeview- Gym L1")}
    assert "rounding" not in m.accounts and len(m.accounts) == 8
    assert with_defaults(m, DATA) == m


def _created(style: str, dataset: Dataset, **options) -> dict[str, dict]:
    period = Period(date(2025, 1, 1), date(2025, 3, 31))
    result = plan(dataset, defaults_mapping(style, **options), {}, period)
    errors = [i.message for i in result.blocking_issues]
    assert errors == [], errors
    return {o.key: dict(o.payload) for o in result.operations if o.entity in ("Account", "Class")}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"))


def test_both_styles_create_the_same_default_accounts_and_classes(demo):
    summary, detailed = _created("summary", demo), _created("detailed", demo)
    for kind in ("income", "tax rate", "location"):
        shared = {k for k in summary.keys() & detailed.keys() if _kind(k, summary[k]) == kind}
        assert shared, f"no shared {kind} target"
    for key in summary.keys() & detailed.keys():  # same name, same type, same parent
        assert summary[key] == detailed[key], key
    defaults = with_defaults(defaults_mapping("detailed"), demo)
    names = {t.name for t in (*defaults.accounts.values(), *defaults.income.values(),
                              *defaults.tax_rates.values(), *defaults.locations.values())}
    names |= {"Sales Tax Payable", "Demo Org"}
    assert {k.split(":", 1)[1] for k in summary.keys() | detailed.keys()} <= names


def _kind(key: str, payload: dict) -> str:
    if key.startswith("class:"):
        return "location" if payload.get("SubClass") else "organisation"
    if payload.get("AccountSubType") == "ServiceFeeIncome":
        return "income"
    return "tax rate" if key.startswith("account:Sales Tax Payable:") else "role"
