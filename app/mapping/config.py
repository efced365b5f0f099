"""The mapping as the planner reads it: plain frozen data, no database, no QBO calls.

Targets are named by fully-qualified QBO name for people (``Tuition:Swim Lessons``) and
carry the QBO id once known. A target without an id does not exist in QBO yet: with
``create_missing`` the planner plans its creation, otherwise whatever needs it is blocked.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

# What the mapping table's columns hold (PostgreSQL enforces them; SQLite would not).
MAX_SOURCE_KEY_LENGTH = 200
MAX_TARGET_LENGTH = 500

STYLES = ("summary", "detailed")
SYNC_MODES = ("daily", "manual")

# Account roles of SPEC §4 ("[accounts]" in the TOML file).
ACCOUNT_ROLES = (
    "accounts_receivable",
    "undeposited_funds",
    "merchant_settlement",
    "discounts_and_credits",
    "gift_card_holding",
    "unapplied_payments",
    "deferred_revenue",
    "tax_parent",
    "rounding",
)


@dataclass(frozen=True)
class Target:
    """A QBO account or class: fully-qualified name, and id when it exists in QBO."""

    name: str
    qbo_id: str | None = None

    @property
    def leaf_name(self) -> str:
        return self.name.rsplit(":", 1)[-1]

    @property
    def parent_name(self) -> str | None:
        return self.name.rsplit(":", 1)[0] if ":" in self.name else None


@dataclass(frozen=True)
class MappingConfig:
    style: str
    go_live: date | None = None
    sync: str = "daily"
    organisation_class: str | None = None
    accounts: Mapping[str, Target] = field(default_factory=dict)
    income: Mapping[str, Target] = field(default_factory=dict)  # program category -> account
    tenders: Mapping[str, Target] = field(default_factory=dict)  # tender -> deposit account
    locations: Mapping[str, Target] = field(default_factory=dict)  # location_id -> class
    tax_rates: Mapping[str, Target] = field(default_factory=dict)  # tax_rate_id -> liability
    create_missing: bool = False
    deferred_revenue: bool = False
    # Accounts and classes the bookkeeper approved creating one by one (the wizard's
    # "Create new…", the file's [create] table), as "Account:<FQN>" / "Class:<FQN>".
    # Without ``create_missing`` only these are ever created; nothing else is defaulted.
    # Kept sorted (a tuple), so the mapping's repr, which fingerprints a run, is stable.
    create_new: tuple[str, ...] = ()
    organisation_class_id: str | None = None  # QBO id of the organisation class, once known
    # QBO ids of existing *parents* of targets that do not exist yet, found when the mapping
    # was re-validated against QBO; keyed "Account:<FQN>" / "Class:<FQN>". Never stored.
    parent_ids: Mapping[str, str] = field(default_factory=dict)
    # Targets QBO has but that cannot be posted to (inactive, deleted, wrong type), found at
    # re-validation, keyed like ``parent_ids``: what needs them is blocked. Never stored.
    unusable: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        object.__setattr__(self, "create_new", tuple(sorted(set(self.create_new))))
        if self.style not in STYLES:
            raise ValueError(f"style must be one of {STYLES}, not {self.style!r}")
        if self.sync not in SYNC_MODES:
            raise ValueError(f"sync must be one of {SYNC_MODES}, not {self.sync!r}")
        unknown = set(self.accounts) - set(ACCOUNT_ROLES)
        if unknown:
            raise ValueError(f"unknown account roles: {sorted(unknown)}")

    @property
    def organisation_target(self) -> Target | None:
        """The organisation class as a target (the parent of every location class)."""
        if not self.organisation_class:
            return None
        return Target(self.organisation_class, self.organisation_class_id)

    def account(self, role: str) -> Target | None:
        return self.accounts.get(role)

    def may_create(self, entity: str, name: str) -> bool:
        """Whether a missing ``entity`` named ``name`` may be created (approved)."""
        return self.create_missing or f"{entity}:{name}" in self.create_new
