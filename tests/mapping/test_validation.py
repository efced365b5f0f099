"""Re-validation against a snapshot of the QBO company (SPEC §5 "Mapping by QBO id")."""

from __future__ import annotations

from app.mapping.config import MappingConfig, Target
from app.mapping.validation import revalidate


def account(id_, fqn, type_="Income", active=True):
    return {"Id": id_, "Name": fqn.rsplit(":", 1)[-1], "FullyQualifiedName": fqn,
            "AccountType": type_, "Active": active}


def klass(id_, fqn, active=True):
    return {"Id": id_, "Name": fqn.rsplit(":", 1)[-1], "FullyQualifiedName": fqn,
            "Active": active}


ACCOUNTS = [
    account("1", "Undeposited Funds", "Other Current Asset"),
    account("2", "Merchant Settlement", "Bank"),
    account("7", "Tuition", "Income"),
    account("10", "Tuition:Swim Lessons"),
    account("11", "Tuition:Camp (old)", active=False),
    account("12", "Tuition:Camp Fees"),
    account("6", "Sales Tax Payable", "Other Current Liability"),
    account("9", "Gift Card Holding", "Expense"),
]
CLASSES = [klass("100", "Org"), klass("101", "Org:Downtown L1"), klass("102", "Org:Old", False)]


def codes(result):
    return sorted((i.code, i.severity) for i in result.issues)


def test_ids_are_filled_by_fully_qualified_name():
    config = MappingConfig(
        style="summary", organisation_class="Org",
        accounts={"undeposited_funds": Target("Undeposited Funds")},
        income={"Swim": Target("Tuition:Swim Lessons")},
        locations={"L1": Target("Org:Downtown L1")})
    result = revalidate(config, ACCOUNTS, CLASSES)
    assert result.issues == ()
    assert result.mapping.accounts["undeposited_funds"].qbo_id == "1"
    assert result.mapping.income["Swim"].qbo_id == "10"
    assert result.mapping.locations["L1"].qbo_id == "101"
    assert result.mapping.organisation_class_id == "100"
    assert result.mapping.unusable == frozenset()


def test_renamed_inactive_deleted_and_wrong_type_are_reported():
    config = MappingConfig(
        style="summary",
        accounts={"gift_card_holding": Target("Gift Card Holding")},  # an Expense account
        income={"Swim": Target("Tuition:Swimming", "10"),  # renamed in QBO
                "Camp": Target("Tuition:Camp (old)", "11"),  # inactive
                "Gone": Target("Tuition:Gone", "99")},  # deleted
        locations={"L9": Target("Org:Old")})  # only an inactive class by that name
    result = revalidate(config, ACCOUNTS, CLASSES)
    assert codes(result) == [("target_deleted", "error"), ("target_inactive", "error"),
                             ("target_inactive", "error"), ("target_renamed", "warning"),
                             ("target_wrong_type", "error")]
    renamed = next(i for i in result.issues if i.code == "target_renamed")
    assert "Tuition:Swim Lessons" in renamed.message
    assert result.mapping.income["Swim"].qbo_id == "10"  # still posts to the same account
    assert result.mapping.unusable == frozenset({
        "Account:Gift Card Holding", "Account:Tuition:Camp (old)", "Account:Tuition:Gone",
        "Class:Org:Old"})


def test_missing_targets_are_reported_and_their_existing_parents_found():
    config = MappingConfig(style="summary",
                           income={"Diving": Target("Tuition:Diving")},
                           tax_rates={"T1": Target("Sales Tax Payable:County T1")})
    result = revalidate(config, ACCOUNTS, CLASSES)
    assert codes(result) == [("target_missing", "warning"), ("target_missing", "warning")]
    assert result.mapping.parent_ids == {"Account:Tuition": "7",
                                         "Account:Sales Tax Payable": "6"}
    approved = revalidate(MappingConfig(style="summary", create_missing=True,
                                        income={"Diving": Target("Tuition:Diving")}),
                          ACCOUNTS, CLASSES)
    assert codes(approved) == [("target_missing", "info")]
