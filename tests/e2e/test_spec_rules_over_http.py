"""SPEC §3, rule by rule, read back from QuickBooks after the app's own posts.

Each style posts the demo company (every case of SPEC §2: families with children,
three locations, two tax rates, every tender, refunds, chargebacks, eCheck returns, gift
cards, multipliers, a $0 scholarship, removed lines, deferred sessions) for three months
and then the edits of ``tests/e2e/demo.edited`` — once per module, through
``app.posting.post_period``. Each test then queries the simulator (records, TrialBalance)
and checks one rule of SPEC §3 on what QuickBooks holds, not on the plan. Rules that need
a hand-made history are in test_accounting_rules_over_http.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.domain.dataset import Dataset
from app.sync.stamps import stamped_key
from tests.e2e.books import Books
from tests.e2e.demo import EVERYTHING, MONTHS, ORGANISATION, defaults_mapping, demo_dataset, edited

TIME_SCALE = 60.0
D = Decimal


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=8, months=3)


@pytest.fixture(scope="module")
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _posted(tmp_path_factory, simulator, demo, style: str, **options: Any) -> Books:
    books = Books(tmp_path_factory.mktemp(style), simulator, defaults_mapping(style, **options),
                  TIME_SCALE)
    books.load(demo)
    for month in MONTHS:
        assert books.post(month).exit_code == 0
    changed, _keys = edited(demo)
    books.load(changed)
    assert books.post(EVERYTHING).exit_code == 0
    books.final = changed  # type: ignore[attr-defined]
    return books


@pytest.fixture(scope="module")
def detailed(tmp_path_factory, simulator, demo) -> Books:
    return _posted(tmp_path_factory, simulator, demo, "detailed", deferred_revenue=True)


@pytest.fixture(scope="module")
def summary(tmp_path_factory, simulator, demo) -> Books:
    return _posted(tmp_path_factory, simulator, demo, "summary")


def ours(books: Books, entity: str) -> dict[str, dict[str, Any]]:
    """The company's records of ``entity`` that carry a Ledgerbridge key, by key."""
    found: dict[str, dict[str, Any]] = {}
    for row in books.records(entity):
        key = stamped_key(entity, row)
        if key is not None:
            assert key not in found, f"two {entity} records carry {key}"
            found[key] = row
    return found


def by_id(books: Books, entity: str) -> dict[str, dict[str, Any]]:
    return {str(row["Id"]): row for row in books.records(entity)}


# -- detailed style (SPEC §3a) -----------------------------------------------------------

def test_each_program_is_a_service_item_on_its_category_income_account(detailed, demo):
    accounts = by_id(detailed, "Account")
    items = {row["Name"]: row for row in detailed.records("Item")}
    invoiced = {line["SalesItemLineDetail"]["ItemRef"]["value"]
                for invoice in ours(detailed, "Invoice").values() for line in invoice["Line"]
                if line["DetailType"] == "SalesItemLineDetail"}
    for program in demo.programs:
        name = next((n for n in items if n.startswith(program.name)), None)
        if name is None:
            continue  # never invoiced: an item is created only when a transaction uses it
        item = items[name]
        assert item["Type"] == "Service"
        account = accounts[item["IncomeAccountRef"]["value"]]
        if program.kind == "gift_card":
            assert account["Name"] == "Gift Card Holding"
            assert account["AccountType"] == "Other Current Liability"
        elif name.endswith("(deferred)"):
            assert account["Name"] == "Deferred Revenue"
        else:
            assert account["Name"] == program.category and account["AccountType"] == "Income"
    assert {str(item["Id"]) for item in items.values() if item["Name"] != "Services"
            and item["Name"] != "Hours"} <= invoiced | _items_on_credits(detailed)


def _items_on_credits(books: Books) -> set[str]:
    return {line["SalesItemLineDetail"]["ItemRef"]["value"]
            for entity in ("CreditMemo", "RefundReceipt") for doc in ours(books, entity).values()
            for line in doc["Line"] if line["DetailType"] == "SalesItemLineDetail"}


