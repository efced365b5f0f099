"""Screens read their company again when shown after a write to QuickBooks ended
elsewhere: Runs lists the run just posted from the Monthly close, and the Monthly close
sees an undo made from Runs — without F5, and without losing the close's step."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QTableView

from tests.screens.test_gui_runs_undo import _ask_undo
from tests.shell.gui_helpers import close, make_window
from tests.shell.test_gui_monthly_close import click, settle


def test_runs_and_the_close_read_again_after_a_write_elsewhere(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    window.open_demo()
    window.show_screen("Runs")
    runs = window.current_screen()
    assert runs.runs_model.rowCount() == 0  # read once, before the post
    window.show_screen("Monthly close")
    screen = window.current_screen()
    for _step in ("import", "preflight", "preview", "post"):
        click(qtbot, screen.next_button)
    click(qtbot, screen.post_page.post_button)
    assert screen.flow.step == "result" and screen.flow.report.exit_code == 0
    settle(qtbot, services)

    window.show_screen("Runs")
    assert [r.kind for r in runs.runs_model.rows()] == ["post"]  # no F5 needed
    before = screen.flow.start
    assert "next to close" in before.months[0].label  # as read before the post
    dialog = _ask_undo(qtbot, window, services, runs, runs.runs_model.rows()[0].id)
    qtbot.mouseClick(dialog.undo_button, Qt.MouseButton.LeftButton)
    settle(qtbot, services)
    assert [r.kind for r in runs.runs_model.rows()] == ["post", "undo"]

    window.show_screen("Monthly close")
    settle(qtbot, services)
    assert screen.flow.start is not before  # read again after the writes
    assert "next to close" not in screen.flow.start.months[0].label
    assert screen.flow.step == "result"  # the step in progress stays
    assert_sort_arrows_match_the_rows(window)
    window.show_screen("Runs")
    header = runs.runs_table.horizontalHeader()
    assert not header.isSortIndicatorShown()  # newest first, no arrow to misread
    assert [runs.runs_proxy.index(r, 0).data() for r in range(2)] == ["2", "1"]
    header.sectionClicked.emit(0)  # as a click on "Run" does
    assert header.isSortIndicatorShown()
    assert_sort_arrows_match_the_rows(window)
    close(window, services)


def assert_sort_arrows_match_the_rows(window) -> None:
    """Every table of every screen: an arrow only where a proxy sorts by that column."""
    for view in window.findChildren(QTableView):
        header = view.horizontalHeader()
        if not header.isSortIndicatorShown() or header.sortIndicatorSection() < 0:
            continue
        model = view.model()
        assert isinstance(model, QSortFilterProxyModel), view.accessibleName()
        assert (model.sortColumn(), model.sortOrder()) == (
            header.sortIndicatorSection(), header.sortIndicatorOrder()), view.accessibleName()
