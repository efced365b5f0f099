"""``ledgerbridge demo-data``: write the deterministic demo export set (canonical CSVs)."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.importers.demo_data import write_demo_data


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo-data", help="write a realistic demo export set (canonical CSV files)")
    parser.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    parser.add_argument("--families", type=int, default=40, help="number of families (40)")
    parser.add_argument("--months", type=int, default=3, help="months of activity (3)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (1)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.families < 1 or args.months < 1:
        raise UsageError("--families and --months must be at least 1")
    counts = write_demo_data(Path(args.out), families=args.families, months=args.months,
                             seed=args.seed)
    if args.json:
        print_json({"out": str(args.out), "rows": counts})
    else:
        for record_type, count in counts.items():
            print(f"{record_type:20} {count:>8}")
    return EXIT_OK
