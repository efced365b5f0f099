"""Properties over many generated cases: books always balance, any name can be queried."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.simulator import SandboxServer
from tests.simulator.conftest import Qbo

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("5000"), places=2)


@pytest.fixture(scope="module")
def shared_qbo():
    with SandboxServer() as server:
        yield Qbo(server.info)


def _sales(item_id, amount):
    return [{"DetailType": "SalesItemLineDetail", "Amount": str(amount),
             "SalesItemLineDetail": {"ItemRef": {"value": item_id}}}]


# the project's autouse fixtures are function-scoped; the server here is module-scoped
RELAXED = [HealthCheck.function_scoped_fixture]


@settings(max_examples=15, deadline=None, suppress_health_check=RELAXED)
@given(invoices=st.lists(amounts, min_size=1, max_size=4),
       paid_share=st.integers(min_value=0, max_value=100),
       credit=amounts, journal=amounts)
def test_trial_balance_always_balances(shared_qbo, invoices, paid_share, credit, journal):
    qbo = shared_qbo
    qbo.admin("reset")
    customer = qbo.customer("Prop")
    item = qbo.item()
    checking, income = qbo.account_id("Checking"), qbo.account_id("Services")
    for amount in invoices:
        invoice = qbo.create("Invoice", {"CustomerRef": {"value": customer["Id"]},
                                         "TxnDate": "2025-03-01",
                                         "Line": _sales(item["Id"], amount)})
        paid = (amount * paid_share / 100).quantize(Decimal("0.01"))
        if paid:
            qbo.create("Payment", {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": str(paid),
                                   "TxnDate": "2025-03-02", "Line": [
                                       {"Amount": str(paid), "LinkedTxn": [
                                           {"TxnId": invoice["Id"], "TxnType": "Invoice"}]}]})
    qbo.create("RefundReceipt", {"CustomerRef": {"value": customer["Id"]},
                                 "TxnDate": "2025-03-03", "Line": _sales(item["Id"], credit),
                                 "DepositToAccountRef": {"value": checking}})
    qbo.create("JournalEntry", {"TxnDate": "2025-03-04", "Line": [
        {"DetailType": "JournalEntryLineDetail", "Amount": str(journal),
         "JournalEntryLineDetail": {"PostingType": "Debit", "AccountRef": {"value": checking}}},
        {"DetailType": "JournalEntryLineDetail", "Amount": str(journal),
         "JournalEntryLineDetail": {"PostingType": "Credit", "AccountRef": {"value": income}}}]})
    report = qbo.get("reports/TrialBalance", end_date="2025-03-31").json()
    summary = report["Rows"]["Row"][-1]["Summary"]["ColData"]
    assert Decimal(summary[1]["value"]) == Decimal(summary[2]["value"])
    invoice_total = sum(invoices, Decimal(0))
    customer_row = qbo.get(f"customer/{customer['Id']}").json()["Customer"]
    paid_total = sum(((a * paid_share / 100).quantize(Decimal("0.01")) for a in invoices),
                     Decimal(0))
    assert Decimal(str(customer_row["Balance"])) == invoice_total - paid_total


names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"),
                                       blacklist_characters=":"),
                min_size=1, max_size=40).filter(lambda s: s.strip())


@settings(max_examples=25, deadline=None, suppress_health_check=RELAXED)
@given(name=names)
def test_any_display_name_can_be_found_by_an_escaped_query(shared_qbo, name):
    qbo = shared_qbo
    qbo.admin("reset")
    created = qbo.customer(name)
    escaped = name.strip().replace("\\", "\\\\").replace("'", "\\'")
    found = qbo.query(f"select * from Customer where DisplayName = '{escaped}'")
    assert [c["Id"] for c in found["Customer"]] == [created["Id"]]
