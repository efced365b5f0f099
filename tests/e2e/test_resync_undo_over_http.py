"""Resync and undo over HTTP, checked on what QuickBooks holds (issue 10 acceptance).

Resync: after the local database is lost, a fresh one resyncs from QuickBooks and the
next post sends nothing; with half the records deleted in QuickBooks, only those are
created again. Undo: QuickBooks' trial balance returns to what it was before the run;
in a closed period a reversing entry nets the books to zero; undoing twice changes
nothing; posting again restores the month exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from decimal import Decimal
from typing import Any

import pytest

from app.domain.dataset import Dataset
from app.plan.plan import Period
from app.posting import PostOptions
from app.reconciliation import reconcile
from app.resync import resync
from app.sync.stamps import stamped_key
from app.undoing import undo_run
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset
from tests.sync.simulator_helpers import write_requests

TIME_SCALE = 60.0
JANUARY, FEBRUARY = MONTHS[0], MONTHS[1]
ENTITIES = ("Account", "Class", "Item", "Customer", "Invoice", "Payment", "CreditMemo",
            "RefundReceipt", "JournalEntry")
STYLES = [("summary", {}), ("detailed", {"deferred_revenue": True})]


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Dataset:
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=8, months=2)


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture
def lost_and_new() -> Iterator[str | None]:
    """A database apart from the test's own: the "new" one after the first was lost (on
    the whole-suite PostgreSQL run every test shares one schema unless given another)."""
    from tests.pg_schema import all_on_postgres, fresh_schema, postgres_url

    if not all_on_postgres():
        yield None
        return
    with fresh_schema(postgres_url() or "") as url:
        yield url


def make_books(home, simulator, demo, style: str, options: dict[str, Any],
               database_url: str | None = None) -> Books:
    books = Books(home, simulator, defaults_mapping(style, **options), TIME_SCALE,
                  database_url)
    books.load(demo)
    return books


def snapshot(books: Books) -> dict[tuple[str, str], tuple[str, str]]:
    """Every record QuickBooks holds: (entity, id) -> (SyncToken, active/status)."""
    found = {}
    for entity in ENTITIES:
        rows = books.records(entity)
        if entity in ("Account", "Class", "Item", "Customer"):
            rows += books.client.query(f"SELECT * FROM {entity} WHERE Active = false")
        for row in rows:
            found[(entity, str(row["Id"]))] = (str(row["SyncToken"]), str(row.get("Active")))
    return found


def do_resync(books: Books):  # type: ignore[no-untyped-def]
    return resync(books.database, books.company_id, books.company_name,
                  lambda: nullcontext(books.client))


def do_undo(books: Books, run_id: int):  # type: ignore[no-untyped-def]
    return undo_run(books.database, books.company_id, books.company_name,
                    lambda: nullcontext(books.client), run_id, PostOptions(None))


@pytest.mark.parametrize("style, options", STYLES, ids=[s for s, _ in STYLES])
def test_a_lost_database_is_rebuilt_by_resync_and_the_next_post_sends_nothing(
        tmp_path, simulator, demo, style, options, lost_and_new):
    first = make_books(tmp_path / "first", simulator, demo, style, options)
    for month in (JANUARY, FEBRUARY):
        assert first.post(month).exit_code == 0
    before = snapshot(first)
    first.close()

    again = make_books(tmp_path / "again", simulator, demo, style, options, lost_and_new)
    report = do_resync(again)
    assert report.adopted and report.conflicts == [] and report.run_id is not None
    writes = write_requests(simulator.info)
    for month in (JANUARY, FEBRUARY):
        post = again.post(month)
        assert post.exit_code == 0 and post.summary is not None and post.summary.total == 0
    assert write_requests(simulator.info) == writes
    assert snapshot(again) == before
    assert again.plan(JANUARY).operations == ()


def test_a_resync_with_half_the_records_missing_creates_only_those(tmp_path, simulator, demo,
                                                                   lost_and_new):
    first = make_books(tmp_path / "first", simulator, demo, "detailed", {})
    assert first.post(JANUARY).exit_code == 0
    payments = [row for row in first.records("Payment")]
    gone = payments[::2]
    for row in gone:
        first.client.delete("Payment", row["Id"], row["SyncToken"], request_id=f"x{row['Id']}")
    gone_keys = {stamped_key("Payment", row) for row in gone}

    again = make_books(tmp_path / "again", simulator, demo, "detailed", {}, lost_and_new)
    report = do_resync(again)
    assert gone_keys <= set(report.missing)
    post = again.post(JANUARY)
    assert post.exit_code == 0 and post.summary is not None
    assert post.summary.posted == len(gone_keys)
    keys = [stamped_key("Payment", row) for row in again.records("Payment")]
    assert sorted(keys) == sorted({stamped_key("Payment", row) for row in payments})


@pytest.mark.parametrize("style, options", STYLES, ids=[s for s, _ in STYLES])
def test_undo_returns_the_books_to_before_the_run_twice_is_nothing_and_post_restores(
        tmp_path, simulator, demo, style, options):
    books = make_books(tmp_path, simulator, demo, style, options)
    assert books.post(JANUARY).exit_code == 0
    before_february = books.trial_balance()
    february = books.post(FEBRUARY)
    assert february.exit_code == 0 and february.run_id is not None
    after_february = books.trial_balance()
    assert after_february != before_february

    undone = do_undo(books, february.run_id)
    assert undone.exit_code == 0, undone.as_dict()
    assert books.trial_balance() == before_february
    writes = write_requests(simulator.info)
    twice = do_undo(books, february.run_id)
    assert twice.run_status == "nothing to undo" and write_requests(simulator.info) == writes

    again = books.post(FEBRUARY)
    assert again.exit_code == 0, again.as_dict()
    assert books.trial_balance() == after_february
    assert books.plan(FEBRUARY).operations == ()


def test_undo_in_a_period_closed_in_quickbooks_posts_reversing_entries(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "summary", {})
    posted = books.post(JANUARY)
    assert posted.exit_code == 0 and posted.run_id is not None
    simulator.set_closing_date("2025-01-31")
    entries_before = {stamped_key("JournalEntry", r) for r in books.records("JournalEntry")}
    undone = do_undo(books, posted.run_id)
    assert undone.exit_code == 0, undone.as_dict()
    entries = {stamped_key("JournalEntry", r): r for r in books.records("JournalEntry")}
    assert set(entries) > entries_before  # the originals stay, reversed by new entries
    reversing = [r for key, r in entries.items() if key and key.startswith("je:undo:")]
    assert reversing and all(r["TxnDate"] == "2025-02-01" for r in reversing)
    nets, (debits, credits) = books.trial_balance()
    assert debits == credits
    assert {account: net for account, net in nets.items() if net != Decimal(0)} == {}
    writes = write_requests(simulator.info)
    twice = do_undo(books, posted.run_id)  # nothing left to reverse: nothing sent
    assert twice.run_status == "nothing to undo" and write_requests(simulator.info) == writes
    keys = [stamped_key("JournalEntry", r) for r in books.records("JournalEntry")]
    assert len(keys) == len(set(keys))
    checked = reconcile(books.database, books.company_id, lambda: nullcontext(books.client),
                        Period(JANUARY.start, FEBRUARY.end))
    assert not checked.agrees  # the source still says January: the reversal is listed
    assert {c.change for c in checked.changed} == {"reversed by an undo"}
    simulator.set_closing_date(None)
    taken_back = do_undo(books, undone.run_id)  # the undo undone: reversals removed
    assert taken_back.exit_code == 0, taken_back.as_dict()
    assert reconcile(books.database, books.company_id, lambda: nullcontext(books.client),
                     JANUARY).agrees
    assert not [k for k in (stamped_key("JournalEntry", r) for r in books.records(
        "JournalEntry")) if k and k.startswith("je:undo:")]
    assert books.trial_balance("2025-02-28") == books.trial_balance("2025-01-31")


def test_a_record_deleted_in_quickbooks_leaves_the_ledger_on_resync_and_is_posted_again(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "detailed", {})
    assert books.post(JANUARY).exit_code == 0
    payment = books.records("Payment")[0]
    key = stamped_key("Payment", payment)
    books.client.delete("Payment", payment["Id"], payment["SyncToken"], request_id="by-hand")
    assert books.post(JANUARY).run_status == "nothing to send"  # the ledger still has it

    report = do_resync(books)
    assert report.gone == [key] and report.adopted == [] and report.run_id is not None
    again = books.post(JANUARY)
    assert again.exit_code == 0 and again.summary is not None and again.summary.posted == 1
    assert [stamped_key("Payment", r) for r in books.records("Payment")].count(key) == 1
    assert do_resync(books).run_id is None  # nothing left to fix: no run


def test_an_earlier_run_later_runs_build_on_is_refused_until_they_are_undone(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "detailed", {})
    january, february = books.post(JANUARY), books.post(FEBRUARY)
    assert january.run_id and february.run_id and february.exit_code == 0
    before = books.trial_balance("2024-12-31")
    with pytest.raises(ValueError, match=f"run {february.run_id}"):
        do_undo(books, january.run_id)
    assert do_undo(books, february.run_id).exit_code == 0
    assert do_undo(books, january.run_id).exit_code == 0
    assert books.trial_balance() == before
