"""Screenshots of every setup-wizard page on the demo company (docs/screenshots/).

``python -m tests.ui.screenshots [OUT_DIR]`` drives the real wizard offscreen, as the
end-to-end test does, and saves ``wizard-<page>.png`` for each page (plus the error
table with a bad file, and the waiting pane of a hosted connection).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication, QWizard

from app.ui.background import SynchronousRunner
from app.ui.wizard import open_setup_wizard
from tests.setup.helpers import services_for, spoil

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1000, 720)


class HoldingRunner(SynchronousRunner):
    """Runs work at once, except the wait for the browser, which it holds (a picture of
    the waiting pane needs the wait to be going on)."""

    def start(self, work, **callbacks):  # type: ignore[no-untyped-def]
        if getattr(work, "__qualname__", "").startswith("ConnectPage._authorising"):
            return None
        return super().start(work, **callbacks)


HIDPI_PAGES = ("income", "summary")  # kept at twice the pixels, to check high-DPI


def _save(widget, out: Path, name: str) -> Path:
    QApplication.processEvents()
    ratio = widget.devicePixelRatioF()
    suffix = "" if ratio == 1 else f"@{ratio:g}x"
    path = out / f"wizard-{name}{suffix}.png"
    if suffix and name not in HIDPI_PAGES:
        return path
    widget.grab().save(str(path))
    return path


def take(out: Path, home: Path) -> list[Path]:
    import keyring

    from app.memory_keyring import InMemoryKeyring

    keyring.set_keyring(InMemoryKeyring())  # never the real keyring
    out.mkdir(parents=True, exist_ok=True)
    services = services_for(home, runner=SynchronousRunner())
    wizard = open_setup_wizard(None, services)
    wizard.resize(*SIZE)
    saved = [_save(wizard, out, "connect-choice")]
    page = wizard.currentPage()
    page.connect_button.click()
    saved.append(_save(wizard, out, "connect"))
    wizard.next()
    data = wizard.currentPage()
    data.demo_button.click()
    data.check_button.click()
    saved.append(_save(wizard, out, "data_source"))
    data.files_view.selectRow(5)  # payments.csv
    data.tabs.setCurrentIndex(1)
    saved.append(_save(wizard, out, "data_source-columns"))
    wizard.next()
    wizard.currentPage().choice.button(1).click()
    saved.append(_save(wizard, out, "style"))
    for name in ("income", "classes", "tenders", "tax", "special_accounts"):
        wizard.next()
        page = wizard.currentPage()
        if name == "classes":
            page.organisation.select(1)
            page.organisation.activated.emit(1)
        if name != "tenders":  # no bulk creation there: one picture is enough
            saved.append(_save(wizard, out, f"{name}-suggested"))
        if page.create_all.isVisible() and page.create_all.isEnabled():
            page.create_all.click()
        saved.append(_save(wizard, out, name))
    wizard.next()
    wizard.currentPage().go_live.setDate(QDate(2025, 1, 1))
    saved.append(_save(wizard, out, "go_live"))
    wizard.next()
    saved.append(_save(wizard, out, "summary"))
    wizard.back()
    wizard.back()
    wizard.back()
    wizard.back()  # the tenders page, now that the special accounts are chosen
    saved.append(_save(wizard, out, "tenders-defaults"))
    for _ in range(4):
        wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    saved += _errors(out, home)
    return saved


def _errors(out: Path, home: Path) -> list[Path]:
    """The error table: the demo payments with two bad cells."""
    services = services_for(home / "errors", runner=SynchronousRunner())
    wizard = open_setup_wizard(None, services, page="data_source")
    wizard.resize(*SIZE)
    exports = home / "bad"
    exports.mkdir(exist_ok=True)
    from app.setup.source import demo_exports

    for path in demo_exports(services.paths.data_dir):
        text = path.read_text(encoding="utf-8")
        if path.name == "payments.csv":
            text = spoil(text)
        (exports / path.name).write_text(text, encoding="utf-8")
    page = wizard.currentPage()
    page.add_files(sorted(exports.glob("*.csv")))
    page.check_button.click()
    saved = [_save(wizard, out, "data_source-errors")]
    wizard.close()
    return saved + _suggested(out, home) + _hosted(out, home)


def _hosted(out: Path, home: Path) -> list[Path]:
    """QuickBooks Online chosen, and the waiting pane of its browser sign-in."""
    from dataclasses import replace

    from app.simulator import SandboxServer
    from app.sync.environments import local_environment

    with SandboxServer() as simulator:
        info = simulator.info
        services = services_for(home / "hosted", runner=HoldingRunner(), environment_for=(
            lambda name: replace(local_environment(info), name=name)))
        wizard = open_setup_wizard(None, services)
        wizard.resize(*SIZE)
        page = wizard.currentPage()
        page.kinds.button(1).click()
        page.client_id.setText(info["client_id"])
        page.client_secret.setText(info["client_secret"])
        saved = [_save(wizard, out, "connect-hosted")]
        page.connect_button.click()
        page.progress_pane.start("Waiting for QuickBooks in your browser…", True)
        saved.append(_save(wizard, out, "connect-waiting"))
        page.attempt.cancel()
        page.attempt.flow.close()
        wizard.close()
    return saved


EXPORT = """\
Txn ID,Paid On,Family,Family Email,Student First,Student Last,Class,Site,Method,Amount Paid
T-1001,2025-01-12,Lee family,lee@example.com,Sam,Lee,Swim Level 1,Downtown,Visa,120.00
T-1002,2025-01-13,Okafor family,okafor@example.com,Ada,Okafor,Ballet,Uptown,Cash,95.00
T-1003,2025-01-15,Lee family,lee@example.com,Mia,Lee,Ballet,Uptown,ACH,95.00
"""


def _suggested(out: Path, home: Path) -> list[Path]:
    """A file in the registration system's own words: the suggested column mapping."""
    services = services_for(home / "suggested", runner=SynchronousRunner())
    wizard = open_setup_wizard(None, services, page="data_source")
    wizard.resize(*SIZE)
    export = home / "Payments Report January.csv"
    export.write_text(EXPORT, encoding="utf-8")
    page = wizard.currentPage()
    page.add_files([export])
    page.preset_name.setText("regsys")
    page.tabs.setCurrentIndex(1)
    saved = [_save(wizard, out, "data_source-suggested")]
    wizard.close()
    return saved


def main() -> int:
    """Every page at scale 1, then (in a second process, QT_SCALE_FACTOR=2) two pages at 2x."""
    import subprocess

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    with tempfile.TemporaryDirectory() as home:
        for path in take(out, Path(home)):
            if path.exists():
                print(path)
    if os.environ.get("QT_SCALE_FACTOR") is None:
        env = {**os.environ, "QT_SCALE_FACTOR": "2"}
        subprocess.run([sys.executable, "-m", "tests.ui.screenshots", str(out)], env=env,
                       check=True, cwd=ROOT)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
