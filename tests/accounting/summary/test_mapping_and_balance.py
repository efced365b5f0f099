"""Unmapped things block only what needs them; missing targets are created on approval;
every entry balances to the cent or says why not (SPEC §3b, §4)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from app.domain.records import Location, Program
from app.mapping.config import Target
from tests.accounting.summary.scenario import (
    ACCOUNTS,
    D,
    balance,
    by_key,
    daily_mapping,
    dataset,
    entries,
    lines_of,
    pay,
    plan_daily,
)


def test_an_unmapped_program_blocks_only_the_days_that_need_it():
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 6, "card", "10.00", ("CA", "10.00", None)))
    config = daily_mapping(income={"Swim Lessons": Target("Tuition:Swim Lessons", "10")})
    result = plan_daily(data, config)
    assert [op.key for op in entries(result)] == ["je:summary:2026-03-05"]
    (issue,) = result.blocking_issues
    assert issue.code == "unmapped_program"
    assert "Camp" in issue.message and "[income]" in issue.fix
    assert issue.blocks == ("je:summary:2026-03-06",)


def test_unmapped_location_and_tax_rate_are_listed():
    data = dataset(pay("P1", 5, "card", "10.50", ("CA", "10.00", "0.50")))
    config = daily_mapping(locations={}, tax_rates={})
    result = plan_daily(data, config)
    assert entries(result) == []
    assert sorted(i.code for i in result.blocking_issues) == ["unmapped_location",
                                                              "unmapped_tax_rate"]


def test_a_mapped_target_missing_in_qbo_blocks_without_create_missing():
    config = daily_mapping(income={"Swim Lessons": Target("Tuition:Swim Lessons"),
                                   "Camp": Target("Tuition:Camp", "11")})
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 6, "card", "10.00", ("CA", "10.00", None)))
    result = plan_daily(data, config)
    assert [op.key for op in result.operations] == ["je:summary:2026-03-06"]
    (issue,) = result.blocking_issues
    assert issue.code == "target_missing"
    assert issue.blocks == ("je:summary:2026-03-05",)


def test_create_missing_plans_accounts_and_classes_first_with_the_right_types():
    config = daily_mapping(accounts={}, income={}, tax_rates={}, locations={},
                           organisation_class_id=None, create_missing=True)
    data = dataset(pay("P1", 5, "card", "10.50", ("SW", "10.00", "0.50")),
                   pay("P2", 5, "gift_card", "5.00", ("GC", "5.00", None)))
    result = plan_daily(data, config)
    creations = [(op.entity, op.key, op.payload.get("AccountType"),
                  op.payload.get("AccountSubType")) for op in result.operations[:-1]]
    assert creations == [
        ("Account", "account:Discounts and Credits", "Income", "DiscountsRefundsGiven"),
        ("Account", "account:Gift Card Holding", "Other Current Liability",
         "OtherCurrentLiabilities"),
        ("Account", "account:Gift Cards", "Income", "ServiceFeeIncome"),
        ("Account", "account:Merchant Settlement", "Other Current Asset", "OtherCurrentAssets"),
        ("Account", "account:Sales Tax Payable", "Other Current Liability", "SalesTaxPayable"),
        ("Account", "account:Swim Lessons", "Income", "ServiceFeeIncome"),
        ("Account", "account:Unapplied Payments", "Other Current Liability",
         "OtherCurrentLiabilities"),
        ("Account", "account:Sales Tax Payable:Tax Rate - County T1", "Other Current Liability",
         "SalesTaxPayable"),
        ("Class", "class:Riverside Swim", None, None),
        ("Class", "class:Riverside Swim:Downtown L1", None, None),
    ]
    ops = by_key(result)
    tax = ops["account:Sales Tax Payable:Tax Rate - County T1"]
    assert tax.payload["SubAccount"] is True
    assert tax.payload["ParentRef"] == {"$ref": "account:Sales Tax Payable"}
    assert tax.depends_on == ("account:Sales Tax Payable",)
    location = ops["class:Riverside Swim:Downtown L1"]
    assert location.payload == {"Name": "Downtown L1", "SubClass": True,
                                "ParentRef": {"$ref": "class:Riverside Swim"}}
    entry = result.operations[-1]
    assert "account:Swim Lessons" in entry.depends_on
    assert "class:Riverside Swim:Downtown L1" in entry.depends_on


def test_location_class_follows_the_location_id_not_its_name():
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)))
    renamed = replace(data, locations=(Location("L1", "Main Street"), Location("L2", "Uptown")))
    op = entries(plan_daily(renamed))[0]
    assert lines_of(op)[1][2] == "Riverside Swim:Downtown L1"


def test_sub_cent_allocations_need_a_rounding_account():
    # 5.005 and 4.995 round half up to 5.01 and 5.00: credits 10.01 against a 10.00 debit
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "5.005", None), ("CA", "4.995", None)))
    result = plan_daily(data)
    assert entries(result) == []
    (issue,) = result.blocking_issues
    assert issue.code == "unbalanced_entry"
    assert issue.blocks == ("je:summary:2026-03-05",)
    config = daily_mapping(accounts={**ACCOUNTS, "rounding": Target("Rounding", "40")})
    (op,) = entries(plan_daily(data, config))
    assert lines_of(op, config)[-1] == ("Debit", "Rounding", None, D("0.01"))
    assert balance(op) == 0
    assert [i.code for i in plan_daily(data, config).issues] == ["rounding_line"]


def test_allocations_that_do_not_add_up_block_the_day():
    data = dataset(pay("P1", 5, "card", "50.00", ("SW", "40.00", None)),
                   pay("P2", 6, "card", "10.00", ("SW", "10.00", None)))
    result = plan_daily(data)
    assert [op.key for op in entries(result)] == ["je:summary:2026-03-06"]
    (issue,) = result.blocking_issues
    assert issue.code == "allocation_mismatch"
    assert issue.sources == ("payment:P1",)


def test_a_program_without_a_category_maps_by_its_name():
    data = dataset(pay("P1", 5, "card", "10.00", ("XX", "10.00", None)))
    data = replace(data, programs=(*data.programs, Program("XX", "Diving", location_id="L1")))
    config = daily_mapping(income={"Diving": Target("Tuition:Diving", "14")})
    (op,) = entries(plan_daily(data, config))
    assert op.payload["Line"][1]["JournalEntryLineDetail"]["AccountRef"]["value"] == "14"
    assert date.fromisoformat(op.payload["TxnDate"]) == date(2026, 3, 5)


def test_a_target_found_unusable_at_revalidation_blocks_what_posts_to_it():
    config = daily_mapping(unusable=frozenset({"Account:Tuition:Camp"}))
    data = dataset(pay("P1", 5, "card", "10.00", ("SW", "10.00", None)),
                   pay("P2", 6, "card", "10.00", ("CA", "10.00", None)))
    result = plan_daily(data, config)
    assert [op.key for op in result.operations] == ["je:summary:2026-03-05"]
    (issue,) = result.blocking_issues
    assert (issue.code, issue.blocks) == ("target_unusable", ("je:summary:2026-03-06",))


def test_preview_names_accounts_and_classes_in_full_whether_they_exist_or_not():
    """An existing target is referenced by id and leaf name; the preview still says which
    parent it is under, and names it as it did when the run created it."""
    from app.accounting.preview import build_preview
    from tests.accounting.summary.scenario import mapping, plan

    data = dataset(pay("P1", 2, "card", "105.00", ("SW", "100.00", "5.00")))
    existing = build_preview(plan(data))
    fresh = mapping(accounts={}, income={}, tax_rates={}, locations={}, create_missing=True)
    created = build_preview(plan(data, fresh))
    expected = {("Sales Tax Payable:Tax Rate - County T1", "Riverside Swim:Downtown L1"),
                ("Merchant Settlement", "Riverside Swim")}
    for preview in (existing, created):
        assert expected <= {(t.account, t.class_name) for t in preview.totals}
    assert ("Tuition:Swim Lessons", "Riverside Swim:Downtown L1") in {
        (t.account, t.class_name) for t in existing.totals}
