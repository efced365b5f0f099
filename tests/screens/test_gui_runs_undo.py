"""Acceptance: a run undone from the Runs screen, previewed first; QuickBooks no longer
holds its records. An earlier run that a later one builds on is refused, with the reason."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.simulator import SandboxServer
from tests.screens.office import TIME_SCALE, TRANSACTIONS, Office, settle, trial_balance
from tests.shell.gui_helpers import close

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _select_run(runs: Any, run_id: int) -> None:
    row = next(i for i in range(runs.runs_proxy.rowCount())
               if runs.runs_proxy.index(i, 0).data() == str(run_id))
    runs.runs_table.selectRow(row)


def _ask_undo(qtbot: Any, window: Any, services: Any, runs: Any, run_id: int) -> Any:
    _select_run(runs, run_id)
    assert runs.undo_button.isEnabled(), runs.undo_button.toolTip()
    qtbot.mouseClick(runs.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    qtbot.waitUntil(lambda: runs.dialog is not None and runs.dialog.isVisible())
    dialog = runs.dialog
    assert dialog.windowModality() == Qt.WindowModality.WindowModal
    assert dialog.parent() is window
    return dialog


def test_a_run_is_undone_from_the_runs_screen_after_its_preview(qtbot, tmp_path, capsys,
                                                                 simulator):
    office = Office(tmp_path, simulator, "detailed", families=8, months=2)
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0
    before_february = trial_balance(office.quickbooks)
    assert office.cli("post", "--yes", "--from", "2025-02-01", "--to", "2025-02-28") == 0
    manifest = office.cli_json(capsys, "manifest", "2")["operations"]
    february = {(line["entity"], line["key"]) for line in manifest
                if line["entity"] in TRANSACTIONS and line["action"] == "create"}
    assert february and all(office.keys(entity)[key] == 1 for entity, key in february)

    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, services)
    runs = window.current_screen()
    assert runs.title == "Runs" and runs.runs_model.rowCount() == 2

    refused = _ask_undo(qtbot, window, services, runs, 1)  # February builds on January
    assert refused.undo_button is None
    assert refused.headline.text() == "Run 1 cannot be undone yet"
    assert refused.reason.text().startswith("Later runs build on what it posted: run 2")
    assert refused.fix.text() == "<b>What to do:</b> Undo run 2 first (the latest first), " \
        "then run 1."
    refused.reject()

    preview = _ask_undo(qtbot, window, services, runs, 2)
    assert preview.undo_button is not None and preview.model.rowCount() > len(february) - 1
    effects = {line.effect for line in preview.model.rows()}
    assert "Deleted" in effects and preview.headline.text().startswith("Undo of run 2:")
    assert "balanced" in preview.totals.text()
    seen: list[Any] = []
    services.quickbooks.progressed.connect(seen.append)
    assert trial_balance(office.quickbooks) != before_february  # nothing sent before "yes"
    qtbot.mouseClick(preview.undo_button, Qt.MouseButton.LeftButton)
    assert runs.progress.isVisible() and runs.progress.title.text().startswith("Undoing run 2")
    settle(qtbot, services)
    assert seen and seen[-1].done == seen[-1].total == preview.model.rowCount()
    assert runs.outcome.text().startswith("Run 3 (undo of run 2):"), runs.outcome.text()

    assert all(office.keys(entity)[key] == 0 for entity, key in february)  # gone from QBO
    assert trial_balance(office.quickbooks) == before_february
    assert [r.kind for r in runs.runs_model.rows()] == ["post", "post", "undo"]
    assert runs.runs_model.rows()[-1].undoes_run_id == 2
    assert runs.runs_model.index(1, 5).data() == "finished · undone by run 3"
    assert runs.runs_model.index(2, 1).data() == "undo of run 2"
    _select_run(runs, 2)
    assert not runs.undo_button.isEnabled()
    assert runs.undo_button.toolTip() == "Run 2 was undone already (run 3)."
    close(window, services)
