"""``ledgerbridge preview``: what the next post would send, for a period (SPEC §5, §8).

Plans from the stored source records, the stored mapping and the local ledger, exactly
as a post would, and prints the preview as text, JSON, or a CSV file.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from app.accounting.plan import Period
from app.cli.context import EXIT_OK, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("preview", help="show what a post would send for a period")
    parser.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="first day (default: go-live date, else the earliest record)")
    parser.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="last day (default: the latest record)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--csv", type=Path, metavar="FILE", help="also write the preview as CSV")
    parser.set_defaults(handler=handle)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.accounting.ledger_store import load_ledger_view, load_locked_periods
    from app.accounting.planner import plan
    from app.accounting.preview import build_preview
    from app.importers.store import load_dataset
    from app.mapping.store import load_mapping
    from app.models.company import active_company

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
    period = _period(args, dataset, mapping.go_live)
    preview = build_preview(plan(dataset, mapping, ledger, period, locked))
    if args.csv is not None:
        try:
            preview.write_csv(args.csv)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc}") from exc
    if args.json:
        print_json(preview.as_dict())
    else:
        print(preview.as_text())
    return EXIT_OK


def _period(args: argparse.Namespace, dataset, go_live: date | None) -> Period:
    days = [r.date for r in (*dataset.charges, *dataset.payments, *dataset.refunds)]
    if not days and (args.start is None or args.end is None):
        raise UsageError("there is no imported data yet: run `ledgerbridge import` first")
    start = args.start or go_live or min(days)
    end = args.end or max(days)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return Period(start, end)
