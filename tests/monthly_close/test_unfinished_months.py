"""A month a post left with failed, blocked or unsent records holds the close there
(no Qt): it stays the default period, says why in its label and the summary, and lets
go once its records are in QuickBooks, by Retry or by another post."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from app.models.jobs import Job, ManifestEntry, PostingRun
from app.monthly_close.checking import check_period
from app.monthly_close.importing import ImportRequest, import_exports
from app.monthly_close.outcome import post_month
from app.monthly_close.start import load_start
from app.plan.plan import Period
from app.progress import CancelToken
from tests.monthly_close.companies import build_company, cli, simulator  # noqa: F401
from tests.monthly_close.test_close_core import JANUARY, open_company
from tests.sync.simulator_helpers import fast_client_options

FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))
MARCH = Period(date(2025, 3, 1), date(2025, 3, 31))


def _run(session, company_id, kind, status, period=None, undoes=None) -> int:
    run = PostingRun(company_id=company_id, kind=kind, status=status, undoes_run_id=undoes,
                     period_from=period.start if period else None,
                     period_to=period.end if period else None)
    session.add(run)
    session.flush()
    return run.id


def _job(session, company_id, run_id, key, status, day=None) -> int:
    job = Job(company_id=company_id, run_id=run_id, idempotency_key=key, request_id=key,
              ledger_key=key, operation="create", entity_type="Payment", content_hash="h",
              payload={}, status=status, txn_date=day, summary=key)
    session.add(job)
    session.flush()
    return job.id


def test_the_earliest_unfinished_month_holds_the_close(tmp_path, simulator):  # noqa: F811
    build_company(tmp_path / "home", tmp_path / "exports", simulator)
    database, company_id, config, _data = open_company(tmp_path / "home")
    with database.session() as s:
        january = _run(s, company_id, "post", "finished_with_errors", JANUARY)
        february = _run(s, company_id, "post", "finished", FEBRUARY)
        march = _run(s, company_id, "post", "finished_with_errors", MARCH)
        _run(s, company_id, "undo", "finished", undoes=march)  # March is out of QuickBooks
        retry = _run(s, company_id, "retry", "finished_with_errors")  # a retry has no period
        _job(s, company_id, january, "payment:P1", "failed", date(2025, 1, 15))
        _job(s, company_id, january, "invoice:O1", "blocked")  # undated: the run's month
        _job(s, company_id, january, "payment:P2", "cancelled", date(2025, 1, 20))
        _job(s, company_id, january, "payment:P3", "posted", date(2025, 1, 21))
        _job(s, company_id, march, "payment:P4", "failed", date(2025, 3, 2))
        family = _job(s, company_id, retry, "customer:C1", "failed")  # planned in February
        s.add(ManifestEntry(run_id=february, job_id=family, ledger_key="customer:C1",
                            entity_type="Customer", action="create", result="failed"))
    start = load_start(database, company_id, config)
    assert start.outlook.period == MARCH  # the next unposted month…
    assert start.default_period == JANUARY  # …but January is not finished
    labels = {m.period: m.label for m in start.months}
    assert labels[JANUARY].startswith(
        "January 2025 — not finished: 1 failed, 1 waiting, 1 not sent")
    assert labels[FEBRUARY].startswith("February 2025 — not finished: 1 failed")
    assert labels[MARCH].startswith("March 2025 — next to close")  # its undone failure too
    assert start.unfinished_text(JANUARY).startswith(
        "records still to finish in January 2025: 1 record(s) failed and 1 wait for them "
        "(fix the cause, then select them in the Error log and choose Retry); 1 record(s) "
        "were not sent (the next Post sends them first).")
    assert start.unfinished_text(MARCH) == ""
    assert start.unfinished_text(Period(date(2025, 1, 1), date(2025, 2, 28))) == ""

    with database.session() as s:  # January retried: February holds the close now
        s.execute(update(Job).where(Job.run_id == january).values(status="posted"))
    assert load_start(database, company_id, config).default_period == FEBRUARY
    with database.session() as s:
        s.execute(update(Job).where(Job.id == family).values(status="posted"))
    start = load_start(database, company_id, config)
    assert start.holding is None and start.default_period == MARCH
    assert {m.period: m.label for m in start.months}[JANUARY].startswith("January 2025 — posted")
    database.close()


def test_a_month_posted_with_a_refused_record_holds_until_retried(tmp_path, simulator):  # noqa: F811
    from app.sync.local_demo import connect_local

    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, data = open_company(home)
    assert import_exports(database, company_id, config, ImportRequest((exports,))).ok
    check = check_period(database, company_id, data, JANUARY)
    family = next(o for o in check.preview.operations
                  if o.entity == "Customer" and "ParentRef" not in o.payload)
    client, _link = connect_local(simulator.info, **fast_client_options(60.0))
    stranger = client.create("Customer", {"DisplayName": family.payload["DisplayName"]},
                             request_id="typed-by-hand")  # QuickBooks refuses the family
    report = post_month(database, company_id, data, JANUARY, "hold", None, lambda _p: None,
                        CancelToken())
    assert report.run_status == "finished_with_errors"
    start = load_start(database, company_id, config)
    assert start.outlook.posted == (JANUARY.start,) and start.default_period == JANUARY
    assert "not finished: " in start.months[0].label
    assert start.unfinished_text(JANUARY).startswith("records still to finish in January 2025: ")

    client.update("Customer", {"Id": stranger["Id"], "SyncToken": stranger["SyncToken"],
                               "DisplayName": "Typed by hand"}, request_id="rename")
    cli(home, "--company", "Riverside Swim", "retry", "--all")  # the Error log's Retry
    start = load_start(database, company_id, config)
    assert start.holding is None and start.default_period == FEBRUARY
    assert start.months[0].label.startswith("January 2025 — posted")
    database.close()
