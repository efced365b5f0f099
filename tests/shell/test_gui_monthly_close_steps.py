"""The Monthly close's steps one by one: the demo company closed with the keyboard, an
import with errors, the pre-flight's fixes and closed-period choice, another post
running, and every step named and reachable without clashing Alt letters."""

from __future__ import annotations

import csv
import shutil
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.demo_company import demo_simulator
from app.sync.local_demo import connect_local
from app.sync.posting_lock import posting_lock
from app.ui.widgets import plain
from tests.mnemonics import clashes
from tests.monthly_close.companies import (  # noqa: F401  (the simulator fixture)
    build_company,
    cli,
    quickbooks_counts,
    simulator,
)
from tests.shell.gui_helpers import FakeWizard, close, make_window
from tests.shell.test_gui_companies import two_companies  # noqa: F401  (a fixture)
from tests.shell.test_gui_monthly_close import choose, click, open_close, to_preview
from tests.shell.test_gui_native_feel import _buddies, _controls


def key(qtbot, window, letter: str, modifier=Qt.KeyboardModifier.ControlModifier) -> None:
    qtbot.keyClick(window, getattr(Qt.Key, f"Key_{letter.upper()}"), modifier)


def press(qtbot, button, limit: int = 40) -> list[str]:
    """Tab from the focused control to ``button`` and press Space: what was passed on the way.

    (Alt+letter mnemonics are exercised in the real app under Xvfb with xdotool; Qt's test
    key events do not reach the mnemonic shortcuts.)"""
    passed = []
    for _ in range(limit):
        focused = QApplication.focusWidget()
        if focused is button:
            qtbot.keyClick(button, Qt.Key.Key_Space)
            return passed
        passed.append(focused.accessibleName() if focused is not None else "")
        qtbot.keyClick(focused or button.window(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {button.text()!r}: {passed}")


def journal_entries_in_the_demo(services: Any) -> list[dict[str, Any]]:
    with demo_simulator(services.demo_paths.data_dir) as server:
        client, _link = connect_local(server.info)
        return client.query("SELECT * FROM JournalEntry")


def test_the_demo_company_closed_with_the_keyboard(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    window.open_demo()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    key(qtbot, window, "2")  # Ctrl+2: the Monthly close
    screen = window.current_screen()
    assert screen.title == "Monthly close" and screen.flow.period.start.isoformat() == \
        "2025-01-01"
    screen.steps.tabBar().setFocus()
    for step in ("import", "preflight", "preview", "post"):
        assert clashes(window) == {}, screen.flow.step
        press(qtbot, screen.next_button)
        assert screen.flow.step == step
    check = screen.flow.check
    assert screen.post_page.post_button.text().startswith("&Post 18 operation(s)")
    press(qtbot, screen.post_page.post_button)
    assert screen.flow.step == "result" and screen.flow.report.exit_code == 0
    # the reconciliation follows the post, once the result is drawn
    qtbot.waitUntil(lambda: screen.flow.reconciliation is not None, timeout=10000)
    assert screen.flow.reconciliation.agrees
    assert clashes(window) == {}, "result"
    entries = journal_entries_in_the_demo(services)
    assert len(entries) == check.tree.count("Journal entries") == 1
    assert entries[0]["TxnDate"] == "2025-01-31"  # the go-live lump sum, as previewed
    press(qtbot, screen.result_page.next_button)
    assert screen.flow.step == "period" and screen.flow.period.start.isoformat() == \
        "2025-02-01"
    close(window, services)


def test_every_step_is_named_as_labelled_without_clashing_alt_letters(qtbot, tmp_path,
                                                                      simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    simulator.set_closing_date("2025-01-10")  # problems and the closed-period choice shown
    window, services = make_window(qtbot, home)
    screen = open_close(qtbot, window)
    for step in ("period", "import", "preflight", "preview", "post", "result"):
        screen.go(step)
        if step == "post":
            click(qtbot, screen.post_page.post_button)
        assert screen.flow.step == step or step == "post"
        assert clashes(window) == {}, step
        buddies = _buddies(window)
        for control in _controls(screen):
            if not control.isVisibleTo(screen):
                continue
            text = getattr(control, "text", lambda: "")()
            name = control.accessibleName()
            if text and hasattr(control, "isCheckable"):
                assert name == plain(text), (step, text, name)
            elif id(control) in buddies:
                assert name == buddies[id(control)], (step, name)
            else:
                assert name, (step, type(control).__name__)
    close(window, services)


def test_an_import_with_errors_is_shown_cell_by_cell_and_imports_nothing(qtbot, tmp_path,
                                                                          simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    bad = tmp_path / "bad"
    shutil.copytree(exports, bad)
    rows = list(csv.reader((bad / "payments.csv").open(encoding="utf-8")))
    rows[3][rows[0].index("date")] = "31/02/2025"
    with (bad / "payments.csv").open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    window, services = make_window(qtbot, home)
    screen = open_close(qtbot, window)
    screen.go("import")
    screen.import_page.files_chosen.emit((bad,))
    page = screen.import_page
    assert not screen.flow.imported.ok and page.results.currentIndex() == 1
    first = page.errors_model.row_at(0)
    assert (first.file, first.row, first.column, first.value) == ("payments.csv", 4, "date",
                                                                  "31/02/2025")
    assert [page.errors_model.headerData(c, Qt.Orientation.Horizontal)
            for c in range(5)] == ["File", "Row", "Column", "Value", "Reason"]
    assert "nothing was imported" in page.status.text()
    target = tmp_path / "errors.csv"
    page.save_as = lambda *_args: target
    click(qtbot, page.save_errors_button)
    assert "31/02/2025" in target.read_text(encoding="utf-8-sig")
    screen.go("preflight")
    assert screen.flow.check.preview.operations == ()  # nothing was stored to plan
    screen.import_page.files_chosen.emit((exports,))
    assert screen.flow.imported.ok and screen.flow.check is None  # plan again
    close(window, services)


def test_preflight_fixes_go_where_the_fix_is_made(qtbot, tmp_path, simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    cli(home, "disconnect")
    wizard = FakeWizard()
    window, services = make_window(qtbot, home, wizard)
    screen = open_close(qtbot, window)
    screen.go("preflight")
    page = screen.preflight_page
    first = page.model.row_at(0)
    assert first.stops_post and first.action.kind == "reconnect"
    assert "stops the post" in page.model.index(0, 1).data()
    page.table.selectRow(0)
    assert page.fix_button.text() == "Fi&x: Reconnect to QuickBooks"
    click(qtbot, page.fix_button)
    assert wizard.calls[-1][2:] == (window.context.company_id, "connect")
    screen.go("post")
    assert not screen.post_page.post_button.isEnabled()
    assert "stop the post" in screen.post_page.post_button.toolTip()
    close(window, services)


def test_records_in_the_closed_period_are_redated_when_chosen(qtbot, tmp_path,
                                                              simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    simulator.set_closing_date("2025-01-10")
    window, services = make_window(qtbot, home)
    screen = open_close(qtbot, window)
    screen.go("preflight")
    page = screen.preflight_page
    assert page.closed_box.isVisible() and "are held" in page.closed_text.text()
    page.choices["redate"].setChecked(True)
    assert screen.flow.closed_choice == "redate"
    assert "re-dated to 11 Jan 2025" in page.closed_text.text()
    screen.go("post")
    click(qtbot, screen.post_page.post_button)
    assert screen.flow.report.exit_code == 0 and screen.flow.report.decision.overrides
    client, _link = connect_local(simulator.info)
    dates = {row["TxnDate"] for entity in ("Invoice", "Payment")
             for row in client.query(f"SELECT * FROM {entity}")}
    assert min(dates) == "2025-01-11"  # nothing dated in the closed period
    close(window, services)


def test_another_post_running_is_said_plainly_and_nothing_is_sent(qtbot, tmp_path,
                                                                 simulator):  # noqa: F811
    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator)
    cli(home, "import", str(exports))
    window, services = make_window(qtbot, home)
    screen = open_close(qtbot, window)
    click(qtbot, screen.next_button)
    to_preview(qtbot, screen)
    screen.go("post")
    before = quickbooks_counts(simulator)
    context = window.context
    with posting_lock(context.database, context.company_id, "Riverside Swim"):
        click(qtbot, screen.post_page.post_button)
    assert screen.flow.report is None and screen.flow.step == "post"
    message = screen.post_page.message
    assert message.isVisible() and message.text().startswith(
        "Nothing was sent: another Ledgerbridge post is already running on Riverside Swim")
    assert quickbooks_counts(simulator) == before
    assert screen.post_page.post_button.isEnabled()  # and Post again works afterwards
    click(qtbot, screen.post_page.post_button)
    assert screen.flow.report.exit_code == 0
    close(window, services)


def test_the_close_opens_on_the_month_after_the_last_posted(qtbot, two_companies):  # noqa: F811
    window, services = make_window(qtbot, two_companies)
    screen = open_close(qtbot, window)
    assert screen.flow.period.start.isoformat() == "2025-02-01"
    assert screen.period_page.months.currentText().startswith("February 2025 — next to close")
    assert screen.period_page.months.itemText(0).startswith("January 2025 — posted")
    choose(window, "Lakeview Dance")
    assert screen.flow.period.start.isoformat() == "2025-01-01"  # nothing posted there
    close(window, services)
