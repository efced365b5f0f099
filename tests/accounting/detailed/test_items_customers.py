"""SPEC §3a: items per program and tax rate; customers, sub-customers and their names."""

from __future__ import annotations

from dataclasses import replace

from app.domain.dataset import Dataset
from app.domain.records import Customer, Participant, Program

from .helpers import (
    APRIL,
    CAMP,
    SWIM,
    TAX,
    D,
    base_records,
    charge,
    dataset,
    day,
    mapping,
    op,
    ops,
    payment,
    plan,
    post,
)


def test_service_item_per_program_with_its_category_income_account():
    p = plan(Dataset.from_records([*base_records(), charge("X1", "O1", "100.00", day(3))]))
    item = op(p, "item:program:SW1")
    assert item.payload["Type"] == "Service"
    assert item.payload["Name"] == "Swim Level 1"
    assert item.payload["IncomeAccountRef"] == {"value": "10", "name": "Swim Lessons"}
    assert item.payload["UnitPrice"] == D("100.00")
    # Summer Camp is not sold in March: no item for it yet.
    assert "item:program:CA1" not in {o.key for o in p.operations}


def test_tax_item_per_rate_posts_to_the_rates_liability_account():
    p = plan(Dataset.from_records(
        [*base_records(), charge("X1", "O1", "100.00", day(3), tax="5.00")]))
    tax_item = op(p, "item:tax:T1")
    assert tax_item.payload["IncomeAccountRef"]["value"] == "20"
    assert tax_item.payload["Name"] == "Sales tax - County"
    assert "UnitPrice" not in tax_item.payload
    assert any(post.account == TAX and post.credit == D("5.00")
               for post in op(p, "invoice:order:O1").postings)


def test_program_rename_or_new_price_updates_its_item():
    records = [*base_records(), charge("X1", "O1", "100.00", day(3))]
    ledger = post(plan(Dataset.from_records(records)))
    renamed = [replace(r, name="Swim Level One", price=D("110.00"))
               if isinstance(r, Program) and r.program_id == "SW1" else r for r in records]
    again = plan(Dataset.from_records(renamed), ledger, APRIL)
    update = op(again, "item:program:SW1")
    assert update.action == "update"
    assert update.payload["sparse"] is True
    assert update.payload["Name"] == "Swim Level One"
    assert update.payload["UnitPrice"] == D("110.00")
    assert [o.key for o in again.operations] == ["item:program:SW1"]


def test_customer_and_participant_sub_customer_billed_with_parent():
    p = plan(Dataset.from_records([*base_records(), charge("X1", "O1", "100.00", day(3))]))
    family = op(p, "customer:C1")
    child = op(p, "customer:participant:P1")
    assert family.payload["DisplayName"] == "Dana Lee"
    assert "Job" not in family.payload
    assert family.payload["PrimaryEmailAddr"] == {"Address": "dana@example.com"}
    assert child.payload["DisplayName"] == "Ava Lee"
    assert child.payload["Job"] is True and child.payload["BillWithParent"] is True
    assert child.payload["ParentRef"] == {"$ref": "customer:C1"}
    assert child.depends_on == ("customer:C1",)
    # The invoice is at participant level.
    assert op(p, "invoice:order:O1").payload["CustomerRef"] == {"$ref": "customer:participant:P1"}


def test_participant_without_customer_is_a_top_level_customer():
    records = [*base_records(), Participant("P9", "Kim", "Park"),
               charge("X1", "O1", "100.00", day(3), participant="P9")]
    p = plan(Dataset.from_records(records))
    kim = op(p, "customer:participant:P9")
    assert "Job" not in kim.payload and "ParentRef" not in kim.payload
    assert [o.key for o in ops(p, "Customer")] == ["customer:participant:P9"]


def test_namesakes_in_two_families_get_the_source_id_and_a_warning():
    records = [*base_records(), Customer("C2", "Pat Lee"), Participant("P7", "Ava", "Lee", "C2"),
               charge("X1", "O1", "100.00", day(3)),
               charge("X2", "O2", "100.00", day(3), participant="P7")]
    p = plan(Dataset.from_records(records))
    assert op(p, "customer:participant:P1").payload["DisplayName"] == "Ava Lee"
    assert op(p, "customer:participant:P7").payload["DisplayName"] == "Ava Lee (P7)"
    warnings = [i for i in p.issues if i.code == "duplicate_display_name"]
    assert len(warnings) == 1 and warnings[0].severity == "info"  # shown, nothing to do
    assert warnings[0].sources == ("participant:P7",)


