"""``ledgerbridge resync``: rebuild the local ledger from QuickBooks, creating nothing.

After a lost or restored database, a disconnect and reconnect, or another machine having
posted: every record carrying a Ledgerbridge key is adopted, and the next ``post`` sends
only what is missing or changed. Shows what it found and asks before writing the ledger
(``--yes`` does not ask). Exit 0; 1 when QuickBooks holds records that differ from the
source (listed: the next post sends the difference).
"""

from __future__ import annotations

import argparse
import sys

from app.cli.context import (
    EXIT_JOBS_FAILED,
    EXIT_OK,
    CliContext,
    UsageError,
    print_json,
)
from app.cli.writing import quickbooks_errors


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("resync", help="rebuild the ledger from QuickBooks")
    parser.add_argument("--yes", action="store_true", help="write the ledger without asking")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.json and not args.yes:
        raise UsageError("--json cannot ask before writing the ledger: add --yes")
    from app.company_data import NoCompanyData, load_company_data
    from app.company_session import company_client
    from app.resync import ResyncReport, resync

    database = ctx.database()
    try:
        company = load_company_data(database, company_id=ctx.company_id()).company
    except NoCompanyData as exc:
        raise UsageError(str(exc)) from None

    def ask(report: ResyncReport) -> bool:
        _print(report, found_only=True)
        if args.yes or not report.adopted:
            return True
        print("Write this into the local ledger? (nothing is sent to QuickBooks) [y/N] ",
              end="", flush=True)
        return sys.stdin.readline().strip().lower() in ("y", "yes")

    with quickbooks_errors(sending=False):
        report = resync(database, company.id, company.name,
                        lambda: company_client(company, database, ctx.paths.data_dir),
                        None if args.json else ask)
    if args.json:
        print_json(report.as_dict())
    elif report.declined:
        print("The ledger was not changed.")
    elif report.run_id is None:
        print(f"The ledger already knew every record in QuickBooks ({report.ledger_size}); "
              "nothing changed.")
    else:
        print(f"Resync run {report.run_id}: {len(report.adopted)} record(s) adopted, "
              f"{len(report.gone)} removed from the ledger (deleted in QuickBooks); the ledger "
              f"holds {report.ledger_size} record(s).")
    return EXIT_JOBS_FAILED if report.conflicts else EXIT_OK


def _print(report, *, found_only: bool) -> None:  # type: ignore[no-untyped-def]
    print(f"Found in QuickBooks and not in the ledger: {len(report.adopted)} record(s).")
    for key in report.gone:
        print(f"  GONE {key}: in the ledger, deleted in QuickBooks (the next post creates it "
              "again from the source)")
    for key, differs in report.conflicts:
        print(f"  DIFFERS {key}: {differs}")
    if report.missing:
        print(f"Not in QuickBooks: {len(report.missing)} record(s) the source has; the next "
              "post creates them.")
