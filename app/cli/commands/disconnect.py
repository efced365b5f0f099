"""``ledgerbridge disconnect``: revoke and forget the tokens; delete nothing in QBO.

The company row keeps its realm and mappings, so reconnecting later resumes where
the books left off (SPEC §5: reconnect + resync matches what already exists). The work
is ``app/sync/disconnecting.py``'s, shared with the Settings screen.
"""

from __future__ import annotations

import argparse
import sys

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.sync.company_link import DISCONNECTED
from app.sync.disconnecting import disconnect
from app.sync.tokens import KeyringUnavailable


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "disconnect", help="revoke and forget the QuickBooks connection (deletes nothing in QBO)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    try:
        done = disconnect(ctx.database(), ctx.company_id())
    except (ValueError, KeyringUnavailable) as exc:
        raise UsageError(str(exc)) from None
    if done.warning:
        print(f"ledgerbridge: {done.warning}", file=sys.stderr)
    if args.json:
        print_json({"company": done.company, "state": DISCONNECTED, "revoked": done.revoked})
    else:
        print(f"Disconnected from {done.company}. Nothing was deleted in QuickBooks.")
    return EXIT_OK
