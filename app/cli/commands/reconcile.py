"""``ledgerbridge reconcile``: the source beside QuickBooks for a period (SPEC §5).

Reads QuickBooks itself, not the local ledger. Per account and class: what the source
says, what QuickBooks holds for the records Ledgerbridge posted, the difference; then
every record edited, voided or deleted in QuickBooks, every record carrying a
Ledgerbridge key the ledger does not know, and what is not yet posted. Exit 0 when
everything agrees, 1 when anything differs.
"""

from __future__ import annotations

import argparse

from app.cli.context import EXIT_JOBS_FAILED, EXIT_OK, CliContext, UsageError, print_json
from app.cli.periods import add_period_arguments, period_from_args
from app.cli.writing import quickbooks_errors


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("reconcile", help="compare the source with QuickBooks")
    add_period_arguments(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.company_data import NoCompanyData, load_company_data
    from app.company_session import company_client
    from app.reconciliation import reconcile

    database = ctx.database()
    try:
        data = load_company_data(database, company_id=ctx.company_id())
    except NoCompanyData as exc:
        raise UsageError(str(exc)) from None
    assert data.mapping is not None
    company = data.company
    period = period_from_args(args, data.dataset, data.mapping.go_live)
    with quickbooks_errors(sending=False):
        result = reconcile(database, company.id,
                           lambda: company_client(company, database, ctx.paths.data_dir),
                           period)
    if args.json:
        print_json(result.as_dict())
    else:
        print(result.as_text())
    return EXIT_OK if result.agrees else EXIT_JOBS_FAILED
