"""Creation of missing accounts and classes: only with approval, parents first, right types."""

from __future__ import annotations

from app.mapping.config import MappingConfig, Target
from app.mapping.creation import NeededTarget, plan_target_creations


def needed(entity, name, role, qbo_id=None):
    return NeededTarget(entity, Target(name, qbo_id), role)


NEEDS = {
    needed("Account", "Tuition:Swim:Advanced", "income"): ["je:1"],
    needed("Account", "Undeposited Funds", "undeposited_funds"): ["je:1", "je:2"],
    needed("Account", "Merchant Settlement", "merchant_settlement", "2"): ["je:2"],
    needed("Class", "Org:Downtown L1", "location"): ["je:2"],
}


def test_without_approval_each_missing_target_blocks_what_needs_it():
    result = plan_target_creations(MappingConfig(style="summary"), NEEDS)
    assert result.operations == ()
    assert {(i.code, i.blocks) for i in result.issues} == {
        ("target_missing", ("je:1",)), ("target_missing", ("je:1", "je:2")),
        ("target_missing", ("je:2",))}
    assert result.blocked == frozenset({"je:1", "je:2"})


def test_with_approval_parents_come_first_and_children_hang_under_them():
    config = MappingConfig(style="summary", create_missing=True,
                           parent_ids={"Account:Tuition": "7"})
    result = plan_target_creations(config, NEEDS)
    assert result.issues == () and result.blocked == frozenset()
    assert [(op.entity, op.key) for op in result.operations] == [
        ("Account", "account:Undeposited Funds"),
        ("Account", "account:Tuition:Swim"),
        ("Account", "account:Tuition:Swim:Advanced"),
        ("Class", "class:Org"),
        ("Class", "class:Org:Downtown L1"),
    ]
    funds, swim, advanced, org, downtown = (op.payload for op in result.operations)
    assert funds == {"Name": "Undeposited Funds", "AccountType": "Other Current Asset",
                     "AccountSubType": "UndepositedFunds"}
    assert swim == {"Name": "Swim", "AccountType": "Income", "AccountSubType": "ServiceFeeIncome",
                    "SubAccount": True, "ParentRef": {"value": "7"}}
    assert advanced["ParentRef"] == {"$ref": "account:Tuition:Swim"}
    assert result.operations[2].depends_on == ("account:Tuition:Swim",)
    assert org == {"Name": "Org"}
    assert downtown == {"Name": "Downtown L1", "SubClass": True,
                        "ParentRef": {"$ref": "class:Org"}}


def test_unusable_targets_block_even_with_approval():
    config = MappingConfig(style="summary", create_missing=True,
                           unusable=frozenset({"Account:Merchant Settlement"}))
    result = plan_target_creations(config, NEEDS)
    assert [i.code for i in result.issues] == ["target_unusable"]
    assert result.blocked == frozenset({"je:2"})


def test_a_target_approved_by_name_is_created_and_nothing_else():
    """The wizard's "Create new…" approves one target (and its missing parents) only."""
    config = MappingConfig(style="summary", create_new=("Account:Tuition:Swim:Advanced",))
    result = plan_target_creations(config, NEEDS)
    assert [op.key for op in result.operations] == [
        "account:Tuition", "account:Tuition:Swim", "account:Tuition:Swim:Advanced"]
    assert {i.message for i in result.issues} == {
        "The account 'Undeposited Funds' does not exist in QuickBooks",
        "The class 'Org:Downtown L1' does not exist in QuickBooks"}
    assert result.blocked == frozenset({"je:1", "je:2"})
