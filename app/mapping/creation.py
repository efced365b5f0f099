"""Planned creation of the accounts and classes a plan needs but QBO does not have.

Only with the bookkeeper's approval (``create_missing`` for every target, or the one
target approved in ``create_new``: the wizard's "Create new…", SPEC §5); otherwise each missing
target is one error that blocks exactly the records that need it. Parents are created
before children (a sub-account takes its parent's type, as QBO requires), accounts
before classes, and the organisation class before the location sub-classes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.mapping.accounts import CREATE_TYPES, slots_of
from app.mapping.config import MappingConfig, Target
from app.mapping.targets import target_key
from app.plan.operations import Operation, ref
from app.plan.plan import Issue


@dataclass(frozen=True)
class NeededTarget:
    """An account or class a planned record posts to; ``role`` decides a new account's type."""

    entity: str  # "Account" | "Class"
    target: Target
    role: str  # a CREATE_TYPES key for accounts; "organisation" | "location" for classes

    @property
    def slot(self) -> str:
        return f"{self.entity}:{self.target.name}"


@dataclass(frozen=True)
class TargetCreations:
    operations: tuple[Operation, ...]
    issues: tuple[Issue, ...]
    blocked: frozenset[str]  # ledger keys of records that cannot be planned


def known_ids(mapping: MappingConfig) -> dict[str, str]:
    """QBO ids of every target and parent the mapping knows, keyed "Account:<FQN>"."""
    known = dict(mapping.parent_ids)
    for entity, _role, target in slots_of(mapping):
        if target.qbo_id is not None:
            known[f"{entity}:{target.name}"] = target.qbo_id
    return known


def _chain(name: str) -> list[str]:
    """``A:B:C`` -> ``["A", "A:B", "A:B:C"]``."""
    parts = name.split(":")
    return [":".join(parts[: i + 1]) for i in range(len(parts))]


def _create_operation(entity: str, name: str, role: str, known: Mapping[str, str]) -> Operation:
    target = Target(name)
    payload: dict[str, Any] = {"Name": target.leaf_name}
    if entity == "Account":
        account_type, sub_type = CREATE_TYPES[role]
        payload |= {"AccountType": account_type, "AccountSubType": sub_type}
        kind = f"{account_type} account"
    else:
        kind = "class"
    depends: tuple[str, ...] = ()
    parent = target.parent_name
    if parent is not None:
        parent_id = known.get(f"{entity}:{parent}")
        parent_ref = {"value": parent_id} if parent_id else ref(target_key(entity, Target(parent)))
        payload |= {"SubAccount" if entity == "Account" else "SubClass": True,
                    "ParentRef": parent_ref}
        depends = () if parent_id else (target_key(entity, Target(parent)),)
    return Operation("create", entity, target_key(entity, target), payload,
                     summary=f"Create {kind} {name!r}", depends_on=depends)


def _missing_issue(needed: NeededTarget, keys: Iterable[str]) -> Issue:
    what = "account" if needed.entity == "Account" else "class"
    return Issue(
        "error", "target_missing",
        f"The {what} {needed.target.name!r} does not exist in QuickBooks",
        f"create it in QuickBooks, map an existing {what}, or approve creating it "
        "(the setup wizard's Create new…, or create_missing = true)",
        sources=(f"mapping:{needed.slot}",), blocks=tuple(sorted(set(keys))),
    )


def _unusable_issue(needed: NeededTarget, keys: Iterable[str]) -> Issue:
    return Issue(
        "error", "target_unusable",
        f"{needed.entity} {needed.target.name!r} cannot take postings (see its mapping issue)",
        "fix the account or class in QuickBooks, or map another one",
        sources=(f"mapping:{needed.slot}",), blocks=tuple(sorted(set(keys))),
    )


def plan_target_creations(
    mapping: MappingConfig, needed_targets: Mapping[NeededTarget, Iterable[str]]
) -> TargetCreations:
    """Create operations (or blocking issues) for targets without a QBO id.

    ``needed_targets`` maps each target a plan uses to the ledger keys that need it.
    """
    known = known_ids(mapping)
    issues: list[Issue] = []
    blocked: set[str] = set()
    to_create: dict[tuple[str, str], str] = {}  # (entity, FQN) -> role
    for needed in sorted(needed_targets, key=lambda n: (n.entity, n.target.name)):
        keys = list(needed_targets[needed])
        if needed.slot in mapping.unusable:
            issues.append(_unusable_issue(needed, keys))
            blocked.update(keys)
        elif needed.target.qbo_id is None and needed.slot not in known:
            if not mapping.may_create(needed.entity, needed.target.name):
                issues.append(_missing_issue(needed, keys))
                blocked.update(keys)
                continue
            for name in _chain(needed.target.name):
                if f"{needed.entity}:{name}" not in known:
                    to_create.setdefault((needed.entity, name), needed.role)
    order = sorted(to_create, key=lambda s: (s[0] != "Account", s[1].count(":"), s[1]))
    operations = tuple(_create_operation(e, n, to_create[(e, n)], known) for e, n in order)
    return TargetCreations(operations, tuple(issues), frozenset(blocked))
