"""The real window: first run, the demo company, Home, the geometry and company remembered."""

from __future__ import annotations

from PySide6.QtCore import Qt

from app.companies import read_last_company
from tests.shell.gui_helpers import FakeWizard, close, make_window


def test_first_run_then_the_demo_company_then_home_shows_it_mapped(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    assert window.pages.currentWidget() is window.welcome  # two clear paths, nothing else
    assert not window.toolbar.isVisible()
    assert window.welcome.connect_button.text() == "&Connect to QuickBooks…"
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)

    assert window.pages.currentIndex() == 1 and window.toolbar.isVisible()
    assert [c.label for c in window.companies.choices] == ["Demo Company (Ledgerbridge simulator)"]
    assert "simulator" in window.windowTitle()
    home = window.current_screen()
    assert home is window.screen_list[0] and home.title == "Home"
    assert home.dashboard is not None and home.dashboard.ready  # connected, fed and mapped
    assert home.heading.text() == "Demo Company (Ledgerbridge simulator)"
    assert home.simulator_note.isVisible()
    assert home.values["connection"].text() == "Connected to the built-in simulator"
    assert home.values["style"].text().startswith("Summary")
    assert "413 new or changed record(s)" in home.values["import"].text()
    assert home.values["run"].text() == "No run yet"
    assert not home.next_button.isVisible()  # nothing left to set up
    assert home.chart.totals is not None and home.chart.totals.empty
    assert "Connected to the built-in simulator" in window.connection.text()
    assert not window.banner.isVisible() and not window.failed_badge.isVisible()
    assert read_last_company(services.paths.config_dir).demo
    close(window, services)

    # The next start opens the demo company again, at the size the window was left.
    again, services = make_window(qtbot, tmp_path)
    again.start()
    assert again.context is not None and again.context.ref.demo
    assert again.current_screen().dashboard.ready  # type: ignore[union-attr]
    again.resize(700, 500)
    close(again, services)
    third, services = make_window(qtbot, tmp_path)
    assert (third.width(), third.height()) == (700, 500)
    close(third, services)


def test_connect_to_quickbooks_asks_the_setup_wizard_for_a_new_company(qtbot, tmp_path):
    wizard = FakeWizard()
    window, services = make_window(qtbot, tmp_path, wizard)
    window.start()
    qtbot.mouseClick(window.welcome.connect_button, Qt.MouseButton.LeftButton)
    [(parent, given, company_id, page)] = wizard.calls
    assert parent is window and company_id is None and page is None
    assert given.database is services.database and not given.offer_demo  # the real books
    # The wizard saves a company and says so: the window shows it.
    from app.companies import add_company

    with services.database.session() as session:
        new_id = add_company(session, "Riverside Swim").id
    wizard.opened[-1].setup_finished.emit(new_id)
    assert window.context is not None and window.context.company_id == new_id
    home = window.current_screen()
    assert home.next_button.isVisible() and home.next_step.text().startswith("This company is not")
    qtbot.mouseClick(home.next_button, Qt.MouseButton.LeftButton)
    assert wizard.calls[-1][2:] == (new_id, "connect")
    close(window, services)
