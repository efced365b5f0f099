"""Issue 9, crash test: ``ledgerbridge post`` SIGKILLed 20 times, then finished.

A ``ledgerbridge --home H post --yes`` process (the real command line, in a process of its
own) posts the detailed plan of the shared export set (over 2,000 operations) to a
simulator running in another process, and is killed with SIGKILL at 20 seeded random
moments, then started again each time; a last ``post`` finishes. QuickBooks must then
hold, record by record (``qbo_snapshot.py``), exactly what one undisturbed run produced
on a fresh company, with no key twice; the local state must be clean (no job left
``sending``, nothing failed, the last run finished, every interrupted run marked so);
``ledgerbridge errors`` shows nothing; another post sends nothing.

Run twice: with the simulator replaying requestids as QBO promises, and with it
executing every replay again (``requestid_not_honoured`` = 1.0), where only the stamped
key looked up before a resend stands between a kill and a duplicate.

The simulator runs in the test process, so that a kill can be fired from inside it,
exactly when a given write request has been handled (``KillSwitch``): watching it from
outside, a loaded machine let a kill land several requests late. Kill moments, drawn
from ``random.Random(seed)``: ``STARTUP_KILLS`` of the 20 land at a uniform moment
between the process start and the undisturbed run's first write (imports, recovery of
the last kill's in-doubt jobs, pre-flight, planning, enqueueing), or at the attempt's
first write if that comes sooner; the others, in a shuffled order, once the simulator
has applied the attempt's ``k``-th write request (``k`` uniform in 1..``MAX_WRITES``),
after a further uniform delay of up to ``JITTER`` seconds — with no delay its answer is
lost; otherwise the kill lands between any two statements of the poster: jobs marked
sending, requests in flight, answers not yet committed. A kill costs the run about four
batch requests (the poster's workers keep several requests in flight), so 20 kills stay
inside a run of about 76; every kill must hit a running post.
"""

from __future__ import annotations

import contextlib
import os
import random
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.conftest import TIME_SCALE, Baseline
from tests.reliability.harness import (
    READ_OPERATIONS,
    Home,
    Simulator,
    local_state,
    wait_for,
)
from tests.reliability.qbo_snapshot import snapshot

KILLS = 20
STARTUP_KILLS = 6
MAX_WRITES = 2
JITTER = 0.03
SEEDS = {"honoured": 9001, "ignored": 9002}


@dataclass(frozen=True)
class Kill:
    phase: str  # "startup" or "sending"
    after: float  # seconds after the process started
    writes: int  # write requests of the killed process the simulator handled


class KillSwitch:
    """SIGKILLs a process from inside the in-process simulator: right after the simulator
    has handled the ``writes``-th write request since ``arm`` (applied, its answer not
    yet sent back), then ``delay`` seconds later. Wraps the simulator's request counter;
    the counts it serves are unchanged."""

    def __init__(self, simulator: Simulator) -> None:
        stats = simulator.server.app.stats
        record = stats.record
        self._lock = threading.Lock()
        self._target: tuple[int, int, float] | None = None  # pid, writes left, delay

        def counting(method: str, entity: str, status: int, operation: str) -> None:
            record(method, entity, status, operation)
            if operation not in READ_OPERATIONS:
                self._counted()

        stats.record = counting

    def arm(self, pid: int, writes: int, delay: float) -> None:
        with self._lock:
            self._target = (pid, writes, delay)

    def disarm(self) -> None:
        with self._lock:
            self._target = None

    def _counted(self) -> None:
        with self._lock:
            if self._target is None:
                return
            pid, left, delay = self._target
            self._target = (pid, left - 1, delay) if left > 1 else None
        if left == 1:
            if delay:
                threading.Timer(delay, _kill, (pid,)).start()
            else:
                _kill(pid)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.parametrize("requestid", ["honoured", "ignored"])
