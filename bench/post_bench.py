"""Benchmark: posting against the simulator at QBO's limits (issue 9, SPEC §10).

Three measurements, each through the app's own commands run as child processes
(``ledgerbridge post``/``preview``: posting lock, recovery, pre-flight, plan, poster,
duplicate scan), against a simulator in a process of its own (``ledgerbridge sandbox
serve --port 0 --time-scale N``) so it shares no GIL with the poster. The simulator
enforces QBO's throttles (500 requests/min, 10 concurrent, 40 batch requests/min) on its
own clock, N times faster than the wall clock; the app reads the scale from the simulator
and shortens its governor's minute to match. Rates are per *simulated* minute.

1. First sync: demo exports (``demo-data``, seed 1) imported, mapped with
   resources/examples/demo-mapping.toml in the detailed style, posted whole (go-live to
   the last record). The posting phase runs from the first job marked sending to the last
   job finished (the jobs' own ``sent_at``/``finished_at``); operations per simulated
   minute over that phase, and sustained over its whole simulated minutes (the opening
   minute's burst under an idle sliding window is allowed by QBO too, so the phase
   average of a short run can exceed what the limits allow in the long run), beside the
   bound: 40 batch requests a minute x 30 operations = 1,200. Requests, batch requests
   and 429s come from the simulator's /__sandbox/stats.
2. Re-sync with no change: ``post`` again, ``--runs`` times: write requests sent (stats:
   every operation but query/read/report/cdc) and the whole command's wall time.
3. Preview growth: a second company posts months 1..M-1 month by month; the preview of
   month M is timed beside the preview of month 1 on the empty ledger (and of month M
   on the empty ledger). Split as a preview does it: ``load_company_data``, the online
   pre-flight (``check_company``), ``plan``; plus the whole ``preview`` command.

Medians of ``--runs`` runs with their spread; never asserted. The children use a
throwaway file keyring (bench/file_keyring.py); the OS keyring is never touched.
``--latency S`` makes the simulator answer every API request S simulated seconds later
(QBO is slower than the simulator; its batch latency is not documented), ``--workers N``
passes the post command's hidden ``--workers``: together they show when the poster's
threads, not QBO's limits, bound the throughput. ``--profile DIR`` adds a cProfile of one
re-sync and one preview, run in this process.

    python bench/post_bench.py [--families 400] [--months 12] [--time-scale 10]
                               [--runs 5] [--only first,resync,preview] [--quick]
                               [--latency S] [--workers N] [--profile DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import requests  # noqa: E402

BATCH_PER_MINUTE, BATCH_ITEMS = 40, 30
BOUND = BATCH_PER_MINUTE * BATCH_ITEMS  # 1,200 operations a simulated minute
READ_OPERATIONS = frozenset({"query", "read", "report", "cdc"})
KEYRING_BACKEND = "bench.file_keyring.BenchFileKeyring"
MAPPING = ROOT / "resources" / "examples" / "demo-mapping.toml"
PARTS = ("first", "resync", "preview")


# -- the machine ----------------------------------------------------------------------------
def machine() -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.platform()}; {os.cpu_count()} CPUs ({cpu_model()}); "
            f"Python {platform.python_version()}; load average {load}")


def in_work_folder(keep: Path | None, prefix: str, work: Callable[[Path], None]) -> None:
    """Run ``work`` in ``keep`` (made if missing, kept after) or in a throwaway folder."""
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        work(keep.resolve())
    else:
        with tempfile.TemporaryDirectory(prefix=prefix) as temp:
            work(Path(temp))


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def spread(values: Sequence[float], unit: str = "s", digits: int = 2) -> str:
    """``median (min–max, n runs)``."""
    if len(values) == 1:
        return f"{values[0]:.{digits}f} {unit} (1 run)"
    return (f"{statistics.median(values):.{digits}f} {unit} "
            f"({min(values):.{digits}f}–{max(values):.{digits}f}, {len(values)} runs)")


# -- the simulator, in its own process --------------------------------------------------------
class Simulator:
    def __init__(self, work: Path, time_scale: float, env: dict[str, str]) -> None:
        self.time_scale = time_scale
        self.minute = 60.0 / time_scale  # one simulated minute, in wall seconds
        self._log = (work / "simulator.log").open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "--home", str(work / "simulator-home"),
             "sandbox", "serve", "--port", "0", "--time-scale", f"{time_scale:g}"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=self._log, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise SystemExit(f"the simulator did not start (see {work / 'simulator.log'})")
        self.info: dict[str, Any] = json.loads(line)
        # Nothing more is expected on stdout; drain it anyway so the server never blocks.
        threading.Thread(target=self.process.stdout.read, daemon=True).start()
        self.root = str(self.info["base_url"]).rstrip("/").removesuffix("/v3")

    def stats(self) -> dict[str, Any]:
        return dict(requests.get(f"{self.root}/__sandbox/stats", timeout=10).json())

    def reset(self) -> None:
        """A fresh company; stats, throttle windows and faults cleared (tokens kept)."""
        requests.post(f"{self.root}/__sandbox/reset", timeout=30).raise_for_status()

    def set_latency(self, simulated_seconds: float) -> None:
        """Every API request answered ``simulated_seconds`` later (QBO's response time).

        The simulator's ``delay`` fault, scaled like its clock, sleeps inside the request's
        concurrency slot, so slow answers hold slots as QBO's would.
        """
        settings = {"delay": 1.0, "delay_seconds": simulated_seconds / self.time_scale} \
            if simulated_seconds else {}
        requests.post(f"{self.root}/__sandbox/faults", json=settings,
                      timeout=10).raise_for_status()

    def close(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()


@dataclass(frozen=True)
class Traffic:
    """What the simulator saw between two stats snapshots."""

    total: int
    batches: int
    writes: int
    throttled: int
    by_operation: dict[str, int]

    @classmethod
    def between(cls, before: dict[str, Any], after: dict[str, Any]) -> Traffic:
        def delta(section: str) -> dict[str, int]:
            old, new = before.get(section, {}), after.get(section, {})
            return {k: v - old.get(k, 0) for k, v in new.items() if v != old.get(k, 0)}

        operations = delta("by_operation")
        return cls(total=after.get("total", 0) - before.get("total", 0),
                   batches=operations.get("batch", 0),
                   writes=sum(n for op, n in operations.items() if op not in READ_OPERATIONS),
                   throttled=delta("by_status").get("429", 0), by_operation=operations)


# -- one data folder, driven through the command line ------------------------------------------
class Books:
    def __init__(self, home: Path, env: dict[str, str], workers: int | None = None) -> None:
        self.home = home
        self.env = env
        self.workers = workers  # the post command's hidden --workers (its default: None)

    def cli(self, *args: str, ok: tuple[int, ...] = (0,)) -> tuple[float, str]:
        """Run ``ledgerbridge --home HOME ARGS`` in a child; (wall seconds, stdout)."""
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "app.cli", "--home", str(self.home), *args],
                              cwd=ROOT, env=self.env, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        if done.returncode not in ok:
            raise SystemExit(f"`ledgerbridge {' '.join(args)}` exited {done.returncode}:\n"
                             f"{done.stderr[-3000:]}{done.stdout[-2000:]}")
        return seconds, done.stdout

    def bench_child(self, part: str, *args: object) -> str:
        """This script in a fresh child process, for one measurement; its stdout."""
        done = subprocess.run([sys.executable, __file__, "--child", part,
                               *(str(a) for a in args)],
                              cwd=ROOT, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"the {part} child exited {done.returncode}:\n{done.stderr[-3000:]}")
        return done.stdout.strip().splitlines()[-1]

    def here(self, *args: str) -> None:
        """``ledgerbridge --home HOME ARGS`` in this process (setting up: not measured)."""
        import contextlib
        import io

        from app.cli import main as cli_main

        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = cli_main(["--home", str(self.home), *args])
        if code:
            raise SystemExit(f"`ledgerbridge {' '.join(args)}` exited {code}:\n"
                             f"{out.getvalue()[-3000:]}")

    def set_up(self, exports: Path, mapping: Path, simulator: Simulator) -> None:
        """Import the exports, the mapping, and connect to the simulator at its URL."""
        self.here("import", str(exports))
        self.here("mapping", "import", str(mapping))
        self.here("connect", "--environment", "local", "--base-url",
                  str(simulator.info["base_url"]))

    def post(self, period: tuple[date, date] | None = None) -> tuple[float, dict[str, Any]]:
        """``post --yes --json`` (exit 1, something failed, is reported, not fatal)."""
        args = ["post", "--yes", "--json"]
        if self.workers is not None:
            args += ["--workers", str(self.workers)]
        if period is not None:
            args += ["--from", period[0].isoformat(), "--to", period[1].isoformat()]
        seconds, out = self.cli(*args, ok=(0, 1))
        return seconds, json.loads(out)

    @contextmanager
    def database(self) -> Iterator[Any]:
        from app.config import resolve_paths
        from app.models.database import Database

        database = Database.open(resolve_paths(self.home))
        try:
            yield database
        finally:
            database.close()

    def run_times(self, run_id: int) -> tuple[datetime, datetime | None]:
        """When the run was started (after planning) and finished (after the scan)."""
        from app.models.jobs import PostingRun

        with self.database() as database, database.session() as session:
            run = session.get(PostingRun, run_id)
            assert run is not None
            return run.started_at, run.finished_at

    def jobs(self, run_id: int) -> list[tuple[str, str, datetime | None, datetime | None]]:
        """(entity, status, sent_at, finished_at) of every job of the run."""
        from sqlalchemy import select

        from app.models.jobs import Job

        with self.database() as database, database.session() as session:
            rows = session.execute(select(Job.entity_type, Job.status, Job.sent_at,
                                          Job.finished_at).where(Job.run_id == run_id)
                                   .order_by(Job.id))
            return [(e, s, a, b) for e, s, a, b in rows]


# -- 1. first sync -------------------------------------------------------------------------------
@dataclass
class FirstSync:
    operations: int
    posted: int
    traffic: Traffic
    command_seconds: float
    phase_seconds: float
    sustained: float | None  # ops a simulated minute over the phase's whole minutes
    whole_minutes: int
    # (entity, ops, first sent, last finished) in seconds from the first write, by kind
    waves: list[tuple[str, int, float, float]]
    report: dict[str, Any]
    # wall seconds: command start → run started (load, pre-flight, plan), → first write
    # (jobs enqueued), last answer → run finished (duplicate scan), → command end
    stages: tuple[float, float, float, float]


def first_sync(books: Books, simulator: Simulator) -> FirstSync:
    before = simulator.stats()
    launched = datetime.now(UTC)
    seconds, report = books.post()
    ended = datetime.now(UTC)
    traffic = Traffic.between(before, simulator.stats())
    run_started, run_finished = books.run_times(int(report["run_id"]))
    jobs = books.jobs(int(report["run_id"]))
    done = [(e, a, b) for e, s, a, b in jobs if s in ("posted", "adopted") and a and b]
    start = min(a for _, a, _ in done)
    end = max(b for _, _, b in done)
    phase = (end - start).total_seconds()
    whole = int(phase // simulator.minute)
    sustained = None
    if whole:
        cut = whole * simulator.minute
        sustained = sum(1 for _, _, b in done if (b - start).total_seconds() < cut) / whole
    waves: list[tuple[str, int, float, float]] = []
    for entity, sent, finished in done:
        a, b = (sent - start).total_seconds(), (finished - start).total_seconds()
        if waves and waves[-1][0] == entity:
            _, n, first, last = waves[-1]
            waves[-1] = (entity, n + 1, min(first, a), max(last, b))
        else:
            waves.append((entity, 1, a, b))
    finished = run_finished or end
    stages = ((run_started - launched).total_seconds(), (start - run_started).total_seconds(),
              (finished - end).total_seconds(), (ended - finished).total_seconds())
    return FirstSync(len(jobs), len(done), traffic, seconds, phase, sustained, whole, waves,
                     report, stages)


def print_first_sync(result: FirstSync, simulator: Simulator) -> None:
    minute = simulator.minute
    phase_minutes = result.phase_seconds / minute
    rate = result.posted / phase_minutes
    t = result.traffic
    counts = result.report.get("counts", {})
    print(f"  operations planned {result.operations}, posted {result.posted}; run "
          f"{result.report.get('run_status')}, exit {result.report.get('exit_code')}, "
          f"counts {counts}")
    if result.report.get("failures"):
        print(f"  failures (first 3): {result.report['failures'][:3]}")
    print(f"  requests {t.total}: batch {t.batches} "
          f"({result.posted / max(t.batches, 1):.1f} operations a batch), write requests "
          f"{t.writes}, 429s {t.throttled}; by operation {t.by_operation}")
    print(f"  whole command {result.command_seconds:.1f} s wall; posting phase (first write "
          f"to last) {result.phase_seconds:.1f} s wall = {phase_minutes:.2f} simulated min")
    before_run, enqueue, scan, close = result.stages
    print(f"  outside the posting phase: {before_run:.1f} s start, recovery, load, pre-flight "
          f"and plan; {enqueue:.1f} s jobs enqueued; {scan:.1f} s duplicate scan and the "
          f"run closed; {close:.1f} s to exit")
    print(f"  ops per simulated minute over the posting phase: {rate:,.0f} "
          f"= {100 * rate / BOUND:.0f} % of the {BOUND:,} bound "
          f"(batch requests {t.batches / phase_minutes:.1f}/min of 40)")
    if result.sustained is not None:
        print(f"  sustained over the phase's {result.whole_minutes} whole simulated minutes: "
              f"{result.sustained:,.0f} ops/min = {100 * result.sustained / BOUND:.0f} % "
              f"of {BOUND:,}")
    print("  by kind, in sending order (operations; simulated minutes from the first write, "
          "first job marked sending → last answered; wall time from the kind before's last "
          "answer to this kind's first send):")
    previous_end = 0.0
    for entity, n, first, last in result.waves:
        gap = max(0.0, first - previous_end)
        print(f"    {entity:14} {n:6}  {first / minute:6.2f} → {last / minute:6.2f}  "
              f"({(last - first) / minute:5.2f} min)  gap {gap * 1000:4.0f} ms")
        previous_end = last


# -- 2. re-sync with no change -----------------------------------------------------------------
def resync(books: Books, simulator: Simulator, runs: int, profile: Path | None,
           quick: bool = False) -> None:
    seconds, writes, totals, statuses = [], [], [], []
    for _ in range(runs):
        before = simulator.stats()
        wall, report = books.post()
        traffic = Traffic.between(before, simulator.stats())
        seconds.append(wall)
        writes.append(traffic.writes)
        totals.append(traffic.total)
        statuses.append(report.get("run_status"))
    print(f"  write requests per re-sync {writes} (requests of any kind {totals}); "
          f"outcome {sorted(set(statuses))}")
    print(f"  whole `post` command: {spread(seconds)} wall")
    if not quick:
        started = [_startup(books) for _ in range(runs)]
        print(f"  of which process start (`ledgerbridge --version`): {spread(started)}")
    print(f"  targets: zero write requests ({'met' if not any(writes) else 'NOT met'}), "
          f"under 2 s ({'met' if statistics.median(seconds) < 2 else 'NOT met'})")
    if profile is not None:
        profiled(profile / "resync.prof", books, "post", "--yes", "--json")


def profiled(path: Path, books: Books, *args: str) -> None:
    """One more command, in this process under cProfile; the costliest calls printed."""
    import contextlib
    import cProfile
    import io
    import pstats
    from unittest import mock

    import app.cli.commands.post as post_command
    from app.cli import main as cli_main

    path.parent.mkdir(parents=True, exist_ok=True)
    profiler = cProfile.Profile()
    # cProfile sees one thread: the post's work runs inline here instead of on the
    # thread that lets Ctrl-C cancel it (the poster's workers only wait on HTTP).
    inline = mock.patch.object(post_command, "run_cancellable",
                               lambda work, cancel, name: work())
    with inline, contextlib.redirect_stdout(io.StringIO()):
        profiler.runcall(cli_main, ["--home", str(books.home), *args])
    profiler.dump_stats(str(path))
    out = io.StringIO()
    pstats.Stats(str(path), stream=out).sort_stats("cumulative").print_stats(r"app/", 25)
    print(f"  cProfile of one more `{' '.join(args)}` in this process ({path}), "
          "app functions by cumulative time:")
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print("\n".join("    " + line for line in lines[start:] if line.strip()))


def _startup(books: Books) -> float:
    return books.cli("--version")[0]


# -- 3. preview growth ---------------------------------------------------------------------------
def month(year_start: date, index: int) -> tuple[date, date]:
    """Month ``index`` (1-based) from ``year_start``: its first and last day."""
    y, m = divmod(year_start.month - 1 + index - 1, 12)
    first = date(year_start.year + y, m + 1, 1)
    y2, m2 = divmod(first.month, 12)
    following = date(first.year + y2, m2 + 1, 1)
    return first, date.fromordinal(following.toordinal() - 1)


def time_preview(books: Books, period: tuple[date, date], runs: int) -> dict[str, Any]:
    """A preview's parts, each run in a fresh child process; and the whole command."""
    parts = [json.loads(books.bench_child("preview-parts", books.home, *period))
             for _ in range(runs)]
    command = [books.cli("preview", "--json", "--from", period[0].isoformat(), "--to",
                         period[1].isoformat())[0] for _ in range(runs)]
    figures: dict[str, Any] = {name: [p[name] for p in parts]
                               for name in ("load", "check", "plan")}
    return {**figures, "ops": parts[0]["ops"], "ledger": parts[0]["ledger"],
            "command": command}


def preview_parts(home: Path, start: date, end: date) -> dict[str, Any]:
    """In a child: one preview's load, pre-flight and plan, timed apart (imports first)."""
    import keyring

    import app.accounting.detailed
    import app.accounting.summary  # noqa: F401  (imported before the clock starts)
    from app.accounting.planner import plan
    from app.company_data import load_company_data
    from app.company_session import company_client
    from app.config import resolve_paths
    from app.mapping.defaults import with_defaults
    from app.plan.plan import Period
    from app.sync.preflight import check_company
    from bench.file_keyring import BenchFileKeyring

    keyring.set_keyring(BenchFileKeyring())
    books = Books(home, dict(os.environ))
    with books.database() as database:
        started = time.perf_counter()
        data = load_company_data(database)
        loaded = time.perf_counter()
        assert data.mapping is not None
        with company_client(data.company, database, resolve_paths(home).data_dir) as client:
            checked = check_company(client, with_defaults(data.mapping, data.dataset))
        checked_at = time.perf_counter()
        planned = plan(data.dataset, checked.mapping, data.ledger, Period(start, end),
                       data.locked)
        done = time.perf_counter()
    return {"load": loaded - started, "check": checked_at - loaded, "plan": done - checked_at,
            "ops": len(planned.operations), "ledger": len(data.ledger)}


def preview_growth(books: Books, months: int, go_live: date, runs: int,
                   profile: Path | None, quick: bool = False) -> None:
    first, last = month(go_live, 1), month(go_live, months)
    empty_first = time_preview(books, first, runs)
    # Month M on the empty ledger separates what month M's data costs from the history.
    empty_last = None if quick else time_preview(books, last, runs)
    posting, posted = [], 0
    for index in range(1, months):
        wall, report = books.post(month(go_live, index))
        posting.append(wall)
        posted += int(report.get("counts", {}).get("posted", 0))
        if report.get("exit_code"):
            print(f"  month {index}: exit {report['exit_code']}, {report.get('counts')}")
    print(f"  posted months 1..{months - 1} one by one: {posted} operations, "
          f"{sum(posting):.1f} s wall in all")
    after = time_preview(books, last, runs)
    rows = [("month 1, empty ledger", first, empty_first),
            (f"month {months}, empty ledger", last, empty_last),
            (f"month {months}, after {months - 1} posted", last, after)]
    print(f"  {'preview of':34} {'ledger':>7} {'ops':>6}  {'load':>22}  {'pre-flight':>22}  "
          f"{'plan':>22}  {'whole command':>22}")
    for label, period, figures in rows:
        if figures is None:
            continue
        print(f"  {label + f' ({period[0]:%b %Y})':34} {figures['ledger']:7} "
              f"{figures['ops']:6}  {spread(figures['load']):>22}  "
              f"{spread(figures['check']):>22}  {spread(figures['plan']):>22}  "
              f"{spread(figures['command']):>22}")

    def ratio(part: str) -> float:
        return statistics.median(after[part]) / statistics.median(empty_first[part])

    local = [a + b for a, b in zip(after["load"], after["plan"], strict=True)]
    local_first = [a + b for a, b in zip(empty_first["load"], empty_first["plan"], strict=True)]
    both = statistics.median(local) / statistics.median(local_first)
    print(f"  month {months} after {months - 1} posted vs month 1 on the empty ledger: "
          f"load {ratio('load'):.2f}x, plan {ratio('plan'):.2f}x, load + plan {both:.2f}x, "
          f"pre-flight {ratio('check'):.2f}x, whole command {ratio('command'):.2f}x "
          f"(target <= 1.5x: {'met' if both <= 1.5 else 'NOT met'} for load + plan)")
    if profile is not None:
        profiled(profile / "preview.prof", books, "preview", "--json", "--from",
                 last[0].isoformat(), "--to", last[1].isoformat())


# -- the run ---------------------------------------------------------------------------------------
def child_environment(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("LEDGERBRIDGE_HOME", "LEDGERBRIDGE_DATABASE_URL")}
    env["PYTHON_KEYRING_BACKEND"] = KEYRING_BACKEND
    env["LEDGERBRIDGE_BENCH_KEYRING"] = str(work / "keyring.json")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def detailed_mapping(work: Path) -> tuple[Path, date]:
    import tomllib

    text = MAPPING.read_text(encoding="utf-8")
    if 'style = "summary"' not in text:
        raise SystemExit(f"{MAPPING} no longer says style = \"summary\"")
    path = work / "demo-mapping-detailed.toml"
    path.write_text(text.replace('style = "summary"', 'style = "detailed"', 1), encoding="utf-8")
    go_live = tomllib.loads(text)["go_live"]
    return path, go_live


def run(args: argparse.Namespace, work: Path) -> None:
    import keyring

    from app.importers.demo_data import write_demo_data
    from bench.file_keyring import BenchFileKeyring

    env = child_environment(work)
    # This process reads the company too (part 3's in-process preview): same file keyring.
    keyring.set_keyring(BenchFileKeyring(work / "keyring.json"))
    mapping, go_live = detailed_mapping(work)
    exports = work / "exports"
    rows = write_demo_data(exports, families=args.families, months=args.months, seed=1)
    print(f"demo exports (write_demo_data): {args.families} families, {args.months} months, "
          f"seed 1: {rows['customer']} customers, {rows['participant']} participants, "
          f"{rows['charge']} charges, {rows['payment']} payments, {rows['refund']} refunds; "
          "mapping resources/examples/demo-mapping.toml with style = detailed")
    simulator = Simulator(work, args.time_scale, env)
    try:
        print(f"simulator pid {simulator.process.pid}, time scale {args.time_scale:g} "
              f"(1 simulated minute = {simulator.minute:.2f} s wall); every API request "
              f"answered {args.latency:g} simulated s later than the simulator would; "
              f"post --workers {args.workers or 'default'}")
        if "first" in args.only or "resync" in args.only:
            books = Books(work / "first-sync", env, args.workers)
            books.set_up(exports, mapping, simulator)
            simulator.set_latency(args.latency)
            print("\n1. first sync, go-live to the last record, one `post --yes`:")
            print(f"   load before: {os.getloadavg()[0]:.2f}")
            result = first_sync(books, simulator)
            print_first_sync(result, simulator)
            if "resync" in args.only:
                print(f"\n2. re-sync with no change, `post --yes` x {args.runs}:")
                resync(books, simulator, args.runs, args.profile, args.quick)
        if "preview" in args.only:
            simulator.reset()
            books = Books(work / "month-by-month", env, args.workers)
            books.set_up(exports, mapping, simulator)
            simulator.set_latency(args.latency)
            print(f"\n3. preview of month {args.months} after {args.months - 1} posted months "
                  f"vs month 1 (medians of {args.runs}):")
            preview_growth(books, args.months, go_live, args.runs, args.profile, args.quick)
    finally:
        simulator.close()
    print(f"\nload average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=400)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--time-scale", type=float, default=10.0,
                        help="simulator clock speed-up (10: a simulated minute is 6 s)")
    parser.add_argument("--runs", type=int, default=5, help="runs for the medians")
    parser.add_argument("--only", default=",".join(PARTS),
                        help="comma-separated parts: first, resync, preview")
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 6 families, 2 months, time scale 60, 1 run")
    parser.add_argument("--latency", type=float, default=0.0, metavar="SECONDS",
                        help="simulated seconds added to every API request's answer, as a "
                        "slower QBO would (default 0: the simulator's own speed)")
    parser.add_argument("--workers", type=int,
                        help="the post command's worker threads (default: its own)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--profile", type=Path, metavar="DIR",
                        help="also profile one re-sync and one preview (cProfile) into DIR")
    args = parser.parse_args(argv)
    if args.child:  # one measurement in a fresh process
        part, home, start, end = args.child
        assert part == "preview-parts"
        print(json.dumps(preview_parts(Path(home), date.fromisoformat(start),
                                       date.fromisoformat(end))))
        return 0
    if args.quick:
        args.families, args.months, args.time_scale, args.runs = 6, 2, 60.0, 1
    args.only = {p.strip() for p in args.only.split(",") if p.strip()}
    if args.only - set(PARTS) or args.months < 2:
        parser.error(f"--only takes {', '.join(PARTS)}; --months at least 2")
    print(f"machine: {machine()}")
    in_work_folder(args.keep, "post-bench-", lambda work: run(args, work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
