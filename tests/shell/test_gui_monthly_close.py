"""The Monthly close driven through the real window against the simulator.

Each test builds a company with the command line (connected to a simulator the test
runs, mapped, nothing imported), opens the window with a threaded background helper,
and asserts what QuickBooks holds, read back over HTTP — not what a label says.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from app.ui.background import BackgroundRunner
from bench.heartbeat import Heartbeat
from tests.monthly_close.companies import (  # noqa: F401  (the simulator fixture)
    build_company,
    cli,
    quickbooks_counts,
    simulator,
    stamped_keys,
)
from tests.shell.gui_helpers import close, make_window
from tests.sync.simulator_helpers import set_faults

WAIT = 30_000


def open_close(qtbot, window, name: str = "Riverside Swim"):
    window.start()
    qtbot.waitUntil(lambda: bool(window.companies.choices), timeout=WAIT)
    choose(window, name)
    window.show_screen("Monthly close")
    screen = window.current_screen()
    qtbot.waitUntil(lambda: screen.flow is not None and screen.flow.start is not None,
                    timeout=WAIT)
    return screen


def choose(window, name: str) -> None:
    row = next(i for i, c in enumerate(window.companies.choices) if c.entry.name == name)
    window.switcher.setCurrentIndex(row)
    window.switcher.activated.emit(row)


def drop(zone, paths: list[Path]) -> None:
    """Files dropped from the file manager onto the Import step's drop zone."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = QPointF(zone.rect().center())
    enter = QDragEnterEvent(centre, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                            Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(zone, enter)
    assert enter.isAccepted()
    event = QDropEvent(centre, Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(zone, event)


def settle(qtbot, services) -> None:
    """Nothing left running in the background (a reconciliation, a load) before closing."""
    qtbot.waitUntil(lambda: not services.runner.busy, timeout=60_000)


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.toolTip()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def to_preview(qtbot, screen) -> None:
    """Pre-flight (the check runs on entering it), then the Preview."""
    click(qtbot, screen.next_button)
    qtbot.waitUntil(lambda: screen.flow.check is not None, timeout=WAIT)
    click(qtbot, screen.next_button)
    assert screen.flow.step == "preview"


def test_a_month_imported_previewed_and_posted_while_the_window_stays_usable(
        qtbot, tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    window, services = make_window(qtbot, home, runner=BackgroundRunner())
    screen = open_close(qtbot, window)
    assert screen.heading.text() == "Monthly close: January 2025"
    click(qtbot, screen.next_button)
    assert screen.flow.step == "import"
    drop(screen.import_page.drop_zone, [exports])
    qtbot.waitUntil(lambda: screen.flow.imported is not None, timeout=WAIT)
    counts = {c.record_type: c for c in screen.flow.imported.counts}
    assert counts["payment"].new > 0 and counts["charge"].new > 0
    assert screen.import_page.counts_model.rowCount() == len(counts)

    to_preview(qtbot, screen)
    check = screen.flow.check
    tree = screen.preview_page.model
    assert tree.rowCount() == len(check.tree.groups)
    labels = [tree.index(r, 0).data() for r in range(tree.rowCount())]
    assert labels[4].startswith(f"Invoices ({check.tree.count('Invoices')})")
    invoice = tree.index(0, 0, tree.index(4, 0))
    screen.preview_page.tree.setCurrentIndex(invoice)
    lines = screen.preview_page.lines_model
    assert lines.rowCount() > 1 and lines.row_at(0).account
    first = lines.row_at(0).note  # the invoice's first line, in the details pane's words
    assert first and f"  {first}: " in screen.preview_page.details.toPlainText()
    assert "balanced" in screen.preview_page.totals.text()

    click(qtbot, screen.next_button)
    before = quickbooks_counts(simulator)
    progress, heartbeat = [], Heartbeat(5).start()
    services.quickbooks.progressed.connect(progress.append)
    set_faults(simulator, delay=1.0, delay_seconds=0.05)  # a run that lasts a moment
    click(qtbot, screen.post_page.post_button)
    assert screen.flow.posting
    window.show_screen("Runs")  # the window stays usable: other screens during the run
    runs = window.current_screen()
    qtbot.waitUntil(lambda: runs.empty.text() != "…", timeout=WAIT)  # loaded meanwhile
    window.show_screen("Home")
    assert services.quickbooks.running
    window.show_screen("Monthly close")
    qtbot.waitUntil(lambda: screen.post_page.bar.value() > 0, timeout=WAIT)
    assert screen.post_page.values["rate"].text() and screen.post_page.pane.isVisible()
    qtbot.waitUntil(lambda: screen.flow.reconciliation is not None, timeout=60_000)
    heartbeat.stop()
    set_faults(simulator)
    assert screen.flow.step == "result" and screen.flow.report.exit_code == 0
    assert progress and progress[-1].done == progress[-1].total == len(check.preview.operations)
    assert heartbeat.beats > 20  # the event loop kept beating through the run
    held = quickbooks_counts(simulator)
    for entity, label in (("Account", "Accounts"), ("Class", "Classes"), ("Item", "Items"),
                          ("Customer", "Customers"), ("Invoice", "Invoices"),
                          ("Payment", "Payments"), ("RefundReceipt", "Refund receipts")):
        assert held[entity] - before[entity] == check.tree.count(label), entity
    assert screen.flow.reconciliation.agrees
    assert screen.result_page.lines_model.rowCount() == len(screen.flow.reconciliation.lines)
    exported = tmp_path / "result.csv"
    screen.save_as = lambda *_args: exported
    click(qtbot, screen.result_page.export_button)
    qtbot.waitUntil(exported.exists, timeout=WAIT)
    assert "Manifest" not in exported.read_text(encoding="utf-8-sig")[:20]
    settle(qtbot, services)
    close(window, services)


def test_cancel_mid_run_then_post_again_sends_the_rest_exactly_once(
        qtbot, tmp_path, simulator):  # noqa: F811
    from app.simulator import SandboxServer

    # One undisturbed run of the same month, for comparison.
    with SandboxServer(port=0, time_scale=60.0) as other:
        calm = tmp_path / "calm"
        # its own name: on the PostgreSQL run both homes share one office database
        build_company(calm, tmp_path / "calm-exports", other, name="Riverside Swim Calm")
        cli(calm, "import", str(tmp_path / "calm-exports"))
        assert cli(calm, "post", "--yes", "--to", "2025-01-31") is None
        undisturbed = quickbooks_counts(other)
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    window, services = make_window(qtbot, home, runner=BackgroundRunner())
    screen = open_close(qtbot, window)
    click(qtbot, screen.next_button)
    to_preview(qtbot, screen)
    total = len(screen.flow.check.preview.operations)
    click(qtbot, screen.next_button)
    set_faults(simulator, delay=1.0, delay_seconds=0.15)  # QuickBooks answers slowly
    click(qtbot, screen.post_page.post_button)
    qtbot.waitUntil(lambda: screen.flow.progress is not None and
                    screen.flow.progress.done > 0, timeout=60_000)
    assert screen.post_page.pane.isVisible() and screen.post_page.cancel_button.isVisible()
    click(qtbot, screen.post_page.cancel_button)
    qtbot.waitUntil(lambda: not screen.flow.posting, timeout=60_000)
    set_faults(simulator)
    summary = screen.flow.report.summary
    assert summary.was_cancelled and summary.cancelled > 0 and summary.posted < total
    assert "cancelled" in screen.result_page.headline.text()
    partial = quickbooks_counts(simulator)
    assert sum(partial.values()) < sum(undisturbed.values())

    qtbot.waitUntil(lambda: screen.flow.start.leftover.not_sent > 0, timeout=WAIT)
    screen.go("preflight")
    qtbot.waitUntil(lambda: screen.flow.check is not None, timeout=WAIT)
    screen.go("post")
    assert "will be sent first" in screen.post_page.ready.text()
    tabs = screen.steps.tabBar()
    assert tabs.tabText(4) == "5. Post ⚠" and "✓" not in tabs.tabText(5)  # not ticked
    assert not screen.post_page.pane.isVisible()  # no stale "x of 246 / Now sending"
    assert screen.post_page.message.text().startswith(
        f"The last run (run {screen.flow.report.run_id}) was cancelled after")
    click(qtbot, screen.post_page.post_button)
    qtbot.waitUntil(lambda: screen.flow.report is not None and not screen.flow.posting,
                    timeout=60_000)
    assert screen.flow.report.exit_code == 0
    assert quickbooks_counts(simulator) == undisturbed  # nothing twice, nothing missing
    for entity in ("Invoice", "Payment", "Customer"):
        keys = stamped_keys(simulator, entity)
        assert len(keys) == len(set(keys)), entity
    settle(qtbot, services)
    close(window, services)


def test_another_companys_close_never_shows_the_run_and_waits_for_it(
        qtbot, tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    cli(home, "company", "add", "Lakeview Dance")
    cli(home, "--company", "Lakeview Dance", "import", str(exports))
    window, services = make_window(qtbot, home, runner=BackgroundRunner())
    screen = open_close(qtbot, window)
    click(qtbot, screen.next_button)
    to_preview(qtbot, screen)
    click(qtbot, screen.next_button)
    set_faults(simulator, delay=1.0, delay_seconds=0.15)
    click(qtbot, screen.post_page.post_button)
    qtbot.waitUntil(lambda: screen.flow.progress is not None, timeout=WAIT)
    riverside = screen.flow
    choose(window, "Lakeview Dance")
    qtbot.waitUntil(lambda: screen.flow is not riverside and screen.flow.start is not None,
                    timeout=WAIT)
    assert screen.heading.text() == "Monthly close: January 2025"
    assert not screen.post_page.pane.isVisible() and not screen.flow.posting
    assert screen.flow.why_not_post(screen.work.other_write()).startswith(
        "Posting January 2025 for Riverside Swim")
    choose(window, "Riverside Swim")
    qtbot.waitUntil(lambda: screen.flow is riverside, timeout=WAIT)
    assert screen.steps.currentIndex() == 4 and screen.post_page.pane.isVisible()
    qtbot.waitUntil(lambda: not riverside.posting, timeout=60_000)
    set_faults(simulator)
    assert riverside.report.exit_code == 0
    settle(qtbot, services)
    close(window, services)
