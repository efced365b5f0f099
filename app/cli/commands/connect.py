"""``ledgerbridge connect``: authorise Ledgerbridge on a QuickBooks company.

Production and the Intuit sandbox open the system browser (or print the URL with
``--no-browser``) and wait for the loopback redirect, or for the redirect URL pasted
on standard input. ``local --base-url URL`` connects a simulator running at URL the
same way (keyring, loopback listener, paste fallback); without ``--no-browser``
Ledgerbridge follows the URL itself, since the simulator approves at once. ``local``
alone connects the built-in demo company, whose simulator it starts from the data
folder, headlessly, with tokens in memory.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import threading
import webbrowser
from collections.abc import Callable
from typing import Any

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.models.company import Company
from app.sync.authorise import DEFAULT_TIMEOUT_SECONDS, AuthorisationFlow, approve_headless
from app.sync.client import QboClient
from app.sync.company_link import CompanyConnection, finish_connect, record_connection
from app.sync.connection import Connection
from app.sync.environments import ENVIRONMENT_NAMES, LOCAL, Environment, hosted_environment
from app.sync.errors import QboError
from app.sync.local_demo import connect_local
from app.sync.local_simulator import SimulatorUnavailable, running_simulator
from app.sync.tokens import (
    KeyringTokenStore,
    KeyringUnavailable,
    TokenStore,
    load_client_secret,
    save_client_secret,
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("connect", help="connect a QuickBooks Online company")
    parser.add_argument(
        "--environment",
        choices=ENVIRONMENT_NAMES,
        default=None,
        help="production, sandbox (Intuit developer) or local (the demo company, or a "
        "running simulator with --base-url)",
    )
    parser.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (…/v3): another route to QBO, or with --environment local a "
        "simulator started with `ledgerbridge sandbox serve`",
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
        company = ctx.company(session, create=True)
        company_id = company.id
        environment = args.environment or company.environment or LOCAL
        client_id = args.client_id or company.client_id
        args.redirect_uri = args.redirect_uri or company.redirect_uri  # a relay is kept
        if args.environment is None and args.base_url is None:
            args.base_url = company.api_base_url  # reconnect where it was connected
    try:
        if environment == LOCAL and not args.base_url:
            link = _connect_demo(ctx)
        elif environment == LOCAL:
            link = _connect_simulator_at(args)
        else:
            link = _connect_hosted(args, environment, client_id)
    except KeyringUnavailable as exc:
        raise UsageError(str(exc)) from None
    except SimulatorUnavailable as exc:
        raise UsageError(f"{exc}. {exc.suggested_fix}") from None
    except QboError as exc:
        print(f"ledgerbridge: could not connect: {exc}\n{exc.suggested_fix}", file=sys.stderr)
        return 1
    with database.session() as session:
        _refuse_a_realm_taken(session, link, company_id)
        record_connection(session, session.get(Company, company_id), link)  # type: ignore[arg-type]
    _report(link, args.json)
    return EXIT_OK


def _connect_demo(ctx: CliContext) -> CompanyConnection:
    """The built-in demo company: its simulator started from the data folder, approved at once."""
    from app.demo_company import demo_simulator

    with demo_simulator(ctx.paths.data_dir) as simulator:  # the demo company persists
        _client, link = connect_local(simulator.info)
    return link


def _connect_simulator_at(args: argparse.Namespace) -> CompanyConnection:
    """A simulator running at ``--base-url``, connected exactly like a hosted company.

    Its published client secret and the tokens go to the keyring. With ``--no-browser``
    the URL is printed and the loopback listener (or a pasted address) waits, as for
    Intuit; otherwise Ledgerbridge plays the browser, since the simulator approves at once.
    """
    store = KeyringTokenStore()  # refuses early if there is no keyring
    simulator = running_simulator(args.base_url)
    save_client_secret(simulator.client_id, simulator.client_secret)
    return _authorise(
        simulator.environment, simulator.client_id, simulator.client_secret, args, store,
        browser=None if args.no_browser else approve_headless,
        announce=args.no_browser,
        prompt=f"Approve Ledgerbridge on the QuickBooks simulator at {simulator.api_base_url}:",
        client_options=simulator.client_options(),
    )


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
    return _authorise(
        environment, client_id, secret, args, store,
        browser=None if args.no_browser else webbrowser.open,
        announce=True,
        prompt="Sign in to QuickBooks and choose the company to connect:",
    )


def _authorise(
    environment: Environment,
    client_id: str,
    secret: str,
    args: argparse.Namespace,
    store: TokenStore,
    *,
    browser: Callable[[str], object] | None,
    announce: bool,
    prompt: str,
    client_options: dict[str, Any] | None = None,
) -> CompanyConnection:
    """The authorisation-code flow: URL, loopback listener or pasted address, exchange."""
    with AuthorisationFlow(environment, client_id, secret, redirect_uri=args.redirect_uri) as flow:
        if announce:
            print(prompt, file=sys.stderr)
            print(flow.url, file=sys.stderr, flush=True)
        if browser is not None:
            browser(flow.url)
        if announce:
            print(
                "Waiting for QuickBooks... if the browser cannot come back here, paste the "
                "address it ended on and press Enter.",
                file=sys.stderr,
                flush=True,
            )
            _read_pasted_urls(flow)
        authorisation = flow.wait(args.timeout)

    def make_client(connection: Connection) -> QboClient:
        return QboClient(connection, **(client_options or {}))

    _connection, link = finish_connect(
        environment, flow.oauth, authorisation, store, client_factory=make_client
    )
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


def _refuse_a_realm_taken(session: Any, link: CompanyConnection, company_id: int) -> None:
    """One QuickBooks company is one Ledgerbridge company: never two rows on one realm."""
    from app.companies import company_holding_realm

    holder = company_holding_realm(session, link.realm_id, other_than=company_id)
    if holder is not None:
        raise UsageError(f"{link.qbo_company_name} (realm {link.realm_id}) is already the "
                         f"company {holder.label!r} here; work on it with --company "
                         f"{link.realm_id}")


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
