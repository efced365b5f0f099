#!/usr/bin/env python3
"""Build the Linux bundle from this checkout and prove it is whole:

    python3 installer/build_linux.py [--python PY]

1. An environment with the app's dependencies and PyInstaller: ``--python PY`` if given;
   else this interpreter if it has them; else ``build/venv``, created and filled with
   ``pip install -e ".[build]"`` (PyPI; a few minutes the first time).
2. ``PyInstaller installer/ledgerbridge.spec`` → ``build/dist/Ledgerbridge/`` (the window
   ``Ledgerbridge``, the command line ``ledgerbridge-cli``), plus the desktop entry, its
   icon and ``install.sh`` (which writes the entry with this folder's absolute paths),
   packed as ``build/Ledgerbridge-<version>-linux-<machine>.tar.gz``.
3. The bundle's own ``--self-test``, offscreen, in a temporary home, with an environment
   that holds nothing of this checkout: it imports every ``app`` module, finds every
   migration, resource and Qt platform plugin (offscreen, xcb) and loads QtCharts (see
   ``app/bundle.py``, ``main.py``), on an empty home three times (start time) and on the
   demo company once; then ``ledgerbridge-cli --version``, ``status`` and ``sync --help``.
4. Prints the bundle's size and its start time. Exit 0 only when every step passed.

Needs Python 3.11+ and, for Qt, the system libraries ``python3 dev.py`` installs.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build"
DIST = BUILD / "dist" / "Ledgerbridge"
NEEDED = ("PyInstaller", "PySide6.QtCharts", "sqlalchemy", "alembic", "keyring", "filelock")
START_RUNS = 3


def say(message: str) -> None:
    print(f"[build] {message}", flush=True)


def version() -> str:
    text = (ROOT / "app" / "__init__.py").read_text(encoding="utf-8")
    found = re.search(r'^__version__ = "([^"]+)"', text, re.M)
    if found is None:
        raise SystemExit("no __version__ in app/__init__.py")
    return found.group(1)


def has_everything(python: str) -> bool:
    probe = f"import importlib; [importlib.import_module(m) for m in {NEEDED!r}]"
    return subprocess.run([python, "-c", probe], cwd=ROOT, capture_output=True).returncode == 0


def environment(chosen: str | None) -> str:
    if chosen:
        if not has_everything(chosen):
            raise SystemExit(f"{chosen} lacks one of {', '.join(NEEDED)}")
        return chosen
    if has_everything(sys.executable):
        return sys.executable
    folder = BUILD / "venv"
    python = folder / "bin" / "python"
    if not python.exists():
        say(f"creating {folder.relative_to(ROOT)} (the app's dependencies and PyInstaller)")
        venv.EnvBuilder(with_pip=True, clear=True).create(folder)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", ".[build]"],
                   cwd=ROOT, check=True)
    return str(python)


def build(python: str) -> None:
    where = subprocess.run([python, "-c", "import app; print(app.__file__)"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to(ROOT):
        raise SystemExit(f"{python} imports app from {where}, not from {ROOT}")
    say(f"PyInstaller with {python}")
    started = time.monotonic()
    log = BUILD / "pyinstaller.log"
    BUILD.mkdir(exist_ok=True)
    with log.open("w") as handle:
        done = subprocess.run([python, "-m", "PyInstaller", "--noconfirm", "--clean",
                               "--distpath", str(BUILD / "dist"), "--workpath",
                               str(BUILD / "work"), str(ROOT / "installer" / "ledgerbridge.spec")],
                              cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        print(log.read_text()[-4000:], file=sys.stderr)
        raise SystemExit(f"PyInstaller failed (the whole log: {log})")
    say(f"built {DIST.relative_to(ROOT)} in {time.monotonic() - started:.0f} s")
    shutil.copy(ROOT / "installer" / "linux" / "ledgerbridge.desktop", DIST)
    shutil.copy(ROOT / "installer" / "linux" / "install.sh", DIST)  # keeps its mode
    shutil.copy(ROOT / "resources" / "icons" / "ledgerbridge.png", DIST)


def bare_environment(home: Path) -> dict[str, str]:
    """Nothing of this checkout or its Python: what a user's session would have."""
    keep = ("PATH", "LANG", "LC_ALL", "DISPLAY", "WAYLAND_DISPLAY", "XDG_RUNTIME_DIR")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
                "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"})
    return env


def run_bundle(args: list[str], home: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    done = subprocess.run(args, cwd=home, env=bare_environment(home), capture_output=True,
                          text=True, timeout=300)
    return done, time.monotonic() - started


def self_test() -> tuple[list[float], list[float]]:
    """The self-test on an empty home (START_RUNS times) and on the demo company."""
    usable, wall = [], []
    with tempfile.TemporaryDirectory(prefix="lb-bundle-") as folder:
        for run in range(START_RUNS + 1):
            home = Path(folder) / f"home{run}"
            home.mkdir()
            demo = run == START_RUNS
            args = [str(DIST / "Ledgerbridge"), "--home", str(home / "lb"), "--self-test"]
            done, seconds = run_bundle(args + (["--demo"] if demo else []), home)
            print(done.stdout, end="")
            if done.returncode != 0 or not done.stdout.startswith("self-test ok"):
                print(done.stderr[-4000:], file=sys.stderr)
                raise SystemExit(f"the bundle's self-test failed ({' '.join(args)})")
            if not demo:
                found = re.search(r"usable after ([\d.]+) s", done.stdout)
                usable.append(float(found.group(1)) if found else float("nan"))
                wall.append(seconds)
        cli = str(DIST / "ledgerbridge-cli")
        home = Path(folder) / "cli"
        home.mkdir()
        for args, expect in (([cli, "--version"], f"ledgerbridge {version()}"),
                             ([cli, "--home", str(home / "lb"), "status", "--json"], '"jobs"'),
                             ([cli, "sync", "--help"], "--scheduled")):
            done, _seconds = run_bundle(args, home)
            if done.returncode != 0 or expect not in done.stdout:
                raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
        say("ledgerbridge-cli: --version, status --json and sync --help answer")
    return usable, wall


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def archive() -> Path:
    target = BUILD / f"Ledgerbridge-{version()}-linux-{platform.machine()}.tar.gz"
    with tarfile.open(target, "w:gz") as tar:
        tar.add(DIST, arcname=f"Ledgerbridge-{version()}")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", help="an interpreter with the app's dependencies and "
                        "PyInstaller (default: this one if it has them, else build/venv)")
    args = parser.parse_args()
    if sys.platform != "linux":
        raise SystemExit("this script builds the Linux bundle; see installer/windows and "
                         "installer/macos for the others")
    build(environment(args.python))
    usable, wall = self_test()
    packed = archive()
    say(f"bundle: {DIST.relative_to(ROOT)}, {size_of(DIST) / 1e6:.0f} MB "
        f"({sum(1 for _ in DIST.rglob('*'))} files); archive {packed.name}, "
        f"{packed.stat().st_size / 1e6:.0f} MB")
    say(f"start time (empty home, offscreen, {START_RUNS} runs): usable window after "
        f"{', '.join(f'{s:.2f}' for s in usable)} s (median {statistics.median(usable):.2f} s, "
        "the app's clock from its first line); whole self-test process "
        f"{', '.join(f'{s:.2f}' for s in wall)} s wall")
    say("ok: the bundle is whole")
    return 0


if __name__ == "__main__":
    sys.exit(main())
