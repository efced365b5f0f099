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
    from app.accounting.ledger_store import load_ledger_view, load_locked_periods
    from app.accounting.planner import plan
    from app.accounting.preview import build_preview
    from app.importers.store import load_dataset
    from app.mapping.store import load_mapping
    from app.models.company import active_company
    from app.sync.preflight import preflight

    with ctx.database().session() as session:
        company = active_company(session)
        if company is None:
            raise UsageError("no company yet: import data and a mapping first")
        mapping = load_mapping(session, company.id)
        if mapping is None:
            raise UsageError("there is no mapping yet: run `ledgerbridge mapping import FILE`")
        dataset = load_dataset(session, company.id)
        ledger = load_ledger_view(session, company.id)
        locked = load_locked_periods(session, company.id)
    period = period_from_args(args, dataset, mapping.go_live)
    checked = preflight(company, ctx.database(), ctx.paths.data_dir, mapping, dataset,
                        offline=args.offline)
    planned = plan(dataset, checked.mapping, ledger, period, locked)
    planned = replace(planned, issues=checked.issues_for(planned) + planned.issues)
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
