"""``ledgerbridge preset suggest FILE... --name NAME``: a column mapping, suggested.

For an export whose headers are not the canonical ones, suggest which column is which
canonical field (from the header words and a sample of values), show the suggestion
with its confidence, and with ``--save`` keep it as a named preset that
``ledgerbridge import --preset NAME`` uses. The preset is a documented JSON file
(docs/importing.md) the bookkeeper may correct by hand before importing.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json

SAMPLE_ROWS = 25


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("preset", help="column-mapping presets for exports")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    suggest = actions.add_parser("suggest", help="suggest a mapping for export files")
    suggest.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    suggest.add_argument("--name", required=True, help="the preset's name")
    suggest.add_argument("--sheet", help="the Excel sheet to read")
    suggest.add_argument("--save", action="store_true", help="save the suggestion as a preset")
    suggest.add_argument("--json", action="store_true", help="machine-readable output")
    suggest.set_defaults(handler=handle_suggest)


def handle_suggest(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.importers.mapping import Preset, TableRule, presets_dir, save_preset
    from app.importers.readers import ReadError, read_path
    from app.importers.suggest import guess_record_type, suggest_mapping

    rules, report = [], []
    for path in args.paths:
        try:
            table = read_path(path, sheet=args.sheet)
        except (ReadError, OSError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from exc
        record_type = guess_record_type(path.name, table.header)
        mapping, suggestions = suggest_mapping(table.header, table.rows[:SAMPLE_ROWS], record_type)
        rules.append(TableRule(match=path.name, mapping=mapping, sheet=args.sheet))
        report.append({
            "file": path.name,
            "record_type": record_type,
            "columns": [
                {"header": s.header, "record_type": s.record_type, "field": s.field,
                 "confidence": round(s.score, 2)}
                for s in suggestions
            ],
        })
    saved = None
    if args.save:
        saved = save_preset(Preset(args.name, tuple(rules)), presets_dir(ctx.paths.config_dir))
    if args.json:
        print_json({"preset": args.name, "saved_to": str(saved) if saved else None,
                    "files": report})
        return EXIT_OK
    for entry in report:
        print(f"{entry['file']}: {entry['record_type']} records")
        for column in entry["columns"]:
            target = (f"{column['record_type']}.{column['field']}" if column["field"]
                      else "(not imported)")
            print(f"  {column['header']:32.32} -> {target:32} {column['confidence']:.2f}")
    if saved:
        print(f"saved as preset {args.name!r} in {saved}; "
              f"import with: ledgerbridge import --preset {args.name} FILE...")
        print("each table applies to files with exactly these names; edit its \"match\" "
              "(a pattern such as *payments*.csv) for next month's file names")
    else:
        print("nothing saved; add --save to keep this as a preset")
    return EXIT_OK
