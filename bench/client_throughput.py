"""Sustained write throughput of QboClient against the local simulator at QBO's limits.

QBO allows 500 requests/minute, 10 concurrent and 40 batch requests/minute per company
(qbo-api-notes §3); the simulator enforces the same counts on its own clock. With
``--time-scale`` the simulator's minute (and our governor's) is shorter, so the run is
quick while the counts stay QBO's; results are reported per simulated minute.

    python bench/client_throughput.py [--time-scale 30] [--minutes 5] [--threads 8]

"Sustained" counts the writes completed in the whole simulated minutes of the run (the
pattern under a sliding one-minute window repeats every minute); the partial last
minute is left out.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from app.simulator import SandboxServer
from app.sync.batch import MAX_BATCH_ITEMS, BatchOperation
from app.sync.client import QboClient
from app.sync.governor import RateGovernor, RateLimits
from app.sync.local_demo import connect_local
from app.sync.retry import RetryPolicy

SINGLE_MAX_PER_MINUTE = 500
BATCH_MAX_ITEMS_PER_MINUTE = 40 * MAX_BATCH_ITEMS


def machine() -> str:
    return (f"{platform.platform()}; {os.cpu_count()} CPUs; {platform.processor() or '?'}; "
            f"Python {platform.python_version()}")


def _client(info: dict, time_scale: float) -> QboClient:
    client, _link = connect_local(
        info,
        governor=RateGovernor(RateLimits.qbo(time_scale)),
        retry=RetryPolicy(time_scale=time_scale),
    )
    return client


def _stats(info: dict) -> dict:
    root = info["base_url"].rstrip("/").removesuffix("/v3")
    try:
        return requests.get(f"{root}/__sandbox/stats", timeout=5).json()
    except (requests.RequestException, ValueError):
        return {}


def run_single(client: QboClient, writes: int, threads: int) -> list[tuple[float, int]]:
    """(completion time, writes completed) for every request."""
    tag = uuid.uuid4().hex[:8]

    def create(n: int) -> tuple[float, int]:
        client.create("Customer", {"DisplayName": f"Bench {tag} {n}"},
                      request_id=f"bench-{tag}-{n}")
        return time.monotonic(), 1

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(create, range(writes)))


def run_batch(client: QboClient, writes: int, threads: int) -> list[tuple[float, int]]:
    tag = uuid.uuid4().hex[:8]
    groups = [list(range(start, min(writes, start + MAX_BATCH_ITEMS)))
              for start in range(0, writes, MAX_BATCH_ITEMS)]
    failures = []
    lock = threading.Lock()

    def send(group: list[int]) -> tuple[float, int]:
        ops = [BatchOperation("create", {"DisplayName": f"BenchB {tag} {n}"}, entity="Customer")
               for n in group]
        results = client.batch(ops, request_id=f"b{tag}{group[0]}")
        with lock:
            failures.extend(r for r in results if not r.ok)
        return time.monotonic(), sum(1 for r in results if r.ok)

    with ThreadPoolExecutor(threads) as pool:
        done = list(pool.map(send, groups))
    if failures:
        print(f"  {len(failures)} batch items failed, e.g. {failures[0].error}")
    return done


def report(label: str, started: float, done: list[tuple[float, int]], time_scale: float,
           maximum: int) -> None:
    """Sustained rate: writes completed in the whole simulated minutes of the run.

    Under a sliding one-minute window the sends come in a pattern that repeats every
    minute, so counting whole minutes measures the steady rate; the tail after the last
    whole minute (a partial period) is left out.
    """
    minute = 60 / time_scale
    end = max(t for t, _ in done)
    total = sum(n for _, n in done)
    whole = int((end - started) // minute)
    if whole:
        in_whole = sum(n for t, n in done if t < started + whole * minute)
        sustained = in_whole / whole
    else:
        sustained = total / ((end - started) / minute)
    print(f"{label}: {total} writes in {end - started:.2f} s wall "
          f"({(end - started) / minute:.2f} simulated min)")
    print(f"  sustained {sustained:.0f} writes/min over {whole} whole simulated minutes vs "
          f"theoretical max {maximum}/min ({100 * sustained / maximum:.0f} %)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-scale", type=float, default=30.0)
    parser.add_argument("--minutes", type=float, default=5.0,
                        help="simulated minutes of work at the theoretical maximum")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--mode", choices=("single", "batch", "both"), default="both")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    print(f"Simulator time scale {args.time_scale:g} (1 simulated minute = "
          f"{60 / args.time_scale:.2f} s), {args.threads} threads")
    if args.mode in ("single", "both"):
        with SandboxServer(port=0, time_scale=args.time_scale) as simulator:
            client = _client(simulator.info, args.time_scale)
            started = time.monotonic()
            done = run_single(client, int(args.minutes * SINGLE_MAX_PER_MINUTE), args.threads)
            report("single creates", started, done, args.time_scale, SINGLE_MAX_PER_MINUTE)
            print(f"  simulator stats: {_stats(simulator.info)}")
    if args.mode in ("batch", "both"):
        with SandboxServer(port=0, time_scale=args.time_scale) as simulator:
            client = _client(simulator.info, args.time_scale)
            started = time.monotonic()
            writes = int(args.minutes * BATCH_MAX_ITEMS_PER_MINUTE)
            done = run_batch(client, writes, args.threads)
            report("batch creates (30/request)", started, done, args.time_scale,
                   BATCH_MAX_ITEMS_PER_MINUTE)
            print(f"  simulator stats: {_stats(simulator.info)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
