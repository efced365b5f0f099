"""``ledgerbridge preview``: what the next post would send, for a period (SPEC §5, §8).

Plans from the stored source records, the stored mapping and the local ledger, exactly
as a post would, and prints the preview as text, JSON, or a CSV file.
"""

from __future__ import annotations

import argparse
from dataclasses import replace
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.cli.periods import add_period_arguments, period_from_args


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("preview", help="show what a post would send for a period")
    add_period_arguments(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the preview as CSV")
    parser.add_argument("--lines", action="store_true",
                        help="list every operation with the lines it posts")
    parser.add_argument("--offline", action="store_true",
                        help="do not check the mapping against QuickBooks (a warning says so)")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.accounting.planner import plan
    from app.accounting.preview import build_preview
    from app.company_data import NoCompanyData, load_company_data
    from app.company_session import company_client
    from app.sync.preflight import preflight

    try:
        data = load_company_data(ctx.database(), company_id=ctx.company_id())
    except NoCompanyData as exc:
        raise UsageError(str(exc)) from None
    company, dataset, mapping = data.company, data.dataset, data.mapping
    assert mapping is not None  # load_company_data insists on one
    period = period_from_args(args, dataset, mapping.go_live)
    checked = preflight(lambda: company_client(company, ctx.database(), ctx.paths.data_dir),
                        mapping, dataset, offline=args.offline)
    planned = plan(dataset, checked.mapping, data.ledger, period, data.locked)
    planned = replace(planned, issues=checked.issues_for(planned, data.ledger) + planned.issues)
    preview = build_preview(planned)
    if args.csv is not None:
        try:
            preview.write_csv(args.csv)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc}") from exc
    if args.json:
        print_json(preview.as_dict())
    else:
        print(preview.as_text(lines_of_operations=args.lines))
    return EXIT_OK
