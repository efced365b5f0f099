"""Can Qt open a window here? Name the missing system library instead of Qt's hint.

On Linux, Qt's xcb platform plugin (the window on X11) needs a dozen small X libraries
the PySide6 wheel does not ship. When one is missing Qt aborts with "From 6.5.0,
xcb-cursor0 or libxcb-cursor0 is needed…" and "Reinstalling the application may fix
this problem", whatever is actually missing. ``main.py`` checks first (each library is
opened with ``dlopen``: a few milliseconds) and says which library is missing and the
apt line that installs it. ``dev.py`` installs the whole list and, as a last check, reads
``ldd`` of the plugin itself. Standard library only: dev.py loads this file before the
virtual environment exists.
"""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

# What libqxcb.so and libQt6XcbQpa.so.6 of PySide6 6.12 link (ldd), with the Debian and
# Ubuntu package of each. libxcb-glx0 is for the GLX integration plugin (OpenGL views).
XCB_PACKAGES: dict[str, str] = {
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-glx.so.0": "libxcb-glx0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
}


def wants_xcb(environ: dict[str, str] | None = None) -> bool:
    """Qt will try X11: Linux, an X display, and no other platform asked for."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux") or not env.get("DISPLAY"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    return chosen == "" or chosen.startswith("xcb")


def missing_by_loading(sonames: list[str] | None = None) -> list[str]:
    """The libraries the dynamic loader cannot open (fast: no subprocess)."""
    missing = []
    for soname in sonames or list(XCB_PACKAGES):
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def xcb_plugin(pyside_dir: Path) -> Path:
    return pyside_dir / "Qt" / "plugins" / "platforms" / "libqxcb.so"


def missing_by_ldd(plugin: Path) -> list[str]:
    """What ``ldd`` says the plugin cannot find (catches a library not in our table)."""
    if not shutil.which("ldd") or not plugin.exists():
        return []
    result = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
    found = []
    for line in result.stdout.splitlines():
        name, _, rest = line.strip().partition(" => ")
        if "not found" in rest and name not in found:
            found.append(name)
    return found


def advice(missing: list[str]) -> str:
    """What to tell the user: the libraries, and the apt line that installs them."""
    packages = sorted({XCB_PACKAGES.get(name, "") for name in missing} - {""})
    unknown = [name for name in missing if name not in XCB_PACKAGES]
    text = (f"Ledgerbridge cannot open its window: Qt's X11 platform needs "
            f"{', '.join(missing)}, which this system does not have.")
    if packages:
        text += (f"\nInstall {'it' if len(packages) == 1 else 'them'} with:\n"
                 f"    sudo apt-get install {' '.join(packages)}")
    if unknown:
        text += (f"\n(find the package of {', '.join(unknown)} with: apt-file search "
                 f"{unknown[0]})")
    return text + ("\nOn another distribution install the package that provides each file. "
                   "`python3 dev.py run` as root installs them on Debian and Ubuntu.")