def test_a_namesake_is_noted_only_in_the_period_that_creates_it():
    records = [*base_records(), Customer("C2", "Pat Lee"), Participant("P7", "Ava", "Lee", "C2"),
               charge("X1", "O1", "100.00", day(3)),
               charge("X2", "O2", "100.00", day(3, 4), participant="P7")]
    data = Dataset.from_records(records)
    march = plan(data)  # Ava Lee of the Lees only: her namesake is April's
    assert not [i for i in march.issues if i.code == "duplicate_display_name"]
    april = plan(data, post(march), APRIL)
    notes = [i for i in april.issues if i.code == "duplicate_display_name"]
    assert [i.sources for i in notes] == [("participant:P7",)]
    assert op(april, "customer:participant:P7").payload["DisplayName"] == "Ava Lee (P7)"


def test_a_posted_name_is_kept_when_a_namesake_with_a_lower_id_arrives():
    first = [r for r in base_records() if getattr(r, "participant_id", "") != "P1"]
    first += [Customer("C5", "Pat Lee"), Participant("P5", "Ava", "Lee", "C5"),
              charge("X1", "O1", "100.00", day(3), participant="P5")]
    ledger = post(plan(Dataset.from_records(first)))
    assert ledger["customer:participant:P5"].payload["DisplayName"] == "Ava Lee"
    later = plan(Dataset.from_records([*base_records(), *first[-3:],
                                       charge("X2", "O2", "100.00", day(4))]), ledger)
    assert op(later, "customer:participant:P1").payload["DisplayName"] == "Ava Lee (P1)"
    assert "customer:participant:P5" not in {o.key for o in later.operations}


def test_forbidden_characters_and_length_limits():
    long_name = "Family " + "x" * 150
    records = [*base_records(), Customer("C3", long_name), Customer("C4", "Smith: Jo\tand\nAl"),
               Participant("P3", "Jo", "Smith", "C4"), Participant("P4", "Al", "X", "C3"),
               charge("X1", "O1", "1.00", day(3), participant="P3"),
               charge("X2", "O2", "1.00", day(3), participant="P4"),
               replace(Program("P:Q", "Swim: Advanced", "Swim"), program_id="SWA"),
               charge("X3", "O3", "1.00", day(3), program="SWA")]
    p = plan(Dataset.from_records(records))
    assert op(p, "customer:C4").payload["DisplayName"] == "Smith- Jo and Al"
    assert len(op(p, "customer:C3").payload["DisplayName"]) == 100
    assert op(p, "item:program:SWA").payload["Name"] == "Swim- Advanced"


def test_one_customer_per_person_across_sources():
    """The same family exported by two projects (different IDs, same e-mail and name)."""
    records = [*base_records(), Customer("Z-C1", "Dana Lee", email="DANA@example.com"),
               Participant("Z-P1", "Ava", "Lee", "Z-C1"),
               charge("X1", "O1", "100.00", day(3)),
               charge("X2", "Z-O1", "100.00", day(5), participant="Z-P1", program="CA1")]
    p = plan(Dataset.from_records(records))
    assert len(ops(p, "Customer")) == 2  # one family, one child
    assert op(p, "invoice:order:Z-O1").payload["CustomerRef"] == {
        "$ref": "customer:participant:P1"}
    assert CAMP in {post.account for post in op(p, "invoice:order:Z-O1").postings}


def test_unmapped_program_blocks_only_what_needs_it():
    records = [*base_records(), Program("YO", "Yoga", "Yoga"),
               charge("X1", "O1", "100.00", day(3)),
               charge("X2", "O2", "50.00", day(3), program="YO"),
               *[]]
    from .helpers import payment

    records += [payment("PA1", "O1", "100.00", day(4)), payment("PA2", "O2", "50.00", day(4))]
    p = plan(Dataset.from_records(records))
    keys = {o.key for o in p.operations}
    assert "invoice:order:O1" in keys and "payment:PA1" in keys
    assert "invoice:order:O2" not in keys and "payment:PA2" not in keys
    [issue] = [i for i in p.issues if i.code == "unmapped_program"]
    assert issue.severity == "error"
    assert issue.blocks == ("invoice:order:O2", "payment:PA2")
    assert "Yoga" in issue.message and "[income]" in issue.fix
    assert SWIM in {post.account for post in op(p, "invoice:order:O1").postings}