def test_posts_killed_at_random_moments_end_with_the_books_of_an_undisturbed_run(
        tmp_path: Path, prepared: Path, baseline: Baseline,
        requestid: str) -> None:
    rng = random.Random(SEEDS[requestid])
    started_test = time.monotonic()
    with Simulator(tmp_path / "simulator", TIME_SCALE, in_process=True) as simulator:
        switch = KillSwitch(simulator)
        home = Home.copy_of(prepared, tmp_path, simulator)
        if requestid == "ignored":
            simulator.set_faults(requestid_not_honoured=1.0)
        phases = ["startup"] * STARTUP_KILLS + ["sending"] * (KILLS - STARTUP_KILLS)
        rng.shuffle(phases)
        kills = [_post_and_kill(home, simulator, switch, rng, baseline, number, phase)
                 for number, phase in enumerate(phases, 1)]

        final = home.run("post", "--yes", "--json", expect=None)
        assert final.returncode == 0, final.stdout[-3000:] + final.stderr[-3000:]
        writes = simulator.write_requests()
        home.run("post", "--yes")  # the period again: nothing left to send
        assert simulator.write_requests() == writes
        faults = simulator.faults_injected()
        simulator.set_faults()  # the reader below must see the company as it is
        books = snapshot(simulator.reader.query)

    assert books.duplicates == {}
    assert books.unstamped == ()
    assert books == baseline.snapshot, books.differences(baseline.snapshot)

    state = local_state(home)
    # Nothing sending, pending, failed (in doubt or not), blocked, held or cancelled; a
    # job may be 'skipped' only where a newer plan of its record was posted instead.
    assert set(state["jobs"]) <= {"posted", "skipped"}, state
    assert state["jobs"]["posted"] == baseline.operations == state["ledger"]
    assert state["ledger_keys_unique"] and state["posted_twice"] == []
    assert state["skipped_never_posted"] == []
    assert state["runs"][-1] == "finished", state
    assert set(state["runs"][:-1]) <= {"interrupted"}, state
    assert home.json("errors") == []
    home.run("errors")  # exit 0: nothing failed

    startup = sum(1 for k in kills if k.phase == "startup")
    print(f"\ncrash ({requestid} requestid): {baseline.operations} operations, {len(kills)} "
          f"kills ({startup} in start-up, {len(kills) - startup} while sending; "
          f"write requests by killed processes {[k.writes for k in kills]}), "
          f"{len(state['runs'])} runs, manifest {state['manifest']}, jobs {state['jobs']}, "
          f"{writes} write requests "
          f"in all vs {baseline.writes} undisturbed, replays re-executed: "
          f"{faults.get('requestid_not_honoured', 0)}, "
          f"{time.monotonic() - started_test:.0f} s")


def _post_and_kill(home: Home, simulator: Simulator, switch: KillSwitch, rng: random.Random,
                   baseline: Baseline, number: int, phase: str) -> Kill:
    """Start a post and SIGKILL it at a random moment (see the module docstring)."""
    writes_before = simulator.write_requests()
    started = time.monotonic()
    process = home.start("post", "--yes", tag=f"post-{number}")
    if phase == "startup":
        delay = rng.uniform(0, baseline.first_write)
        switch.arm(process.pid, 1, 0.0)  # unless the first write comes sooner
        wait_for(lambda: process.poll() is not None, delay, interval=0.005)
        _kill(process.pid)
    else:
        writes, delay = rng.randint(1, MAX_WRITES), rng.uniform(0, JITTER)
        switch.arm(process.pid, writes, delay)
    try:
        process.wait(timeout=120)
    finally:
        switch.disarm()
    out, err = home.output(f"post-{number}")
    assert process.returncode == -signal.SIGKILL, (
        f"post {number} ended (exit {process.returncode}) before its kill "
        f"({phase}, {delay:.3f} s): {out[-2000:]} {err[-2000:]}")
    return Kill(phase, time.monotonic() - started, simulator.write_requests() - writes_before)
