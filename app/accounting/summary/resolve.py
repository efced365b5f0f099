"""Where each summary line posts: the mapped account or class, a default, or "unmapped".

The defaults themselves (create_missing) are ``app.mapping.defaults``, shared with the
detailed style.

Resolution is by source identity (program category, tender, tax rate id, location id),
memoised, because a day of a large school resolves the same few targets thousands of
times. An unmapped thing is not an exception: it becomes an ``Unmapped`` marker that
blocks only the entries that use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from app.domain.dataset import Dataset
from app.domain.records import TENDERS_CREDIT
from app.mapping.config import MappingConfig, Target
from app.mapping.creation import known_ids
from app.mapping.defaults import (
    classes_on,
    income_target,
    location_target,
    role_target,
    tax_rate_target,
)

# Tender groups of SPEC §3b: the account role each tender posts to unless [tenders] says.
CARD_TENDERS = ("card", "echeck")


def tender_role(tender: str) -> str:
    if tender in CARD_TENDERS:
        return "merchant_settlement"
    if tender in TENDERS_CREDIT:
        return "discounts_and_credits"
    return "undeposited_funds"  # cash, check and custom:<name>


@dataclass(frozen=True)
class Slot:
    """A resolved account or class; ``role`` decides the type if it must be created."""

    entity: str  # "Account" | "Class"
    target: Target
    role: str

    @cached_property
    def name(self) -> str:
        return f"{self.entity}:{self.target.name}"


@dataclass(frozen=True)
class Unmapped:
    code: str
    message: str
    fix: str

    @cached_property
    def name(self) -> str:
        return f"!{self.code}:{self.message}"


Resolved = Slot | Unmapped


class Resolver:
    def __init__(self, dataset: Dataset, mapping: MappingConfig) -> None:
        self.dataset = dataset
        self.mapping = mapping
        self.known = known_ids(mapping)
        self.classes_on = classes_on(mapping)
        self._memo: dict[tuple[str, str | None], Resolved | None] = {}

    def _slot(self, entity: str, target: Target, role: str) -> Slot:
        if target.qbo_id is None and f"{entity}:{target.name}" in self.known:
            target = Target(target.name, self.known[f"{entity}:{target.name}"])
        return Slot(entity, target, role)

    def _memoised(self, kind: str, key: str | None, compute) -> Resolved | None:  # type: ignore[no-untyped-def]
        memo_key = (kind, key)
        try:
            return self._memo[memo_key]
        except KeyError:
            result = self._memo[memo_key] = compute(key)
            return result

    def role_account(self, role: str) -> Resolved:
        result = self._memoised("role", role, self._role_account)
        assert result is not None
        return result

    def _role_account(self, role: str) -> Resolved:
        target = role_target(self.mapping, role)
        if target is None:
            return Unmapped("unmapped_account", f"no account is mapped as {role}",
                            f"map [accounts] {role} to a QuickBooks account")
        return self._slot("Account", target, role)

    def tender_account(self, tender: str) -> Resolved:
        result = self._memoised("tender", tender, self._tender_account)
        assert result is not None
        return result

    def _tender_account(self, tender: str) -> Resolved:
        override = self.mapping.tenders.get(tender)
        if override is not None:
            return self._slot("Account", override, tender_role(tender))
        return self.role_account(tender_role(tender))

    def income_account(self, program_id: str) -> Resolved:
        result = self._memoised("income", program_id, self._income)
        assert result is not None
        return result

    def _income(self, program_id: str) -> Resolved:
        program = self.dataset.program_by_id.get(program_id)
        if program is None:
            return Unmapped("unknown_program", f"program {program_id} is not in the source",
                            "re-import the programs export")
        target = income_target(self.mapping, program.income_category)
        if target is None:
            return Unmapped("unmapped_program",
                            f"program category {program.income_category!r} has no income account",
                            f'map it under [income] ("{program.income_category}" = "...")')
        return self._slot("Account", target, "income")

    def tax_account(self, tax_rate_id: str) -> Resolved:
        result = self._memoised("tax", tax_rate_id, self._tax)
        assert result is not None
        return result

    def _tax(self, tax_rate_id: str) -> Resolved:
        rate = self.dataset.tax_rate_by_id.get(tax_rate_id)
        target = tax_rate_target(self.mapping, tax_rate_id, rate.name if rate else None)
        if target is None:
            return Unmapped("unmapped_tax_rate", f"tax rate {tax_rate_id} has no liability account",
                            f'map it under [tax_rates] ({tax_rate_id} = "...")')
        return self._slot("Account", target, "tax")

    def organisation_class(self) -> Slot | None:
        organisation = self.mapping.organisation_target
        return self._slot("Class", organisation, "organisation") if organisation else None

    def location_class(self, location_id: str | None) -> Resolved | None:
        """The location's class; the organisation class when there is no location."""
        if not self.classes_on:
            return None
        return self._memoised("class", location_id, self._location)

    def _location(self, location_id: str | None) -> Resolved | None:
        if location_id is None:
            return self.organisation_class()
        location = self.dataset.location_by_id.get(location_id)
        target = location_target(self.mapping, location_id, location.name if location else None)
        if target is None:
            return Unmapped("unmapped_location", f"location {location_id} has no class",
                            f'map it under [locations] ({location_id} = "...")')
        return self._slot("Class", target, "location")

    def location_name(self, location_id: str | None) -> str:
        if location_id is None:
            return ""
        location = self.dataset.location_by_id.get(location_id)
        return location.name if location else location_id
