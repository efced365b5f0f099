"""Which months count as posted: what the runs left in QuickBooks (an undone post does
not count; a month posted again after its undo does), for the close and Home's chart."""

from __future__ import annotations

from datetime import date

import pytest

from app.close_outlook import close_outlook
from app.dashboard import load_dashboard, load_monthly_totals
from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
from app.models.jobs import PostingRun
from app.sync.runs import list_runs

JANUARY, FEBRUARY, MARCH = date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)


@pytest.fixture
def demo(tmp_path):
    paths = demo_paths(tmp_path).ensure()
    database = open_demo_database(paths)
    yield database, prepare_demo_company(paths, database)
    database.close()


def add_run(database, company_id: int, kind: str, month: date | None, status: str = "finished",
            undoes: int | None = None) -> int:
    end = month.replace(day=28) if month else None
    with database.session() as session:
        run = PostingRun(company_id=company_id, kind=kind, period_from=month, period_to=end,
                         status=status, counts={"posted": 1}, undoes_run_id=undoes)
        session.add(run)
        session.flush()
        return run.id


def test_an_undone_post_no_longer_counts_until_the_month_is_posted_again(demo):
    database, company_id = demo
    add_run(database, company_id, "post", JANUARY)
    february = add_run(database, company_id, "post", FEBRUARY)
    assert close_outlook(database, company_id).period.start == MARCH  # type: ignore[union-attr]
    undo = add_run(database, company_id, "undo", None, undoes=february)

    outlook = close_outlook(database, company_id)
    assert outlook.period.start == FEBRUARY and outlook.last_posted == JANUARY  # type: ignore[union-attr]
    assert load_monthly_totals(database, company_id, "tender").months == (JANUARY,)
    runs = list_runs(database, company_id)
    assert runs[1].undone_by == undo and runs[1].status_text == f"finished · undone by run {undo}"
    assert runs[2].kind_text == f"undo of run {february}"
    assert f"Run {undo} (undo of run {february}" in load_dashboard(database, company_id) \
        .last_run_text

    add_run(database, company_id, "post", FEBRUARY)  # posted again after the undo
    assert close_outlook(database, company_id).period.start == MARCH  # type: ignore[union-attr]
    assert load_monthly_totals(database, company_id, "tender").months == (JANUARY, FEBRUARY)


@pytest.mark.parametrize("status", ["cancelled", "finished_with_errors", "failed"])
def test_an_undo_that_did_not_finish_leaves_the_month_posted(demo, status):
    database, company_id = demo
    january = add_run(database, company_id, "post", JANUARY)
    add_run(database, company_id, "undo", None, status=status, undoes=january)
    assert close_outlook(database, company_id).posted == (JANUARY,)
    assert list_runs(database, company_id)[0].undone_by is None
