#!/usr/bin/env python3
"""Quick start: ``python3 dev.py run`` starts the app, ``python3 dev.py test`` runs the tests.

Needs only Python >= 3.11. On first use it creates ``.venv`` beside this file and
installs the project with its test extras; later runs reinstall only when
``pyproject.toml`` changed. On Debian/Ubuntu as root it installs the system libraries
Qt needs (its X11 platform's included) when they are missing; when the window still
cannot open, it names the missing library (``ldd`` of Qt's xcb plugin) and the apt line.
Tests always run Qt offscreen. ``python3 dev.py screenshots`` renders every screen of
the app and every page of the setup wizard on the demo company into ``docs/screenshots/``.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".ledgerbridge-installed"
# Shared libraries the Qt 6 wheels load even on the offscreen platform (Debian names).
QT_SYSTEM_PACKAGES = (
    "libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libdbus-1-3", "libglib2.0-0",
)


def qt_platform_module():  # type: ignore[no-untyped-def]
    """app/qt_platform.py (standard library only), loaded before the venv exists."""
    spec = importlib.util.spec_from_file_location("qt_platform", ROOT / "app" / "qt_platform.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def system_packages() -> list[str]:
    """Qt's own libraries plus every library of its X11 (xcb) platform plugin."""
    xcb = sorted(set(qt_platform_module().XCB_PACKAGES.values()))
    return [*QT_SYSTEM_PACKAGES, *(p for p in xcb if p not in QT_SYSTEM_PACKAGES)]


def venv_python() -> Path:
    scripts = "Scripts" if os.name == "nt" else "bin"
    return VENV / scripts / ("python.exe" if os.name == "nt" else "python")


def say(message: str) -> None:
    print(f"[dev] {message}", flush=True)


def apt_install(packages: list[str]) -> None:
    """Install Debian packages non-interactively (callers check that we are root)."""
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages],
                   check=True, env=env)


def ensure_system_libraries() -> None:
    """Install Qt's system libraries with apt when missing (Debian-family, as root only)."""
    if sys.platform != "linux" or not shutil.which("dpkg") or not shutil.which("apt-get"):
        return
    missing = [
        name for name in system_packages()
        if subprocess.run(["dpkg", "-s", name], capture_output=True).returncode != 0
    ]
    if not missing:
        return
    if os.geteuid() != 0:
        say(f"Qt needs these system packages: {' '.join(missing)}; "
            f"install them with: sudo apt-get install {' '.join(missing)}")
        return
    say(f"installing system libraries for Qt: {' '.join(missing)}")
    apt_install(missing)


def ensure_environment() -> Path:
    """Create .venv and install the project (with test extras) when needed."""
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    python = venv_python()
    if not python.exists():
        say(f"creating the virtual environment in {VENV}")
        create_venv()
    if not STAMP.exists() or STAMP.read_text().strip() != wanted:
        say("installing Ledgerbridge and its dependencies (first run takes a minute)")
        pip = [str(python), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "install", "-e", f"{ROOT}[test]"], check=True)
        STAMP.write_text(wanted)
    return python


def create_venv() -> None:
    """A venv with pip; Debian's own python3 needs its python3.X-venv package for that."""
    if importlib.util.find_spec("ensurepip") is None:
        package = f"python3.{sys.version_info.minor}-venv"
        if not (sys.platform == "linux" and shutil.which("apt-get") and os.geteuid() == 0):
            raise SystemExit("[dev] this Python cannot create virtual environments; on "
                             f"Debian or Ubuntu install: sudo apt-get install {package}")
        say(f"installing {package} (this Python has no ensurepip)")
        apt_install([package])
    venv.EnvBuilder(with_pip=True).create(VENV)


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_app(python: Path, extra: list[str]) -> int:
    env = dict(os.environ)
    if not has_display() and "QT_QPA_PLATFORM" not in env:
        say("no display server found: the window runs offscreen (invisible); "
            "the command line works as usual: .venv/bin/ledgerbridge --help")
        env["QT_QPA_PLATFORM"] = "offscreen"
    elif not check_xcb_plugin(python, env):
        return 3
    return subprocess.call([str(python), str(ROOT / "main.py"), "--demo", *extra], env=env)


def check_xcb_plugin(python: Path, env: dict[str, str]) -> bool:
    """False, having named what is missing, when Qt's X11 plugin cannot load here."""
    platform = qt_platform_module()
    if not platform.wants_xcb(env):
        return True
    found = subprocess.run(
        [str(python), "-c", "import PySide6, os; print(os.path.dirname(PySide6.__file__))"],
        capture_output=True, text=True, check=False)
    if found.returncode != 0:
        return True  # PySide6 itself is broken: let main.py say so
    missing = platform.missing_by_ldd(platform.xcb_plugin(Path(found.stdout.strip())))
    if missing:
        print(platform.advice(missing), file=sys.stderr)
    return not missing


def run_screenshots(python: Path, extra: list[str]) -> int:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.pop("LEDGERBRIDGE_HOME", None)
    out = extra or [str(ROOT / "docs" / "screenshots")]
    # The window's screens, then every page of the setup wizard (driven as its tests do).
    for module in ("app.ui.screenshots", "tests.ui.screenshots"):
        code = subprocess.call([str(python), "-m", module, *out], cwd=ROOT, env=env)
        if code:
            return code
    return 0


def run_tests(python: Path, extra: list[str]) -> int:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env.pop("LEDGERBRIDGE_HOME", None)
    return subprocess.call([str(python), "-m", "pytest", *extra], cwd=ROOT, env=env)


def main(argv: list[str]) -> int:
    if len(argv) < 1 or argv[0] not in ("run", "test", "screenshots"):
        print(__doc__.strip().splitlines()[0])
        print("usage: python3 dev.py run|test|screenshots [arguments for the app, pytest, "
              "or the screenshots' folder]")
        return 2
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py may run on an older python3)
        print("Ledgerbridge needs Python 3.11 or newer", file=sys.stderr)
        return 2
    ensure_system_libraries()
    python = ensure_environment()
    command, extra = argv[0], argv[1:]
    if command == "screenshots":
        return run_screenshots(python, extra)
    return run_app(python, extra) if command == "run" else run_tests(python, extra)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
