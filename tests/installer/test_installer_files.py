"""The installer files agree with the code they package (they can only run on their own
systems, so what can drift is checked here): names, paths, the version, the icons."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from app import __version__
from app.scheduling.windows import WindowsTaskScheduler

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"


def test_one_version_number():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "app.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assert "AppVersion={#AppVersion}" in (INSTALLER / "windows" / "ledgerbridge.iss").read_text()


def test_the_ci_workflow_builds_on_each_system_with_the_scripts_that_exist():
    workflow = (ROOT / ".github" / "workflows" / "build.yml").read_text()
    for runner in ("ubuntu-", "windows-", "macos-"):
        assert f"runs-on: {runner}" in workflow
    for script in ("installer/build_linux.py", "installer/macos/build_macos.sh",
                   "installer/windows/build_windows.ps1"):
        assert script.replace("/", "\\") in workflow or script in workflow
        assert (ROOT / script).is_file()


def test_the_spec_builds_the_executables_the_schedule_and_the_installers_name():
    spec = (INSTALLER / "ledgerbridge.spec").read_text()
    for name in ("Ledgerbridge", "ledgerbridge-cli", "ledgerbridge-task"):
        assert f'name="{name}"' in spec
    iss = (INSTALLER / "windows" / "ledgerbridge.iss").read_text()
    assert r'#define SourceDir "..\..\build\dist\Ledgerbridge"' in iss
    assert "{app}\\Ledgerbridge.exe" in iss
    folder = WindowsTaskScheduler.task_name("x").rsplit("\\", 1)[0] + "\\"
    assert f"-TaskPath '{folder}'" in iss  # the uninstaller removes the daily sync's tasks


def test_the_icons_are_in_each_platforms_format():
    icons = ROOT / "resources" / "icons"
    assert (icons / "ledgerbridge.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (icons / "ledgerbridge.ico").read_bytes()[:4] == b"\x00\x00\x01\x00"
    assert (icons / "ledgerbridge.icns").read_bytes()[:4] == b"icns"


def test_the_mac_app_is_self_tested_after_it_is_signed_and_verified():
    """Signing rewrites the binaries: the app that ships must be the one tested."""
    lines = [line.strip() for line in
             (INSTALLER / "macos" / "build_macos.sh").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    sign = next(i for i, line in enumerate(lines) if line.startswith("codesign --force"))
    verify = next(i for i, line in enumerate(lines) if line.startswith("codesign --verify"))
    tests = [i for i, line in enumerate(lines) if line.startswith("self_test ")]
    dmg = next(i for i, line in enumerate(lines) if line.startswith("hdiutil create"))
    assert sign < verify < max(tests) < dmg
    assert any("--self-test" in line for line in lines)
