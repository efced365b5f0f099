"""``ledgerbridge source add NAME ...``: register a registration system's HTTP/JSON API.

The settings (base URL, one endpoint per record type, paging) are saved as
``<config>/sources/NAME.json``; the bearer token or API key goes to the OS keyring
only. ``ledgerbridge import --api NAME`` then imports from it like from files.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json
from app.domain.records import RECORD_TYPES


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("source", help="HTTP/JSON API sources of export data")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", help="add (or replace) an API source")
    add.add_argument("name", help="a short name for the source, e.g. regsys")
    add.add_argument("--base-url", required=True, metavar="URL")
    add.add_argument("--endpoint", action="append", required=True, metavar="TYPE=PATH",
                     help="a record type and its path under the base URL, e.g. "
                     "payment=/payments (repeat)")
    add.add_argument("--auth", choices=("bearer", "api_key"), default="bearer")
    add.add_argument("--api-key-header", default="X-API-Key", metavar="HEADER")
    add.add_argument("--paging", choices=("next", "page"), default="next",
                     help="follow a next link (default) or count pages")
    add.add_argument("--items-key", metavar="KEY", help="where a page's list is, if unusual")
    add.add_argument("--secret-stdin", action="store_true",
                     help="read the token or key from standard input instead of a prompt")
    add.add_argument("--json", action="store_true", help="machine-readable output")
    add.set_defaults(handler=handle_add)


def sources_dir(ctx: CliContext):  # type: ignore[no-untyped-def]
    return ctx.paths.config_dir / "sources"


def handle_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.importers.api_source import ApiSourceConfig, save_source, store_secret
    from app.sync.tokens import KeyringUnavailable, check_keyring

    endpoints = dict(_endpoint(text) for text in args.endpoint)
    config = ApiSourceConfig(
        name=args.name, base_url=args.base_url, endpoints=endpoints, auth=args.auth,
        api_key_header=args.api_key_header, paging=args.paging, items_key=args.items_key,
    )
    try:
        check_keyring(f"the API source's token or key ({args.name})")
    except KeyringUnavailable as exc:
        raise UsageError(str(exc)) from None
    secret = (sys.stdin.readline().strip() if args.secret_stdin
              else getpass.getpass(f"Token or API key for {args.name} (kept in the keyring): "))
    if not secret:
        raise UsageError("the token or API key is needed; it is kept in the system keyring")
    store_secret(config, secret)
    path = save_source(config, sources_dir(ctx))
    if args.json:
        print_json({"source": args.name, "settings": str(path), "endpoints": endpoints})
    else:
        print(f"API source {args.name!r} saved in {path} (its secret is in the keyring); "
              f"import with: ledgerbridge import --api {args.name}")
    return EXIT_OK


def _endpoint(text: str) -> tuple[str, str]:
    record_type, sep, path = text.partition("=")
    if not sep or not path:
        raise UsageError(f"--endpoint wants TYPE=PATH, not {text!r}")
    if record_type not in RECORD_TYPES:
        raise UsageError(f"unknown record type {record_type!r}; one of "
                         f"{', '.join(sorted(RECORD_TYPES))}")
    return record_type, path
