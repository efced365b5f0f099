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
        company_id = ctx.company(session).id if _has_company(session) else None
        report = collect_status(session, company_id,
                                database_location=str(database.engine.url))
    if args.json:
        print_json(report.as_dict())
    else:
        print(report.as_text())
    return EXIT_JOBS_FAILED if report.jobs.get("failed") else EXIT_OK


def _has_company(session) -> bool:  # type: ignore[no-untyped-def]
    from app.companies import list_companies

    return bool(list_companies(session))


__all__ = ["StatusReport", "register"]
