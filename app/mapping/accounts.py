"""What kind of QBO account each mapping role needs, and every target a mapping names.

One table serves both directions: creating a missing account (its AccountType and
AccountSubType) and checking an existing one (the types it may have).
"""

from __future__ import annotations

from collections.abc import Iterator

from app.mapping.config import MappingConfig, Target

# role -> (AccountType, AccountSubType) used when Ledgerbridge creates the account.
CREATE_TYPES: dict[str, tuple[str, str]] = {
    "income": ("Income", "ServiceFeeIncome"),
    "discounts_and_credits": ("Income", "DiscountsRefundsGiven"),
    "merchant_settlement": ("Other Current Asset", "OtherCurrentAssets"),
    "undeposited_funds": ("Other Current Asset", "UndepositedFunds"),
    "gift_card_holding": ("Other Current Liability", "OtherCurrentLiabilities"),
    "unapplied_payments": ("Other Current Liability", "OtherCurrentLiabilities"),
    "deferred_revenue": ("Other Current Liability", "DeferredRevenue"),
    "tax_parent": ("Other Current Liability", "SalesTaxPayable"),
    "tax": ("Other Current Liability", "SalesTaxPayable"),
    "accounts_receivable": ("Accounts Receivable", "AccountsReceivable"),
    "rounding": ("Other Expense", "OtherMiscellaneousExpense"),
}

_PROFIT_AND_LOSS = ("Income", "Other Income", "Expense", "Other Expense")
_ASSET = ("Other Current Asset", "Bank")
_LIABILITY = ("Other Current Liability",)

# role -> the AccountTypes an existing account may have to take that role's postings.
EXPECTED_TYPES: dict[str, tuple[str, ...]] = {
    "income": ("Income", "Other Income"),
    "discounts_and_credits": _PROFIT_AND_LOSS,
    "merchant_settlement": _ASSET,
    "undeposited_funds": _ASSET,
    "tender": _ASSET + _PROFIT_AND_LOSS,
    "gift_card_holding": _LIABILITY,
    "unapplied_payments": _LIABILITY,
    "deferred_revenue": _LIABILITY,
    "tax_parent": _LIABILITY,
    "tax": _LIABILITY,
    "accounts_receivable": ("Accounts Receivable",),
    "rounding": _PROFIT_AND_LOSS,
}

def slots_of(mapping: MappingConfig) -> Iterator[tuple[str, str, Target]]:
    """(entity, role, target) for every account and class the mapping names."""
    for role, target in mapping.accounts.items():
        yield "Account", role, target
    for target in mapping.income.values():
        yield "Account", "income", target
    for target in mapping.tenders.values():
        yield "Account", "tender", target
    for target in mapping.tax_rates.values():
        yield "Account", "tax", target
    organisation = mapping.organisation_target
    if organisation is not None:
        yield "Class", "organisation", organisation
    for target in mapping.locations.values():
        yield "Class", "location", target
