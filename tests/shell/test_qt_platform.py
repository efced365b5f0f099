"""Naming the missing X library instead of Qt's misleading hint."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from app.qt_platform import XCB_PACKAGES, advice, missing_by_loading, wants_xcb

ROOT = Path(__file__).resolve().parents[2]


def test_the_advice_names_the_libraries_and_the_apt_line():
    text = advice(["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in text
    assert "apt-file search libfoo.so.9" in advice(["libfoo.so.9"])


def test_only_an_x11_start_is_checked():
    assert wants_xcb({"DISPLAY": ":0"}) is (__import__("sys").platform.startswith("linux"))
    assert not wants_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not wants_xcb({})
    assert missing_by_loading(["libc.so.6"]) == []
    assert missing_by_loading(["libno-such-library.so.42"]) == ["libno-such-library.so.42"]


def test_dev_py_installs_every_library_of_the_xcb_plugin():
    spec = importlib.util.spec_from_file_location("dev", ROOT / "dev.py")
    dev = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(dev)  # type: ignore[union-attr]
    packages = dev.system_packages()
    assert set(XCB_PACKAGES.values()) <= set(packages)
    assert {"libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libegl1"} <= set(packages)
    assert len(packages) == len(set(packages))
