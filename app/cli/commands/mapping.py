"""``ledgerbridge mapping import|export FILE``: the mapping as a TOML file (SPEC §4)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.context import EXIT_OK, EXIT_USAGE, CliContext, UsageError, print_json
from app.mapping.store import load_mapping, save_mapping
from app.mapping.toml_format import read_mapping_file, write_mapping_file
from app.plan.plan import Issue


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("mapping", help="import or export the mapping (TOML)")
    actions = parser.add_subparsers(dest="mapping_action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="replace the mapping with a TOML file")
    importing.add_argument("file", type=Path)
    importing.add_argument("--json", action="store_true", help="machine-readable output")
    importing.set_defaults(handler=handle_import)
    exporting = actions.add_parser("export", help="write the mapping to a TOML file")
    exporting.add_argument("file", type=Path)
    exporting.set_defaults(handler=handle_export)


def _print_issues(issues: tuple[Issue, ...]) -> None:
    for issue in issues:
        print(f"{issue.severity}: {issue.message} (fix: {issue.fix})", file=sys.stderr)


def handle_import(args: argparse.Namespace, ctx: CliContext) -> int:
    config, issues = read_mapping_file(args.file)
    if config is None:
        if args.json:
            print_json({"imported": False, "issues": [vars_of(i) for i in issues]})
        _print_issues(issues)
        return EXIT_USAGE
    with ctx.database().session() as session:
        company = ctx.company(session, create=True)
        version = save_mapping(session, company.id, config)
    if args.json:
        print_json({"imported": True, "mapping_version": version})
    else:
        print(f"mapping imported from {args.file} (mapping version {version})")
    return EXIT_OK


def handle_export(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.companies import list_companies

    with ctx.database().session() as session:
        has_company = bool(list_companies(session))
        config = load_mapping(session, ctx.company(session).id) if has_company else None
    if config is None:
        raise UsageError("there is no mapping to export yet "
                         "(import one with `ledgerbridge mapping import FILE`)")
    try:
        write_mapping_file(args.file, config)
    except OSError as exc:
        raise UsageError(f"cannot write {args.file}: {exc}") from exc
    print(f"mapping exported to {args.file}")
    return EXIT_OK


def vars_of(issue: Issue) -> dict[str, object]:
    return {"severity": issue.severity, "code": issue.code, "message": issue.message,
            "fix": issue.fix}
