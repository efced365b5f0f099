"""The close's work functions against a real company folder and the simulator (no Qt):
the start, the import all or nothing, the pre-flight with its fixes, the post and the
reconciliation, and the exports."""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

from app.config import resolve_paths
from app.models.company import Company
from app.models.database import Database
from app.models.jobs import Job
from app.monthly_close.checking import check_period
from app.monthly_close.exports import preview_sheets, write_tables
from app.monthly_close.importing import ImportRequest, import_exports
from app.monthly_close.outcome import (
    export_result,
    post_failure_text,
    post_month,
    progress_view,
    reconcile_month,
    result_headline,
)
from app.monthly_close.start import load_start
from app.plan.plan import Period
from app.progress import CancelToken, PostProgress
from app.sync.posting_lock import PostingLocked
from tests.monthly_close.companies import build_company, quickbooks_counts, simulator  # noqa: F401

JANUARY = Period(date(2025, 1, 1), date(2025, 1, 31))


def open_company(home: Path) -> tuple[Database, int, Path, Path]:
    paths = resolve_paths(home)
    database = Database.open(paths)
    with database.session() as session:
        company_id = session.query(Company).one().id
    return database, company_id, paths.config_dir, paths.data_dir


def test_a_month_imported_checked_posted_and_reconciled(tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, data = open_company(home)
    start = load_start(database, company_id, config)
    assert start.default_period == JANUARY  # the go-live month, nothing posted yet
    assert [m.label for m in start.months] == ["January 2025 — next to close "
                                               "(nothing imported yet)"]
    outcome = import_exports(database, company_id, config, ImportRequest((exports,)))
    assert outcome.ok and outcome.total("new") > 0 and outcome.total("changed") == 0
    again = import_exports(database, company_id, config, ImportRequest((exports,)))
    assert again.total("new") == 0 and again.total("unchanged") == outcome.total("new")
    assert again.headline.startswith("Imported ")
    start = load_start(database, company_id, config)
    assert start.months[0].payments > 0 and start.origin.last_import == date.today()

    check = check_period(database, company_id, data, JANUARY)
    assert check.stopping == () and check.preview.balanced
    labels = [g.label for g in check.tree.groups]
    assert labels[:5] == ["Accounts", "Classes", "Items", "Customers", "Invoices"]
    assert sum(g.count for g in check.tree.groups) == len(check.preview.operations)
    seen: list[PostProgress] = []
    report = post_month(database, company_id, data, JANUARY, "hold", None, seen.append,
                        CancelToken())
    assert report.exit_code == 0 and seen[-1].done == seen[-1].total
    counts = quickbooks_counts(simulator)
    assert counts["Invoice"] == check.tree.count("Invoices")
    assert counts["Payment"] == check.tree.count("Payments")
    assert result_headline(report).startswith(f"Run {report.run_id} posted everything")
    reconciliation = reconcile_month(database, company_id, data, JANUARY)
    assert reconciliation.agrees
    target = tmp_path / "result.xlsx"
    export_result(target, database, company_id, report, reconciliation)
    from openpyxl import load_workbook

    book = load_workbook(target)
    assert book.sheetnames == ["Result", "Reconciliation", "Manifest"]
    assert book["Manifest"].max_row > len(check.preview.operations)
    assert load_start(database, company_id, config).default_period.start == date(2025, 2, 1)
    database.close()


def test_an_export_with_errors_imports_nothing_and_lists_every_error(tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    bad = tmp_path / "bad"
    shutil.copytree(exports, bad)
    payments = bad / "payments.csv"
    rows = list(csv.reader(payments.open(encoding="utf-8")))
    column = rows[0].index("amount")
    rows[1][column], rows[2][column] = "=2+5", "twelve"
    with payments.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    database, company_id, config, _data = open_company(home)
    files = tuple(sorted(bad.iterdir()))  # dropped one by one: the headline names the bad one
    assert len(files) > 3
    outcome = import_exports(database, company_id, config, ImportRequest(files))
    assert outcome.headline.startswith("2 error(s) in payments.csv: nothing was imported")
    assert {(e.file, e.row, e.column, e.value) for e in outcome.errors} >= {
        ("payments.csv", 2, "amount", "=2+5"), ("payments.csv", 3, "amount", "twelve")}
    assert all(e.reason for e in outcome.errors)
    assert load_start(database, company_id, config).months[0].payments == 0  # nothing stored
    target = tmp_path / "errors.csv"
    outcome.write_errors_csv(target)
    assert "'=2+5" in target.read_text(encoding="utf-8-sig")
    database.close()


def test_a_full_export_reports_what_it_no_longer_has(tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, _data = open_company(home)
    assert import_exports(database, company_id, config, ImportRequest((exports,), full=True)).ok
    refunds = exports / "refunds.csv"
    lines = refunds.read_text(encoding="utf-8").splitlines()
    refunds.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    outcome = import_exports(database, company_id, config, ImportRequest((exports,), full=True))
    assert outcome.ok and len(outcome.missing) == 1 and outcome.missing[0].startswith("refund:")
    assert "1 record(s) of the last full export are missing (kept" in outcome.headline
    database.close()


def test_preflight_finds_the_closed_period_and_what_stops_a_post(tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, data = open_company(home)
    import_exports(database, company_id, config, ImportRequest((exports,)))
    simulator.set_closing_date("2025-01-15")
    check = check_period(database, company_id, data, JANUARY)
    assert check.closed_through == date(2025, 1, 15) and check.closed_keys
    closed = next(p for p in check.problems if p.issue.code == "closed_period")
    assert closed.action.kind == "closed_period" and not closed.stops_post
    assert check.stopping == ()
    with database.session() as session:
        session.query(Company).one().connection_state = "reauthorisation_needed"
    check = check_period(database, company_id, data, JANUARY)
    first = check.problems[0]
    assert first.stops_post and first.action.kind == "reconnect" and first.action.page == \
        "connect"
    assert check.headline.startswith("1 problem(s) stop the post")
    database.close()


def test_another_post_running_is_said_plainly_and_nothing_is_sent(tmp_path, simulator):  # noqa: F811
    from app.sync.posting_lock import posting_lock

    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, data = open_company(home)
    import_exports(database, company_id, config, ImportRequest((exports,)))
    before = quickbooks_counts(simulator)
    with posting_lock(database, company_id, "Riverside Swim"):
        try:
            post_month(database, company_id, data, JANUARY, "hold", None, lambda _p: None,
                       CancelToken())
        except PostingLocked as exc:
            text = post_failure_text(exc)
        else:
            raise AssertionError("a second post ran beside the first")
    assert text.startswith("Nothing was sent: another Ledgerbridge post is already running")
    assert quickbooks_counts(simulator) == before
    database.close()


def test_progress_in_words_and_the_preview_exported_safely(tmp_path, simulator):  # noqa: F811
    view = progress_view(PostProgress(120, 480, "Invoice ORD-1", 600.0, 36.0, 2))
    assert (view.counts, view.rate, view.left, view.failed) == (
        "120 of 480 done (25 %)", "600 a minute", "about 36 s", "2")
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, data = open_company(home)
    import_exports(database, company_id, config, ImportRequest((exports,)))
    preview = check_period(database, company_id, data, JANUARY).preview
    for suffix in ("csv", "xlsx"):
        write_tables(tmp_path / f"preview.{suffix}", preview_sheets(preview))
    text = (tmp_path / "preview.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("section,kind,key") and "balanced" in text
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "preview.xlsx")["Preview"]
    amounts = [row[8] for row in sheet.iter_rows(min_row=2, values_only=True) if row[8]]
    assert amounts and all(isinstance(a, int | float) for a in amounts)
    database.close()


def test_formula_like_cells_are_quoted_in_csv_and_excel(tmp_path):
    sheets = [("Result", [["what", "value"], ["note", "=HYPERLINK(\"x\")"], ["@sum", 3]])]
    write_tables(tmp_path / "r.csv", sheets)
    write_tables(tmp_path / "r.xlsx", sheets)
    assert "'=HYPERLINK" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")
    from openpyxl import load_workbook

    rows = list(load_workbook(tmp_path / "r.xlsx")["Result"].iter_rows(values_only=True))
    assert rows[1][1] == "'=HYPERLINK(\"x\")" and rows[2] == ("'@sum", 3)


def test_work_an_earlier_run_left_is_counted(tmp_path, simulator):  # noqa: F811
    """A post's unsent work is the next Post's; an undo left part way is not (only Runs →
    Undo again finishes it), even when the undo is the latest run."""
    from app.models.jobs import PostingRun

    home = tmp_path / "home"
    build_company(home, tmp_path / "exports", simulator)
    database, company_id, config, _data = open_company(home)
    with database.session() as session:
        post = PostingRun(company_id=company_id, kind="post", status="cancelled")
        undo = PostingRun(company_id=company_id, kind="undo", status="cancelled",
                          undoes_run_id=1)
        session.add_all([post, undo])
        session.flush()
        jobs = [(post.id, s, k) for s, k in (("cancelled", None), ("pending", None),
                                               ("sending", None), ("failed", "in_doubt"),
                                               ("failed", "validation"), ("posted", None))]
        jobs += [(undo.id, "cancelled", None)] * 7 + [(undo.id, "sending", None)]
        for n, (run_id, status, kind) in enumerate(jobs):
            session.add(Job(company_id=company_id, run_id=run_id, idempotency_key=f"k{n}",
                            request_id=f"r{n}", ledger_key=f"payment:P{n}", operation="create",
                            entity_type="Payment", content_hash="h", payload={},
                            status=status, error_kind=kind, summary=f"Payment P{n}"))
        post_id, undo_id = post.id, undo.id
    left = load_start(database, company_id, config).leftover
    assert (left.not_sent, left.in_doubt, left.run_id) == (2, 2, post_id)
    assert left.text.startswith(f"Run {post_id} (cancelled) left work to finish: 2 record(s) "
                                "it did not send will be sent first")
    assert f"Run {undo_id} (undo of run 1) did not finish: 8 record(s) are not undone yet. " \
        "A Post does not finish it: in Runs, select run 1 and choose Undo this run again." \
        in left.text
    database.close()
