"""``ledgerbridge post``: send a period's plan to QuickBooks (the monthly close, SPEC §5).

Shows the preview summary and asks before the first write (``--yes`` skips the
question); a progress bar on a terminal, a line per 10 % otherwise. Ctrl-C cancels:
the requests in flight finish, the rest stays to be sent by the next post. Exit 0 when
everything was posted, 1 when something failed, was blocked or held, 2 when nothing was
sent (bad input, a blocking pre-flight problem, another post running).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.cancellable import run_cancellable
from app.cli.context import CliContext, UsageError, print_json
from app.cli.periods import add_period_arguments
from app.cli.post_output import ProgressPrinter, confirm_on_terminal, print_report
from app.cli.writing import quickbooks_errors, writing_company
from app.progress import CancelToken


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("post", help="send a period to QuickBooks (after a preview)")
    add_period_arguments(parser)
    parser.add_argument("--yes", action="store_true", help="post without asking first")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--closed-period", nargs="+", default=["hold"], metavar="CHOICE",
                        help="records dated in QuickBooks' closed period: `hold` them "
                        "(default), `redate` them to the first open day with a memo, or "
                        "`export FILE`: hold them and write their journal lines to FILE for "
                        "the accountant")
    parser.add_argument("--overwrite-edited", nargs="+", default=[], metavar="KEY",
                        help="replace these records though they were changed in QuickBooks "
                        "(keys from `errors` or `reconcile`)")
    parser.add_argument("--workers", type=int, help=argparse.SUPPRESS)  # the poster's default
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.company_data import NoCompanyData
    from app.posting import PostOptions, post_period

    database, company, opener = writing_company(args, ctx)
    cancel = CancelToken()
    printer = ProgressPrinter(quiet=args.json)
    closed, export = closed_period_choice(args.closed_period)
    options = PostOptions(None, start=args.start, end=args.end, closed_period=closed,
                          export_file=export,
                          confirm=None if args.yes else confirm_on_terminal,
                          progress=printer.update, cancel=cancel,
                          overwrite_edited=frozenset(args.overwrite_edited))
    if args.workers is not None:
        options.workers = args.workers
    try:
        with quickbooks_errors(usage=(ValueError, NoCompanyData)):
            report = run_cancellable(lambda: post_period(
                database, company.id, company.name, opener, options), cancel, "post")
    finally:
        printer.close()
    if args.json:
        print_json(report.as_dict())
    else:
        print_report(report)
    return report.exit_code


def closed_period_choice(words: list[str]) -> tuple[str, Path | None]:
    """``hold`` | ``redate`` | ``export FILE``."""
    if words in (["hold"], ["redate"]):
        return words[0], None
    if len(words) == 2 and words[0] == "export":
        return "export", Path(words[1])
    raise UsageError("--closed-period takes hold, redate, or export FILE")
