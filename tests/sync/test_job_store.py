"""Jobs own each request: reused for the same change, superseded by a new one."""

from __future__ import annotations

import csv
from decimal import Decimal

import pytest

from app.config import resolve_paths
from app.models.company import Company
from app.models.database import Database
from app.models.jobs import Job
from app.plan.operations import Operation
from app.sync.error_log import error_log, write_csv
from app.sync.job_store import Completion, JobStore, Outcome
from app.sync.ledger_writes import LiveLedger, record_after


@pytest.fixture
def store(tmp_path) -> JobStore:
    database = Database.open(resolve_paths(tmp_path))
    with database.session() as session:
        company = Company(name="Riverside", environment="local")
        session.add(company)
        session.flush()
        company_id = company.id
    return JobStore(database, company_id)


def invoice(amount: str) -> Operation:
    return Operation("create", "Invoice", "invoice:order:A1",
                     {"DocNumber": "A1", "Line": [{"Amount": Decimal(amount)}]},
                     "Invoice A1", txn_date=None, amount=Decimal(amount))


def test_the_same_change_reuses_its_job_and_a_new_plan_supersedes_the_old(store):
    run = store.start_run("post", None)
    first = store.enqueue(run, [invoice("10.00")])[invoice("10.00").idempotency_key]
    store.settle(run, [Outcome(first.id, "failed", "refused", code="6000", kind="validation")])
    again = store.enqueue(store.start_run("post", None), [invoice("10.00")])
    reused = again[invoice("10.00").idempotency_key]
    assert reused.id == first.id
    assert reused.request_id != first.request_id  # QBO would replay its first refusal

    store.enqueue(store.start_run("post", None), [invoice("12.00")])
    [old] = store.jobs([first.id])
    assert old.status == "skipped" and "newer plan" in (old.last_error_message or "")


def test_a_completion_writes_the_ledger_the_job_and_the_manifest_together(store):
    run = store.start_run("post", None)
    operation = invoice("10.00")
    ref = store.enqueue(run, [operation])[operation.idempotency_key]
    store.mark_sending([ref.id])
    assert [job.id for job in store.in_doubt()] == [ref.id]
    after = record_after(operation, {"Id": "71", "SyncToken": "0"}, None)
    store.complete(run, [Completion(ref.id, operation, None, after)])
    assert store.in_doubt() == []
    with store.database.session() as session:
        ledger = LiveLedger.load(session, store.company_id)
    record = ledger.get(operation.key)
    assert record is not None and record.qbo_id == "71" and record.doc_number == "A1"
    assert record.payload["Line"][0]["Amount"] == Decimal("10.00")
    assert store.run_counts(run) == {"posted": 1}
    assert store.finish_run(run, "finished") == {"posted": 1}


def test_the_error_log_explains_and_its_csv_cannot_run_formulas(store, tmp_path):
    run = store.start_run("post", None)
    operation = invoice("10.00")
    ref = store.enqueue(run, [operation])[operation.idempotency_key]
    store.settle(run, [Outcome(ref.id, "failed", "=HYPERLINK(\"http://x\")", code="6240",
                               kind="duplicate")])
    [row] = error_log(store.database, store.company_id)
    assert row.status == "failed" and row.error_code == "6240"
    assert "already uses this name" in row.explanation and row.fix
    write_csv([row], tmp_path / "log.csv")
    cells = list(csv.reader((tmp_path / "log.csv").open(encoding="utf-8-sig")))
    assert cells[0][:3] == ["job", "status", "time"]
    assert cells[1][9] == "'=HYPERLINK(\"http://x\")"
    with pytest.raises(ValueError, match="unknown job status"):
        error_log(store.database, store.company_id, statuses=("lost",))


def test_stale_running_runs_are_marked_interrupted(store):
    run = store.start_run("post", None)
    assert store.interrupt_stale_runs() == 1
    with store.database.session() as session:
        from app.models.jobs import PostingRun

        assert session.get(PostingRun, run).status == "interrupted"
        assert session.query(Job).count() == 0
