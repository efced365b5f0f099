"""The poster against the simulator over HTTP: failures, cancel, closed periods, recovery.

Each test posts through ``app.posting.post_period`` (tests/e2e/books.py) and asserts on
what QuickBooks holds when read back, and on the jobs the error log shows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from app.progress import Cancelled, CancelToken, PostProgress
from app.retrying import RetryRequest, retry_jobs
from app.sync.error_log import error_log
from app.sync.errors import ServerError
from app.sync.job_store import JobStore
from app.sync.posting_lock import PostingLocked, posting_lock
from app.sync.stamps import stamped_key
from app.sync.wire import wire_body
from tests.e2e.books import Books
from tests.e2e.demo import MONTHS, defaults_mapping, demo_dataset
from tests.sync.simulator_helpers import set_faults, write_requests

TIME_SCALE = 60.0
JANUARY = MONTHS[0]


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return demo_dataset(tmp_path_factory.mktemp("demo"), families=5, months=1)


@pytest.fixture
def simulator() -> Iterator[Any]:
    from app.simulator import SandboxServer

    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def make_books(tmp_path, simulator, demo, style: str = "detailed") -> Books:
    books = Books(tmp_path / "home", simulator, defaults_mapping(style), TIME_SCALE)
    books.load(demo)
    return books


def keys_in_quickbooks(books: Books, entity: str) -> list[str]:
    return [key for row in books.records(entity) if (key := stamped_key(entity, row))]


def test_a_refused_record_blocks_only_what_depends_on_it_then_retry_finishes(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo)
    family = next(o for o in books.plan(JANUARY).operations
                  if o.entity == "Customer" and "ParentRef" not in o.payload)
    # Someone typed a customer with the very name Ledgerbridge will use: QuickBooks refuses
    # a second one (6240), so the family, its children, invoices and payments cannot go.
    stranger = books.client.create("Customer", {"DisplayName": family.payload["DisplayName"]},
                                   request_id="typed-by-hand")
    report = books.post(JANUARY)
    assert report.exit_code == 1
    summary = report.summary
    assert summary is not None and summary.failed == 1 and summary.blocked >= 2
    assert [key for key, _ in summary.failures] == [family.key]
    rows = error_log(books.database, books.company_id)
    failed = [r for r in rows if r.status == "failed"]
    assert [r.record for r in failed] == [family.key] and failed[0].error_code == "6240"
    assert "already uses this name" in failed[0].explanation
    blocked = [r for r in rows if r.status == "blocked"]
    assert blocked and all(family.key in r.message for r in blocked)
    assert not {r.record for r in blocked} & set(keys_in_quickbooks(books, "Invoice"))
    posted_everything_else = books.plan(JANUARY).operations
    assert {o.key for o in posted_everything_else} == {family.key} | {r.record for r in blocked}

    books.client.update("Customer", {"Id": stranger["Id"], "SyncToken": stranger["SyncToken"],
                                     "DisplayName": "Typed by hand"}, request_id="rename")
    retried = retry_jobs(books.database, books.company_id, books.company_name, books._client,
                         RetryRequest(), _options())
    assert retried.exit_code == 0 and retried.summary is not None
    assert retried.summary.posted == 1 + len(blocked)
    assert books.plan(JANUARY).operations == ()
    before = write_requests(simulator.info)
    assert books.post(JANUARY).summary.total == 0  # type: ignore[union-attr]
    assert write_requests(simulator.info) == before


def test_cancel_leaves_the_rest_unsent_and_the_next_post_completes_it_once(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo)
    planned = len(books.plan(JANUARY).operations)
    cancel = CancelToken()

    def progress(state: PostProgress) -> None:
        if state.done >= 5:
            cancel.cancel()

    report = books.post(JANUARY, progress=progress, cancel=cancel, workers=1)
    summary = report.summary
    assert summary is not None and summary.was_cancelled and report.run_status == "cancelled"
    assert summary.cancelled > 0 and summary.posted < planned
    assert report.exit_code == 1
    unsent = error_log(books.database, books.company_id, statuses=("cancelled",))
    assert len(unsent) == summary.cancelled and "next post sends it" in unsent[0].message
    again = books.post(JANUARY)
    assert again.exit_code == 0 and again.summary is not None
    assert summary.posted + summary.adopted + again.summary.posted + again.summary.adopted \
        == planned
    for entity in ("Customer", "Invoice", "Payment"):
        keys = keys_in_quickbooks(books, entity)
        assert len(keys) == len(set(keys)), f"a {entity} was created twice"


def test_the_closing_date_holds_records_until_it_moves(tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "summary")
    simulator.set_closing_date("2025-01-31")  # the go-live entry is dated the 31st
    report = books.post(JANUARY)
    assert report.exit_code == 1 and report.decision.held
    held = error_log(books.database, books.company_id, statuses=("held",))
    assert {r.record for r in held} == set(report.decision.held)
    assert all(r.txn_date is not None and r.txn_date <= JANUARY.end for r in held)
    assert "books are closed" in held[0].explanation and "closing date" in held[0].fix
    assert not set(report.decision.held) & set(keys_in_quickbooks(books, "JournalEntry"))

    simulator.set_closing_date(None)
    later = books.post(JANUARY)
    assert later.exit_code == 0 and later.summary is not None
    assert later.summary.posted == len(report.decision.held)
    assert set(report.decision.held) <= set(keys_in_quickbooks(books, "JournalEntry"))


def test_redate_posts_on_the_first_open_day_with_a_memo_and_is_not_planned_again(
        tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "summary")
    simulator.set_closing_date("2025-01-31")
    report = books.post(JANUARY, closed_period="redate")
    assert report.exit_code == 0 and report.decision.overrides and not report.decision.held
    redated = {row["PrivateNote"].split()[1]: row for row in books.records("JournalEntry")
               if "re-dated from" in str(row.get("PrivateNote"))}
    assert set(redated) == set(report.decision.overrides)
    assert {row["TxnDate"] for row in redated.values()} == {"2025-02-01"}
    assert books.plan(JANUARY).operations == ()  # the ledger keeps the entry as planned


def test_a_write_left_in_doubt_is_looked_up_and_adopted_not_sent_again(
        tmp_path, simulator, demo):
    """As after a kill: the job was committed 'sending', the create reached QuickBooks,
    the answer never came back. The next post finds the record by its key."""
    books = make_books(tmp_path, simulator, demo, "summary")
    operations = books.plan(JANUARY).operations
    store = JobStore(books.database, books.company_id)
    run_id = store.start_run("post", JANUARY)
    jobs = store.enqueue(run_id, operations)
    accounts = [o for o in operations if o.entity == "Account"]
    landed, lost = accounts[0], accounts[1]
    store.mark_sending([jobs[landed.idempotency_key].id, jobs[lost.idempotency_key].id])
    books.client.create("Account", wire_body(landed, lambda key: "unused"),
                        request_id="answer-lost")
    report = books.post(JANUARY)
    assert report.recovery.adopted == [landed.key] and report.recovery.to_send == [lost.key]
    assert report.exit_code == 0
    names = [row["FullyQualifiedName"] for row in books.records("Account")]
    assert names.count(landed.key.split(":", 1)[1]) == 1
    assert names.count(lost.key.split(":", 1)[1]) == 1
    manifest = store.run_counts(run_id)
    assert manifest.get("adopted") == 1


def test_a_second_poster_on_the_company_stops_at_once(tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "summary")
    with posting_lock(books.database, books.company_id, books.company_name):
        started = time.monotonic()
        with pytest.raises(PostingLocked, match="already running"):
            books.post(JANUARY)
        assert time.monotonic() - started < 5
    assert write_requests(simulator.info) == 0


def test_cancel_cuts_a_retry_back_off_short(tmp_path, simulator, demo):
    books = make_books(tmp_path, simulator, demo, "summary")
    set_faults(simulator, http_503=1.0)
    cancel = CancelToken()
    client = books.client.interruptible(cancel)
    client.retry = client.retry.scaled(1.0)  # waits of seconds, not milliseconds
    failure: list[BaseException] = []

    def query() -> None:
        try:
            client.query("SELECT * FROM Account")
        except (Cancelled, ServerError) as exc:
            failure.append(exc)

    worker = threading.Thread(target=query)
    worker.start()
    time.sleep(0.3)
    started = time.monotonic()
    cancel.cancel()
    worker.join(5)
    assert not worker.is_alive() and time.monotonic() - started < 1.0
    assert isinstance(failure[0], Cancelled)


def _options():  # type: ignore[no-untyped-def]
    from app.posting import PostOptions

    return PostOptions(None)




def test_a_stale_synctoken_is_read_again_and_the_update_sent_under_a_new_requestid(
        tmp_path, simulator, demo, monkeypatch):
    """QuickBooks refuses an update whose SyncToken moved (5010) and would replay that
    refusal to the same requestid: the re-send reads the token again under a new one."""
    import dataclasses
    from decimal import Decimal

    from app.domain.dataset import Dataset
    from app.sync import chunk_sender

    books = make_books(tmp_path, simulator, demo)
    assert books.post(JANUARY).exit_code == 0
    invoices = {stamped_key("Invoice", r): r for r in books.records("Invoice")}
    changed_later = {c.order_id for c in demo.charges if c.status == "removed"}
    key, unpaid = next((k, r) for k, r in invoices.items() if Decimal(str(r["Balance"])) > 0
                       and k.split(":")[2] not in changed_later)
    order = key.split(":")[2]
    base = next(c for c in demo.charges if c.order_id == order
                and key.endswith(c.participant_id if ":participant:" in key else ""))
    extra = dataclasses.replace(base, charge_id=f"{base.charge_id}-X", amount=Decimal("15"),
                                unit_price=Decimal("15"), tax_amount=None, tax_rate_id=None)
    books.load(Dataset.from_records([*demo.all_records(), extra]))
    real = chunk_sender.ChunkSender._current_records
    staled: list[str] = []

    def stale_once(self, chunk, ledger):  # type: ignore[no-untyped-def]
        found = real(self, chunk, ledger)
        if not staled and found:
            staled.extend(found)
            found = {k: {**row, "SyncToken": str(int(row["SyncToken"]) + 7)}
                     for k, row in found.items()}
        return found

    monkeypatch.setattr(chunk_sender.ChunkSender, "_current_records", stale_once)
    report = books.post(JANUARY)
    assert staled == [key]
    assert report.exit_code == 0, report.as_dict()
    assert Decimal(str(books.client.read("Invoice", unpaid["Id"])["TotalAmt"])) == \
        Decimal(str(unpaid["TotalAmt"])) + 15


def test_a_change_in_doubt_to_a_record_deleted_in_quickbooks_is_reported_not_fatal(
        tmp_path, simulator, demo):
    """An update was in flight when the process died, and the record was then deleted in
    QuickBooks: recovery reports the job failed (deleted) and the post goes on."""
    from app.plan.operations import Operation

    books = make_books(tmp_path, simulator, demo)
    assert books.post(JANUARY).exit_code == 0
    payment = books.records("Payment")[0]
    key = stamped_key("Payment", payment)
    store = JobStore(books.database, books.company_id)
    run_id = store.start_run("post", JANUARY)
    change = Operation("update", "Payment", str(key), {"PaymentRefNum": "X"}, "Payment X")
    ref = store.enqueue(run_id, [change])[change.idempotency_key]
    store.mark_sending([ref.id])
    store.finish_run(run_id, "interrupted")
    books.client.delete("Payment", payment["Id"], payment["SyncToken"], request_id="gone")

    report = books.post(JANUARY)
    assert report.recovery.gone == [key] and report.exit_code == 1
    [row] = error_log(books.database, books.company_id, statuses=("failed",))
    assert row.record == key and "deleted in QuickBooks" in row.message
    assert "resync" in row.fix
    assert books.post(JANUARY).recovery.gone == []  # settled once, not again
