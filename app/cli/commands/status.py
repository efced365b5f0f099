"""``ledgerbridge status``: company, connection, records and jobs at a glance."""

from __future__ import annotations

import argparse

from app.cli.context import EXIT_JOBS_FAILED, EXIT_OK, CliContext, print_json
from app.status import StatusReport, collect_status


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("status", help="show the company, connection and counts")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    database = ctx.database()
    with database.session() as session:
        report = collect_status(session, database_location=str(database.engine.url))
    if args.json:
        print_json(report.as_dict())
    else:
        print(report.as_text())
    return EXIT_JOBS_FAILED if report.jobs.get("failed") else EXIT_OK


__all__ = ["StatusReport", "register"]
