"""The company's chart of accounts and classes, read once, as choices for the wizard.

``fetch_chart`` (pre-flight's) returns plain dicts; here they become sorted
``ChartEntry`` rows the combos list by fully-qualified name, filtered to the types a
role accepts (``app.mapping.accounts.EXPECTED_TYPES``, the same table re-validation
uses, so the wizard cannot offer an account a post would then refuse).

Suggestions: an account whose sub-type is the role's own (Undeposited Funds, A/R,
deferred revenue, discounts given) first; otherwise the closest name by
``difflib.SequenceMatcher`` at 0.8 or more. difflib because it is the standard library,
deterministic, already what the importer's header suggestions use (one notion of "close"
in the product), and plenty fast for a chart of a few hundred names; a fuzzy-matching
package would add a compiled dependency to the installer for no visible gain.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from app.mapping.accounts import EXPECTED_TYPES
from app.mapping.config import Target

MIN_SIMILARITY = 0.8

# Roles whose accounts QuickBooks marks with a sub-type of their own.
ROLE_SUB_TYPES = {
    "accounts_receivable": "AccountsReceivable",
    "undeposited_funds": "UndepositedFunds",
    "deferred_revenue": "DeferredRevenue",
    "discounts_and_credits": "DiscountsRefundsGiven",
    "tax_parent": "SalesTaxPayable",
    "tax": "SalesTaxPayable",
}


@dataclass(frozen=True)
class ChartEntry:
    """One QBO account or class as the wizard shows it."""

    entity: str  # "Account" | "Class"
    qbo_id: str
    name: str  # fully qualified
    account_type: str = ""
    sub_type: str = ""
    active: bool = True

    @property
    def leaf_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]


@dataclass(frozen=True)
class Pick:
    """A mapping choice: an existing account or class (with its id), or a new one.

    ``new`` is the bookkeeper's explicit "Create new…": only then is ``name`` created in
    QuickBooks (``MappingConfig.create_new``). A pick with neither an id nor ``new`` is a
    name QuickBooks does not have (from a mapping file): the page asks to resolve it.
    """

    name: str
    qbo_id: str | None = None
    new: bool = False

    @property
    def target(self) -> Target:
        return Target(self.name, None if self.new else self.qbo_id)


def _entry(entity: str, record: Mapping[str, Any]) -> ChartEntry:
    return ChartEntry(
        entity=entity, qbo_id=str(record["Id"]),
        name=str(record.get("FullyQualifiedName") or record.get("Name") or ""),
        account_type=str(record.get("AccountType") or ""),
        sub_type=str(record.get("AccountSubType") or ""),
        active=record.get("Active", True) is not False,
    )


class Chart:
    """Accounts and classes by id and by name; choices per role, sorted by name."""

    def __init__(self, accounts: Iterable[Mapping[str, Any]],
                 classes: Iterable[Mapping[str, Any]]) -> None:
        self.accounts = tuple(sorted((_entry("Account", a) for a in accounts),
                                     key=lambda e: e.name.lower()))
        self.classes = tuple(sorted((_entry("Class", c) for c in classes),
                                    key=lambda e: e.name.lower()))
        self._by_name: dict[tuple[str, str], ChartEntry] = {}
        for entry in (*self.accounts, *self.classes):
            key = (entry.entity, entry.name)
            if entry.active or key not in self._by_name:
                self._by_name[key] = entry

    @classmethod
    def from_snapshot(cls, snapshot: Any) -> Chart:
        return cls(snapshot.accounts, snapshot.classes)

    def entries(self, entity: str) -> tuple[ChartEntry, ...]:
        return self.accounts if entity == "Account" else self.classes

    def by_name(self, entity: str, name: str) -> ChartEntry | None:
        return self._by_name.get((entity, name))

    def choices(self, entity: str, role: str) -> tuple[ChartEntry, ...]:
        """Active entries that can take ``role``'s postings, by name."""
        expected = EXPECTED_TYPES.get(role) if entity == "Account" else None
        return tuple(e for e in self.entries(entity)
                     if e.active and (expected is None or e.account_type in expected))

    def fits(self, entity: str, role: str, entry: ChartEntry) -> bool:
        expected = EXPECTED_TYPES.get(role) if entity == "Account" else None
        return entry.active and (expected is None or entry.account_type in expected)

    def suggest(self, entity: str, role: str, *names: str) -> ChartEntry | None:
        """The existing account or class that ``names`` most plausibly means, or None."""
        choices = self.choices(entity, role)
        sub_type = ROLE_SUB_TYPES.get(role) if entity == "Account" else None
        typed = [e for e in choices if sub_type and e.sub_type == sub_type]
        if typed:  # max keeps the first of equals: the first by name
            return max(typed, key=lambda e: _score(e, names))
        close = [e for e in choices if _score(e, names) >= MIN_SIMILARITY]
        return max(close, key=lambda e: _score(e, names)) if close else None


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, normalised(a), normalised(b)).ratio()


def _score(entry: ChartEntry, names: Iterable[str]) -> float:
    return max((max(similarity(n, entry.leaf_name), similarity(n, entry.name))
                for n in names if n), default=0.0)
