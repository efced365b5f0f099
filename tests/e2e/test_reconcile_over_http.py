"""Reconciliation over HTTP: clean after posting; every kind of change in QuickBooks found.

QuickBooks is changed behind Ledgerbridge's back (an invoice amount edited, a payment
deleted, an invoice voided, a foreign record carrying a Ledgerbridge key); reconcile
reports each and exits 1; a later post that would change the edited invoice holds it
with a warning, and replaces the edit only when the bookkeeper names it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

import pytest

from app.domain.dataset import Dataset
from app.reconciliation import reconcile
from app.sync.error_log import error_log
from app.sync.stamps import stamped_key
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset

TIME_SCALE = 60.0
JANUARY = MONTHS[0]
D = Decimal


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=8, months=1)


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def posted(tmp_path, simulator, demo, style: str) -> Books:
    books = Books(tmp_path / style, simulator, defaults_mapping(style), TIME_SCALE)
    books.load(demo)
    assert books.post(JANUARY).exit_code == 0
    return books


def check(books: Books):  # type: ignore[no-untyped-def]
    return reconcile(books.database, books.company_id, lambda: nullcontext(books.client),
                     JANUARY)


@pytest.mark.parametrize("style", ["summary", "detailed"])
def test_reconcile_is_clean_after_posting(tmp_path, simulator, demo, style):
    books = posted(tmp_path, simulator, demo, style)
    result = check(books)
    assert result.agrees, result.as_text()
    assert result.records_checked > 0 and result.lines
    assert all(line.source == line.quickbooks for line in result.lines)
    nets, _totals = books.trial_balance("2025-01-31")
    by_account: dict[str, Decimal] = {}
    for line in result.lines:
        by_account[line.account] = by_account.get(line.account, D(0)) + line.quickbooks
    assert {a: n for a, n in by_account.items() if n} == nets  # all of QBO's books are ours


def test_every_change_made_in_quickbooks_is_reported_and_never_overwritten_unasked(
        tmp_path, simulator, demo):
    books = posted(tmp_path, simulator, demo, "detailed")
    client = books.client
    invoices = {stamped_key("Invoice", r): r for r in books.records("Invoice")}
    payments = {stamped_key("Payment", r): r for r in books.records("Payment")}
    open_invoice = next(r for r in invoices.values() if D(str(r["Balance"])) > 0
                        and D(str(r["Balance"])) < D(str(r["TotalAmt"])))
    unpaid = next(r for r in invoices.values() if D(str(r["Balance"])) == D(str(r["TotalAmt"]))
                  > 0 and r["Id"] != open_invoice["Id"])
    paying = {link["TxnId"] for p in payments.values() for line in p["Line"]
              for link in line["LinkedTxn"]}
    lone_payment_key, lone_payment = next(
        (k, p) for k, p in payments.items()
        if not any(link["TxnId"] in (open_invoice["Id"], unpaid["Id"])
                   for line in p["Line"] for link in line["LinkedTxn"]))
    assert unpaid["Id"] not in paying

    # 1. an amount edited by hand on the open invoice
    lines = [dict(line) for line in open_invoice["Line"] if line["DetailType"] ==
             "SalesItemLineDetail"]
    lines[0]["Amount"] = D(str(lines[0]["Amount"])) - D("10.00")
    lines[0]["SalesItemLineDetail"] = {**lines[0]["SalesItemLineDetail"],
                                       "UnitPrice": lines[0]["Amount"], "Qty": 1}
    client.update("Invoice", {"Id": open_invoice["Id"], "SyncToken": open_invoice["SyncToken"],
                              "Line": lines}, request_id="hand-edit")
    # 2. a payment deleted, 3. an invoice voided, 4. a foreign record with a Ledgerbridge key
    client.delete("Payment", lone_payment["Id"], lone_payment["SyncToken"], request_id="del")
    client.void("Invoice", unpaid["Id"], unpaid["SyncToken"], request_id="void")
    accounts = {a["Name"]: a["Id"] for a in client.query("SELECT * FROM Account")}
    client.create("JournalEntry", {
        "TxnDate": "2025-01-20", "PrivateNote": "Ledgerbridge je:summary:2025-01-20 | copied",
        "Line": [_je_line("Debit", accounts["Undeposited Funds"]),
                 _je_line("Credit", accounts["Services"])]}, request_id="foreign")

    result = check(books)
    assert not result.agrees and result.differences
    kinds = {(c.change, c.key) for c in result.changed}
    open_key = stamped_key("Invoice", open_invoice)
    assert ("edited", open_key) in kinds
    assert ("deleted", lone_payment_key) in kinds
    assert ("voided", stamped_key("Invoice", unpaid)) in kinds
    assert ("unknown key", "je:summary:2025-01-20") in kinds
    edited = next(c for c in result.changed if c.key == open_key)
    assert any(d.startswith("total ") for d in edited.details)

    # A source change that would update the edited invoice: held, the hand edit kept.
    order = open_key.split(":")[2]  # invoice:order:<order>[:participant:<id>]
    base = next(c for c in demo.charges if c.order_id == order
                and open_key.endswith(c.participant_id if ":participant:" in open_key else ""))
    extra = dataclasses.replace(base, charge_id=f"{base.charge_id}-X", amount=D("15.00"),
                                unit_price=D("15.00"), tax_amount=None, tax_rate_id=None)
    books.load(Dataset.from_records([*demo.all_records(), extra]))
    report = books.post(JANUARY)
    assert report.exit_code == 1 and report.summary is not None
    held = error_log(books.database, books.company_id, statuses=("held",))
    assert [r.record for r in held] == [open_key]
    assert "changed in QuickBooks" in held[0].message and "--overwrite-edited" in held[0].fix
    hand = client.read("Invoice", open_invoice["Id"])
    assert D(str(hand["TotalAmt"])) == D(str(open_invoice["TotalAmt"])) - D("10.00")

    chosen = books.post(JANUARY, overwrite_edited=frozenset({open_key}))
    assert chosen.exit_code == 0, chosen.as_dict()
    replaced = client.read("Invoice", open_invoice["Id"])
    assert D(str(replaced["TotalAmt"])) == D(str(open_invoice["TotalAmt"])) + D("15.00")


def _je_line(kind: str, account: str) -> dict[str, Any]:
    return {"Amount": D("5.00"), "DetailType": "JournalEntryLineDetail",
            "JournalEntryLineDetail": {"PostingType": kind, "AccountRef": {"value": account}}}
