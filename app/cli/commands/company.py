"""``ledgerbridge company list|add|rename|use``: the companies of this data folder.

Each company (one QuickBooks company, one client of the bookkeeper) has its own source
records, mapping, ledger and jobs. Every other command works on the one ``--company
NAME_OR_REALM`` names, else on the only company, else on the last one used (``company
use``, or the one last chosen in the window).
"""

from __future__ import annotations

import argparse

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("company", help="list, add or choose companies")
    actions = parser.add_subparsers(dest="company_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the companies (* marks the default)")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=handle_list)
    add = actions.add_parser("add", help="add a company (then connect, import and map it)")
    add.add_argument("name", help="what you call this client, e.g. \"Riverside Swim\"")
    add.set_defaults(handler=handle_add)
    rename = actions.add_parser("rename", help="give the chosen company (--company) a new "
                                "name")
    rename.add_argument("name", help="the new name")
    rename.set_defaults(handler=handle_rename)
    use = actions.add_parser("use", help="make a company the default of later commands")
    use.add_argument("choice", metavar="NAME_OR_REALM")
    use.set_defaults(handler=handle_use)


def _config_dir(ctx: CliContext):  # type: ignore[no-untyped-def]
    return ctx.config_dir or ctx.paths.config_dir


def handle_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.companies import (
        CompanyChoiceError,
        choose_company,
        list_companies,
        read_last_company,
    )

    with ctx.database().session() as session:
        entries = list_companies(session)
    try:
        default = choose_company(entries, None, read_last_company(_config_dir(ctx)).company_id)
    except CompanyChoiceError:
        default = None
    if args.json:
        print_json([{"id": e.id, "name": e.name, "label": e.label, "realm_id": e.realm_id,
                     "environment": e.environment, "connection_state": e.connection_state,
                     "posting_style": e.posting_style, "simulator": e.simulator,
                     "default": default is not None and e.id == default.id}
                    for e in entries])
        return EXIT_OK
    if not entries:
        print("No company yet: `ledgerbridge company add NAME`, then connect it.")
    for entry in entries:
        mark = "*" if default is not None and entry.id == default.id else " "
        state = entry.connection_state.replace("_", " ")
        print(f"{mark} {entry.label:40} realm {entry.realm_id or '-':<20} {state}")
    return EXIT_OK


def handle_add(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.companies import CompanyChoiceError, add_company, remember_company

    try:
        with ctx.database().session() as session:
            entry = add_company(session, args.name)
    except CompanyChoiceError as exc:
        raise UsageError(str(exc)) from None
    if not ctx.demo:
        remember_company(_config_dir(ctx), entry.id)
    print(f"Company {entry.name!r} added and chosen for the next commands; connect it with "
          f"`ledgerbridge --company \"{entry.name}\" connect`.")
    return EXIT_OK


def handle_use(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.companies import (
        CompanyChoiceError,
        choose_company,
        list_companies,
        remember_company,
    )

    with ctx.database().session() as session:
        entries = list_companies(session)
    try:
        entry = choose_company(entries, args.choice, None)
    except CompanyChoiceError as exc:
        raise UsageError(str(exc)) from None
    if ctx.demo:
        raise UsageError("the demo folder has one company; nothing to choose")
    remember_company(_config_dir(ctx), entry.id)
    print(f"Later commands work on {entry.describe()} unless --company says otherwise.")
    return EXIT_OK


def handle_rename(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.companies import CompanyChoiceError, rename_company

    try:
        with ctx.database().session() as session:
            before = ctx.company(session).name
            entry = rename_company(session, ctx.company(session).id, args.name)
    except CompanyChoiceError as exc:
        raise UsageError(str(exc)) from None
    print(f"Company {before!r} is now called {entry.name!r}.")
    return EXIT_OK
