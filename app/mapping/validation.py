"""Re-validate a mapping against the live QBO company, and plan what must be created.

Stored mappings hold QBO ids (SPEC §5 "Mapping by QBO id"); before every run the poster
fetches the company's accounts and classes and hands them here as plain dicts
(``Id``, ``Name``, ``FullyQualifiedName``, ``AccountType``, ``Active``). Ids are filled
in by fully-qualified name; renamed, inactive, deleted and wrong-type targets are
reported. Nothing is created unless approved (``create_missing``, or ``create_new``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.mapping.accounts import EXPECTED_TYPES, slots_of
from app.mapping.config import MappingConfig, Target
from app.mapping.creation import NeededTarget, TargetCreations, plan_target_creations
from app.plan.plan import Issue


@dataclass(frozen=True)
class ValidationResult:
    mapping: MappingConfig
    issues: tuple[Issue, ...]


class _Index:
    """QBO records of one entity by id and by fully-qualified name (active first)."""

    def __init__(self, records: Iterable[Mapping[str, Any]]) -> None:
        self.by_id: dict[str, Mapping[str, Any]] = {}
        self.by_name: dict[str, Mapping[str, Any]] = {}
        for record in records:
            self.by_id[str(record["Id"])] = record
            name = record.get("FullyQualifiedName") or record.get("Name", "")
            if _active(record) or name not in self.by_name:
                self.by_name[name] = record


def _active(record: Mapping[str, Any]) -> bool:
    return record.get("Active", True) is not False


def _name(record: Mapping[str, Any]) -> str:
    return str(record.get("FullyQualifiedName") or record.get("Name", ""))


def _issue(severity: str, code: str, what: str, message: str, fix: str) -> Issue:
    return Issue(severity, code, f"{what}: {message}", fix, sources=(f"mapping:{what}",))


def _check_found(entity: str, role: str, target: Target, record: Mapping[str, Any],
                 issues: list[Issue]) -> bool:
    """Report why ``record`` cannot receive postings; True when it can."""
    what = f"{entity} {target.name!r}"
    if not _active(record):
        issues.append(_issue("error", "target_inactive", what, "is inactive in QuickBooks",
                             "make it active in QuickBooks or map another one"))
        return False
    expected = EXPECTED_TYPES.get(role) if entity == "Account" else None
    if expected and record.get("AccountType") not in expected:
        issues.append(_issue("error", "target_wrong_type", what,
                             f"is a {record.get('AccountType')} account; expected "
                             f"{' or '.join(expected)}", "map an account of the right type"))
        return False
    return True


def _revalidate_target(entity: str, role: str, target: Target, index: _Index,
                       approved: bool, issues: list[Issue]) -> tuple[Target, bool]:
    """The target with its id filled in, and whether it can be posted to."""
    what = f"{entity} {target.name!r}"
    if target.qbo_id is not None:
        record = index.by_id.get(target.qbo_id)
        if record is None:
            issues.append(_issue("error", "target_deleted", what,
                                 f"(id {target.qbo_id}) no longer exists in QuickBooks",
                                 "map another one, or clear the mapping to create it again"))
            return target, False
        if _name(record) != target.name and _active(record):
            issues.append(_issue("warning", "target_renamed", what,
                                 f"was renamed in QuickBooks to {_name(record)!r}",
                                 "postings still go to the same account; export the mapping "
                                 "to record the new name, or remap"))
        return target, _check_found(entity, role, target, record, issues)
    record = index.by_name.get(target.name)
    if record is None:
        severity, fix = ("info", "it will be created") if approved else (
            "warning", "create it in QuickBooks, map an existing one, or approve creating it")
        issues.append(_issue(severity, "target_missing", what,
                             "does not exist in QuickBooks", fix))
        return target, True
    found = Target(target.name, str(record["Id"]))
    return found, _check_found(entity, role, found, record, issues)


def _parent_ids(mapping: MappingConfig, accounts: _Index, classes: _Index) -> dict[str, str]:
    """Ids of existing parents of every target, so creations can hang under them."""
    found: dict[str, str] = {}
    for entity, _role, target in slots_of(mapping):
        index = accounts if entity == "Account" else classes
        parent = target.parent_name
        while parent:
            record = index.by_name.get(parent)
            if record is not None and _active(record):
                found[f"{entity}:{parent}"] = str(record["Id"])
            parent = Target(parent).parent_name
    return found


def revalidate(mapping: MappingConfig, accounts: Iterable[Mapping[str, Any]],
               classes: Iterable[Mapping[str, Any]]) -> ValidationResult:
    """Check every mapped target against a snapshot of the QBO company."""
    indexes = {"Account": _Index(accounts), "Class": _Index(classes)}
    issues: list[Issue] = []
    unusable: set[str] = set()
    resolved: dict[tuple[str, str], Target] = {}
    for entity, role, target in slots_of(mapping):
        slot = (entity, target.name)
        if slot in resolved:
            continue
        new_target, usable = _revalidate_target(
            entity, role, target, indexes[entity], mapping.may_create(entity, target.name),
            issues)
        resolved[slot] = new_target
        if not usable:
            unusable.add(f"{entity}:{target.name}")
    return ValidationResult(_with_ids(mapping, resolved, unusable, indexes), tuple(issues))


def _with_ids(mapping: MappingConfig, resolved: Mapping[tuple[str, str], Target],
              unusable: set[str], indexes: Mapping[str, _Index]) -> MappingConfig:
    def fill(entity: str, targets: Mapping[str, Target]) -> dict[str, Target]:
        return {k: resolved.get((entity, t.name), t) for k, t in targets.items()}

    organisation = mapping.organisation_target
    organisation_id = None
    if organisation is not None:
        organisation_id = resolved.get(("Class", organisation.name), organisation).qbo_id
    return dataclasses.replace(
        mapping,
        accounts=fill("Account", mapping.accounts),
        income=fill("Account", mapping.income),
        tenders=fill("Account", mapping.tenders),
        tax_rates=fill("Account", mapping.tax_rates),
        locations=fill("Class", mapping.locations),
        organisation_class_id=organisation_id,
        parent_ids=_parent_ids(mapping, indexes["Account"], indexes["Class"]),
        unusable=frozenset(unusable),
    )


__all__ = ["NeededTarget", "TargetCreations", "ValidationResult", "plan_target_creations",
           "revalidate"]
