"""The data, mapping and undisturbed run shared by the reliability tests.

One demo export set (``ledgerbridge demo-data``) large enough that a detailed post of it
is more than 2,000 operations, the example mapping in the detailed style (with deferred
revenue, so journal entries are in the mix), and one undisturbed ``post`` of it on a
fresh simulator company: its snapshot (``qbo_snapshot.py``), its write requests and its
timeline are what every disturbed run is held to.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.reliability.harness import Home, Simulator, detailed_mapping
from tests.reliability.qbo_snapshot import Snapshot, snapshot

TIME_SCALE = 60.0  # QBO's per-minute limits and token lives, 60 times faster
FAMILIES, MONTHS = 105, 6  # about 2,050 operations in the detailed style
MIN_OPERATIONS = 2000


@dataclass(frozen=True)
class Baseline:
    operations: int  # operations in the plan (preview --json)
    writes: int  # write requests the simulator received
    snapshot: Snapshot
    first_write: float  # seconds from the process start to its first write request
    duration: float  # seconds from the process start to its exit

    @property
    def sending(self) -> float:
        return self.duration - self.first_write


@pytest.fixture(scope="session")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    Home(folder / "writer").run("demo-data", "--out", str(folder / "demo"), "--families",
                                str(FAMILIES), "--months", str(MONTHS))
    return folder / "demo"


@pytest.fixture(scope="session")
def mapping(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = detailed_mapping(tmp_path_factory.mktemp("mapping"))
    text = path.read_text()
    assert "deferred_revenue = false" in text
    path.write_text(text.replace("deferred_revenue = false", "deferred_revenue = true"))
    return path


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory, exports: Path, mapping: Path) -> Path:
    """A data folder holding the exports and the mapping, not connected: each test
    copies it (``Home.copy_of``) and connects the copy to a simulator of its own."""
    home = Home(tmp_path_factory.mktemp("prepared"))
    home.prepare(exports, mapping)
    return home.path


@pytest.fixture(scope="session")
def baseline(tmp_path_factory: pytest.TempPathFactory, prepared: Path) -> Baseline:
    """One undisturbed post of the whole export set on a fresh simulator company."""
    folder = tmp_path_factory.mktemp("baseline")
    with Simulator(folder / "simulator", TIME_SCALE) as simulator:
        home = Home.copy_of(prepared, folder, simulator)
        operations = len(home.json("preview")["operations"])
        assert operations >= MIN_OPERATIONS
        started = time.monotonic()
        process = home.start("post", "--yes", tag="post")
        first_write = None
        while process.poll() is None:
            if first_write is None and simulator.write_requests():
                first_write = time.monotonic() - started
            time.sleep(0.01)
        duration = time.monotonic() - started
        out, err = home.output("post")
        assert process.returncode == 0, out + err
        assert f"posted {operations}," in out, out
        assert first_write is not None
        baseline = Baseline(operations, simulator.write_requests(),
                            snapshot(simulator.reader.query), first_write, duration)
    assert not baseline.snapshot.duplicates and not baseline.snapshot.unstamped
    print(f"\nbaseline: {operations} operations, {baseline.writes} write requests, first "
          f"write at {first_write:.1f} s, finished in {duration:.1f} s")
    return baseline
