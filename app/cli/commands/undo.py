"""``ledgerbridge undo RUN``: roll back what a run did, after showing what will happen.

Records the run created in an open period are deleted (payments before the invoices they
pay), records it changed are restored; in a period closed in QuickBooks or locked here a
reversing entry is posted on the first open day instead. Items and customers it created
are made inactive when nothing else uses them. Asks first unless ``--yes``; exit codes
as ``post``. Undoing a run twice changes nothing.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.cancellable import run_cancellable
from app.cli.context import CliContext, print_json
from app.cli.post_output import ProgressPrinter, print_report
from app.cli.writing import quickbooks_errors, writing_company
from app.progress import CancelToken


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("undo", help="roll back a posting run (previewed first)")
    parser.add_argument("run", type=int, metavar="RUN", help="run number (see `runs`)")
    parser.add_argument("--yes", action="store_true", help="undo without asking first")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.posting import PostOptions
    from app.undoing import undo_run

    database, company, opener = writing_company(args, ctx)

    def confirm(preview, undo) -> bool:  # type: ignore[no-untyped-def]
        print(f"Undo of run {undo.run_id}:")
        print(preview.as_text(lines_of_operations=True))
        for note in undo.notes:
            print(f"NOTE: {note}")
        if args.yes:
            return True
        print(f"Send these {len(preview.operations)} operation(s) to QuickBooks? [y/N] ",
              end="", flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    cancel = CancelToken()
    printer = ProgressPrinter(quiet=args.json)
    options = PostOptions(None, progress=printer.update, cancel=cancel)
    try:
        with quickbooks_errors(usage=(LookupError, ValueError)):
            report = run_cancellable(lambda: undo_run(
                database, company.id, company.name, opener, args.run,
                options, None if args.json else confirm), cancel, "undo")
    finally:
        printer.close()
    if args.json:
        print_json({**report.as_dict(), "undone_run": report.undone_run,
                    "notes": report.notes})
    elif report.run_status == "nothing to undo":
        print(f"Nothing to undo: run {args.run}'s records are already gone or restored.")
        for note in report.notes:
            print(f"NOTE: {note}")
    else:
        print_report(report)
    return report.exit_code
