"""A month posted with a record QuickBooks refused stays the Monthly close's month: the
next close opens on it again and says why, until Retry in the Error log sends the
record; then the close moves on to the next month by itself."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from app.simulator import SandboxServer
from tests.monthly_close.test_flow import FEBRUARY, JANUARY
from tests.screens.office import TIME_SCALE, Office, settle
from tests.screens.test_gui_error_log import _family_name, _row_of
from tests.shell.gui_helpers import close
from tests.shell.test_gui_monthly_close import click

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def test_a_month_with_a_failed_record_holds_the_close_until_retried(qtbot, tmp_path, capsys,
                                                                     simulator):
    office = Office(tmp_path, simulator)
    key, name = _family_name(office, capsys)
    stranger = office.quickbooks.create("Customer", {"DisplayName": name},
                                        request_id="typed-by-hand")  # QuickBooks refuses it
    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    window.show_screen("Monthly close")
    screen = window.current_screen()
    qtbot.waitUntil(lambda: screen.flow is not None and screen.flow.start is not None,
                    timeout=30_000)
    assert screen.flow.period == JANUARY
    for _step in ("import", "preflight", "preview", "post"):
        qtbot.waitUntil(lambda: screen.next_button.isEnabled(), timeout=30_000)
        click(qtbot, screen.next_button)
    click(qtbot, screen.post_page.post_button)
    qtbot.waitUntil(lambda: screen.flow.step == "result", timeout=60_000)
    settle(qtbot, services)
    assert screen.flow.report.run_status == "finished_with_errors"

    click(qtbot, screen.result_page.next_button)  # "Close the next month"
    qtbot.waitUntil(lambda: screen.flow.start is not None, timeout=30_000)
    settle(qtbot, services)
    page = screen.period_page
    assert screen.flow.period == JANUARY  # posted, but not finished: held there
    assert page.months.currentText().startswith("January 2025 — not finished: 1 failed, ")
    assert page.summary.text().startswith(  # posted, yet not finished: said once, not twice
        "Posted through January 2025, with records still to finish in January 2025: 1 "
        "record(s) failed")
    assert "is not finished" not in page.summary.text()
    assert "Error log" in page.summary.text()

    office.quickbooks.update("Customer", {"Id": stranger["Id"], "SyncToken":
                                          stranger["SyncToken"], "DisplayName": "Typed by hand"},
                             request_id="rename")  # the bookkeeper frees the name
    window.show_screen("Error log")
    settle(qtbot, services)
    errors = window.current_screen()
    errors.table.selectRow(_row_of(errors, key))
    qtbot.mouseClick(errors.retry_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert errors.model.rowCount() == 0 and office.keys("Customer")[key] == 1

    window.show_screen("Monthly close")  # read again after the retry, no F5
    settle(qtbot, services)
    assert screen.flow.period == FEBRUARY and screen.flow.start.holding is None
    assert page.months.currentText().startswith("February 2025 — next to close")
    assert page.months.itemText(0).startswith("January 2025 — posted")
    assert "still to finish" not in page.summary.text()
    close(window, services)
