"""End to end over real HTTP: the accounting rules of docs/accounting-detailed.md §2.9,
§2.16 and §2.17, read back from QuickBooks (the simulator), not only from the plan.

Each test runs a small, hand-written history month by month through the app's own post
(``tests/e2e/books.py``: stored records and mapping, ``app.posting.post_period``), checks
that a second post sends nothing; then it queries what QuickBooks holds — the invoices,
credit memos, payments and journal entries, and the TrialBalance — and checks them
against the rule and against the previews summed over the runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from app.accounting.preview import Preview
from app.domain.dataset import Dataset
from app.domain.records import Program
from app.mapping.config import MappingConfig
from app.models.jobs import Job
from app.plan.plan import Period
from tests.accounting.detailed.helpers import base_records, charge, payment, refund
from tests.e2e.books import Books
from tests.sync.simulator_helpers import write_requests

TIME_SCALE = 60.0
D = Decimal
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
APRIL = Period(date(2026, 4, 1), date(2026, 4, 30))
JULY = Period(date(2026, 7, 1), date(2026, 7, 31))
AUGUST = Period(date(2026, 8, 1), date(2026, 8, 31))
GIFT = Program("GC1", "Gift Card", "Gift Cards", None, D("40.00"), kind="gift_card")


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture
def books(tmp_path, simulator) -> Iterator[Books]:
    mapping = MappingConfig(style="detailed", organisation_class="Riverside Swim",
                            create_missing=True)
    books = Books(tmp_path / "home", simulator, mapping, TIME_SCALE)
    yield books
    books.close()


def run(books: Books, records: list[Any], period: Period, **options: Any) -> Preview:
    """Load the history as it stands, post the period; a second post sends nothing."""
    if options:
        books.set_mapping(MappingConfig(style="detailed", organisation_class="Riverside Swim",
                                        create_missing=True, **options))
    books.load(Dataset.from_records([*base_records(), GIFT, *records]))
    report = books.post(period)
    assert report.exit_code == 0, report.as_dict()
    assert report.preview is not None and report.preview.balanced
    before = write_requests(books.simulator.info)
    assert books.post(period).summary.total == 0  # type: ignore[union-attr]
    assert write_requests(books.simulator.info) == before
    return report.preview


def books_in_quickbooks(books: Books, plans: list[Preview]) -> dict[str, Decimal]:
    """Debit minus credit per account from QuickBooks' TrialBalance, checked against the
    previews' debits and credits summed over the runs."""
    report = books.client.report("TrialBalance", end_date="2026-12-31",
                                  accounting_method="Accrual")
    nets: dict[str, Decimal] = {}
    for row in report["Rows"]["Row"]:
        if "Summary" in row:
            cells = row["Summary"]["ColData"]
            assert D(cells[1]["value"]) == D(cells[2]["value"])
            continue
        name, debit, credit = (cell["value"] for cell in row["ColData"])
        nets[name] = D(debit or 0) - D(credit or 0)
    previews: dict[str, Decimal] = {}
    for preview in plans:
        for total in preview.totals:
            previews[total.account] = previews.get(total.account, D(0)) + total.net
    assert nets == {account: net for account, net in previews.items() if net}
    return nets


def read(books: Books, entity: str, doc_number: str) -> dict[str, Any]:
    [record] = books.client.query(f"SELECT * FROM {entity} WHERE DocNumber = '{doc_number}'")
    return record


def sales_lines(record: dict[str, Any]) -> list[tuple[str, Decimal]]:
    return [(line["Description"], D(str(line["Amount"]))) for line in record["Line"]
            if line.get("DetailType") == "SalesItemLineDetail"]


def test_a_swap_on_a_paid_invoice_reaches_quickbooks_as_two_documents_per_charge(books):
    """§2.9: Ava's paid swim X1 (100.00 + 5.00 tax) swapped for swim X4 (80.00 + 4.00) on
    the same program and class: QuickBooks holds a credit memo for X1 and a supplemental
    invoice for X4, the paid invoice untouched — not one netted 21.00 credit memo."""
    swim = charge("X1", "O1", "100.00", date(2026, 3, 3), tax="5.00")
    paid = payment("PA1", "O1", "105.00", date(2026, 3, 4))
    plans = [run(books, [swim, paid], MARCH)]
    removed = charge("X1", "O1", "100.00", date(2026, 3, 3), tax="5.00", status="removed",
                     removed_date=date(2026, 4, 2))
    added = charge("X4", "O1", "80.00", date(2026, 4, 2), tax="4.00")
    plans.append(run(books, [removed, added, paid], APRIL))

    invoice = read(books, "Invoice", "O1")
    assert (invoice["SyncToken"], D(str(invoice["Balance"]))) == ("1", D(0))  # paid, as sent
    memo = read(books, "CreditMemo", "O1-C1")
    assert sales_lines(memo) == [("Swim Level 1 (cart line X1)", D("100.00")),
                                 ("Sales tax County (cart line X1)", D("5.00"))]
    supplement = read(books, "Invoice", "O1-S1")
    assert sales_lines(supplement) == [("Swim Level 1 (cart line X4)", D("80.00")),
                                       ("Sales tax County (cart line X4)", D("4.00"))]
    assert len(books.client.query("SELECT * FROM CreditMemo")) == 1
    assert books_in_quickbooks(books, plans) == {
        "Undeposited Funds": D("105.00"), "Accounts Receivable (A/R)": D("-21.00"),
        "Swim": D("-80.00"), "Sales Tax Payable:Tax Rate - County T1": D("-4.00")}


