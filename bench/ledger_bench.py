"""Benchmark (issue 14): a 100,000-row mixed ledger against the same data as canonical files.

The data is one random book (``tests/importers/ledger_writer.py``, the writers the property
test proves equivalent): payments over one to three item lines (some with a discount
line, some taxed), a tenth of them refunded later. It is written twice: as the canonical
files (customers, programs, locations, tax rates, payments, allocations, refunds; ISO
dates, plain amounts) and as one transactions ledger as a registration system exports it
(title lines, a type column, split rows sharing the transaction ID, ``$1,234.50`` and
``($25.00)`` amounts, US dates, a totals row). Each import runs in a fresh child process
(``import_paths``: read, map, convert, link, validate; nothing stored), ``--runs`` times;
the medians, their ratio (target ≤ 1.5) and peak RSS are printed with the machine.

Two books are measured: one whose every amount is drawn at random (every amount text
different: the hardest case, since the importer reads each distinct text once) and one
whose lines come from a price list of 40 fees (as tuition and fees are). The first is the
figure held against the target.

Run: ``python bench/ledger_bench.py [--rows 100000] [--runs 5] [--prices 0,40]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

KINDS = ("canonical", "ledger")
ROWS_PER_PAYMENT = 1.77  # item lines per payment (1.67) and a refund row per ten payments


def run_child(kind: str, folder: Path) -> dict[str, float | int]:
    from app.importers.pipeline import import_paths
    from tests.importers.ledger_writer import ledger_preset

    started = time.perf_counter()
    if kind == "canonical":
        result = import_paths([folder / "canonical"])
    else:
        result = import_paths([folder / "ledger.csv"], ledger_preset("typed"))
    seconds = time.perf_counter() - started
    if not result.ok:
        raise SystemExit(f"{kind} did not import: {[i.as_text() for i in result.errors[:3]]}")
    return {"seconds": seconds,
            "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "payments": len(result.records["payment"]),
            "allocations": len(result.records["payment_allocation"]),
            "refunds": len(result.records.get("refund", []))}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000, help="ledger rows (about)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=14)
    parser.add_argument("--prices", default="0,40",
                        help="books to measure: 0 = random amounts, N = a price list of N")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_child(args.child, Path(args.folder))))
        return
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}")
    for prices in (int(p) for p in args.prices.split(",")):
        what = "random amounts" if not prices else f"a price list of {prices}"
        print(f"-- book with {what}")
        with tempfile.TemporaryDirectory() as temp:
            folder = Path(temp)
            _write(folder, args.rows, args.seed, prices)
            medians = {}
            for kind in KINDS:
                runs = [_child(kind, folder) for _ in range(args.runs)]
                medians[kind] = statistics.median(r["seconds"] for r in runs)
                counts = {k: v for k, v in runs[0].items()
                          if k not in ("seconds", "max_rss_mib")}
                each = ", ".join(f"{r['seconds']:.2f}" for r in runs)
                print(f"{kind:10} median {medians[kind]:6.2f} s (runs {each})  peak RSS "
                      f"{max(r['max_rss_mib'] for r in runs):5.0f} MiB  {counts}")
        ratio = medians["ledger"] / medians["canonical"]
        print(f"ledger / canonical: {ratio:.2f}x (target <= 1.5x); load now "
              f"{os.getloadavg()[0]:.1f}")


def _write(folder: Path, rows: int, seed: int, prices: int) -> None:
    from tests.importers.ledger_writer import random_book, write_canonical, write_ledger

    rng = random.Random(seed)
    payments = int(rows / ROWS_PER_PAYMENT)
    book = random_book(rng, families=max(10, payments // 8), payments=payments,
                       prices=prices)
    write_canonical(folder / "canonical", book)
    write_ledger(folder / "ledger.csv", book, "typed", rng)
    with (folder / "ledger.csv").open(encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    canonical = {p.name: sum(1 for _ in p.open(encoding="utf-8")) - 1
                 for p in sorted((folder / "canonical").glob("*.csv"))}
    size = (folder / "ledger.csv").stat().st_size / 2**20
    csize = sum(p.stat().st_size for p in (folder / "canonical").glob("*.csv")) / 2**20
    print(f"ledger: {lines} lines ({size:.1f} MiB); canonical files: {canonical} "
          f"({sum(canonical.values())} rows, {csize:.1f} MiB)")


def _child(kind: str, folder: Path) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--folder", str(folder)],
        check=True, capture_output=True, text=True, cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
