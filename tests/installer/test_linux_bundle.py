"""Issue 13's first acceptance: the Linux bundle builds from a clean clone and its own
self-test passes, printing its size and start time.

A ``git clone`` of this repository (its committed state) in a temporary folder, with no
``../shared`` beside it; ``installer/build_linux.py`` there, with this interpreter (it has
the dependencies and PyInstaller; without PyInstaller the test is skipped — the script
would then make its own environment from PyPI). About a minute and a half.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle is built on Linux"),
    pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None,
                       reason="PyInstaller is not installed (pip install -e '.[build]')"),
    pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                       reason="needs git and a git checkout to clone"),
]


def test_the_linux_bundle_builds_from_a_clean_clone_and_passes_its_self_test(tmp_path):
    clone = tmp_path / "clean"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    assert not (clone.parent / "shared").exists()
    done = subprocess.run([sys.executable, "installer/build_linux.py"], cwd=clone,
                          capture_output=True, text=True, timeout=1800)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert out.count("self-test ok") == 4 and "MISSING" not in out
    assert re.search(r"\d+ modules imported, \d+ migrations, 4 resources; Qt platform "
                     r"plugins offscreen, xcb; QtCharts loaded", out)
    size = re.search(r"bundle: build/dist/Ledgerbridge, (\d+) MB", out)
    start = re.search(r"usable window after .* \(median ([\d.]+) s", out)
    assert size and start, out
    assert (clone / "build" / "dist" / "Ledgerbridge" / "ledgerbridge-cli").exists()
    installer = clone / "build" / "dist" / "Ledgerbridge" / "install.sh"  # the desktop entry
    assert installer.exists() and os.access(installer, os.X_OK)
    assert list((clone / "build").glob("Ledgerbridge-*-linux-*.tar.gz"))
    print(f"\nbundle {size.group(1)} MB, usable window after {start.group(1)} s (median)")
