"""The window and the real setup wizard together: a company added from the toolbar is set
up against a simulator, fed and mapped, and the window shows it; a page re-entered from
the Mapping screen changes that page only. Assertions are on the database."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import pytest
import requests
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QRadioButton
from sqlalchemy import func, select

from app.cli import main
from app.mapping.store import load_mapping
from app.models import SourceRecord
from app.models.company import Company
from app.setup import source
from app.simulator import SandboxServer
from app.ui.wizard import open_setup_wizard
from tests.shell.gui_helpers import close, make_window
from tests.ui.wizard_driver import click, complete_after_connect, finish, next_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

MAPPING = """
style = "detailed"
go_live = 2025-01-01
[options]
create_missing = true
"""


def _browser_in_a_thread(url: str) -> None:
    """The user's browser: signs in at the simulator, which sends it back to loopback."""
    threading.Thread(target=requests.get, args=(url,), kwargs={"timeout": 10},
                     daemon=True).start()


class RealWizard:
    """The real ``open_setup_wizard``, with the browser above instead of the system's."""

    def __init__(self) -> None:
        self.opened: list = []

    def __call__(self, parent, services, company_id=None, page=None):
        self.services = services
        wizard = open_setup_wizard(parent, replace(services, open_browser=_browser_in_a_thread),
                                   company_id, page)
        self.opened.append(wizard)
        return wizard


def _records(session, company_id: int) -> int:
    return session.scalar(select(func.count()).select_from(SourceRecord)
                          .where(SourceRecord.company_id == company_id))


@pytest.mark.parametrize("start", ["first run", "another company shown"])
def test_a_company_added_from_the_window_is_connected_fed_and_shown(qtbot, tmp_path, start):
    home = tmp_path / "home"
    first_run = start == "first run"
    if not first_run:
        assert main(["--home", str(home), "company", "add", "Riverside Swim"]) == 0
    wizards = RealWizard()
    window, services = make_window(qtbot, home, wizards)
    window.start()
    if first_run:
        assert window.context is None and window.welcome.isVisible()
    else:
        assert window.context is not None and window.context.label == "Riverside Swim"
    with SandboxServer() as simulator:
        if first_run:
            qtbot.mouseClick(window.welcome.connect_button, Qt.MouseButton.LeftButton)
        else:
            window.add_button.click()
        [wizard] = wizards.opened
        assert not wizards.services.offer_demo  # the real books never get the demo
        qtbot.waitUntil(lambda: wizard.context.ready)
        connect = wizard.currentPage()
        assert not connect.findChild(QRadioButton, "kind_demo").isVisibleTo(connect)
        click(qtbot, connect.findChild(QRadioButton, "kind_simulator"))
        qtbot.keyClicks(connect.simulator_url, simulator.info["base_url"])
        click(qtbot, connect.connect_button)
        qtbot.waitUntil(lambda: wizard.state.connection is not None and not connect.busy,
                        timeout=20000)
        complete_after_connect(qtbot, wizard, source.demo_exports(services.paths.data_dir))
    new_id = wizard.finished_result.company_id
    assert window.context is not None and window.context.company_id == new_id
    assert not window.context.ref.demo
    home_screen = window.current_screen()  # Home shows the company connected, fed, mapped
    assert home_screen.values["connection"].text().startswith("Connected to the simulator")
    assert home_screen.values["style"].text().startswith("Summary")
    assert "new or changed record(s)" in home_screen.values["import"].text()
    assert not home_screen.next_button.isVisible()  # nothing left to set up
    labels = {c.label for c in window.companies.choices}
    assert window.context.label in labels and len(labels) == (1 if first_run else 2)
    with services.database.session() as session:
        company = session.get(Company, new_id)
        assert company.realm_id == simulator.info["realm_id"]
        assert _records(session, new_id) > 100  # the import went to the new company…
        assert load_mapping(session, new_id).style == "summary"
        if not first_run:
            riverside = session.scalars(select(Company).where(Company.name == "Riverside Swim")
                                        ).one()
            assert _records(session, riverside.id) == 0  # …and nothing to the first one
    close(window, services)


