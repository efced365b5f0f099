"""``bench/post_bench.py --quick`` still runs end to end (a smoke test: no timings asserted).

The benchmark drives the app's own commands against a simulator in another process, so
it rots quietly when a command, a table or a stats field changes; this runs its smallest
size (6 families, 2 months, time scale 60, one run) and checks that every part reported.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_post_bench_quick_runs_every_part(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "post_bench.py"), "--quick",
                           "--keep", str(tmp_path / "work")],
                          cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-3000:]
    out = done.stdout
    assert "machine:" in out and "CPUs" in out and "load average" in out
    assert "1. first sync" in out and "run finished, exit 0" in out
    assert "ops per simulated minute over the posting phase" in out
    assert "429s 0" in out
    assert "write requests per re-sync [0]" in out  # nothing changed: nothing written
    assert "3. preview of month 2 after 1 posted months" in out
    assert "month 2 after 1 posted vs month 1 on the empty ledger" in out
