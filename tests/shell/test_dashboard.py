"""The Home screen's figures, the banner and the chart, from plain Python (no Qt)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from app.companies import CompanyEntry
from app.dashboard import (
    banner_for,
    connection_text,
    health,
    load_dashboard,
    load_monthly_totals,
    monthly_totals,
    posted_months,
)
from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
from app.mapping_overview import WIZARD_PAGES, load_mapping_overview
from app.sync.runs import RunRow
from tests.e2e.demo import demo_dataset


def company(state: str = "connected", realm: str | None = "1", env: str = "production",
            url: str | None = None) -> CompanyEntry:
    return CompanyEntry(1, "Riverside Swim", None, realm, env, url, state, "summary")


def run(id_: int, start: date, end: date, kind: str = "post",
        status: str = "finished") -> RunRow:
    return RunRow(id_, kind, start, end, datetime(2025, 3, 1), datetime(2025, 3, 1), status,
                  {"posted": 3}, 0, None)


def test_the_connection_in_words_and_its_banner():
    assert connection_text(company()) == "Connected to QuickBooks Online"
    assert connection_text(company(env="local", url=None)) == \
        "Connected to the built-in simulator"
    assert connection_text(company(realm=None)) == "Not connected to QuickBooks yet"
    expired = company("reauthorisation_needed")
    assert "Sign-in expired" in connection_text(expired) and health(expired) == "error"
    banner = banner_for(expired)
    assert banner is not None and banner.action == "Reconnect" and banner.severity == "warning"
    assert banner_for(company()) is None and health(company()) == "ok"
    assert banner_for(company("disconnected")).action == "Reconnect"  # type: ignore[union-attr]
    assert banner_for(company("disconnected", realm=None)) is None  # never connected: no banner


def test_posted_months_are_those_of_finished_posts_and_retries():
    runs = [run(1, date(2025, 1, 1), date(2025, 2, 10)),
            run(2, date(2025, 3, 1), date(2025, 3, 31), status="failed"),
            run(3, date(2025, 4, 1), date(2025, 4, 30), kind="resync"),
            run(4, date(2024, 12, 5), date(2024, 12, 5), kind="retry",
                status="finished_with_errors")]
    assert posted_months(runs) == [date(2024, 12, 1), date(2025, 1, 1), date(2025, 2, 1)]


def test_monthly_totals_by_tender_and_by_program(tmp_path):
    dataset = demo_dataset(tmp_path, families=6, months=2)
    months = [date(2025, 1, 1), date(2025, 2, 1)]
    by_tender = monthly_totals(dataset, months, "tender")
    by_program = monthly_totals(dataset, months, "program")
    assert by_tender.months == tuple(months) and by_tender.series
    for index, month in enumerate(months):
        received = sum((p.amount for p in dataset.payments
                        if p.status == "completed" and (p.date.year, p.date.month)
                        == (month.year, month.month)), Decimal(0))
        refunded = sum((r.amount for r in dataset.refunds
                        if (r.date.year, r.date.month) == (month.year, month.month)),
                       Decimal(0))
        assert by_tender.total(index) == received - refunded
    categories = {p.income_category for p in dataset.programs}
    assert {s.label for s in by_program.series} <= categories
    with pytest.raises(ValueError):
        monthly_totals(dataset, months, "colour")


def test_the_demo_company_dashboard_and_mapping_overview(tmp_path):
    paths = demo_paths(tmp_path).ensure()
    database = open_demo_database(paths)
    try:
        company_id = prepare_demo_company(paths, database)
        board = load_dashboard(database, company_id)
        assert board.ready and board.company.simulator and board.failed_jobs == 0
        assert "simulator" in board.company.label.lower()
        assert board.last_import is not None and board.last_import.records > 100
        assert board.posting_style.startswith("Summary") and "January 2025" in board.posting_style
        assert board.last_run_text == "No run yet"
        assert load_monthly_totals(database, company_id, "tender").empty  # nothing posted yet
        pages = load_mapping_overview(database, company_id)
        assert [p.page for p in pages] == [name for name, _ in WIZARD_PAGES]
        income = next(p for p in pages if p.page == "income")
        assert income.unmapped == 0 and any(r.target == "Tuition:Swim Lessons"
                                            for r in income.rows)
        with pytest.raises(LookupError):
            load_dashboard(database, 99)
    finally:
        database.close()
