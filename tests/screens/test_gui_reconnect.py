"""Acceptance: QuickBooks revokes the sign-in; the window says so (banner, Settings); the
bookkeeper reconnects through the setup wizard's connection page — the real
authorisation-code flow against the simulator's OAuth, the browser replaced by a thread
following the address — and posting works again, as QuickBooks shows."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
import requests
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QRadioButton

from app.simulator import SandboxServer
from app.sync.tokens import SERVICE, Tokens
from app.ui.wizard import open_setup_wizard
from tests.screens.office import TIME_SCALE, Office, settle
from tests.shell.gui_helpers import close
from tests.ui.wizard_driver import click, finish

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


class BrowserlessWizard:
    """The real setup wizard; the user's browser is a thread that follows the address."""

    def __init__(self) -> None:
        self.opened: list[Any] = []
        self.pages: list[str | None] = []

    def __call__(self, parent: Any, services: Any, company_id: int | None = None,
                 page: str | None = None) -> Any:
        def browser(url: str) -> None:
            threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10},
                             daemon=True).start()

        wizard = open_setup_wizard(parent, replace(services, open_browser=browser), company_id,
                                   page)
        self.opened.append(wizard)
        self.pages.append(page)
        return wizard


def test_reconnect_after_quickbooks_revoked_the_sign_in_then_post_again(
        qtbot, tmp_path, capsys, simulator, memory_keyring):
    office = Office(tmp_path, simulator, "summary", families=4, months=2)
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0
    wizards = BrowserlessWizard()
    window, services = office.window(qtbot, wizards)
    window.start()
    settle(qtbot, services)
    assert not window.banner.isVisible()
    token_key = next(k for _s, k in memory_keyring.store if k.startswith("tokens:"))
    old = Tokens.from_json(memory_keyring.store[(SERVICE, token_key)])

    assert simulator.revoke_tokens() >= 1  # the user disconnected the app in QuickBooks
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, services)
    settings = window.current_screen()
    assert settings.title == "Settings" and settings.commands.resync_button.isEnabled()
    qtbot.mouseClick(settings.commands.resync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert "sign in again" in settings.commands.outcome.text()
    qtbot.waitUntil(window.banner.isVisible)  # the window found out: Reconnect
    assert "sign in again" in window.banner.text.text()
    qtbot.waitUntil(lambda: settings.values["connection"].text().startswith("Sign-in expired"))
    assert not settings.commands.resync_button.isEnabled()
    assert "sign in again" in settings.commands.resync_button.toolTip()

    qtbot.mouseClick(settings.reconnect_button, Qt.MouseButton.LeftButton)
    [wizard] = wizards.opened
    assert wizards.pages == ["connect"]
    qtbot.waitUntil(lambda: wizard.context.ready)
    connect = wizard.currentPage()
    click(qtbot, connect.findChild(QRadioButton, "kind_simulator"))
    connect.simulator_url.setText(simulator.info["base_url"])
    click(qtbot, connect.connect_button)
    qtbot.waitUntil(lambda: wizard.state.connection is not None and not connect.busy,
                    timeout=20000)
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.finished_result is not None, timeout=20000)
    settle(qtbot, services)
    assert not window.banner.isVisible()
    assert window.context is not None and window.context.entry.connection_state == "connected"
    new = Tokens.from_json(memory_keyring.store[(SERVICE, token_key)])
    assert new.refresh_token != old.refresh_token  # a new sign-in, in the keyring

    settings = window.current_screen()
    settle(qtbot, services)
    assert settings.values["tokens"].text().startswith("Last refreshed")
    assert new.access_token not in settings.values["tokens"].text()
    qtbot.mouseClick(settings.commands.resync_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)  # the window reads QuickBooks again with the new sign-in
    assert settings.commands.outcome.text().startswith("The ledger already knows every record")

    office.forget_reader()  # the test's own sign-in was revoked too
    before = office.keys("JournalEntry")
    assert office.cli("post", "--yes", "--from", "2025-02-01", "--to", "2025-02-28") == 0
    after = office.keys("JournalEntry")
    assert len(after) > len(before) and all(n == 1 for n in after.values())
    close(window, services)
