"""``ledgerbridge import PATH...``: validate exports and store them, all or nothing.

Per file: rows read, records made per type, rows skipped and why (title lines, totals,
section headings). Exit 0 with counts per record type (new/changed/unchanged/missing), or
exit 2 with every error (file, row, column, value, reason); ``--errors-csv`` writes that
list for Excel.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any, TextIO

from app.cli.context import EXIT_OK, EXIT_USAGE, CliContext, UsageError, print_json
from app.importers.issues import write_issues_csv
from app.importers.mapping import PresetError, find_preset, presets_dir
from app.importers.pipeline import ImportResult, import_paths
from app.importers.store import StoreSummary, known_records, store_import


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import", help="import exports (CSV or Excel files, or an API source)")
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders")
    parser.add_argument("--api", metavar="NAME",
                        help="import from an API source added with `ledgerbridge source add`")
    parser.add_argument("--preset", metavar="NAME",
                        help="a column-mapping preset: yours or a built-in one "
                             "(`ledgerbridge preset list`)")
    parser.add_argument("--sheet", metavar="NAME", help="the Excel sheet to read")
    parser.add_argument("--date-format", metavar="FMT",
                        help="the export's date format, e.g. %%m/%%d/%%Y (ISO always works)")
    parser.add_argument("--full", action="store_true",
                        help="a full export: report stored records it no longer has")
    parser.add_argument("--errors-csv", metavar="FILE", help="write the error list as CSV")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, ctx: CliContext) -> int:
    paths = [Path(p) for p in args.paths]
    if bool(paths) == bool(args.api):
        raise UsageError("give export files or folders, or --api NAME (not both)")
    for path in paths:
        if not path.exists():
            raise UsageError(f"no such file or folder: {path}")
    preset = _preset(args, ctx)
    database = ctx.database()
    with database.session() as session:
        company_id = ctx.company(session, create=True).id
        known = known_records(session, company_id)
    if args.api:
        result, kind = _import_api(args.api, ctx, preset, known), "api"
    else:
        result = import_paths(paths, preset, sheet=args.sheet, known=known)
        kind = "xlsx" if any(f.get("source_kind") == "xlsx" for f in result.files) else "csv"
    with database.session() as session:
        summary = store_import(session, result, full=args.full, user=_user(),
                               source_kind=kind, preset=args.preset, company_id=company_id)
    if args.errors_csv and result.issues:
        write_issues_csv(result.issues, Path(args.errors_csv))
    _print(args, result, summary)
    return EXIT_OK if result.ok else EXIT_USAGE


def _import_api(name: str, ctx: CliContext, preset, known) -> ImportResult:  # type: ignore[no-untyped-def]
    from app.importers.api_source import ApiSource, ApiSourceError, load_source
    from app.importers.pipeline import import_tables

    try:
        tables = ApiSource(load_source(ctx.paths.config_dir / "sources", name)).fetch_tables()
    except ApiSourceError as exc:
        raise UsageError(str(exc)) from exc
    return import_tables(tables, preset, known=known)


def _preset(args: argparse.Namespace, ctx: CliContext):  # type: ignore[no-untyped-def]
    from dataclasses import replace

    preset = None
    if args.preset:
        try:
            preset = find_preset(presets_dir(ctx.paths.config_dir), args.preset)
        except PresetError as exc:
            raise UsageError(str(exc)) from exc
    if args.date_format:
        from app.importers.mapping import Preset

        preset = replace(preset or Preset("command line"), date_format=args.date_format)
    return preset


def _user() -> str | None:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None


def _print(args: argparse.Namespace, result: ImportResult, summary: StoreSummary) -> None:
    if args.json:
        print_json({**summary.as_dict(), "ok": result.ok,
                    "natural_keys": result.natural_keys,
                    "files": [_file_report(f) for f in result.files],
                    "issues": [i.as_dict() for i in result.issues]})
        return
    out = sys.stdout if result.ok else sys.stderr
    for entry in result.files:
        _print_file(entry, out)
    for issue in result.issues:
        print(issue.as_text(), file=out)
    if not result.ok:
        print(f"{len(result.errors)} error(s): nothing was imported "
              f"(batch {summary.batch_id} recorded as rejected)", file=sys.stderr)
        return
    for record_type, source in result.natural_keys.items():
        print(f"note: {record_type} records have no ID column; keyed by {source}")
    print(f"{'record type':20} {'new':>8} {'changed':>8} {'unchanged':>9} {'missing':>8}")
    for record_type, c in sorted(summary.counts.items()):
        print(f"{record_type:20} {c['new']:>8} {c['changed']:>8} {c['unchanged']:>9} "
              f"{c['missing']:>8}")
    for key in summary.missing:
        print(f"missing from this full export (kept, not deleted): {key}")


def _file_report(entry: dict[str, Any]) -> dict[str, Any]:
    return {"file": entry["path"], "rows_read": entry.get("rows_read", entry.get("rows")),
            "records": entry.get("records", {}), "skipped": entry.get("skipped", [])}


def _print_file(entry: dict[str, Any], out: TextIO) -> None:
    """``payments.csv: 120 rows read: 80 payment, 95 payment_allocation; 3 skipped``, then
    each skipped row with its reason."""
    report = _file_report(entry)
    made = ", ".join(f"{n} {t}" for t, n in report["records"].items()) or "no records"
    skipped = report["skipped"]
    tail = f"; {len(skipped)} row(s) skipped" if skipped else ""
    print(f"{report['file']}: {report['rows_read']} rows read: {made}{tail}", file=out)
    for row in skipped:
        print(f"  row {row['row']} skipped ({row['reason']}): {row['text']}", file=out)
