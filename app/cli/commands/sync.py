"""``ledgerbridge sync``: the daily sync — import from the company's sync source, preview,
post what is dated up to yesterday, file a report. It never asks a question.

With ``--company`` (what a scheduled task always gives; before or after ``sync``), that
company; without it, every
company of the folder that has a sync source, one after the other. A post running in the
window (or another sync) is waited for up to ``--wait`` seconds (10 minutes), then the
sync stops and says so. Exit 0 when everything was done, 1 when something needs
attention (records failed or held), 2 when a company's sync posted nothing because
something stopped it; the report of each sync is in ``<data>/reports/``.
"""

from __future__ import annotations

import argparse

from app.cli.cancellable import run_cancellable
from app.cli.context import CliContext, UsageError, add_company_option, print_json
from app.cli.periods import parse_day
from app.cli.post_output import ProgressPrinter


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sync", help="import from the sync source, post what is new, write a report")
    parser.add_argument("--to", dest="through", type=parse_day, metavar="YYYY-MM-DD",
                        help="post records dated up to this day (default: yesterday, the "
                        "last complete day)")
    parser.add_argument("--wait", type=float, default=600.0, metavar="SECONDS",
                        help="how long to wait for a post already running (default 600)")
    parser.add_argument("--scheduled", action="store_true",
                        help="mark the run as the scheduled one (the scheduled task adds it)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    add_company_option(parser)
    # Seconds a watch-folder file must be left unchanged before it is read (tests: 0).
    parser.add_argument("--settle", type=float, default=None, help=argparse.SUPPRESS)
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.daily_sync.intake import SETTLE_SECONDS
    from app.daily_sync.run import SyncOptions, sync_company
    from app.daily_sync.source import companies_with_a_source
    from app.progress import CancelToken

    database = ctx.database()
    if ctx.company_choice or ctx.demo:
        company_ids = [ctx.company_id()]
    else:
        company_ids = companies_with_a_source(database)
        if not company_ids:
            raise UsageError("no company has a sync source yet: `ledgerbridge sync-source "
                             "folder DIR` or `ledgerbridge sync-source api NAME` first")
    cancel = CancelToken()
    printer = ProgressPrinter(quiet=args.json)
    options = SyncOptions(trigger="scheduled" if args.scheduled else "manual",
                          through=args.through, wait=max(args.wait, 0.0),
                          settle_seconds=SETTLE_SECONDS if args.settle is None
                          else args.settle, progress=printer.update, cancel=cancel)
    reports = []
    try:
        for company_id in company_ids:
            report = run_cancellable(lambda c=company_id: sync_company(  # type: ignore[misc]
                database, ctx.paths, c, options), cancel, "sync")
            reports.append(report)
            if not args.json:
                print(report.as_text())
                if report.report_file:
                    print(f"Report: {report.report_file}")
    finally:
        printer.close()
    if args.json:
        print_json([report.as_dict() for report in reports])
    return max(report.exit_code for report in reports)
