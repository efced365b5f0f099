"""installer/linux/install.sh, run on a stand-in bundle unpacked into a folder whose name
has a space, a percent sign and a dollar: the menu entry it writes names the program and
icon by absolute path as the desktop-entry spec quotes them, and ``ledgerbridge`` starts the
bundle's command line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "installer" / "linux"

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle's script")


def bundle(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for name in ("Ledgerbridge", "ledgerbridge-cli"):
        program = folder / name
        program.write_text(f'#!/bin/sh\necho "{name}:$*"\n')
        program.chmod(0o755)
    shutil.copy(LINUX / "ledgerbridge.desktop", folder)
    shutil.copy(LINUX / "install.sh", folder)
    (folder / "ledgerbridge.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        out.append(next(chars) if char == "\\" else char)
    return "".join(out)


def exec_program(line: str) -> str:
    """The program of an ``Exec="…"`` line as the spec reads it: the string escapes, then
    the quoting's, then ``%%``."""
    value = unescape(line.removeprefix("Exec="))
    assert value.startswith('"') and value.endswith('"'), value
    return unescape(value[1:-1]).replace("%%", "%")


def test_install_writes_absolute_paths_and_the_command_then_uninstall_removes_them(tmp_path):
    here = bundle(tmp_path / "opt" / "Ledgerbridge 100% $HOME")
    home = tmp_path / "home"
    env = {"HOME": str(home), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([str(here / "install.sh")], env=env, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    entry = home / ".local/share/applications/ledgerbridge.desktop"
    lines = entry.read_text().splitlines()
    execs = [line for line in lines if line.startswith("Exec=")]
    assert len(execs) == 1 and exec_program(execs[0]) == str(here / "Ledgerbridge")
    assert execs[0] == 'Exec="' + str(here / "Ledgerbridge").replace("$", "\\\\$") \
        .replace("%", "%%") + '"'
    assert [line for line in lines if line.startswith("Icon=")] == \
        [f"Icon={here / 'ledgerbridge.png'}"]
    assert "Name=Ledgerbridge" in lines and "Add " in done.stdout  # ~/.local/bin not on PATH
    if shutil.which("desktop-file-validate"):
        check = subprocess.run(["desktop-file-validate", str(entry)], capture_output=True,
                               text=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr

    command = home / ".local/bin/ledgerbridge"
    run = subprocess.run([str(command), "--home", "my books", "sync"], capture_output=True,
                         text=True, timeout=60, env=env)
    assert run.stdout == "ledgerbridge-cli:--home my books sync\n"
    assert os.access(command, os.X_OK)

    gone = subprocess.run([str(here / "install.sh"), "--uninstall"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert gone.returncode == 0 and not entry.exists() and not command.exists()
    assert (here / "Ledgerbridge").exists()  # the bundle itself stays


def test_install_refuses_outside_the_bundle(tmp_path):
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(LINUX / "install.sh", lone)
    done = subprocess.run([str(lone / "install.sh")], env={"HOME": str(tmp_path),
                                                            "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "must stay in the unpacked Ledgerbridge folder" in \
        done.stderr
