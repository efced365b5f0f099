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
    qtbot.waitUntil(lambda: screen.flow.reconciliation is not None, timeout=60_000)
    settle(qtbot, services)
    assert screen.steps.tabText(5).endswith("✓") and screen.flow.reconciliation.agrees

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
    again = screen.flow.start.outlook
    assert again.last_run is not None and again.last_run.kind == "undo"  # the undo is seen
    # January was posted, then undone: nothing is in QuickBooks, so it is offered again
    assert again.posted == () and "next to close" in screen.flow.start.months[0].label
    assert screen.flow.step == "result"  # the step in progress stays
    # ... but its run no longer stands: said, and QuickBooks read again (no stale ✓)
    page = screen.result_page
    assert page.headline.text().startswith("Run 1 was undone by run 2:")
    assert not screen.steps.tabText(5).endswith("✓")
    qtbot.waitUntil(lambda: screen.flow.reconciliation is not None, timeout=60_000)
    assert not screen.flow.reconciliation.agrees  # read again after the undo
    assert not screen.steps.tabText(5).endswith("✓")
    assert "Everything agrees" not in page.reconcile_status.text()
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


def test_the_close_pages_say_what_they_can_do_now(qtbot, tmp_path):
    from app.monthly_close.flow import CloseFlow
    from app.posting import PostReport
    from app.reconciliation import Reconciliation
    from app.sync.poster import PostSummary
    from app.ui.screens.close_import_page import missing_lines
    from tests.monthly_close.test_flow import FEBRUARY

    window, services = make_window(qtbot, tmp_path)
    window.start()
    window.open_demo()
    window.show_screen("Monthly close")
    screen = window.current_screen()
    click(qtbot, screen.next_button)  # Import: a folder can be chosen, like a drop
    chosen, dropped = [], []
    screen.import_page.choose_folder = lambda _p, _t, done: chosen.append(done)
    screen.import_page.files_chosen.disconnect()
    screen.import_page.files_chosen.connect(dropped.append)
    click(qtbot, screen.import_page.folder_button)
    chosen[0](tmp_path)
    assert dropped == [(tmp_path,)]
    screen.show_note("The preview was written to /tmp/p.csv.")
    click(qtbot, screen.next_button)
    assert screen.note.text() == ""  # the note belonged to the step left

    page = screen.result_page
    flow = CloseFlow(report=PostReport(FEBRUARY, summary=PostSummary(total=18, posted=18),
                                       run_id=1))
    page.show_flow(flow)
    assert not page.export_button.isEnabledTo(page)  # it would leave the reconciliation out
    assert page.export_button.toolTip().startswith("Wait for the reconciliation")
    flow.reconciliation = Reconciliation(FEBRUARY, records_checked=1)
    page.show_flow(flow)
    assert page.export_button.isEnabledTo(page)
    assert "1 record(s) of the period read back" in page.reconcile_status.text()
    assert "not the count of this run" in page.reconcile_status.text()

    keys = tuple(f"payment:PAY-{n}" for n in range(12))
    assert missing_lines(keys) == ["Missing since the last full export (kept in the books): "
                                   + ", ".join(keys[:10]) + " and 2 more."]
    assert missing_lines(()) == []
    close(window, services)
