"""Where a thing posts when the mapping does not say: the one set of default targets.

With ``create_missing`` (SPEC §3b, §4) an unmapped program category, tax rate, location
or account role still has a target — the account or class Ledgerbridge will create with
the right type. Both posting styles read these rules from here, so a bookkeeper gets the
same accounts and classes whichever style the company uses, and the rules cannot drift.
Without ``create_missing`` there is no default: what is unmapped blocks what needs it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from app.domain.dataset import Dataset
from app.mapping.config import ACCOUNT_ROLES, MappingConfig, Target

# Usual names of role accounts (rounding has none: its cents go only where chosen).
DEFAULT_ACCOUNT_NAMES: dict[str, str] = {
    "undeposited_funds": "Undeposited Funds",
    "merchant_settlement": "Merchant Settlement",
    "discounts_and_credits": "Discounts and Credits",
    "gift_card_holding": "Gift Card Holding",
    "unapplied_payments": "Unapplied Payments",
    "deferred_revenue": "Deferred Revenue",
    "tax_parent": "Sales Tax Payable",
    "accounts_receivable": "Accounts Receivable (A/R)",
}


def safe_name(text: str) -> str:
    """A name QBO accepts as one account/class name: no colon, no double quote, ≤100."""
    return text.replace(":", "-").replace('"', "'").strip()[:100]


def role_target(mapping: MappingConfig, role: str) -> Target | None:
    """The account mapped to ``role``, else its usual name (create_missing only)."""
    mapped = mapping.accounts.get(role)
    if mapped is not None or not mapping.create_missing or role not in DEFAULT_ACCOUNT_NAMES:
        return mapped
    return Target(DEFAULT_ACCOUNT_NAMES[role])


def income_target(mapping: MappingConfig, category: str) -> Target | None:
    """The income account of a program category; by default named after the category."""
    mapped = mapping.income.get(category)
    if mapped is not None or not mapping.create_missing:
        return mapped
    return Target(safe_name(category))


def tax_rate_target(mapping: MappingConfig, tax_rate_id: str,
                    rate_name: str | None = None) -> Target | None:
    """A tax rate's liability account; by default ``<tax parent>:Tax Rate - <name> <id>``."""
    mapped = mapping.tax_rates.get(tax_rate_id)
    if mapped is not None or not mapping.create_missing:
        return mapped
    parent = role_target(mapping, "tax_parent")
    if parent is None:
        return None
    leaf = safe_name(f"Tax Rate - {rate_name or tax_rate_id} {tax_rate_id}")
    return Target(f"{parent.name}:{leaf}")


def classes_on(mapping: MappingConfig) -> bool:
    """Class tracking is on when the mapping names an organisation class or any location."""
    return bool(mapping.organisation_class or mapping.locations)


def location_target(mapping: MappingConfig, location_id: str,
                    location_name: str | None = None) -> Target | None:
    """A location's class; by default ``<organisation class>:<name> <id>``.

    The default follows the location *id*: a renamed location keeps its class until the
    bookkeeper remaps it. Without an organisation class there is no parent, no default.
    """
    mapped = mapping.locations.get(location_id)
    organisation = mapping.organisation_class
    if mapped is not None or not mapping.create_missing or not organisation:
        return mapped
    return Target(f"{organisation}:{safe_name(f'{location_name or location_id} {location_id}')}")


def with_defaults(mapping: MappingConfig, dataset: Dataset) -> MappingConfig:
    """The mapping with every default target the dataset can use written in.

    Idempotent. Apply it before re-validating against QBO, so a default account that
    already exists there (Undeposited Funds, Accounts Receivable) is found by name and
    used rather than created a second time.
    """
    if not mapping.create_missing:
        return mapping
    accounts = _filled(mapping.accounts, ACCOUNT_ROLES, lambda r: role_target(mapping, r))
    categories = sorted({p.income_category for p in dataset.programs})
    income = _filled(mapping.income, categories, lambda c: income_target(mapping, c))
    with_parent = dataclasses.replace(mapping, accounts=accounts)
    rate_names = {r.tax_rate_id: r.name for r in dataset.tax_rates}
    tax_rates = _filled(mapping.tax_rates, sorted(rate_names),
                        lambda t: tax_rate_target(with_parent, t, rate_names[t]))
    location_names = {loc.location_id: loc.name for loc in dataset.locations}
    locations = _filled(mapping.locations, sorted(location_names),
                        lambda i: location_target(mapping, i, location_names[i]))
    return dataclasses.replace(mapping, accounts=accounts, income=income,
                               tax_rates=tax_rates, locations=locations)


def _filled(mapped: Mapping[str, Target], keys, default) -> dict[str, Target]:  # type: ignore[no-untyped-def]
    result = dict(mapped)
    for key in keys:
        if key not in result:
            target = default(key)
            if target is not None:
                result[key] = target
    return result
