"""Issue 9: two ``post`` processes started at once on one company.

Exactly one posts; the other stops at once — before the first has finished — with exit
2 and the lock message, having sent nothing. QuickBooks then holds each key once and
exactly the undisturbed run's records, and the simulator received exactly as many write
requests as the undisturbed run made.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.reliability.conftest import TIME_SCALE, Baseline
from tests.reliability.harness import Home, Simulator, local_state
from tests.reliability.qbo_snapshot import snapshot

LOCKED = "another Ledgerbridge post is already running"


@pytest.mark.slow
def test_of_two_posts_started_at_once_one_posts_and_the_other_stops_at_once(
        tmp_path: Path, prepared: Path, baseline: Baseline) -> None:
    with Simulator(tmp_path / "simulator", TIME_SCALE) as simulator:
        home = Home.copy_of(prepared, tmp_path, simulator)
        started = time.monotonic()
        processes = {tag: home.start("post", "--yes", tag=tag) for tag in ("a", "b")}
        ended: dict[str, float] = {}
        while len(ended) < 2:
            for tag, process in processes.items():
                if tag not in ended and process.poll() is not None:
                    ended[tag] = time.monotonic() - started
            time.sleep(0.01)
        codes = {tag: process.returncode for tag, process in processes.items()}
        writes = simulator.write_requests()
        books = snapshot(simulator.reader.query)

    assert sorted(codes.values()) == [0, 2], (codes, home.output("a"), home.output("b"))
    winner = next(tag for tag, code in codes.items() if code == 0)
    loser = next(tag for tag, code in codes.items() if code == 2)
    out, err = home.output(loser)
    assert LOCKED in err and out == "", (out, err)
    assert ended[loser] < ended[winner], ended  # it did not wait for the lock
    assert f"posted {baseline.operations}," in home.output(winner)[0]

    assert writes == baseline.writes
    assert books.duplicates == {}
    assert books == baseline.snapshot, books.differences(baseline.snapshot)
    state = local_state(home)
    assert state["runs"] == ["finished"], state
    assert state["jobs"] == {"posted": baseline.operations}, state
    print(f"\ntwo posts: {loser} stopped after {ended[loser]:.1f} s (exit 2), {winner} "
          f"posted {baseline.operations} operations in {ended[winner]:.1f} s; {writes} "
          f"write requests, as undisturbed")
