"""Payout files: what the processor deposited (gross, fees, net, deposit date), not payments.

A payout or bank-deposit file lists the money the card processor sent to the bank: one
row per deposit (or per charge within it) with the gross, the processor's fee and the
net. Its rows are the same money as the payments already imported, so importing it as
payments would count every dollar twice. It is recognised by its columns — a fee and a
net amount, and nobody who paid — and refused with that explanation (a later issue may
post payouts as deposits).
"""

from __future__ import annotations

from collections.abc import Sequence

from app.importers.mapping import header_key

_FEE = ("fee", "fees", "processing_fee", "processing_fees", "stripe_fee", "card_fee",
        "transaction_fee", "merchant_fee", "total_fees", "fee_amount")
_NET = ("net", "net_amount", "net_deposit", "net_total", "deposit_amount", "payout_amount",
        "net_payout", "amount_deposited")
_PAYER_WORDS = ("family", "customer", "payer", "student", "member", "participant", "parent",
                "guardian", "client", "registrant", "account_name", "name")

PAYOUT_REFUSAL = (
    "this looks like a payout (deposit) file: gross, fees and net per deposit, with nobody "
    "who paid. Its money is the payments you import from the registration system, so "
    "importing it too would count every payment twice. Import the payments export instead "
    "(posting payouts as bank deposits is not supported yet)."
)


def looks_like_payouts(header: Sequence[str]) -> bool:
    keys = {header_key(h) for h in header}
    has_fee = bool(keys & set(_FEE)) or any(k.endswith("_fee") or k.endswith("_fees")
                                            for k in keys)
    has_net = bool(keys & set(_NET)) or any(k.startswith("net_") for k in keys)
    has_payer = any(word in key for key in keys for word in _PAYER_WORDS)
    return has_fee and has_net and not has_payer
