"""``ledgerbridge errors``: the error log — what failed, was blocked or held, and what to do.

Each job needing attention with QuickBooks' code and message, the plain-language
explanation and the fix. ``--csv FILE`` exports it (cells a spreadsheet would run as a
formula are neutralised); ``--status`` picks the statuses shown (``all`` for every job).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_JOBS_FAILED, EXIT_OK, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("errors", help="list failed, blocked and held jobs with fixes")
    parser.add_argument("--status", action="append", metavar="STATUS",
                        help="failed, blocked, held, sending, cancelled, pending, posted, "
                        "skipped, or all (repeatable; default: all that need attention)")
    parser.add_argument("--kind", metavar="ENTITY", help="only this QuickBooks entity "
                        "(Invoice, Payment, JournalEntry, ...)")
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument("--csv", type=Path, metavar="FILE", help="write the log as CSV")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.models.jobs import JOB_STATUSES
    from app.sync.error_log import ATTENTION, error_log, write_csv

    database = ctx.database()
    company_id = ctx.company_id()
    statuses = args.status or list(ATTENTION)
    if "all" in statuses:
        statuses = list(JOB_STATUSES)
    try:
        rows = error_log(database, company_id, statuses=statuses, kind=args.kind)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.csv is not None:
        try:
            write_csv(rows, args.csv)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc}") from None
        print(f"{len(rows)} job(s) written to {args.csv}")
    elif args.json:
        print_json([row.as_dict() for row in rows])
    else:
        _print(rows)
    return EXIT_JOBS_FAILED if any(row.status == "failed" for row in rows) else EXIT_OK


def _print(rows: list) -> None:  # type: ignore[type-arg]
    if not rows:
        print("Nothing needs attention: no failed, blocked, held or unsent jobs.")
        return
    for row in rows:
        when = row.time.strftime("%Y-%m-%d %H:%M") if row.time else ""
        print(f"#{row.job_id} {row.status.upper()} {when} {row.kind} {row.record}"
              f"{' ' + row.amount if row.amount else ''}")
        print(f"    {row.summary}")
        if row.message:
            code = f" (code {row.error_code})" if row.error_code else ""
            print(f"    QuickBooks said{code}: {row.message}" if row.status == "failed"
                  else f"    {row.message}")
        if row.explanation:
            print(f"    What it means: {row.explanation}")
            print(f"    What to do: {row.fix}")
    needing = sum(1 for row in rows if row.status in ("failed", "blocked", "cancelled"))
    print(f"{len(rows)} job(s)." + (" After fixing: `ledgerbridge retry --all` (or retry JOB "
                                    "...)." if needing else ""))
