"""Import benchmark (SPEC §10): 100,000 payment rows with allocations, from demo-data.

Measures, each in a fresh interpreter so peak memory is the run's own:
  bare    a bare ``csv.reader`` pass over the same files (the yardstick)
  import  read + map + validate to canonical records (``import_paths``)
  store   the same, then storing into a new SQLite database (``store_import``), then
          storing the same result again (a re-import: every record compared, none written)
Prints medians over ``--runs`` runs, the ratio to the bare pass, peak RSS, the
tracemalloc peak of one import, and the machine.

    python bench/import_bench.py [--families 8000] [--months 12] [--runs 3] [--keep DIR]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _peak_rss_mb() -> float:
    """This process's peak resident memory (Linux: VmHWM, which exec resets; else rusage)."""
    try:
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmHWM:")[1].split()[0]) / 1024
    except (OSError, IndexError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(mode: str, folder: Path) -> dict[str, float]:
    """One measurement in this (fresh) process."""
    files = sorted(folder.glob("*.csv"))
    if mode == "bare":
        start, cpu = time.perf_counter(), time.process_time()
        rows = 0
        for path in files:
            with path.open(newline="", encoding="utf-8") as handle:
                for _ in csv.reader(handle):
                    rows += 1
        return {"seconds": time.perf_counter() - start, "cpu": time.process_time() - cpu,
                "rows": rows, "rss_mb": _peak_rss_mb()}
    from app.importers.pipeline import import_paths

    if mode == "tracemalloc":
        import tracemalloc

        tracemalloc.start()
        result = import_paths([folder])
        peak = tracemalloc.get_traced_memory()[1]
        return {"traced_peak_mb": peak / 2**20, "ok": result.ok}
    start, cpu = time.perf_counter(), time.process_time()
    result = import_paths([folder])
    imported = time.perf_counter() - start
    out = {"seconds": imported, "cpu": time.process_time() - cpu, "ok": result.ok,
           "payments": len(result.records["payment"]),
           "allocations": len(result.records["payment_allocation"]),
           "records": sum(result.counts().values())}
    if mode == "store":
        from app.config import resolve_paths
        from app.importers.store import store_import
        from app.models.database import Database

        with tempfile.TemporaryDirectory() as home:
            database = Database.open(resolve_paths(home).ensure())
            start, cpu = time.perf_counter(), time.process_time()
            with database.session() as session:
                store_import(session, result, full=True)
            out["store_seconds"] = time.perf_counter() - start
            out["cpu"] += time.process_time() - cpu
            start = time.perf_counter()
            with database.session() as session:
                summary = store_import(session, result, full=True)
            out["restore_seconds"] = time.perf_counter() - start
            out["unchanged"] = sum(c["unchanged"] for c in summary.counts.values())
            database.close()
        out["seconds"] = imported + out["store_seconds"]
    out["rss_mb"] = _peak_rss_mb()
    return out


def _run_child(mode: str, folder: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(folder)],
                          capture_output=True, text=True, check=True, env=env)
    return json.loads(done.stdout)


def _generate(folder: Path, families: int, months: int) -> None:
    """``ledgerbridge demo-data`` in its own process (this one stays small)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "app.cli", "--home", str(folder / ".home"),
                    "demo-data", "--out", str(folder), "--families", str(families),
                    "--months", str(months), "--seed", "1"],
                   check=True, env=env, stdout=subprocess.DEVNULL)


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=8000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it")
    parser.add_argument("--linearity", action="store_true",
                        help="also import 1/4 and 1/2 of the data: time per record")
    parser.add_argument("--child", nargs=2, metavar=("MODE", "DIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child[0], Path(args.child[1]))))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.keep or tmp)
        started = time.perf_counter()
        _generate(folder, args.families, args.months)
        generated = time.perf_counter() - started
        size_mb = sum(p.stat().st_size for p in folder.glob("*.csv")) / 2**20
        results = {mode: [_run_child(mode, folder) for _ in range(args.runs)]
                   for mode in ("bare", "import", "store")}
        traced = _run_child("tracemalloc", folder)
        scaling = _linearity(args, Path(tmp)) if args.linearity else []
    _report(args, results, traced, generated, size_mb)
    for families, run in scaling:
        print(f"  linearity: {families:6} families  {run['records']:8,} records  "
              f"{run['cpu']:5.2f} s CPU  {run['cpu'] / run['records'] * 1e6:5.2f} µs/record")


def _linearity(args, tmp: Path) -> list[tuple[int, dict[str, float]]]:  # type: ignore[no-untyped-def]
    out = []
    for divisor in (4, 2, 1):
        families = args.families // divisor
        folder = tmp / f"scale-{families}"
        _generate(folder, families, args.months)
        out.append((families, _run_child("import", folder)))
    return out


def _report(args, results, traced, generated, size_mb) -> None:  # type: ignore[no-untyped-def]
    bare, imp, store = (results[m] for m in ("bare", "import", "store"))
    first = imp[0]
    print(f"machine: {platform.platform()}; {os.cpu_count()} CPUs; "
          f"Python {platform.python_version()} ({platform.python_implementation()}); "
          f"load average {os.getloadavg()[0]:.2f}")
    print(f"data: demo-data --families {args.families} --months {args.months}: "
          f"{first['payments']:,} payments, {first['allocations']:,} allocations, "
          f"{first['records']:,} records, {bare[0]['rows']:,} CSV rows, {size_mb:.1f} MB "
          f"(generated in {generated:.1f} s)")
    print(f"medians over {args.runs} runs, each in a fresh process:")
    base, base_cpu = _median(bare, "seconds"), _median(bare, "cpu")
    rows = [("bare csv.reader pass", bare, None), ("import + validate", imp, None),
            ("import + validate + store (SQLite)", store, "store_seconds")]
    print(f"  {'':36} {'wall':>9} {'ratio':>6}   {'CPU':>7} {'ratio':>6}   peak RSS")
    for label, runs, extra in rows:
        seconds, cpu = _median(runs, "seconds"), _median(runs, "cpu")
        line = (f"  {label:36} {seconds:7.2f} s {seconds / base:5.1f}x   {cpu:5.2f} s "
                f"{cpu / base_cpu:5.1f}x   {_median(runs, 'rss_mb'):5.0f} MB")
        if extra:
            line += f"  (store alone {_median(runs, extra):.2f} s)"
        print(line)
    print(f"  re-import of the same result into that database (all {store[0]['unchanged']:,} "
          f"unchanged): {_median(store, 'restore_seconds'):.2f} s")
    print(f"  tracemalloc peak of one import: {traced['traced_peak_mb']:.0f} MB")
    ok = all(r["ok"] for r in imp)
    print(f"import result: {'no errors' if ok else 'ERRORS (see the demo data)'}")
    print(f"targets (SPEC §10): <= 3 s, <= 400 MB, <= 3x bare: "
          f"{_median(imp, 'seconds'):.2f} s, {_median(imp, 'rss_mb'):.0f} MB, "
          f"{_median(imp, 'seconds') / base:.1f}x")


if __name__ == "__main__":
    main()
