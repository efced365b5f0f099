"""Benchmark: SPEC §10's whole path on demo data — import, validate and plan.

Generates a deterministic demo export set with ``demo-data`` (sized to about 100,000
payments with their allocations), then, each stage in a fresh child process so that
peak memory is per stage:

1. a bare ``csv.reader`` pass over the same files (SPEC's yardstick),
2. the real importer: read + map + validate into canonical records (``import_paths``),
3. the same import, then ``plan`` in the summary style for the whole range,
4. the same import, then ``plan`` in the detailed style (orders -> invoices ...).

Prints the median wall time of ``--runs`` runs per stage, the ratio to the bare pass,
peak RSS, and the machine. Run: ``python bench/pipeline_bench.py [--families N]
[--months M] [--runs R]``. Figures are medians: the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STAGES = ("bare", "import", "import+plan summary", "import+plan detailed")


def mapping(style: str):  # type: ignore[no-untyped-def]
    from app.mapping.config import MappingConfig, Target

    roles = ("accounts_receivable", "undeposited_funds", "merchant_settlement",
             "discounts_and_credits", "gift_card_holding", "unapplied_payments",
             "deferred_revenue", "tax_parent", "rounding")
    return MappingConfig(
        style=style, go_live=date(2024, 1, 1), sync="daily", organisation_class="Demo Org",
        accounts={role: Target(role.replace("_", " ").title()) for role in roles},
        create_missing=True,
    )


def run_stage(stage: str, folder: Path) -> dict[str, float | int]:
    """Runs inside the child process; returns seconds, peak RSS and counts."""
    files = sorted(folder.glob("*.csv"))
    started = time.perf_counter()
    if stage == "bare":
        rows = 0
        for path in files:
            with path.open(newline="", encoding="utf-8") as handle:
                rows += sum(1 for _ in csv.reader(handle))
        result: dict[str, float | int] = {"rows": rows}
    else:
        from app.accounting.plan import Period
        from app.accounting.planner import plan
        from app.domain.dataset import Dataset
        from app.importers.pipeline import import_paths

        imported = import_paths(files)
        if not imported.ok:
            raise SystemExit(f"demo data did not import: {imported.issues[:3]}")
        result = {"payments": len(imported.records.get("payment", ()))}
        if stage != "import":
            dataset = Dataset.from_records(
                record for records in imported.records.values() for record in records
            )
            days = [p.date for p in dataset.payments] + [c.date for c in dataset.charges]
            style = stage.rsplit(" ", 1)[-1]
            planned = plan(dataset, mapping(style), {}, Period(min(days), max(days)))
            result["operations"] = len(planned.operations)
            result["errors"] = len(planned.blocking_issues)
    result["seconds"] = time.perf_counter() - started
    result["max_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--families", type=int, default=8000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:  # child process
        print(json.dumps(run_stage(args.stage, Path(args.folder))))
        return
    from app.importers.demo_data import write_demo_data

    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        counts = write_demo_data(folder, families=args.families, months=args.months, seed=1)
        size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
        print(f"data: {counts.get('payment', 0)} payments, "
              f"{counts.get('payment_allocation', 0)} allocations, "
              f"{sum(counts.values())} records, {size:.1f} MiB of CSV")
        medians: dict[str, float] = {}
        for stage in STAGES:
            runs = [_child(stage, folder) for _ in range(args.runs)]
            seconds = statistics.median(r["seconds"] for r in runs)
            medians[stage] = seconds
            ratio = seconds / medians["bare"]
            extra = {k: v for k, v in runs[0].items() if k not in ("seconds", "max_rss_mib")}
            print(f"{stage:24} median {seconds:6.2f} s  {ratio:5.1f}x bare  "
                  f"peak RSS {max(r['max_rss_mib'] for r in runs):5.0f} MiB  {extra}")
    print("targets (SPEC §10): import + validate + plan <= 3 s, <= 400 MB, <= 3x the bare pass")


def _child(stage: str, folder: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--folder", str(folder)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
