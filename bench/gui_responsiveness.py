"""Benchmark: the GUI event loop while the Monthly close imports, plans and posts (SPEC §10).

The real main window (offscreen unless ``QT_QPA_PLATFORM`` says otherwise) with its real
background helper (Qt's thread pool), driven as a bookkeeper drives it: the Import step
(``files_chosen``, as a drop), the Pre-flight (check and plan), the Preview tree, Post,
and the reconciliation that follows. A ``QTimer`` heartbeat (``bench/heartbeat.py``,
every ``--beat`` ms) runs through every phase; a beat that comes late measures how long
the loop was kept from answering. Target: no stall above 50 ms.

Two companies, each in its own data folder, against a simulator in a process of its own
(``ledgerbridge sandbox serve --time-scale N``, QBO's throttles on a faster clock, as
``bench/post_bench.py``):

1. **Post**: demo exports (``--families``, 12 months, seed 1), detailed style, the whole
   range posted from the window (at least 5,000 operations).
2. **100,000 payments**: demo exports of ``--big-families`` families (8,000: 100,148
   payments, 153,753 allocations), summary style; imported and planned from the window
   (the pre-flight against the simulator, the year's plan, the preview tree).

Prints per phase: seconds, beats, median and longest stall; and the machine. Tokens live
in a throwaway file keyring (``bench/file_keyring.py``), never the OS keyring.

    python bench/gui_responsiveness.py [--families 180] [--big-families 8000]
                                       [--time-scale 20] [--beat 5] [--only post,big]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.post_bench import (  # noqa: E402
    Books,
    Simulator,
    child_environment,
    detailed_mapping,
    in_work_folder,
    machine,
)

TARGET_MS = 50.0
IDLE_S = 10.0  # the idle baseline: the window shown, nothing running
PHASES: list[tuple[str, str, Any]] = []  # (company, phase, Heartbeat)


def run_until(done: Callable[[], bool], timeout: float) -> None:
    """Let the event loop run (never a sleep on the GUI thread) until ``done()``."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop, poll = QEventLoop(), QTimer()
    deadline = time.monotonic() + timeout
    poll.setInterval(20)
    poll.timeout.connect(lambda: loop.quit() if done() or time.monotonic() > deadline
                         else None)
    poll.start()
    if not done():
        loop.exec()
    poll.stop()
    if not done():
        raise SystemExit(f"timed out after {timeout:.0f} s")


class Watchdog:
    """``--why``: when the GUI thread misses its beat by ``limit_ms``, every thread's stack
    at that instant (``faulthandler``: a C thread, so it reports while another thread
    still holds the GIL — which thread kept the loop waiting, and where)."""

    def __init__(self, heartbeat: Any, limit_ms: float) -> None:
        self.limit = limit_ms / 1000
        heartbeat.timer.timeout.connect(self._arm)
        self._arm()

    def _arm(self) -> None:
        import faulthandler

        faulthandler.dump_traceback_later(self.limit, repeat=False, file=sys.stdout)

    def stop(self) -> None:
        import faulthandler

        faulthandler.cancel_dump_traceback_later()


WHY_MS: float | None = None
idle_since = 0.0


class GcPauses:
    """The cyclic garbage collector's pauses (any thread's: they hold the GIL)."""

    def __init__(self) -> None:
        import gc

        self.longest: dict[int, float] = {}
        self._started = 0.0
        gc.callbacks.append(self._callback)

    def _callback(self, event: str, info: dict[str, int]) -> None:
        if event == "start":
            self._started = time.perf_counter()
        else:
            spent = time.perf_counter() - self._started
            generation = info["generation"]
            self.longest[generation] = max(self.longest.get(generation, 0.0), spent)

    def take(self) -> str:
        found = ", ".join(f"gen{g} {t * 1000:.0f} ms" for g, t in sorted(self.longest.items()))
        self.longest = {}
        return found or "none"


GC = GcPauses()


