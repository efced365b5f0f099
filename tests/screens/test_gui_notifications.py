"""Failures of runs nobody watched: shown when the window opens (a bar, a card on Home),
once, until something new fails; a run watched in the window makes no notice."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.company_prefs import load_prefs
from app.simulator import SandboxServer
from tests.screens.office import TIME_SCALE, Office, settle
from tests.shell.gui_helpers import close

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _open(qtbot: Any, office: Office) -> tuple[Any, Any]:
    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    return window, services


def _notice_on_home(window: Any) -> str:
    home = window.screen_list[0]
    return home.notice_text.text() if home.notice_card.isVisible() else ""


def test_a_failed_background_run_is_noticed_once_until_something_new_fails(
        qtbot, tmp_path, capsys, simulator):
    office = Office(tmp_path, simulator, "detailed", families=3)
    preview = office.cli_json(capsys, "preview", "--to", "2025-01-31")
    family = next(op for op in preview["operations"] if op["entity"] == "Customer")
    office.quickbooks.create("Customer", {"DisplayName": family["payload"]["DisplayName"]},
                             request_id="typed-by-hand")  # QuickBooks will refuse the family
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 1  # the scheduled sync

    window, services = _open(qtbot, office)
    assert "run 1 (post, 01 Jan 2025 to 31 Jan 2025) ended on" in _notice_on_home(window)
    assert "1 failed, " in _notice_on_home(window) and window.notice.isHidden()
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Runs
    assert window.notice.isVisible() and "run 1" in window.notice.text.text()
    qtbot.mouseClick(window.notice.dismiss_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert not window.notice.isVisible()
    assert load_prefs(services.paths.config_dir, window.context.company_id).runs_seen == (1,)
    close(window, services)

    window, services = _open(qtbot, office)  # seen: not again
    assert _notice_on_home(window) == "" and window.notice.notice is None
    close(window, services)

    assert office.cli("retry", "--all") == 1  # another run nobody watched fails again
    window, services = _open(qtbot, office)
    assert "run 2 (retry) ended on" in _notice_on_home(window)
    assert "run 1 " not in _notice_on_home(window)
    qtbot.mouseClick(window.screen_list[0].notice_open_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)  # the Error log is open: the failures are in front of them
    errors = window.current_screen()
    assert errors.title == "Error log" and window.notice.notice is None

    errors.table.selectAll()  # a retry watched in the window: its failure is seen
    qtbot.mouseClick(errors.retry_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert errors.outcome.text().startswith("Run 3 (retry):") and "1 failed" in \
        errors.outcome.text()
    window.show_screen("Runs")
    settle(qtbot, services)
    assert window.notice.notice is None and not window.notice.isVisible()
    close(window, services)
    window, services = _open(qtbot, office)
    assert _notice_on_home(window) == ""
    close(window, services)