def test_unmapped_tax_rate_and_location_block_their_invoices():
    from app.domain.records import Location, TaxRate

    records = [*base_records(), TaxRate("T2", "City"), Location("L2", "Uptown"),
               Program("SW2", "Swim Uptown", "Swim", "L2"),
               charge("X1", "O1", "100.00", day(3)),
               replace(charge("X2", "O2", "100.00", day(3), tax="8.00"), tax_rate_id="T2"),
               charge("X3", "O3", "100.00", day(3), program="SW2")]
    p = plan(Dataset.from_records(records))
    codes = {i.code: i.blocks for i in p.issues}
    assert codes["unmapped_tax_rate"] == ("invoice:order:O2",)
    assert codes["unmapped_location"] == ("invoice:order:O3",)
    assert "invoice:order:O1" in {o.key for o in p.operations}


def test_missing_accounts_and_classes_are_created_first_with_create_missing():
    from app.mapping.config import Target

    from .helpers import mapping

    config = replace(mapping(create_missing=True), income={"Swim": Target("Tuition:Swim")},
                     locations={"L1": Target("Riverside Swim:Downtown L1")})
    p = plan(Dataset.from_records([*base_records(), charge("X1", "O1", "100.00", day(3))]),
             config=config)
    keys = [o.key for o in p.operations]
    assert keys[:4] == ["account:Tuition", "account:Tuition:Swim", "class:Riverside Swim",
                        "class:Riverside Swim:Downtown L1"]
    item = op(p, "item:program:SW1")
    assert item.payload["IncomeAccountRef"] == {"$ref": "account:Tuition:Swim"}
    assert "account:Tuition:Swim" in item.depends_on
    line = op(p, "invoice:order:O1").payload["Line"][0]["SalesItemLineDetail"]
    assert line["ClassRef"] == {"$ref": "class:Riverside Swim:Downtown L1"}


def test_missing_account_without_create_missing_blocks_what_posts_to_it():
    from app.mapping.config import Target

    from .helpers import mapping, payment

    config = replace(mapping(), income={"Swim": Target("Tuition:Swim"),
                                        "Camp": Target(CAMP, "11")})
    p = plan(Dataset.from_records([
        *base_records(), charge("X1", "O1", "100.00", day(3)),
        charge("X2", "O2", "100.00", day(3), program="CA1"),
        payment("PA1", "O1", "100.00", day(4)), payment("PA2", "O2", "100.00", day(4))]),
        config=config)
    keys = {o.key for o in p.operations}
    assert "invoice:order:O2" in keys and "payment:PA2" in keys
    assert not keys & {"item:program:SW1", "invoice:order:O1", "payment:PA1"}
    [issue] = [i for i in p.issues if i.code == "target_missing"]
    assert issue.blocks == ("invoice:order:O1", "item:program:SW1", "payment:PA1")


def test_an_item_is_created_only_when_a_planned_document_uses_it():
    """June: the camp, sold before it starts, is invoiced on its deferred item and paid.
    July (after the start): a swim lesson added to the paid order goes on a supplemental
    invoice. The July run reads the camp's line on its income item to compute the
    difference, but no planned document carries it: "Summer Camp" is not created."""
    from app.plan.plan import Period

    june, july = Period(day(1, 6), day(30, 6)), Period(day(1, 7), day(31, 7))
    camp = charge("X1", "O1", "200.00", day(10, 6), program="CA1")
    records = [camp, payment("PA1", "O1", "200.00", day(11, 6))]
    config = mapping(deferred_revenue=True)
    first = plan(dataset(*records), period=june, config=config)
    assert "item:deferred:CA1" in {o.key for o in first.operations}
    later = plan(dataset(*records, charge("X2", "O1", "100.00", day(5, 7))), post(first), july,
                 config)
    assert {o.key for o in later.operations} == {
        "item:program:SW1", "invoice:order:O1:s1", "je:deferred:CA1"}


def test_no_item_or_customer_for_a_document_held_back_by_an_unmapped_class():
    """Without create_missing an unmapped class blocks the invoice after planning; the item
    and the customers it alone would have used are not created either."""
    from app.mapping.config import Target
    from app.mapping.defaults import with_defaults

    records = [charge("X1", "O1", "100.00", day(3), tax="5.00")]
    config = mapping()
    config = replace(config, locations={"L1": Target("Riverside Swim:Downtown L1")})
    p = plan(dataset(*records), config=config)
    assert with_defaults(config, dataset()) == config  # no create_missing: nothing made up
    assert [o.key for o in p.operations] == []
    assert {i.code for i in p.blocking_issues} == {"target_missing"}
