"""``ledgerbridge schedule on|off|status``: the company's daily sync on this computer.

``on [--at HH:MM]`` installs a task in the operating system's scheduler (Windows Task
Scheduler, a launchd agent on macOS, a systemd user timer or a crontab line on Linux)
that runs ``ledgerbridge sync`` for this company every day at that local time (06:00
unless told); ``off`` removes it; ``status`` reads it back and gives the last scheduled
run. The Settings screen calls the same functions (``app/scheduling/service.py``).
"""

from __future__ import annotations

import argparse

from app.cli.context import EXIT_OK, CliContext, UsageError, add_company_option, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("schedule", help="the daily sync on this computer's "
                                   "scheduler: on, off, status")
    add_company_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    on = actions.add_parser("on", help="run `ledgerbridge sync` for this company every day")
    on.add_argument("--at", default="06:00", metavar="HH:MM",
                    help="local time of day, 24-hour (default 06:00)")
    actions.add_parser("off", help="remove the daily sync from this computer")
    actions.add_parser("status", help="whether it is on, when, and the last scheduled run")
    for sub in actions.choices.values():
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        add_company_option(sub)
        sub.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.scheduling.runner import SchedulingError
    from app.scheduling.service import schedule_off, schedule_on, schedule_status
    from app.scheduling.task import parse_at

    database, company_id = ctx.database(), ctx.company_id()
    try:
        if args.action == "on":
            try:
                at = parse_at(args.at)
            except ValueError as exc:
                raise UsageError(str(exc)) from None
            status = schedule_on(database, ctx.paths, company_id, at)
        elif args.action == "off":
            status = schedule_off(database, ctx.paths, company_id)
        else:
            status = schedule_status(database, ctx.paths, company_id)
    except SchedulingError as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        print_json(status.as_dict())
    else:
        print(status.as_text())
    return EXIT_OK