def phase(company: str, name: str, beat_ms: int, act: Callable[[], None],
          done: Callable[[], bool], timeout: float = 1800.0) -> float:
    global idle_since
    idle_since = time.perf_counter()
    from bench.heartbeat import Heartbeat

    GC.take()
    heartbeat = Heartbeat(beat_ms).start()
    watchdog = Watchdog(heartbeat, WHY_MS) if WHY_MS else None
    started = time.perf_counter()
    act()
    run_until(done, timeout)
    seconds = time.perf_counter() - started
    heartbeat.stop()
    if watchdog is not None:
        watchdog.stop()
    PHASES.append((company, name, heartbeat))
    print(f"  {name:34} {seconds:7.2f} s  beats {heartbeat.beats:6}  stall median "
          f"{heartbeat.median_stall * 1000:4.1f} ms, 99th pct "
          f"{heartbeat.percentile_stall(0.99) * 1000:5.1f} ms, longest "
          f"{heartbeat.longest_stall * 1000:6.1f} ms, over 50 ms "
          f"{heartbeat.stalls_over(TARGET_MS / 1000)}x; longest gc pause {GC.take()}",
          flush=True)
    return seconds


class Window:
    """The app's main window on one data folder, as ``main.py`` builds it."""

    def __init__(self, home: Path) -> None:
        from app.config import resolve_paths
        from app.demo_company import demo_paths, open_demo_database, prepare_demo_company
        from app.models.database import Database
        from app.ui.application import settle_startup_heap
        from app.ui.main_window import MainWindow
        from app.ui.services import Services
        from app.ui.tasks import TaskRunner

        paths = resolve_paths(home).ensure()
        self.database = Database.open(paths)
        self.services = Services(paths, self.database, TaskRunner(),
                                 demo_paths=demo_paths(home),
                                 open_demo_database=open_demo_database,
                                 prepare_demo=prepare_demo_company)
        self.window = MainWindow(self.services, paths.config_dir / "window.ini")
        settle_startup_heap()  # as main.py does
        self.window.resize(1280, 800)
        self.window.show()
        self.window.start()
        run_until(lambda: bool(self.window.companies.choices) and not self.busy(), 60)
        self.window.show_screen("Monthly close")
        self.screen: Any = self.window.current_screen()
        run_until(lambda: self.screen.flow.start is not None and not self.busy(), 120)

    def busy(self) -> bool:
        return bool(self.services.runner.busy)

    def close(self) -> None:
        run_until(lambda: not self.busy(), 600)
        self.window.close()
        self.services.close()
        self.database.close()


def close_a_company(label: str, home: Path, exports: Path, period: tuple[date, date],
                    beat: int, post: bool) -> None:
    from app.plan.plan import Period

    window = Window(home)
    screen = window.screen
    flow = screen.flow
    phase(label, "idle window (the machine's noise)", beat, lambda: None,
          lambda: time.perf_counter() - idle_since > IDLE_S)
    flow.choose_period(Period(*period))
    screen.go("import")
    phase(label, "import (check + store)", beat,
          lambda: screen.import_page.files_chosen.emit((exports,)),
          lambda: flow.imported is not None and not window.busy())
    assert flow.imported.ok, flow.imported.headline
    print(f"    {flow.imported.headline[:150]}")
    phase(label, "pre-flight + plan + preview tree", beat, lambda: screen.go("preflight"),
          lambda: flow.check is not None and not window.busy())
    check = flow.check
    print(f"    {len(check.preview.operations):,} operations planned; stopping problems: "
          f"{len(check.stopping)}")
    phase(label, "preview shown (tree, first record)", beat, lambda: screen.go("preview"),
          lambda: not window.busy())
    if post:
        screen.go("post")
        phase(label, "post (from Post to the result)", beat,
              screen.post_page.post_button.click,
              lambda: flow.report is not None and not flow.posting, timeout=3600)
        summary = flow.report.summary
        print(f"    run {flow.report.run_id}: {flow.report.run_status}; posted "
              f"{summary.posted if summary else 0:,}, failed {summary.failed if summary else 0}")
        phase(label, "reconciliation (after the post)", beat, lambda: None,
              lambda: (flow.reconciliation is not None or flow.reconcile_error is not None)
              and not window.busy())
    window.close()


