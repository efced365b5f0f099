"""The poster against a scripted QuickBooks: what it does when it cannot know.

A real job store (the test's database) and ledger; the sender and the client's look-up
are scripted so that each case happens exactly once, whatever the timing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from app.config import resolve_paths
from app.models.company import active_company
from app.models.database import Database
from app.plan.operations import Operation
from app.progress import Cancelled
from app.sync.batch import BatchResult
from app.sync.errors import AuthError, NetworkError
from app.sync.job_store import IN_DOUBT, JobStore
from app.sync.ledger_writes import LiveLedger
from app.sync.poster import Poster


class LookupFails:
    """The client as the poster's look-up sees it: every search is refused."""

    def __init__(self) -> None:
        self.finds = 0

    def find(self, entity: str, lookup: Any) -> dict[str, Any] | None:
        self.finds += 1
        raise AuthError("message=AuthenticationFailed; errorCode=003200; statusCode=401",
                        code="3200", detail="Token expired", status=401)


class AnswerLost:
    """Every batch reaches QuickBooks and is written; the answer never comes back."""

    def __init__(self, client: LookupFails) -> None:
        self.client = client
        self.sent: list[list[str]] = []

    def interruptible(self, cancel: Any) -> AnswerLost:
        return self

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        self.sent.append([operation.key for operation in chunk])
        raise NetworkError("the connection closed after the request was sent",
                           outcome_unknown=True)


@pytest.fixture
def store(tmp_path) -> JobStore:
    database = Database.open(resolve_paths(tmp_path), url=f"sqlite:///{tmp_path / 'lb.db'}")
    with database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        company_id = company.id
    yield JobStore(database, company_id)
    database.close()


def invoice(number: int) -> Operation:
    key = f"invoice:order:A{number}"
    return Operation("create", "Invoice", key, {
        "CustomerRef": {"value": "1"}, "TxnDate": "2025-01-02", "DocNumber": f"A{number}",
        "PrivateNote": f"Ledgerbridge {key}",
        "Line": [{"DetailType": "SalesItemLineDetail", "Amount": "10.00",
                  "SalesItemLineDetail": {"ItemRef": {"value": "1"}}}]},
        f"Invoice A{number}")


def test_a_write_whose_answer_was_lost_is_not_sent_again_when_the_look_up_fails(store):
    """Not being able to look a record up is not finding it absent: sending it again
    (under a new batch requestid) would write it twice if the lost write had landed.
    The job is left in doubt for the next post's recovery, which looks it up first."""
    client = LookupFails()
    sender = AnswerLost(client)
    operations = [invoice(1), invoice(2)]
    run_id = store.start_run("post", None)
    jobs = store.enqueue(run_id, operations)

    summary = Poster(sender, store, LiveLedger()).post(run_id, operations, jobs)  # type: ignore[arg-type]

    assert sender.sent == [["invoice:order:A1", "invoice:order:A2"]]  # once, never again
    assert client.finds == 2
    assert summary.in_doubt == 2 and summary.posted == summary.failed == 0
    left = store.in_doubt()
    assert sorted(job.ledger_key for job in left) == ["invoice:order:A1", "invoice:order:A2"]
    assert {(job.status, job.error_kind) for job in left} == {("failed", IN_DOUBT)}
    assert all("looking it up failed" in (job.last_error_message or "") for job in left)


class NotFound:
    def __init__(self) -> None:
        self.finds = 0

    def find(self, entity: str, lookup: Any) -> dict[str, Any] | None:
        self.finds += 1
        return None


class FirstAnswersLost:
    """The first batches go unanswered (not written); later ones are answered."""

    def __init__(self, client: NotFound, lost: int) -> None:
        self.client = client
        self.lost = lost
        self.sent: list[list[str]] = []

    def interruptible(self, cancel: Any) -> FirstAnswersLost:
        return self

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        from app.sync.batch import BatchOperation

        self.sent.append([operation.key for operation in chunk])
        if len(self.sent) <= self.lost:
            raise NetworkError("no answer", outcome_unknown=True)
        return [BatchResult(BatchOperation("create", {}, op.entity),
                            entity={"Id": str(900 + n), "SyncToken": "0"})
                for n, op in enumerate(chunk)]


def test_records_sent_again_after_lost_answers_go_out_together_in_full_batches(store):
    """Looked up and not found after a lost answer: sent again, but batched (30 a
    request), not one per request — QuickBooks allows only 40 batch requests a minute."""
    sender = FirstAnswersLost(NotFound(), lost=2)
    operations = [invoice(n) for n in range(60)]
    run_id = store.start_run("post", None)
    jobs = store.enqueue(run_id, operations)

    summary = Poster(sender, store, LiveLedger(), workers=2).post(  # type: ignore[arg-type]
        run_id, operations, jobs)

    assert summary.posted == 60 and summary.failed == summary.in_doubt == 0
    assert [len(chunk) for chunk in sender.sent] == [30, 30, 30, 30]
    assert sender.client.finds == 120  # by DocNumber, then by date (a hand-typed entry)


class CancelledWhileWaiting:
    """Cancel is pressed while the request waits: for a rate slot (never sent), or to be
    sent again after an attempt whose answer was lost (it may have been written)."""

    def __init__(self, landed: bool) -> None:
        self.landed = landed
        self.client = NotFound()

    def interruptible(self, cancel: Any) -> CancelledWhileWaiting:
        self.cancel = cancel
        return self

    def send(self, chunk: Sequence[Operation], request_ids: Sequence[str], ledger: LiveLedger,
             overrides: Mapping[str, Mapping[str, Any]]) -> list[BatchResult]:
        self.cancel.cancel()
        error = Cancelled()
        error.may_have_landed = self.landed
        raise error


@pytest.mark.parametrize("landed", [False, True])
def test_a_cancel_in_a_wait_is_not_sent_unless_the_write_may_have_landed(store, landed):
    operations = [invoice(n) for n in range(3)]
    run_id = store.start_run("post", None)
    jobs = store.enqueue(run_id, operations)

    summary = Poster(CancelledWhileWaiting(landed), store, LiveLedger()).post(  # type: ignore[arg-type]
        run_id, operations, jobs)

    assert (summary.cancelled, summary.in_doubt) == ((0, 3) if landed else (3, 0))
    assert len(store.in_doubt()) == (3 if landed else 0)  # looked up by the next run
