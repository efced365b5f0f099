"""``ledgerbridge connect``: authorise Ledgerbridge on a QuickBooks company.

Production and the Intuit sandbox open the system browser (or print the URL with
``--no-browser``) and wait for the loopback redirect, or for the redirect URL pasted
on standard input. ``local`` connects the demo company on the built-in simulator
headlessly: it approves at once.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
import webbrowser
from typing import Any

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.models.company import Company, active_company
from app.sync.authorise import DEFAULT_TIMEOUT_SECONDS, AuthorisationFlow
from app.sync.company_link import CompanyConnection, finish_connect, record_connection
from app.sync.environments import ENVIRONMENT_NAMES, LOCAL, hosted_environment
from app.sync.errors import QboError
from app.sync.tokens import (
    KeyringTokenStore,
    KeyringUnavailable,
    load_client_secret,
    save_client_secret,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("connect", help="connect a QuickBooks Online company")
    parser.add_argument(
        "--environment",
        choices=ENVIRONMENT_NAMES,
        default=None,
        help="production, sandbox (Intuit developer) or local (demo simulator)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (…/v3): another route to QBO, or a running simulator",
    )
    parser.add_argument("--client-id", help="your Intuit app's client id (asked once)")
    parser.add_argument(
        "--redirect-uri",
        metavar="URL",
        help="a registered HTTPS relay page instead of the loopback address",
    )
    parser.add_argument(
        "--no-browser",
        action="store_true",
        help="print the authorisation URL instead of opening a browser",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT_SECONDS,
        help="seconds to wait for the browser (default 300)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    database = ctx.database()
    with database.session() as session:
        company = active_company(session, create=True)
        assert company is not None
        environment = args.environment or company.environment or LOCAL
        client_id = args.client_id or company.client_id
        args.redirect_uri = args.redirect_uri or company.redirect_uri  # a relay is kept
    try:
        if environment == LOCAL:
            link = _connect_local(args, ctx)
        else:
            link = _connect_hosted(args, environment, client_id)
    except KeyringUnavailable as exc:
        raise UsageError(str(exc)) from None
    except QboError as exc:
        print(f"ledgerbridge: could not connect: {exc}\n{exc.suggested_fix}", file=sys.stderr)
        return 1
    with database.session() as session:
        company = session.get(Company, _company_id(database))
        record_connection(session, company, link)  # type: ignore[arg-type]
    _report(link, args.json)
    return EXIT_OK


def _connect_local(args: argparse.Namespace, ctx: CliContext) -> CompanyConnection:
    from app.demo_company import demo_simulator
    from app.sync.local_demo import connect_local

    if args.base_url:
        info = _running_simulator_info(args.base_url)
        _client, link = connect_local(info)
        return link
    with demo_simulator(ctx.paths.data_dir) as simulator:  # the demo company persists
        _client, link = connect_local(simulator.info)
    return link


def _running_simulator_info(base_url: str) -> dict[str, Any]:
    """The info a running simulator publishes about itself."""
    import requests

    root = base_url.rstrip("/").removesuffix("/v3")
    response = requests.get(f"{root}/__sandbox/info", timeout=10)
    if response.status_code != 200:
        raise UsageError(f"no Ledgerbridge simulator answers at {base_url}")
    return dict(response.json())


def _connect_hosted(
    args: argparse.Namespace, environment_name: str, client_id: str | None
) -> CompanyConnection:
    if not client_id:
        raise UsageError("give your Intuit app's --client-id (from developer.intuit.com)")
    store = KeyringTokenStore()  # refuses early, before the user signs in, if no keyring
    secret = load_client_secret(client_id)
    if not secret:
        secret = getpass.getpass("Intuit app client secret (kept in the system keyring): ")
        if not secret:
            raise UsageError("the client secret is needed once; it is kept in the keyring")
        save_client_secret(client_id, secret)
    environment = hosted_environment(environment_name, args.base_url)
    with AuthorisationFlow(environment, client_id, secret, redirect_uri=args.redirect_uri) as flow:
        print("Sign in to QuickBooks and choose the company to connect:", file=sys.stderr)
        print(flow.url, file=sys.stderr)
        if not args.no_browser:
            webbrowser.open(flow.url)
        print(
            "Waiting for QuickBooks... if the browser cannot come back here, paste the "
            "address it ended on and press Enter.",
            file=sys.stderr,
        )
        _read_pasted_urls(flow)
        authorisation = flow.wait(args.timeout)
    _connection, link = finish_connect(environment, flow.oauth, authorisation, store)
    return link


def _read_pasted_urls(flow: AuthorisationFlow) -> None:
    """Feed lines typed on stdin to the flow until one is accepted (a daemon thread)."""

    def reader() -> None:
        for line in sys.stdin:
            if line.strip() and not flow.offer_pasted(line):
                print(
                    "That address is not from this connection attempt; try again.", file=sys.stderr
                )
            elif line.strip():
                return

    if sys.stdin is not None and sys.stdin.isatty():
        threading.Thread(target=reader, name="paste-redirect", daemon=True).start()


def _company_id(database: Any) -> int:
    with database.session() as session:
        company = active_company(session)
        assert company is not None
        return company.id


def _report(link: CompanyConnection, as_json: bool) -> None:
    if as_json:
        print_json(
            {
                "company": link.qbo_company_name,
                "realm_id": link.realm_id,
                "environment": link.environment,
                "api_base_url": link.api_base_url,
                "state": "connected",
            }
        )
        return
    simulated = link.environment == LOCAL and "simulator" not in link.qbo_company_name.lower()
    label = " (simulator)" if simulated else ""
    print(f"Connected to {link.qbo_company_name}{label}, realm {link.realm_id}.")
