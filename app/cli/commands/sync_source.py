"""``ledgerbridge sync-source``: where the daily sync of a company reads its exports.

``folder DIR``: a folder the registration system exports into (sub-folders too); each
file is imported once — known by path and content, so a file rewritten with new rows is
read again. ``api NAME``: an API source added with ``ledgerbridge source add``, pulled at
every sync. ``show`` prints the setting; ``off`` forgets it (files read stay read).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, add_company_option, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sync-source",
                                   help="where the daily sync reads exports (folder or API)")
    add_company_option(parser)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    folder = actions.add_parser("folder", help="a watch folder of exports")
    folder.add_argument("path", metavar="DIR")
    api = actions.add_parser("api", help="an API source (`ledgerbridge source add`)")
    api.add_argument("name", metavar="NAME")
    for sub in (folder, api):
        sub.add_argument("--preset", metavar="NAME", help="the column-mapping preset")
        sub.add_argument("--sheet", metavar="NAME", help="the Excel sheet to read")
        sub.add_argument("--date-format", metavar="FMT",
                         help="the export's date format, e.g. %%m/%%d/%%Y")
        sub.add_argument("--full", action="store_true",
                         help="each export is a full one: report records it no longer has")
        sub.set_defaults(handler=handle_set)
    for name, helptext, handler in (("show", "show the company's sync source", handle_show),
                                    ("off", "forget the company's sync source", handle_off)):
        sub = actions.add_parser(name, help=helptext)
        sub.set_defaults(handler=handler)
    for sub in actions.choices.values():
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        add_company_option(sub)


def handle_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.daily_sync.source import SyncSourceSettings, save_sync_source
    from app.importers.mapping import PresetError, find_preset, presets_dir

    if args.action == "folder":
        folder = Path(args.path).expanduser().resolve()
        if not folder.is_dir():
            raise UsageError(f"no such folder: {folder}")
        location = str(folder)
    else:
        from app.importers.api_source import ApiSourceError, load_source

        if args.sheet:
            raise UsageError("--sheet names the sheet of an Excel export in a watch folder; "
                             "an API source has no sheets: leave --sheet out")

        try:
            load_source(ctx.paths.config_dir / "sources", args.name)
        except ApiSourceError as exc:
            raise UsageError(f"{exc}; add it with `ledgerbridge source add {args.name} "
                             "--base-url URL --endpoint TYPE=PATH`") from None
        location = args.name
    if args.preset:
        try:
            find_preset(presets_dir(ctx.paths.config_dir), args.preset)
        except PresetError as exc:
            raise UsageError(str(exc)) from None
    settings = SyncSourceSettings(args.action, location, args.preset, args.sheet,
                                  args.date_format, args.full)
    company_id = ctx.company_id()
    save_sync_source(ctx.database(), company_id, settings)
    if args.json:
        print_json({"company_id": company_id, "sync_source": settings.as_dict()})
    else:
        print(f"The daily sync reads {settings.describe()}; run it now with "
              "`ledgerbridge sync`, or every day with `ledgerbridge schedule on`.")
    return EXIT_OK


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.daily_sync.source import load_sync_source

    company_id = ctx.company_id()
    settings = load_sync_source(ctx.database(), company_id)
    if args.json:
        print_json({"company_id": company_id,
                    "sync_source": settings.as_dict() if settings else None})
    elif settings is None:
        print("No sync source: `ledgerbridge sync-source folder DIR` or `sync-source api NAME`.")
    else:
        extras = ", ".join(f"{k} {v}" for k, v in settings.as_dict().items()
                           if k not in ("kind", "location") and v)
        print(f"The daily sync reads {settings.describe()}" + (f" ({extras})" if extras
                                                                 else "") + ".")
    return EXIT_OK


def handle_off(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.daily_sync.source import clear_sync_source

    company_id = ctx.company_id()
    done = clear_sync_source(ctx.database(), company_id)
    if args.json:
        print_json({"company_id": company_id, "cleared": done})
    else:
        print("The sync source was forgotten." if done else "There was no sync source.")
    return EXIT_OK
