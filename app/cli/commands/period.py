"""``ledgerbridge period lock|unlock|list``: months closed in Ledgerbridge.

A change in the source that touches a locked month is posted as a labelled adjustment
in the first open period, in both styles; the locked month's entries never change.
"""

from __future__ import annotations

import argparse

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("period", help="lock, unlock or list closed months")
    actions = parser.add_subparsers(dest="period_action", metavar="ACTION", required=True)
    for name, text in (("lock", "lock a month (changes become adjustments)"),
                       ("unlock", "unlock a month")):
        action = actions.add_parser(name, help=text)
        action.add_argument("month", metavar="YYYY-MM")
        if name == "lock":
            action.add_argument("--note", help="why (shown in the list)")
        action.set_defaults(handler=handle)
    listing = actions.add_parser("list", help="list locked months")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.sync.periods import Month, lock, locked_months, unlock

    database = ctx.database()
    company_id = ctx.company_id()
    if args.period_action == "list":
        months = locked_months(database, company_id)
        if getattr(args, "json", False):
            print_json([{"from": a.isoformat(), "to": b.isoformat(), "note": n}
                        for a, b, n in months])
        elif not months:
            print("No locked months.")
        for start, end, note in [] if getattr(args, "json", False) else months:
            print(f"{start:%Y-%m} ({start} to {end}){' — ' + note if note else ''}")
        return EXIT_OK
    try:
        month = Month.parse(args.month)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.period_action == "lock":
        done = lock(database, company_id, month, args.note)
        print(f"{args.month} locked: later changes to it are posted as adjustments in the "
              "first open period." if done else f"{args.month} was already locked.")
    else:
        done = unlock(database, company_id, month)
        print(f"{args.month} unlocked." if done else f"{args.month} was not locked.")
    return EXIT_OK
