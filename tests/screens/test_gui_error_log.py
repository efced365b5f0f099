"""Acceptance: a QuickBooks failure appears in the Error log, and Retry sends it once.

A customer typed by hand in QuickBooks with the very name Ledgerbridge will use makes
QuickBooks refuse the family (6240, a validation error on one entity); its invoices and
payments wait for it. The window shows the failure (notice, badge, filters, search, the
explanation); once the name is freed in QuickBooks, "Retry selected" sends the family
and what waited for it, and QuickBooks holds each record exactly once.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt

from app.simulator import SandboxServer
from tests.screens.office import TIME_SCALE, TRANSACTIONS, Office, settle
from tests.shell.gui_helpers import close

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def simulator() -> Iterator[SandboxServer]:
    with SandboxServer(port=0, time_scale=TIME_SCALE) as server:
        yield server


def _family_name(office: Office, capsys: Any) -> tuple[str, str]:
    """The key and display name of the first family the post will create."""
    preview = office.cli_json(capsys, "preview", "--to", "2025-01-31")
    family = next(op for op in preview["operations"] if op["entity"] == "Customer"
                  and "ParentRef" not in op["payload"])
    return family["key"], family["payload"]["DisplayName"]


def _shown(screen: Any) -> set[str]:
    return {screen.model.row_at(screen.proxy.mapToSource(screen.proxy.index(i, 0)).row()).record
            for i in range(screen.proxy.rowCount())}


def _row_of(screen: Any, record: str) -> int:
    return next(i for i in range(screen.proxy.rowCount())
                if screen.model.row_at(screen.proxy.mapToSource(screen.proxy.index(i, 0)).row())
                .record == record)


def test_a_refused_record_is_found_in_the_error_log_and_retried_once(qtbot, tmp_path, capsys,
                                                                     simulator, monkeypatch):
    office = Office(tmp_path, simulator)
    key, name = _family_name(office, capsys)
    stranger = office.quickbooks.create("Customer", {"DisplayName": name},
                                        request_id="typed-by-hand")
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 1  # a scheduled post, say

    window, services = office.window(qtbot)
    window.start()
    settle(qtbot, services)
    assert window.notice.isHidden()  # Home shows the notice as its own card instead
    home = window.current_screen()
    assert home.notice_card.isVisible() and "run 1 (post" in home.notice_text.text()
    assert window.failed_badge.text() == "1 failed"

    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Error log
    settle(qtbot, services)
    errors = window.current_screen()
    assert errors.title == "Error log"
    blocked = [r for r in errors.model.rows() if r.status == "blocked"]
    assert blocked and all(key in r.message for r in blocked)
    errors.filters.status.setCurrentIndex(1)  # Failed
    settle(qtbot, services)
    assert [r.record for r in errors.model.rows()] == [key]
    errors.filters.status.setCurrentIndex(0)  # Needs attention
    settle(qtbot, services)
    errors.filters.search.setText(name)  # as typed (the name may not be ASCII)
    assert key in _shown(errors)  # the family, and what names it
    payment = next(r.record for r in blocked if r.record.startswith("payment:"))
    errors.filters.search.setText(payment.upper())  # any part of the words, any case
    assert _shown(errors) == {payment}
    errors.filters.search.setText("no such words")
    assert _shown(errors) == set()
    errors.filters.search.clear()
    errors.filters.kind.setCurrentIndex(errors.filters.kind.findData("Invoice"))
    invoices = _shown(errors)
    assert invoices == {r.record for r in blocked if r.kind == "create Invoice"} != set()
    errors.filters.kind.setCurrentIndex(0)
    errors.filters.between.setChecked(True)  # tried between a month ago and today
    assert errors.proxy.rowCount() == errors.model.rowCount()
    errors.filters.between.setChecked(False)

    exported = tmp_path / "log.csv"  # the rows shown, as the CLI's CSV, formulas neutralised
    errors.filters.kind.setCurrentIndex(errors.filters.kind.findData("Payment"))
    qtbot.mouseClick(errors.export_button, Qt.MouseButton.LeftButton)
    errors.file_dialog.fileSelected.emit(str(exported))  # chosen in the (non-blocking) dialog
    errors.file_dialog.close()
    settle(qtbot, services)
    with exported.open(encoding="utf-8-sig") as handle:
        lines = list(csv.reader(handle))
    assert lines[0][:2] == ["job", "status"] and {line[4] for line in lines[1:]} == _shown(errors)
    assert not [cell for line in lines for cell in line if cell and cell[0] in "=+-@"]
    errors.filters.kind.setCurrentIndex(0)

    errors.table.selectRow(_row_of(errors, key))
    assert "already uses this name" in errors.details.toPlainText()
    assert "QuickBooks said: Duplicate Name Exists Error (code 6240)" in \
        errors.details.toPlainText()
    assert errors.retry_button.isEnabled()

    office.quickbooks.update("Customer", {"Id": stranger["Id"], "SyncToken":
                                          stranger["SyncToken"], "DisplayName": "Typed by hand"},
                             request_id="rename")  # the bookkeeper frees the name
    seen: list[Any] = []
    services.quickbooks.progressed.connect(seen.append)
    qtbot.mouseClick(errors.retry_button, Qt.MouseButton.LeftButton)
    assert errors.progress.isVisible() and errors.progress.title.text().startswith("Retrying 1")
    settle(qtbot, services)
    assert seen and seen[-1].done == seen[-1].total > 1  # the family and what waited for it
    assert errors.outcome.text().startswith("Run 2 (retry):") and "failed" not in \
        errors.outcome.text()

    customers = office.keys("Customer")
    assert customers[key] == 1  # the family, exactly once…
    assert [r["DisplayName"] for r in office.rows("Customer") if r["Id"] == stranger["Id"]] \
        == ["Typed by hand"]  # …beside the bookkeeper's own customer
    for entity in ("Customer", *TRANSACTIONS):
        assert all(n == 1 for n in office.keys(entity).values()), entity
    held_back = {r.record for r in blocked}
    in_quickbooks = set().union(*(office.keys(e) for e in ("Customer", *TRANSACTIONS)))
    assert held_back <= in_quickbooks  # every record that waited is there now
    assert errors.model.rowCount() == 0 and not window.failed_badge.isVisible()
    assert office.cli("post", "--yes", "--to", "2025-01-31") == 0  # nothing left to send
    close(window, services)
