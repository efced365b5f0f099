"""Settings in the window: disconnect keeps the data, the secret goes to the keyring only,
the daily sync choice is remembered per company, folders open, a missing keyring is said."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from app.company_prefs import load_prefs
from app.simulator import SandboxServer
from app.sync.tokens import SERVICE
from tests.screens.office import TIME_SCALE, Office, settle
from tests.shell.gui_helpers import close

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _settings(qtbot: Any, office: Office) -> tuple[Any, Any, Any]:
    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    window.show_screen("Settings")
    settle(qtbot, services)
    return window, services, window.current_screen()


def test_settings_show_the_connection_and_disconnect_keeps_everything(
        qtbot, tmp_path, capsys, simulator, memory_keyring, monkeypatch):
    office = Office(tmp_path, simulator, "summary", families=3)
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0
    window, services, settings = _settings(qtbot, office)
    info = simulator.info
    assert settings.values["realm"].text() == info["realm_id"]
    assert settings.values["connection"].text() == f"Connected to the simulator at " \
        f"{info['base_url']}"
    assert settings.values["tokens"].text().startswith("Last refreshed")
    assert settings.client_id.text() == info["client_id"]
    secrets = [v for (s, _k), v in memory_keyring.store.items() if s == SERVICE]
    shown = " ".join(label.text() for label in settings.findChildren(type(settings.about)))
    assert secrets and not [s for s in secrets if s in shown or s[:40] in shown]
    assert settings.last_scheduled.text().startswith("None yet")
    assert "issue 13" in settings.daily_note.text()
    assert settings.daily_note.text().endswith(window.context.command("post", "--yes"))

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    for button in settings.folder_buttons:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert opened == [str(p) for p in (services.paths.data_dir, services.paths.log_dir,
                                       services.paths.config_dir)]

    settings.daily.click()
    settle(qtbot, services)
    assert load_prefs(services.paths.config_dir, window.context.company_id).daily_sync
    assert "remembered" in settings.commands.outcome.text()

    qtbot.mouseClick(settings.commands.disconnect_button, Qt.MouseButton.LeftButton)
    box = settings.commands.dialog  # opened with open(): the click returned at once
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert box.defaultButton() is not box.yes_button  # Enter does not disconnect
    qtbot.mouseClick(box.yes_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert not [k for _s, k in memory_keyring.store if k.startswith("tokens:")]
    assert window.context.entry.connection_state == "disconnected"
    assert window.banner.isVisible() and "its data here is kept" in window.banner.text.text()
    capsys.readouterr()
    runs = office.cli_json(capsys, "runs")
    assert [r["status"] for r in runs] == ["finished"]  # the history is kept
    assert office.cli("errors") == 0 and office.keys("JournalEntry")  # QuickBooks kept all
    settings = window.current_screen()
    settle(qtbot, services)
    assert not settings.commands.disconnect_button.isEnabled()
    assert "Reconnect" in settings.commands.disconnect_button.toolTip()
    assert not settings.commands.resync_button.isEnabled()

    again, services_again, reopened = _settings(qtbot, office)
    assert reopened.daily.isChecked()  # remembered for this company
    close(again, services_again)
    close(window, services)


def test_the_client_secret_is_replaced_in_the_keyring_and_a_missing_keyring_is_said(
        qtbot, tmp_path, simulator, memory_keyring):
    office = Office(tmp_path, simulator, "summary", families=2)
    window, services, settings = _settings(qtbot, office)
    client_id = simulator.info["client_id"]
    assert settings.commands.secret_button.isEnabled()
    qtbot.mouseClick(settings.commands.secret_button, Qt.MouseButton.LeftButton)
    dialog = settings.commands.dialog
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    assert not dialog.save_button.isEnabled() and dialog.save_button.toolTip()
    qtbot.keyClicks(dialog.secret, "new-secret-1234")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert memory_keyring.get_password(SERVICE, f"client-secret:{client_id}") == \
        "new-secret-1234"
    assert "new-secret" not in settings.commands.outcome.text()
    assert client_id in settings.commands.outcome.text()

    keyring.set_keyring(keyring.backends.fail.Keyring())
    window.refresh()
    settle(qtbot, services)
    assert settings.keyring_problem.isVisible()
    assert settings.keyring_problem.text().startswith("The system keyring cannot be used")
    assert settings.values["tokens"].text() == "Unknown: the keyring cannot be read."
    assert not settings.commands.secret_button.isEnabled()
    close(window, services)


def test_resync_shows_what_it_found_asks_then_writes_the_ledger(qtbot, tmp_path, capsys,
                                                                simulator):
    """A journal entry deleted in QuickBooks: resync takes it out of the ledger (after the
    question), and the next post creates it again, once."""
    office = Office(tmp_path, simulator, "summary", families=3)
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0
    entry = office.rows("JournalEntry")[0]
    office.quickbooks.delete("JournalEntry", str(entry["Id"]), str(entry["SyncToken"]),
                             request_id="deleted-by-hand")
    window, services, settings = _settings(qtbot, office)
    qtbot.mouseClick(settings.commands.resync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    box = settings.commands.dialog
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.windowModality() == Qt.WindowModality.WindowModal
    assert "0 record(s); 1 to take out" in box.informativeText()
    assert "Deleted in QuickBooks" in box.detailedText()
    qtbot.mouseClick(box.yes_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert settings.commands.outcome.text().startswith("Resync run 2: 0 record(s) adopted, 1 "
                                                       "removed from the ledger")
    assert [r["kind"] for r in office.cli_json(capsys, "runs")] == ["post", "resync"]
    before = office.keys("JournalEntry")
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0
    after = office.keys("JournalEntry")
    assert len(after) == len(before) + 1 and all(n == 1 for n in after.values())
    close(window, services)
