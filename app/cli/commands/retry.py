"""``ledgerbridge retry``: send failed jobs again (and what waited for them).

``retry JOB ...`` for chosen jobs (numbers from ``ledgerbridge errors``), ``--all`` for
every failed, blocked, held or unsent job. Same exit codes and progress as ``post``.
"""

from __future__ import annotations

import argparse

from app.cli.cancellable import run_cancellable
from app.cli.context import CliContext, UsageError, print_json
from app.cli.post_output import ProgressPrinter, print_report
from app.cli.writing import quickbooks_errors, writing_company
from app.progress import CancelToken


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("retry", help="send failed jobs again")
    parser.add_argument("jobs", nargs="*", type=int, metavar="JOB", help="job numbers")
    parser.add_argument("--all", action="store_true", help="every job that needs it")
    parser.add_argument("--closed-period", choices=("hold", "redate"), default="hold",
                        help="records dated in QuickBooks' closed period: hold or redate")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.posting import PostOptions
    from app.retrying import RetryRequest, retry_jobs

    if bool(args.jobs) == bool(args.all):
        raise UsageError("name the jobs to retry (see `ledgerbridge errors`), or give --all")
    database, company, opener = writing_company(args, ctx)
    cancel = CancelToken()
    printer = ProgressPrinter(quiet=args.json)
    options = PostOptions(None, closed_period=args.closed_period, progress=printer.update,
                          cancel=cancel)
    try:
        with quickbooks_errors():
            report = run_cancellable(lambda: retry_jobs(
                database, company.id, company.name, opener,
                RetryRequest(tuple(args.jobs)), options), cancel, "retry")
    finally:
        printer.close()
    if args.json:
        print_json(report.as_dict())
    elif report.run_status == "nothing to send":
        print("Nothing to retry: QuickBooks already holds what those jobs would send.")
    else:
        print_report(report)
    return report.exit_code