def set_up(home: Path, exports: Path, mapping: Path, simulator: Simulator,
           env: dict[str, str]) -> None:
    books = Books(home, env)
    books.here("mapping", "import", str(mapping))
    books.here("connect", "--environment", "local", "--base-url",
               str(simulator.info["base_url"]))


def run(args: argparse.Namespace, work: Path) -> None:
    import keyring
    from PySide6.QtWidgets import QApplication

    from app.importers.demo_data import write_demo_data
    from app.ui.application import create_application
    from bench.file_keyring import BenchFileKeyring

    env = child_environment(work)
    keyring.set_keyring(BenchFileKeyring(work / "keyring.json"))
    application = create_application(sys.argv[:1])
    assert isinstance(application, QApplication)
    simulator = Simulator(work, args.time_scale, env)
    try:
        print(f"simulator pid {simulator.process.pid}, time scale {args.time_scale:g}; "
              f"heartbeat every {args.beat} ms; Qt platform "
              f"{application.platformName()}")
        detailed, go_live = detailed_mapping(work)
        if "post" in args.only:
            exports = work / "post-exports"
            rows = write_demo_data(exports, families=args.families, months=12, seed=1)
            print(f"\n1. post: {args.families} families, 12 months: {rows['payment']:,} "
                  f"payments, {rows['charge']:,} charges; detailed style")
            set_up(work / "post-home", exports, detailed, simulator, env)
            close_a_company("post", work / "post-home", exports,
                            (go_live, date(go_live.year, 12, 31)), args.beat, post=True)
        if "big" in args.only:
            simulator.reset()
            exports = work / "big-exports"
            rows = write_demo_data(exports, families=args.big_families, months=12, seed=1)
            print(f"\n2. big: {args.big_families:,} families, 12 months: {rows['payment']:,} "
                  f"payments, {rows['payment_allocation']:,} allocations; summary style")
            summary_mapping = ROOT / "resources" / "examples" / "demo-mapping.toml"
            set_up(work / "big-home", exports, summary_mapping, simulator, env)
            close_a_company("big", work / "big-home", exports,
                            (go_live, date(go_live.year, 12, 31)), args.beat, post=False)
    finally:
        simulator.close()
    worst = max((p for p in PHASES if not p[1].startswith("idle")),
                key=lambda p: p[2].longest_stall)
    print(f"\nlongest stall anywhere: {worst[2].longest_stall * 1000:.1f} ms ({worst[0]}: "
          f"{worst[1]}); target <= {TARGET_MS:.0f} ms: "
          f"{'met' if worst[2].longest_stall * 1000 <= TARGET_MS else 'NOT met'}")
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--families", type=int, default=180,
                        help="families of the posted company (180: over 5,000 operations)")
    parser.add_argument("--big-families", type=int, default=8000,
                        help="families of the imported and planned company (8,000: 100,148 "
                        "payments)")
    parser.add_argument("--time-scale", type=float, default=20.0)
    parser.add_argument("--beat", type=int, default=5, help="heartbeat interval, ms")
    parser.add_argument("--only", default="post,big", help="post, big or both")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--why", type=float, metavar="MS",
                        help="print the threads' stacks whenever a beat is MS ms late")
    args = parser.parse_args(argv)
    global WHY_MS
    WHY_MS = args.why
    args.only = {p.strip() for p in args.only.split(",") if p.strip()}
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    print(f"machine: {machine()}")
    in_work_folder(args.keep, "gui-bench-", lambda work: run(args, work))
    return 0


if __name__ == "__main__":
    sys.exit(main())