def test_families_are_customers_and_children_sub_customers_billed_with_parent(detailed, demo):
    customers = ours(detailed, "Customer")
    for participant in demo.participants:
        child = customers.get(f"customer:participant:{participant.participant_id}")
        if child is None:
            continue  # nothing invoiced to this child yet
        if participant.customer_id is None:
            assert not child.get("Job")
            continue
        family = customers[f"customer:{participant.customer_id}"]
        assert child["Job"] is True and child["BillWithParent"] is True
        assert child["ParentRef"]["value"] == family["Id"]
    names = [row["DisplayName"] for row in customers.values()]
    assert len(names) == len(set(names)) and not any(":" in name for name in names)


def test_one_invoice_per_order_at_the_child_dated_by_its_first_charge(detailed, demo):
    invoices = ours(detailed, "Invoice")
    customers = by_id(detailed, "Customer")
    data = detailed.final  # type: ignore[attr-defined]
    orders: dict[str, list[Any]] = {}
    for charge in data.charges:
        orders.setdefault(charge.order_id, []).append(charge)
    for order_id, charges in orders.items():
        invoice = invoices[f"invoice:order:{order_id}"]
        assert invoice["DocNumber"] == order_id[:21]
        assert invoice["TxnDate"] == min(c.date for c in charges).isoformat()
        assert customers[invoice["CustomerRef"]["value"]]["Job"] is True
    zero = [i for i in invoices.values() if D(str(i["TotalAmt"])) == 0]
    assert zero, "the $0 scholarship order is still invoiced"


def test_sales_tax_is_a_line_on_a_tax_item_posting_to_the_rate_liability(detailed, demo):
    items, accounts = by_id(detailed, "Item"), by_id(detailed, "Account")
    taxed = [line for invoice in ours(detailed, "Invoice").values() for line in invoice["Line"]
             if line["DetailType"] == "SalesItemLineDetail"
             and items[line["SalesItemLineDetail"]["ItemRef"]["value"]]["Name"].startswith(
                 "Sales tax")]
    assert taxed
    for line in taxed:
        item = items[line["SalesItemLineDetail"]["ItemRef"]["value"]]
        account = accounts[item["IncomeAccountRef"]["value"]]
        assert account["FullyQualifiedName"].startswith("Sales Tax Payable:Tax Rate - ")
        assert account["AccountType"] == "Other Current Liability"


def test_payments_apply_to_their_orders_invoices_and_a_voided_one_is_voided(detailed):
    payments, invoices = ours(detailed, "Payment"), by_id(detailed, "Invoice")
    data = detailed.final  # type: ignore[attr-defined]
    for payment in data.payments:
        record = payments.get(f"payment:{payment.payment_id}")
        if payment.status == "voided":
            assert record is not None and D(str(record["TotalAmt"])) == 0
            assert record["PrivateNote"].startswith("Voided")
            continue
        if record is None or payment.tender == "gift_card" or payment.status != "completed":
            continue
        assert D(str(record["TotalAmt"])) == payment.amount
        assert record["DepositToAccountRef"]["name"] == "Undeposited Funds"
        applied = [link["TxnId"] for line in record["Line"] for link in line["LinkedTxn"]
                   if link["TxnType"] == "Invoice"]
        assert all(invoices[i]["DocNumber"].startswith(str(payment.order_id)) for i in applied)
        # applied up to the invoices' balance; any excess stays an unapplied credit
        used = sum((D(str(line["Amount"])) for line in record["Line"]), D(0))
        assert used + D(str(record.get("UnappliedAmt") or 0)) == payment.amount


def test_refunds_are_refund_receipts_and_closed_invoices_change_by_new_documents(detailed):
    data = detailed.final  # type: ignore[attr-defined]
    receipts = ours(detailed, "RefundReceipt")
    for refund in data.refunds:
        if refund.date > EVERYTHING.end:
            assert f"refundreceipt:{refund.refund_id}" not in receipts  # a later period's
            continue
        receipt = receipts[f"refundreceipt:{refund.refund_id}"]
        assert D(str(receipt["TotalAmt"])) == refund.amount
        assert receipt["DepositToAccountRef"]["name"] == "Undeposited Funds"
    memos = ours(detailed, "CreditMemo")
    supplements = [i for i in ours(detailed, "Invoice").values() if "-S" in i["DocNumber"]]
    assert memos and supplements  # the edit removed a paid line and added one after payment
    assert all(i["SyncToken"] != "" for i in supplements)