def test_one_page_reentered_from_the_mapping_screen_changes_that_page_only(qtbot, tmp_path):
    home = tmp_path / "home"
    args = ["--home", str(home), "--company", "Lakeview Dance"]
    assert main(["--home", str(home), "company", "add", "Lakeview Dance"]) == 0
    assert main([*args, "demo-data", "--out", str(tmp_path / "data"), "--families", "3",
                 "--months", "1", "--seed", "3"]) == 0
    assert main([*args, "import", str(tmp_path / "data")]) == 0
    (tmp_path / "m.toml").write_text(MAPPING, encoding="utf-8")
    assert main([*args, "mapping", "import", str(tmp_path / "m.toml")]) == 0
    wizards = RealWizard()
    window, services = make_window(qtbot, home, wizards)
    window.start()
    window.show_screen("Mapping")
    mapping_screen = window.current_screen()
    row = next(i for i, p in enumerate(mapping_screen.pages) if p.page == "go_live")
    mapping_screen.pages_table.selectRow(row)
    qtbot.mouseClick(mapping_screen.edit_button, Qt.MouseButton.LeftButton)
    [wizard] = wizards.opened
    qtbot.waitUntil(lambda: wizard.context.ready)
    assert list(wizard.pages) == ["go_live"]
    window.open_wizard("tax")  # a second wizard is refused while this one is open
    assert wizards.opened == [wizard] and "already open" in window.statusBar().currentMessage()
    wizard.currentPage().go_live.setDate(QDate(2025, 3, 1))
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.finished_result is not None, timeout=20000)
    with services.database.session() as session:
        company = session.scalars(select(Company)).one()
        stored = load_mapping(session, company.id)
    assert stored.go_live == date(2025, 3, 1) and stored.style == "detailed"
    assert stored.create_missing  # every other page kept as it was
    window.show_screen("Mapping")
    go_live = next(p for p in window.current_screen().pages if p.page == "go_live")
    assert "01 March 2025" in go_live.summary
    close(window, services)


def test_first_run_demo_company_then_its_whole_setup_in_the_wizard_then_home(qtbot, tmp_path):
    """First run → Open the demo company → File → Set up this company again → every page
    of the wizard (the demo's own connection, its exports, the detailed style) → Home."""
    wizards = RealWizard()
    window, services = make_window(qtbot, tmp_path / "home", wizards)
    window.start()
    qtbot.mouseClick(window.welcome.demo_button, Qt.MouseButton.LeftButton)
    assert window.context is not None and window.context.ref.demo
    window.setup_action.trigger()
    [wizard] = wizards.opened
    assert wizards.services.offer_demo  # the demo company's own setup offers the demo
    qtbot.waitUntil(lambda: wizard.context.ready)
    connect = wizard.currentPage()
    assert connect.findChild(QRadioButton, "kind_demo").isChecked()
    click(qtbot, connect.connect_button)
    qtbot.waitUntil(lambda: wizard.state.connection is not None and not connect.busy,
                    timeout=20000)
    next_page(qtbot, wizard, "data_source")
    data = wizard.currentPage()
    click(qtbot, data.demo_button)
    qtbot.waitUntil(lambda: not data.busy)
    click(qtbot, data.check_button)
    qtbot.waitUntil(lambda: wizard.state.source.is_checked and not data.busy)
    next_page(qtbot, wizard, "style")
    click(qtbot, wizard.currentPage().choice.button(0))  # detailed
    for name in ("income", "classes", "tenders", "tax", "special_accounts"):
        next_page(qtbot, wizard, name)
        page = wizard.currentPage()
        if page.create_all.isVisible() and page.create_all.isEnabled():
            click(qtbot, page.create_all)
    next_page(qtbot, wizard, "go_live")
    next_page(qtbot, wizard, "summary")
    qtbot.waitUntil(lambda: wizard.state.summary is not None, timeout=20000)
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.finished_result is not None, timeout=20000)
    assert window.context.ref.demo and window.context.company_id == \
        wizard.finished_result.company_id
    home = window.current_screen()
    qtbot.waitUntil(lambda: home.values["style"].text().startswith("Detailed"), timeout=5000)
    assert home.dashboard is not None and home.dashboard.ready
    with window.context.database.session() as session:
        assert load_mapping(session, window.context.company_id).style == "detailed"
    close(window, services)
