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
    from app.company_data import NoCompanyData, default_period

    try:
        return default_period(dataset, go_live, args.start, args.end)
    except NoCompanyData as exc:
        raise UsageError(str(exc)) from None
