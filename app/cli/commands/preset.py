"""``ledgerbridge preset``: column-mapping presets for exports, suggested, listed, shown.

``suggest FILE... --name NAME`` proposes which column is which canonical field (from the
header words and the values) and how the table is laid out (a type column telling
payments from refunds, transactions over several rows, a totals row, rows without a
payer, the date order), shows it with what the bookkeeper must still decide, and with
``--save`` keeps it as a named preset that ``ledgerbridge import --preset NAME`` uses.
``list`` shows the bookkeeper's presets and the built-in ones (Jackrabbit, iClassPro,
Pike13 …), ``show NAME`` prints one, ``copy NAME NEW`` makes an editable copy. A preset is
a documented JSON file (docs/importing.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.cli.context import EXIT_OK, EXIT_USAGE, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("preset", help="column-mapping presets for exports")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    suggest = actions.add_parser("suggest", help="suggest a mapping for export files")
    suggest.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    suggest.add_argument("--name", required=True, help="the preset's name")
    suggest.add_argument("--sheet", help="the Excel sheet to read")
    suggest.add_argument("--date-format", metavar="FMT",
                         help="the export's date order when the file cannot tell, e.g. "
                              "%%m/%%d/%%Y")
    suggest.add_argument("--save", action="store_true", help="save the suggestion as a preset")
    suggest.add_argument("--json", action="store_true", help="machine-readable output")
    suggest.set_defaults(handler=handle_suggest)
    listing = actions.add_parser("list", help="your presets and the built-in ones")
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(handler=handle_list)
    show = actions.add_parser("show", help="print a preset (yours, else the built-in one)")
    show.add_argument("name")
    show.set_defaults(handler=handle_show)
    copy = actions.add_parser("copy", help="copy a preset (e.g. a built-in one) to edit it")
    copy.add_argument("name")
    copy.add_argument("new_name")
    copy.set_defaults(handler=handle_copy)


def handle_suggest(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.importers.mapping import Preset, presets_dir, save_preset
    from app.importers.proposal import merge_value_maps, propose
    from app.importers.readers import ReadError, read_path

    proposals = []
    for path in args.paths:
        try:
            table = read_path(path, sheet=args.sheet)
        except (ReadError, OSError) as exc:
            raise UsageError(f"cannot read {path}: {exc}") from exc
        proposals.append(propose(table, sheet=args.sheet, date_format=args.date_format))
    rules = tuple(p.rule for p in proposals if p.rule is not None)
    saved = None
    if args.save and rules:
        preset = Preset(args.name, rules, merge_value_maps(proposals))
        saved = save_preset(preset, presets_dir(ctx.paths.config_dir))
    report = [_report(p) for p in proposals]
    if args.json:
        print_json({"preset": args.name, "saved_to": str(saved) if saved else None,
                    "files": report})
    else:
        _print_suggestion(args, report, saved)
    return EXIT_OK if rules else EXIT_USAGE


def _report(proposal: Any) -> dict[str, Any]:
    from app.importers.shape import shape_to_json

    rule = proposal.rule
    return {
        "file": proposal.file,
        "record_type": proposal.record_type,
        "refused": proposal.refused,
        "columns": [
            {"header": s.header, "record_type": s.record_type, "field": s.field,
             "confidence": round(s.score, 2)}
            for s in proposal.suggestions
        ],
        "date_format": rule.mapping.date_format if rule else None,
        "shape": shape_to_json(rule.mapping.shape) if rule else None,
        "value_maps": proposal.value_maps,
        "notes": proposal.notes,
        "questions": proposal.questions,
    }


def _print_suggestion(args: argparse.Namespace, report: list[dict[str, Any]],
                      saved: Path | None) -> None:
    for entry in report:
        if entry["refused"]:
            print(f"{entry['file']}: not imported: {entry['refused']}", file=sys.stderr)
            continue
        print(f"{entry['file']}: {entry['record_type']} records")
        shape = entry["shape"] or {}
        for column in entry["columns"]:
            target = (f"{column['record_type']}.{column['field']}" if column["field"]
                      else "(row type: row_kind)" if column["header"] == (
                          shape.get("row_kind") or {}).get("column")
                      else "(not imported)")
            print(f"  {column['header']:32.32} -> {target:32} {column['confidence']:.2f}")
        if entry["date_format"]:
            print(f"  dates: {entry['date_format']}")
        for note in entry["notes"]:
            print(f"  found: {note}")
        for question in entry["questions"]:
            print(f"  to decide: {question}")
    if saved:
        print(f"saved as preset {args.name!r} in {saved}; "
              f"import with: ledgerbridge import --preset {args.name} FILE...")
        print("each table applies to files with exactly these names; edit its \"match\" "
              "(a pattern such as *payments*.csv) for next month's file names")
    elif args.save:
        print("nothing saved: no file could be mapped", file=sys.stderr)
    else:
        print("nothing saved; add --save to keep this as a preset")


def handle_list(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.importers.mapping import (
        builtin_preset_names,
        builtin_presets_dir,
        load_preset,
        preset_names,
        presets_dir,
    )

    own = preset_names(presets_dir(ctx.paths.config_dir))
    builtin = {n: load_preset(builtin_presets_dir(), n).description
               for n in builtin_preset_names() if n not in own}
    if args.json:
        print_json({"presets": own, "builtin": builtin})
        return EXIT_OK
    for name in own:
        print(f"{name}  (yours)")
    for name, description in builtin.items():
        print(f"{name}  (built in)\n    {description}")
    print("show one with `ledgerbridge preset show NAME`; import with --preset NAME")
    return EXIT_OK


def handle_show(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.importers.mapping import PresetError, find_preset, preset_to_json, presets_dir

    try:
        preset = find_preset(presets_dir(ctx.paths.config_dir), args.name)
    except PresetError as exc:
        raise UsageError(str(exc)) from exc
    print(json.dumps(preset_to_json(preset), indent=2, ensure_ascii=False))
    return EXIT_OK


def handle_copy(args: argparse.Namespace, ctx: CliContext) -> int:
    from dataclasses import replace

    from app.importers.mapping import (
        PresetError,
        find_preset,
        preset_path,
        presets_dir,
        save_preset,
    )

    directory = presets_dir(ctx.paths.config_dir)
    try:
        preset = find_preset(directory, args.name)
        if preset_path(directory, args.new_name).exists():
            raise UsageError(f"a preset named {args.new_name!r} exists already")
        path = save_preset(replace(preset, name=args.new_name), directory)
    except PresetError as exc:
        raise UsageError(str(exc)) from exc
    print(f"copied to {path}: edit it, then import with --preset {args.new_name}")
    return EXIT_OK
