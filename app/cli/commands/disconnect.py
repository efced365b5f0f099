"""``ledgerbridge disconnect``: revoke and forget the tokens; delete nothing in QBO.

The company row keeps its realm and mappings, so reconnecting later resumes where
the books left off (SPEC §5: reconnect + resync matches what already exists).
"""

from __future__ import annotations

import argparse
import sys

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.sync.company_link import DISCONNECTED, environment_of, is_builtin_demo
from app.sync.errors import QboError
from app.sync.oauth import OAuthClient
from app.sync.tokens import KeyringTokenStore, KeyringUnavailable, load_client_secret, token_key


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "disconnect", help="revoke and forget the QuickBooks connection (deletes nothing in QBO)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    database = ctx.database()
    with database.session() as session:
        company = ctx.company(session)
        if not company.realm_id:
            raise UsageError("no QuickBooks company is connected")
        revoked = True
        if not is_builtin_demo(company):  # the demo company's tokens never left memory
            revoked = _revoke_and_forget(company)
        company.connection_state = DISCONNECTED
        name = company.qbo_company_name or company.name
    if args.json:
        print_json({"company": name, "state": DISCONNECTED, "revoked": revoked})
    else:
        print(f"Disconnected from {name}. Nothing was deleted in QuickBooks.")
    return EXIT_OK


def _revoke_and_forget(company) -> bool:  # type: ignore[no-untyped-def]
    """Forget the tokens here first, whatever happens; then revoke them if we can."""
    try:
        store = KeyringTokenStore()
    except KeyringUnavailable as exc:
        raise UsageError(str(exc)) from None
    key = token_key(company.environment, company.realm_id)
    tokens = store.load(key)
    store.delete(key)
    if tokens is None:
        return False
    try:
        environment = environment_of(company)  # a simulator at a URL is asked for its URLs
        secret = load_client_secret(company.client_id or "") or ""
        oauth = OAuthClient(environment, company.client_id or "", secret,
                            company.redirect_uri or "")
        oauth.revoke(tokens.refresh_token)
    except QboError as exc:
        print(
            f"ledgerbridge: the tokens are forgotten here, but QuickBooks could not be told "
            f"({exc}); remove Ledgerbridge under Apps > My apps in QuickBooks.",
            file=sys.stderr,
        )
        return False
    return True
