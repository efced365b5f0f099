"""The wizard's rules without widgets: navigation, suggestions, picks, what stays unmapped."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app.domain.dataset import Dataset
from app.domain.records import Location, Payment, PaymentAllocation, Program, TaxRate
from app.setup import choices, rules, sections
from app.setup.chart import Chart, Pick
from app.setup.pages import PAGES
from app.setup.state import SetupState

ACCOUNTS = [
    {"Id": "1", "Name": "Undeposited Funds", "AccountType": "Other Current Asset",
     "AccountSubType": "UndepositedFunds"},
    {"Id": "2", "Name": "Swim Lesson", "AccountType": "Income"},
    {"Id": "3", "Name": "Tuition", "AccountType": "Income"},
    {"Id": "4", "Name": "Swim", "FullyQualifiedName": "Tuition:Swim", "AccountType": "Income"},
    {"Id": "5", "Name": "Dance Studio Rent", "AccountType": "Expense"},
    {"Id": "6", "Name": "Old Dance", "AccountType": "Income", "Active": False},
    {"Id": "7", "Name": "Unearned Revenue", "AccountType": "Other Current Liability",
     "AccountSubType": "DeferredRevenue"},
]
CLASSES = [{"Id": "50", "Name": "Downtown"}]


def dataset() -> Dataset:
    return Dataset.from_records([
        Location("L1", "Downtown"), Location("L2", "Uptown"),
        Program("P1", "Swim Level 1", "Swim Lessons", "L1"),
        Program("P2", "Ballet", "Dance", "L2"),
        TaxRate("T1", "County", Decimal("6.25")),
        Payment("PAY1", date(2026, 1, 5), "card", Decimal("10.00"), customer_id="C1"),
        Payment("PAY2", date(2026, 1, 6), "cash", Decimal("20.00"), customer_id="C1"),
        Payment("PAY3", date(2026, 1, 6), "custom:Venmo", Decimal("5.00"), customer_id="C1"),
        PaymentAllocation("PAY1", "P1", Decimal("10.00"), "L1"),
        PaymentAllocation("PAY2", "P2", Decimal("20.00"), "L2", "T1"),
    ])


def state(**kwargs) -> SetupState:
    found = SetupState(stored=dataset(), style="summary", **kwargs)
    found.apply_chart(Chart(ACCOUNTS, CLASSES))
    return found


def test_pages_run_in_order_and_a_reentered_page_is_the_last():
    full = SetupState()
    assert full.pages == PAGES
    assert rules.next_page(full, "connect") == "data_source"
    assert rules.next_page(full, "go_live") == "summary"
    assert rules.next_page(full, "summary") is None
    assert rules.problems(full, "connect") == [
        "Choose where the company is, then press Connect."]
    one = SetupState(only_page="income")
    assert one.pages == ("income",) and rules.next_page(one, "income") is None


def test_combos_offer_only_active_accounts_of_the_right_types_by_full_name():
    chart = Chart(ACCOUNTS, CLASSES)
    assert [e.name for e in chart.choices("Account", "income")] == [
        "Swim Lesson", "Tuition", "Tuition:Swim"]
    assert [e.name for e in chart.choices("Account", "undeposited_funds")] == [
        "Undeposited Funds"]
    assert [e.name for e in chart.choices("Class", "location")] == ["Downtown"]


def test_suggestions_by_sub_type_then_by_name_never_a_new_account():
    chart = Chart(ACCOUNTS, CLASSES)
    assert chart.suggest("Account", "deferred_revenue", "Deferred Revenue").name == \
        "Unearned Revenue"  # its sub-type says so, whatever the name
    assert chart.suggest("Account", "income", "Swim Lessons").name == "Swim Lesson"
    assert chart.suggest("Account", "income", "Dance") is None  # an expense is not offered
    found = state()
    assert choices.prefill(found, "income") == 1
    assert found.picks["income"] == {"Swim Lessons": Pick("Swim Lesson", "2")}
    assert choices.prefill(found, "income") == 0  # once: a cleared row stays cleared
    choices.prefill(found, "locations")
    assert found.picks["locations"] == {"L1": Pick("Downtown", "50")}


def test_unmapped_rows_say_what_they_hold_back():
    found = state()
    choices.prefill(found, "income")
    [dance] = sections.unmapped(found, "income")
    assert dance.row.key == "Dance"
    assert dance.blocks == "holds back the journal entries of 1 day (1 payment)"
    found.style = "detailed"
    assert sections.unmapped(found, "tax_rates")[0].blocks == "nothing in the data yet"
    # Detailed style: every tender deposits to Undeposited Funds unless mapped; with that
    # unmapped, every tender blocks its payments; mapped, none is unmapped.
    assert [u.row.key for u in sections.unmapped(found, "tenders")] == [
        "card", "cash", "custom:Venmo"]
    found.picks["accounts"]["undeposited_funds"] = Pick("Undeposited Funds", "1")
    assert sections.unmapped(found, "tenders") == []
    assert rules.problems(found, "income") == []  # unmapped is allowed, and listed


def test_create_new_is_explicit_named_by_the_defaults_and_checked():
    found = state()
    rows = {r.key: r for r in sections.rows(found, "tax_rates")}
    assert rows["T1"].new_name == "Sales Tax Payable:Tax Rate - County T1"
    assert choices.create_all_unmapped(found, "income") == 2
    assert found.picks["income"]["Dance"] == Pick("Dance", None, new=True)
    assert found.mapping().create_new == ("Account:Dance", "Account:Swim Lessons")
    found.picks["income"]["Dance"] = Pick("Tuition:Swim", new=True)
    assert rules.problems(found, "income") == [
        "Dance: 'Tuition:Swim' already exists in QuickBooks: choose it instead of creating "
        "it again"]
    found.picks["income"]["Dance"] = Pick("Dance Studio Rent", "5")
    assert rules.problems(found, "income") == [
        "Dance: 'Dance Studio Rent' is a Expense account; this needs Income or Other Income"]
    found.picks["income"]["Dance"] = Pick("Tuition::Dance", new=True)
    assert "empty part" in rules.problems(found, "income")[0]


def test_one_new_name_cannot_be_two_kinds_of_account():
    found = state()
    found.picks["income"]["Dance"] = Pick("Clearing", new=True)
    found.picks["accounts"]["gift_card_holding"] = Pick("Clearing", new=True)
    assert rules.problems(found, "income") == [
        "'Clearing' is asked for as a new Income and a new Other Current Liability account: "
        "give them different names"]


def test_a_reentered_page_saves_only_what_it_owns():
    from app.mapping.config import MappingConfig, Target

    loaded = MappingConfig(
        style="summary", go_live=date(2026, 1, 1),
        income={"Swim Lessons": Target("Swim Lesson"), "Dance": Target("Dance")},
        tax_rates={"T1": Target("Tax T1")}, create_new=("Account:Dance", "Account:Tax T1"))
    found = SetupState(stored=dataset(), only_page="income")
    found.load_mapping(loaded)
    found.apply_chart(Chart(ACCOUNTS, CLASSES))
    found.picks["income"]["Dance"] = Pick("Tuition", "3")
    saved = found.mapping_to_save()
    assert saved.income == {"Swim Lessons": Target("Swim Lesson", "2"),
                            "Dance": Target("Tuition", "3")}
    assert saved.tax_rates == loaded.tax_rates  # another page: exactly as loaded
    assert saved.create_new == ("Account:Tax T1",)
    assert (saved.style, saved.go_live) == (loaded.style, loaded.go_live)
