"""Benchmark: SPEC §10's whole path on demo data — import, validate and plan.

Generates deterministic demo export sets with ``demo-data``: one sized to about
100,000 payments with their allocations, one to about 10,000 orders (issue 6's size for
the detailed style). Then, each stage in a fresh child process (the data is generated
in a child too, so no stage inherits a large parent's peak memory):

1. a bare ``csv.reader`` pass over the 100,000-payment files (SPEC's yardstick),
2. the real importer: read + map + validate into canonical records (``import_paths``),
3. the same import, then ``plan`` in the summary style for the whole range (the first
   sync: the go-live lump sum per tender),
4. on the 10,000-order set, the import and ``plan`` in the detailed style.

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
DETAILED_SET = "import+plan detailed"


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
        from app.accounting.planner import plan
        from app.domain.dataset import Dataset
        from app.importers.pipeline import import_paths
        from app.plan.plan import Period

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
    parser.add_argument("--families", type=int, default=8000,
                        help="families in the payments set (8000: about 100,000 payments)")
    parser.add_argument("--detailed-families", type=int, default=1000,
                        help="families in the detailed set (1000: about 10,000 orders)")
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:  # child process
        print(json.dumps(run_stage(args.stage, Path(args.folder))))
        return
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as temp:
        payments_set, detailed_set = Path(temp) / "payments", Path(temp) / "detailed"
        _generate(payments_set, args.families, args.months)
        _generate(detailed_set, args.detailed_families, args.months)
        medians: dict[str, float] = {}
        for stage in STAGES:
            folder = detailed_set if stage == DETAILED_SET else payments_set
            runs = [_child(stage, folder) for _ in range(args.runs)]
            seconds = statistics.median(r["seconds"] for r in runs)
            medians[stage] = seconds
            ratio = ("      —   " if stage == DETAILED_SET  # another data set: no ratio
                     else f"{seconds / medians['bare']:5.1f}x bare")
            extra = {k: v for k, v in runs[0].items() if k not in ("seconds", "max_rss_mib")}
            print(f"{stage:24} median {seconds:6.2f} s  {ratio}  "
                  f"peak RSS {max(r['max_rss_mib'] for r in runs):5.0f} MiB  {extra}")
    print("targets (SPEC §10): import + validate + plan <= 3 s, <= 400 MB, <= 3x the bare pass")


def _generate(folder: Path, families: int, months: int) -> None:
    """Write a demo export set in a child process and describe it."""
    subprocess.run(
        [sys.executable, "-m", "app.cli", "--home", str(folder.parent / "home"), "demo-data",
         "--out", str(folder), "--families", str(families), "--months", str(months),
         "--seed", "1"],
        check=True, capture_output=True, cwd=ROOT,
    )
    with (folder / "charges.csv").open(newline="", encoding="utf-8") as handle:
        orders = len({row["order_id"] for row in csv.DictReader(handle)})
    rows = {p.stem: sum(1 for _ in p.open(encoding="utf-8")) - 1 for p in folder.glob("*.csv")}
    size = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
    print(f"{folder.name} set: {rows['payments']} payments, {rows['payment_allocations']} "
          f"allocations, {orders} orders, {sum(rows.values())} records, {size:.1f} MiB of CSV")


def _child(stage: str, folder: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--stage", stage, "--folder", str(folder)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