def test_a_posted_recognition_is_adjusted_in_quickbooks_never_rewritten(books):
    """§2.16: swim 100 + camp 200 (deferred, starts 1 July) paid; 100 refunded in March,
    spread (66.67 on the camp's deferred item). July recognises 133.33. On 5 August the
    swim is removed — the refund was for it: QuickBooks gets R1-RX and CA1-DEF-A1, both
    dated 5 August; CA1-DEF is still the entry sent in July (SyncToken 0)."""
    swim, camp = (charge("X1", "O1", "100.00", date(2026, 3, 3)),
                  charge("X2", "O1", "200.00", date(2026, 3, 3), program="CA1"))
    rest = [payment("PA1", "O1", "300.00", date(2026, 3, 4)),
            refund("R1", "PA1", "100.00", date(2026, 3, 20))]
    options = {"deferred_revenue": True}
    plans = [run(books, [swim, camp, *rest], period, **options) for period in (MARCH, JULY)]
    removed = charge("X1", "O1", "100.00", date(2026, 3, 3), status="removed",
                     removed_date=date(2026, 8, 5))
    plans.append(run(books, [removed, camp, *rest], AUGUST, **options))
    with books.database.session() as session:
        rewrites = session.scalars(select(Job.ledger_key).where(
            Job.entity_type == "JournalEntry", Job.operation != "create")).all()
    assert rewrites == []

    recognition = read(books, "JournalEntry", "CA1-DEF")
    assert (recognition["TxnDate"], recognition["SyncToken"]) == ("2026-07-01", "0")
    assert [D(str(line["Amount"])) for line in recognition["Line"]] == [D("133.33")] * 2
    adjustment = read(books, "JournalEntry", "CA1-DEF-A1")
    assert adjustment["TxnDate"] == "2026-08-05" and adjustment["Adjustment"] is True
    assert "Adjustment to CA1-DEF" in adjustment["PrivateNote"]
    assert [(line["JournalEntryLineDetail"]["PostingType"], D(str(line["Amount"])))
            for line in adjustment["Line"]] == [("Debit", D("66.67")), ("Credit", D("66.67"))]
    assert read(books, "JournalEntry", "R1-RX")["TxnDate"] == "2026-08-05"
    assert books_in_quickbooks(books, plans) == {"Undeposited Funds": D("200.00"),
                                                   "Camp": D("-200.00")}


def test_a_gift_card_redemption_reaches_quickbooks_as_an_applied_credit_memo(books):
    """§2.17: a 40.00 gift card sold (Gift Card Holding), then spent on Ava's 100.00 swim
    with 60.00 by card. QuickBooks holds credit memo PA1-GC on the gift card item, fully
    applied to invoice O1 by a 0.00 payment; income is the swim's 100.00 once."""
    records = [charge("G1-1", "G1", "40.00", date(2026, 3, 2), program="GC1"),
               payment("PG", "G1", "40.00", date(2026, 3, 2)),
               charge("X1", "O1", "100.00", date(2026, 3, 3)),
               payment("PA1", "O1", "40.00", date(2026, 3, 5), tender="gift_card"),
               payment("PA2", "O1", "60.00", date(2026, 3, 6))]
    plans = [run(books, records, MARCH)]

    [item] = books.client.query("SELECT * FROM Item WHERE Name = 'Gift Card'")
    holding = books.client.read("Account", item["IncomeAccountRef"]["value"])
    assert (holding["Name"], holding["AccountType"]) == ("Gift Card Holding",
                                                          "Other Current Liability")
    memo = read(books, "CreditMemo", "PA1-GC")
    assert sales_lines(memo) == [("Gift card redeemed (payment PA1)", D("40.00"))]
    assert D(str(memo["RemainingCredit"])) == 0
    invoice = read(books, "Invoice", "O1")
    assert D(str(invoice["Balance"])) == 0
    [zero] = [p for p in books.client.query("SELECT * FROM Payment")
              if D(str(p["TotalAmt"])) == 0]
    assert zero["CustomerRef"]["value"] == invoice["CustomerRef"]["value"]
    assert sorted((link["TxnType"], link["TxnId"], D(str(line["Amount"])))
                  for line in zero["Line"] for link in line["LinkedTxn"]) == [
        ("CreditMemo", memo["Id"], D("40.00")), ("Invoice", invoice["Id"], D("40.00"))]
    nets = books_in_quickbooks(books, plans)
    assert nets == {"Undeposited Funds": D("100.00"), "Swim": D("-100.00")}
    assert "Gift Cards" not in nets and "Gift Card Holding" not in nets  # spent: 0.00
