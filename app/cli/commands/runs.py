"""``ledgerbridge runs`` and ``ledgerbridge manifest RUN``: the history of posting runs.

``runs`` lists every post, retry, undo and resync with its period, times, result and
counts. ``manifest RUN`` prints or exports (``--csv FILE``, ``--json``) one run's audit
manifest: the source files' hashes, the mapping version and every operation.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.context import EXIT_OK, CliContext, UsageError, print_json


def register(subparsers: argparse._SubParsersAction) -> None:
    runs = subparsers.add_parser("runs", help="list posting runs (post, retry, undo, resync)")
    runs.add_argument("--json", action="store_true", help="machine-readable output")
    runs.set_defaults(handler=handle_runs)
    manifest = subparsers.add_parser("manifest", help="one run's audit manifest")
    manifest.add_argument("run", type=int, metavar="RUN", help="run number (see `runs`)")
    output = manifest.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="machine-readable output")
    output.add_argument("--csv", type=Path, metavar="FILE", help="write the manifest as CSV")
    manifest.set_defaults(handler=handle_manifest)


def _company_id(ctx: CliContext) -> int:
    return ctx.company_id()


def handle_runs(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.sync.runs import list_runs

    runs = list_runs(ctx.database(), _company_id(ctx))
    if args.json:
        print_json([run.as_dict() for run in runs])
        return EXIT_OK
    if not runs:
        print("No runs yet: `ledgerbridge post` makes the first.")
    for run in runs:
        period = f"{run.period_from} to {run.period_to}" if run.period_from else "-"
        counts = ", ".join(f"{k} {v}" for k, v in sorted(run.counts.items())) or "-"
        ended = run.finished_at.strftime("%Y-%m-%d %H:%M") if run.finished_at else "-"
        dup = f", {run.duplicates} DUPLICATE key(s)" if run.duplicates else ""
        print(f"#{run.id:<4} {run.kind:<7} {period:<24} started "
              f"{run.started_at:%Y-%m-%d %H:%M}, ended {ended}: "
              f"{run.status.replace('_', ' ')} ({counts}{dup})")
    return EXIT_OK


def handle_manifest(args: argparse.Namespace, ctx: CliContext) -> int:
    from app.sync.runs import load_manifest

    try:
        manifest = load_manifest(ctx.database(), _company_id(ctx), args.run)
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    if args.csv is not None:
        try:
            manifest.write_csv(args.csv)
        except OSError as exc:
            raise UsageError(f"cannot write {args.csv}: {exc}") from None
        print(f"manifest of run {args.run} ({len(manifest.lines)} operations) written to "
              f"{args.csv}")
    elif args.json:
        print_json(manifest.as_dict())
    else:
        run = manifest.run
        print(f"Run {run.id} ({run.kind}), {run.status.replace('_', ' ')}; mapping version "
              f"{manifest.mapping_version}")
        for source in manifest.source_files:
            print(f"  source {source.get('file')}  sha256 {source.get('sha256')}")
        for line in manifest.lines:
            amount = format(line.amount, "f") if line.amount is not None else ""
            print(f"  {line.result:<9} {line.action:<6} {line.entity:<14} "
                  f"{line.qbo_id or '-':>6} {line.doc_number or '':<12} {amount:>10}  "
                  f"{line.key}")
    return EXIT_OK
