"""The Error log's logic without widgets: filters, what Retry may do and why not, texts."""

from __future__ import annotations

import csv
from datetime import date, datetime

from app.error_view import (
    DateRange,
    ErrorFilter,
    detail_of,
    entities,
    report_text,
    retry_choice,
)
from app.posting import PostReport
from app.sync.error_log import ErrorLogRow, write_csv
from app.sync.poster import PostSummary


def row(job_id: int, status: str = "failed", kind: str = "create Customer",
        when: datetime | None = datetime(2025, 3, 2, 6, 0), message: str = "Duplicate Name",
        record: str = "customer:FAM-1", code: str = "6240") -> ErrorLogRow:
    return ErrorLogRow(job_id, status, when, kind, record, f"Customer {record}",
                       date(2025, 3, 1), "12.50", code, message, "Another customer uses it.",
                       "Rename one of them.", ("customers.csv:4",))


def test_filters_by_kind_date_and_search_text():
    rows = [row(1), row(2, kind="create Invoice", record="invoice:ORD-7", code="",
                        message="waits for customer:FAM-1", when=datetime(2025, 3, 9)),
            row(3, kind="create Payment", when=None, message="")]
    assert entities(rows) == ("Customer", "Invoice", "Payment")
    assert [r.job_id for r in rows if ErrorFilter("Invoice").accepts(r)] == [2]
    march_first_week = ErrorFilter(tried=DateRange(date(2025, 3, 1), date(2025, 3, 7)))
    assert [r.job_id for r in rows if march_first_week.accepts(r)] == [1]  # undated: out
    assert [r.job_id for r in rows if ErrorFilter(tried=DateRange(None, None)).accepts(r)] \
        == [1, 2, 3]
    assert [r.job_id for r in rows if ErrorFilter(text="fam-1").accepts(r)] == [1, 2, 3]
    assert [r.job_id for r in rows if ErrorFilter(text=" ORD-7 ").accepts(r)] == [2]
    assert [r.job_id for r in rows if ErrorFilter(text="6240").accepts(r)] == [1, 3]
    assert [r.job_id for r in rows if ErrorFilter(text="customers.csv").accepts(r)] == [1, 2, 3]


def test_retry_goes_for_failed_blocked_held_and_unsent_jobs_and_says_why_not():
    failed, posted, doubt = row(1), row(2, "posted"), row(3, "sending")
    choice = retry_choice([failed, posted], "connected")
    assert choice.allowed and choice.job_ids == (1,) and choice.left_out == 1
    assert "1 other selected job(s) need no retry" in choice.tooltip
    assert retry_choice([row(4, "blocked"), row(5, "held"), row(6, "cancelled")],
                        "connected").job_ids == (4, 5, 6)
    none = retry_choice([posted, doubt], "connected")
    assert not none.allowed and "it is in QuickBooks already" in none.tooltip
    assert "looks it up in QuickBooks first" in none.tooltip
    assert "Select the jobs" in retry_choice([], "connected").tooltip
    expired = retry_choice([failed], "reauthorisation_needed")
    assert not expired.allowed and "sign in again" in expired.tooltip
    assert "not connected" in retry_choice([failed], "disconnected").tooltip
    busy = retry_choice([failed], "connected", busy="Undoing run 3")
    assert not busy.allowed and '"Undoing run 3"' in busy.tooltip


def test_the_detail_pane_says_what_quickbooks_said_what_it_means_and_what_to_do():
    detail = detail_of(row(7))
    assert detail.title == "Job 7: create Customer — Customer customer:FAM-1"
    assert detail.said == "QuickBooks said (code 6240): Duplicate Name"
    assert (detail.explanation, detail.fix) == ("Another customer uses it.",
                                                "Rename one of them.")
    assert ("Record", "customer:FAM-1") in detail.facts
    assert ("Last tried", "2025-03-02 06:00 UTC") in detail.facts
    assert detail_of(row(9, message="Duplicate (code 6240) - x")).said == \
        "QuickBooks said: Duplicate (code 6240) - x"
    blocked = detail_of(row(8, "blocked", message="waits for customer:FAM-1"))
    assert blocked.said == "waits for customer:FAM-1"


def test_a_finished_retry_in_one_sentence():
    report = PostReport(None, run_id=4, run_status="finished",
                        summary=PostSummary(total=3, posted=3))
    assert report_text(report, "retry") == "Run 4 (retry): 3 sent."
    report.summary = PostSummary(total=3, posted=1, failed=1, blocked=1)
    assert report_text(report, "retry") == ("Run 4 (retry): 1 sent, 1 failed, 1 blocked. The "
                                            "Error log shows each problem with its fix.")
    assert "nothing to send" in report_text(PostReport(None, summary=PostSummary()), "retry")


def test_the_csv_export_neutralises_formulas(tmp_path):
    path = tmp_path / "log.csv"
    write_csv([row(1, message="=HYPERLINK(\"http://x\")", record="+customer"),
               row(2, message="@SUM(A1)", record="-1")], path)
    cells = [c for line in csv.reader(path.open(encoding="utf-8-sig")) for c in line]
    assert "'=HYPERLINK(\"http://x\")" in cells and "'@SUM(A1)" in cells
    assert "'+customer" in cells and "'-1" in cells
    assert not [c for c in cells if c and c[0] in "=+-@"]


def test_the_csv_export_opens_in_excel_with_accents_intact(tmp_path):
    """Excel on Windows reads a CSV without a BOM as the local code page."""
    path = tmp_path / "log.csv"
    write_csv([row(1, message="Customer Núñez is inactive")], path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbfjob,status") and data.count(b"\xef\xbb\xbf") == 1
    assert "Núñez" in data.decode("utf-8-sig")
