"""``--from``/``--to`` for the commands that work on a period (SPEC §5: periods, not the clock)."""

from __future__ import annotations

import argparse
from datetime import date

from app.cli.context import UsageError
from app.domain.dataset import Dataset
from app.plan.plan import Period


def add_period_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=parse_day, metavar="YYYY-MM-DD",
                        help="first day (default: go-live date, else the earliest record)")
    parser.add_argument("--to", dest="end", type=parse_day, metavar="YYYY-MM-DD",
                        help="last day (default: the latest record)")


def parse_day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def period_from_args(args: argparse.Namespace, dataset: Dataset, go_live: date | None) -> Period:
    """The requested period; open ends default to go-live / the data's first and last day."""
    days = [c.date for c in dataset.charges] + [p.date for p in dataset.payments]
    days += [r.date for r in dataset.refunds]
    if not days and (args.start is None or args.end is None):
        raise UsageError("there is no imported data yet: run `ledgerbridge import` first")
    start = args.start or go_live or min(days)
    end = args.end or max(days)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    return Period(start, end)
