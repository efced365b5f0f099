"""Locked months and QuickBooks' closing date over HTTP (issue 10: periods).

A change to a month locked in Ledgerbridge is posted as a labelled adjustment in the
first open period, in both styles, and the locked month's records stay as they were;
``--closed-period export`` holds the records and writes their journal lines.
"""

from __future__ import annotations

import csv
import dataclasses
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from app.domain.dataset import Dataset
from app.sync.error_log import error_log
from app.sync.periods import Month, lock
from app.sync.stamps import stamped_key
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset

TIME_SCALE = 60.0
JANUARY, FEBRUARY = MONTHS[0], MONTHS[1]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=8, months=2)


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def tokens(books: Books, entity: str) -> dict[str, str]:
    return {str(stamped_key(entity, r)): str(r["SyncToken"]) for r in books.records(entity)}


@pytest.mark.parametrize("style", ["summary", "detailed"])
def test_a_change_to_a_locked_month_is_an_adjustment_in_the_first_open_period(
        tmp_path, simulator, demo, style):
    books = Books(tmp_path, simulator, defaults_mapping(style), TIME_SCALE)
    books.load(demo)
    assert books.post(JANUARY).exit_code == 0
    lock(books.database, books.company_id, Month(2025, 1), "reported")
    before = {e: tokens(books, e) for e in ("Invoice", "Payment", "JournalEntry")}
    paid = next(p for p in demo.payments if p.date in JANUARY and p.status == "completed"
                and p.tender == "card")
    voided = dataclasses.replace(paid, status="voided")
    changed = Dataset.from_records([voided if r is paid else r for r in demo.all_records()])
    books.load(changed)
    report = books.post(FEBRUARY)
    assert report.exit_code == 0, report.as_dict()
    assert report.preview is not None and report.preview.operations
    for entity, known in before.items():  # nothing of January was rewritten
        now = tokens(books, entity)
        assert {k: v for k, v in now.items() if k in known} == known or entity == "Invoice"
    adjustments = [r for r in books.records("JournalEntry")
                   if r.get("Adjustment") and r["TxnDate"] >= FEBRUARY.start.isoformat()]
    payments = {stamped_key("Payment", r): r for r in books.records("Payment")}
    if style == "summary":
        assert adjustments and all("LB-A" in r["DocNumber"] for r in adjustments)
    else:  # the payment dated in the locked month is not voided there: reversed in February
        assert payments[f"payment:{paid.payment_id}"]["TotalAmt"] == paid.amount
        entries = {stamped_key("JournalEntry", r): r for r in books.records("JournalEntry")}
        reversal = entries[f"je:payment_reversal:{paid.payment_id}"]
        assert reversal["TxnDate"] >= FEBRUARY.start.isoformat()
    _nets, (debits, credits) = books.trial_balance()
    assert debits == credits


def test_export_holds_the_closed_period_and_writes_balanced_lines_with_stamps(
        tmp_path, simulator, demo):
    books = Books(tmp_path, simulator, defaults_mapping("summary"), TIME_SCALE)
    books.load(demo)
    simulator.set_closing_date("2025-01-31")
    path = tmp_path / "for-the-accountant.csv"
    report = books.post(JANUARY, closed_period="export", export_file=path)
    assert report.decision.held and report.exit_code == 1
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert {r["key"] for r in rows} == set(report.decision.held)
    for key in report.decision.held:
        mine = [r for r in rows if r["key"] == key]
        assert sum(Decimal(r["debit"]) for r in mine) == sum(Decimal(r["credit"]) for r in mine)
        assert all(r["memo"].startswith(f"Ledgerbridge {key}") for r in mine)
    held = error_log(books.database, books.company_id, statuses=("held",))
    assert {r.record for r in held} == set(report.decision.held)
    assert "exported for the accountant" in held[0].message


def test_an_exported_record_entered_by_hand_with_its_stamp_is_adopted_not_posted_twice(
        tmp_path, simulator, demo):
    """The accountant types the exported lines into QuickBooks with the memo given; when
    the closing date moves, the next post finds that entry and keeps it."""
    books = Books(tmp_path, simulator, defaults_mapping("summary"), TIME_SCALE)
    books.load(demo)
    simulator.set_closing_date("2025-01-31")
    path = tmp_path / "lines.csv"
    first = books.post(JANUARY, closed_period="export", export_file=path)
    [key] = [k for k in first.decision.held if k.startswith("je:summary")]
    rows = [r for r in csv.DictReader(path.open(encoding="utf-8")) if r["key"] == key]
    accounts = {a["FullyQualifiedName"]: a["Id"] for a in books.records("Account")}
    classes = {c["FullyQualifiedName"]: c["Id"] for c in books.records("Class")}

    def line(row: dict[str, str]) -> dict[str, Any]:
        debit = Decimal(row["debit"])
        detail: dict[str, Any] = {"PostingType": "Debit" if debit else "Credit",
                                  "AccountRef": {"value": accounts[row["account"]]}}
        if row["class"]:
            detail["ClassRef"] = {"value": classes[row["class"]]}
        return {"Amount": debit or Decimal(row["credit"]), "DetailType":
                "JournalEntryLineDetail", "JournalEntryLineDetail": detail}

    simulator.set_closing_date(None)  # the accountant works on the website, past the date
    books.client.create("JournalEntry", {"TxnDate": rows[0]["date"], "PrivateNote":
                                         rows[0]["memo"], "Line": [line(r) for r in rows]},
                        request_id="by-the-accountant")
    later = books.post(JANUARY)
    assert later.exit_code == 0 and later.duplicates == []
    assert later.summary is not None and later.summary.adopted >= 1
    keys = [stamped_key("JournalEntry", r) for r in books.records("JournalEntry")]
    assert keys.count(key) == 1
