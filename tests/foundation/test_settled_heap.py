"""The desktop app's heap settling (app/yielding.py), in a process of its own: it changes
the collector for the rest of the process's life."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import gc, json
from app.yielding import heap_settled, settle_heap
before = gc.get_threshold()
frozen_before = gc.get_freeze_count()
settle_heap()
print(json.dumps({"before": before, "after": gc.get_threshold(), "settled": heap_settled(),
                  "frozen": gc.get_freeze_count() > frozen_before}))
"""


def test_settling_freezes_the_heap_and_makes_full_collections_rarer():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, check=True)
    found = json.loads(done.stdout)
    young, middle, old = found["before"]
    assert found["after"] == [young, middle, old * 10]  # young collections as before
    assert found["settled"] and found["frozen"]
