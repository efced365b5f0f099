"""The entity kinds the sandbox serves, keyed by QBO entity name and by URL name."""

from __future__ import annotations

from app.simulator.entities.base import EntityRules
from app.simulator.entities.journal import JournalEntryRules
from app.simulator.entities.names import AccountRules, ClassRules, CustomerRules, ItemRules
from app.simulator.entities.payments import DepositRules, PaymentRules
from app.simulator.entities.sales import CreditMemoRules, InvoiceRules, RefundReceiptRules
from app.simulator.entities.settings import CompanyInfoRules, PreferencesRules

KINDS: dict[str, EntityRules] = {
    rules.name: rules
    for rules in (
        AccountRules(), ClassRules(), CustomerRules(), ItemRules(), InvoiceRules(),
        PaymentRules(), CreditMemoRules(), RefundReceiptRules(), JournalEntryRules(),
        DepositRules(), CompanyInfoRules(), PreferencesRules(),
    )
}
BY_URL_NAME: dict[str, EntityRules] = {name.lower(): rules for name, rules in KINDS.items()}
TRANSACTION_KINDS = tuple(name for name, rules in KINDS.items() if rules.transaction)

__all__ = ["BY_URL_NAME", "KINDS", "TRANSACTION_KINDS", "EntityRules"]
