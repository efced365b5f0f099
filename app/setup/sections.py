"""The rows of each mapping page: what is mapped, what "Create new…" would call it, and
what is left unmapped with what that blocks.

Row lists come from the data (program categories, locations, tenders, tax rates) or,
for special accounts, from the posting style. New names follow ``app.mapping.defaults``
— the names ``create_missing`` would give — so a bookkeeper who creates one by one gets
the same chart as one who lets Ledgerbridge create everything.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from app.domain.dataset import Dataset
from app.domain.records import TENDERS_CREDIT, TENDERS_PLAIN
from app.mapping.config import MappingConfig, Target
from app.mapping.defaults import (
    DEFAULT_ACCOUNT_NAMES,
    classes_on,
    income_target,
    location_target,
    safe_name,
    tax_rate_target,
)

from . import blocks
from .state import SetupState

ROLE_LABELS = {
    "accounts_receivable": "Accounts receivable",
    "undeposited_funds": "Undeposited funds",
    "merchant_settlement": "Merchant settlement",
    "discounts_and_credits": "Discounts and credits",
    "gift_card_holding": "Gift card holding",
    "unapplied_payments": "Unapplied payments",
    "deferred_revenue": "Deferred revenue",
    "tax_parent": "Sales tax (parent account)",
    "rounding": "Rounding differences",
}
ROLE_USES = {
    "accounts_receivable": "invoices owed until paid",
    "undeposited_funds": "cash and checks until deposited",
    "merchant_settlement": "card and eCheck until paid out",
    "discounts_and_credits": "credits, coupons, gift cards",
    "gift_card_holding": "gift cards owed to holders",
    "unapplied_payments": "redemptions, multipliers",
    "deferred_revenue": "programs that start later",
    "tax_parent": "parent of each tax account",
    "rounding": "optional: a cent of rounding",
}
STYLE_ROLES = {
    "summary": ("undeposited_funds", "merchant_settlement", "discounts_and_credits",
                "gift_card_holding", "unapplied_payments", "tax_parent", "rounding"),
    "detailed": ("accounts_receivable", "undeposited_funds", "gift_card_holding",
                 "deferred_revenue", "tax_parent"),
}
ROUNDING_NAME = "Rounding Differences"
TENDER_ORDER = (*TENDERS_PLAIN, *TENDERS_CREDIT)


@dataclass(frozen=True)
class Row:
    """One line of a mapping page."""

    key: str  # the mapping key: category, location id, tender, tax rate id, role
    label: str  # what the bookkeeper calls it
    detail: str  # what it is in the data, or what it is for
    entity: str  # "Account" | "Class"
    role: str  # the role whose account types fit (app.mapping.accounts)
    new_name: str  # what "Create new…" calls it
    fallback: str = ""  # where it posts when left empty (tenders), "" when nothing
    fallback_chosen: bool = False  # that account is chosen (else: Special accounts page)


@dataclass(frozen=True)
class Unmapped:
    row: Row
    blocks: str  # plain words: what it holds back
    blocking: bool = True  # False: it holds nothing back (or another page's row does)


def rows(state: SetupState, section: str) -> list[Row]:
    dataset, style = state.dataset(), state.style or "summary"
    make = {"income": _income_rows, "locations": _location_rows, "tenders": _tender_rows,
            "tax_rates": _tax_rows, "accounts": _role_rows}[section]
    return make(state, dataset, style)


def _as_creator(state: SetupState) -> MappingConfig:
    """The draft with create_missing on and no rows mapped: the defaults, which name what
    "Create new…" makes (the organisation class and the tax parent still count)."""
    return dataclasses.replace(state.mapping(), create_missing=True, income={}, locations={},
                               tax_rates={}, tenders={})


def _income_rows(state: SetupState, dataset: Dataset, style: str) -> list[Row]:
    creator = _as_creator(state)
    programs: dict[str, list[str]] = {}
    for program in dataset.programs:
        if style == "detailed" and program.kind == "gift_card":
            continue  # its item posts to Gift Card Holding (special accounts)
        programs.setdefault(program.income_category, []).append(program.name)
    return [Row(category, category, _programs_text(names), "Account", "income",
                _name(income_target(creator, category)))
            for category, names in sorted(programs.items())]


def _programs_text(names: list[str]) -> str:
    shown = ", ".join(sorted(set(names))[:3])
    more = len(set(names)) - 3
    return f"{len(set(names))} program(s): {shown}" + (f" and {more} more" if more > 0 else "")


def _location_rows(state: SetupState, dataset: Dataset, style: str) -> list[Row]:
    creator = _as_creator(state)
    counts: dict[str, int] = {}
    for program in dataset.programs:
        if program.location_id:
            counts[program.location_id] = counts.get(program.location_id, 0) + 1
    found = []
    for loc in dataset.locations:
        # Under the organisation class (SPEC §3b); without one, a top-level class.
        default = _name(location_target(creator, loc.location_id, loc.name)) or safe_name(
            f"{loc.name} {loc.location_id}")
        found.append(Row(loc.location_id, f"{loc.name} ({loc.location_id})",
                         f"{counts.get(loc.location_id, 0)} program(s)", "Class", "location",
                         default))
    return found


def _tender_rows(state: SetupState, dataset: Dataset, style: str) -> list[Row]:
    used = {p.tender for p in dataset.payments} | {r.tender for r in dataset.refunds
                                                   if r.tender}
    order = {t: n for n, t in enumerate(TENDER_ORDER)}
    found = []
    for tender in sorted(used, key=lambda t: (order.get(t, len(order)), t)):
        if style == "detailed" and tender == "gift_card":
            continue  # a redemption is a credit memo, not a deposit (accounting-detailed.md)
        role = tender_role(style, tender)
        count = sum(1 for p in dataset.payments if p.tender == tender)
        label = tender.removeprefix("custom:").replace("_", " ")
        chosen = _role_target_name(state, role)
        found.append(Row(tender, label, f"{count} payment(s)", "Account", "tender",
                         safe_name(f"{label.title()} Clearing"),
                         chosen or ROLE_LABELS[role], bool(chosen)))
    return found


def tender_role(style: str, tender: str) -> str:
    """The special account a tender posts to when [tenders] does not say (SPEC §3b)."""
    if style == "detailed":
        return "undeposited_funds"
    if tender in ("card", "echeck"):
        return "merchant_settlement"
    return "discounts_and_credits" if tender in TENDERS_CREDIT else "undeposited_funds"


def _role_target_name(state: SetupState, role: str) -> str:
    pick = state.picks["accounts"].get(role)
    if pick is not None:
        return pick.name
    if state.create_missing and role in DEFAULT_ACCOUNT_NAMES:
        return DEFAULT_ACCOUNT_NAMES[role]
    return ""


def _tax_rows(state: SetupState, dataset: Dataset, style: str) -> list[Row]:
    creator = _as_creator(state)
    return [Row(rate.tax_rate_id, f"{rate.name} ({rate.tax_rate_id})",
                f"{rate.rate}%" if rate.rate is not None else "rate not given", "Account",
                "tax", _name(tax_rate_target(creator, rate.tax_rate_id, rate.name)))
            for rate in dataset.tax_rates]


def _role_rows(state: SetupState, dataset: Dataset, style: str) -> list[Row]:
    return [Row(role, ROLE_LABELS[role], ROLE_USES[role], "Account", role,
                DEFAULT_ACCOUNT_NAMES.get(role, ROUNDING_NAME))
            for role in STYLE_ROLES[style]]


def _name(target: Target | None) -> str:
    return target.name if target is not None else ""


def unmapped(state: SetupState, section: str) -> list[Unmapped]:
    """Rows left empty, with what each holds back (nothing is with create_missing)."""
    if state.create_missing and section != "tenders":
        return [u for u in _unmapped(state, section) if u.row.key == "rounding"]
    return _unmapped(state, section)


def _unmapped(state: SetupState, section: str) -> list[Unmapped]:
    dataset, style = state.dataset(), state.style or "summary"
    found = []
    for row in rows(state, section):
        if row.key in state.picks[section] or row.fallback_chosen:
            continue
        if row.fallback:  # a tender: its group's account decides, on Special accounts
            found.append(Unmapped(row, f"posts to the {row.fallback.lower()} account, chosen "
                                       "on the Special accounts page", False))
            continue
        blocks = _blocks(state, dataset, style, section, row.key)
        found.append(Unmapped(row, blocks, not blocks.startswith("nothing")))
    return found


def _blocks(state: SetupState, dataset: Dataset, style: str, section: str, key: str) -> str:
    if section == "income":
        return blocks.income(dataset, style, key)
    if section == "locations":
        if not classes_on(state.mapping()):
            return "nothing: until a location or the organisation class is mapped, no line " \
                   "carries a class"
        return blocks.location(dataset, style, key)
    if section == "tax_rates":
        return blocks.tax_rate(dataset, style, key)
    if section == "tenders":
        return blocks.tender(dataset, style, key)
    return blocks.role(dataset, style, key, deferred=state.deferred_revenue,
                       tenders_mapped=state.picks["tenders"])