def test_deferred_sessions_are_recognised_by_journal_entries_never_rewritten(detailed):
    entries = ours(detailed, "JournalEntry")
    recognitions = [e for key, e in entries.items()
                    if key.startswith("je:deferred:") and ":adj:" not in key]
    assert recognitions
    for entry in recognitions:
        debits = [line for line in entry["Line"]
                  if line["JournalEntryLineDetail"]["PostingType"] == "Debit"]
        assert {line["JournalEntryLineDetail"]["AccountRef"]["name"] for line in debits} == {
            "Deferred Revenue"}
    assert {e["SyncToken"] for e in entries.values()} == {"0"}  # never updated


def test_the_detailed_books_balance_and_nothing_is_left_to_send(detailed):
    _nets, (debits, credits) = detailed.trial_balance()
    assert debits == credits and debits > 0
    assert detailed.plan(EVERYTHING).operations == ()


# -- summary style (SPEC §3b) ------------------------------------------------------------

def test_go_live_is_one_lump_sum_then_one_entry_per_day(summary):
    entries = ours(summary, "JournalEntry")
    golive = [e for key, e in entries.items() if key.startswith("je:summary:golive:")]
    assert len(golive) == 1 and golive[0]["TxnDate"] == MONTHS[0].end.isoformat()
    daily = [e for key, e in entries.items() if key.startswith("je:summary:20")]
    assert daily and len({e["TxnDate"] for e in daily}) == len(daily)
    assert all(MONTHS[1].start.isoformat() <= e["TxnDate"] for e in daily)


def test_entries_debit_tender_groups_and_credit_programs_by_location_class(summary):
    groups = {"card": "Merchant Settlement", "echeck": "Merchant Settlement",
              "cash": "Undeposited Funds", "check": "Undeposited Funds",
              "house_credit": "Discounts and Credits", "coupon": "Discounts and Credits",
              "multiplier": "Discounts and Credits", "gift_card": "Discounts and Credits"}
    golive = next(e for key, e in ours(summary, "JournalEntry").items()
                  if key.startswith("je:summary:golive:"))
    for line in golive["Line"]:
        detail, text = line["JournalEntryLineDetail"], line.get("Description", "")
        if "Payments – " in text and detail["PostingType"] == "Debit":
            tender = text.rsplit("– ", 1)[1]
            assert detail["AccountRef"]["name"] == groups.get(tender, "Undeposited Funds")
    classes = {row["FullyQualifiedName"] for row in summary.records("Class")}
    assert ORGANISATION in classes
    assert {c.split(":", 1)[0] for c in classes if ":" in c} == {ORGANISATION}
    program_lines = [line for e in ours(summary, "JournalEntry").values() for line in e["Line"]
                     if line["JournalEntryLineDetail"].get("ClassRef", {}).get("name", "")
                     .startswith(f"{ORGANISATION}:")]
    assert program_lines  # revenue carries the location's sub-class


def test_taxes_go_to_a_liability_per_rate_under_the_tax_parent(summary):
    accounts = {row["FullyQualifiedName"]: row for row in summary.records("Account")}
    rates = [name for name in accounts if name.startswith("Sales Tax Payable:Tax Rate - ")]
    assert rates and all(accounts[n]["AccountType"] == "Other Current Liability"
                         for n in rates)


def test_gift_cards_and_multipliers_move_through_holding_and_unapplied(summary):
    nets, (debits, credits) = summary.trial_balance()
    assert debits == credits
    assert "Gift Card Holding" in nets and "Unapplied Payments" in nets
    assert nets["Unapplied Payments"] < 0  # credited by redemptions and multipliers


def test_posted_days_are_never_rewritten_edits_become_adjustments(summary):
    entries = ours(summary, "JournalEntry")
    assert {e["SyncToken"] for e in entries.values()} == {"0"}
    adjustments = [e for key, e in entries.items() if key.startswith("je:adjust:")]
    assert adjustments and all(e["Adjustment"] is True for e in adjustments)
    assert summary.plan(EVERYTHING).operations == ()
