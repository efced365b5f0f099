"""The real setup wizard, driven with pytest-qt: demo company end to end, the hosted path
through the simulator's OAuth, a bad file shown in the error table with nothing imported,
and one page re-entered changing only that page. Assertions are on the database and the
stored mapping, not on labels."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
import requests
from PySide6.QtCore import QDate, QThreadPool
from PySide6.QtWidgets import QRadioButton
from sqlalchemy import func, select

from app.mapping.store import load_mapping
from app.models import SourceRecord
from app.models.company import Company
from app.setup import source
from app.simulator import SandboxServer
from app.sync.environments import local_environment
from app.ui.background import BackgroundRunner, SynchronousRunner
from app.ui.wizard import open_setup_wizard
from tests.pg_schema import all_on_postgres
from tests.setup.helpers import services_for

from .wizard_driver import click, complete_after_connect, finish, next_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_demo_company_end_to_end_connected_fed_and_mapped(qtbot, tmp_path):
    services = services_for(tmp_path, runner=SynchronousRunner())
    wizard = open_setup_wizard(None, services)
    qtbot.addWidget(wizard)
    connect = wizard.currentPage()
    assert connect.name == "connect" and not wizard.button(wizard.WizardButton.NextButton
                                                          ).isEnabled()
    click(qtbot, connect.connect_button)  # the demo company is the first choice
    next_page(qtbot, wizard, "data_source")
    data = wizard.currentPage()
    click(qtbot, data.demo_button)
    assert data.files.rowCount() == 9
    click(qtbot, data.check_button)
    assert wizard.state.source.is_clean
    next_page(qtbot, wizard, "style")
    click(qtbot, wizard.currentPage().choice.button(1))  # summary
    for name in ("income", "classes", "tenders", "tax", "special_accounts"):
        next_page(qtbot, wizard, name)
        page = wizard.currentPage()
        if name == "classes":
            page.organisation.select(1)  # "Create new…", as picked in the combo
            page.organisation.activated.emit(1)
            assert wizard.state.organisation_class.new
        if page.create_all.isEnabled():
            click(qtbot, page.create_all)
    next_page(qtbot, wizard, "go_live")
    wizard.currentPage().go_live.setDate(QDate(2025, 1, 1))
    next_page(qtbot, wizard, "summary")
    summary = wizard.state.summary
    assert summary.count("Account") >= 10 and summary.count("Class") == 4
    finish(qtbot, wizard)
    assert not wizard.isVisible()
    with services.database.session() as session:
        company = session.get(Company, wizard.finished_result.company_id)
        assert (company.connection_state, company.environment) == ("connected", "local")
        assert session.scalar(select(func.count()).select_from(SourceRecord)) > 100
        mapping = load_mapping(session, company.id)
    assert mapping.style == "summary" and mapping.go_live == date(2025, 1, 1)
    assert mapping.organisation_class == "Demo Company (Ledgerbridge simulator)"
    assert set(mapping.locations.values()) and all(
        t.name.startswith(mapping.organisation_class + ":") for t in mapping.locations.values())
    assert "Account:Merchant Settlement" in mapping.create_new
    assert mapping.accounts["undeposited_funds"].qbo_id  # an existing account, by its id


@pytest.fixture
def simulator():
    with SandboxServer() as running:
        yield running


def _hosted_services(tmp_path, simulator, opened):
    """The real background runner (threads), the browser recorded, Intuit's sandbox URLs
    pointed at the simulator: the hosted path end to end on loopback."""
    info = simulator.info
    return services_for(
        tmp_path, runner=BackgroundRunner(QThreadPool()), open_browser=opened.append,
        environment_for=lambda name: replace(local_environment(info), name=name))


def _start_sign_in(qtbot, wizard, info):
    qtbot.waitUntil(lambda: wizard.context.ready)
    page = wizard.currentPage()
    click(qtbot, page.findChild(QRadioButton, "kind_sandbox"))
    qtbot.keyClicks(page.client_id, info["client_id"])
    qtbot.keyClicks(page.client_secret, info["client_secret"])
    click(qtbot, page.connect_button)
    qtbot.waitUntil(lambda: page.url_field.text() != "" and page.waiting.isVisible())
    return page


def test_hosted_path_through_the_simulators_oauth(qtbot, tmp_path, simulator, memory_keyring):
    info, opened = simulator.info, []
    services = _hosted_services(tmp_path, simulator, opened)
    wizard = open_setup_wizard(None, services)
    qtbot.addWidget(wizard)
    page = _start_sign_in(qtbot, wizard, info)
    url = page.url_field.text()  # the address the page shows, and the browser was given
    assert opened == [url]
    answer = requests.get(url, timeout=10)  # the simulator approves, redirects to loopback
    assert answer.status_code == 200 and "received" in answer.text
    qtbot.waitUntil(lambda: wizard.state.connection is not None and not page.busy,
                    timeout=15000)
    assert not page.waiting.isVisible()
    token_key = f"tokens:sandbox:{info['realm_id']}"
    assert memory_keyring.get_password("ledgerbridge", token_key) is None  # not before Finish
    complete_after_connect(qtbot, wizard, source.demo_exports(services.paths.data_dir))
    with services.database.session() as session:
        company = session.get(Company, wizard.finished_result.company_id)
        assert (company.environment, company.realm_id, company.connection_state) == (
            "sandbox", info["realm_id"], "connected")
        assert load_mapping(session, company.id).style == "summary"
    assert memory_keyring.get_password("ledgerbridge", token_key)
    assert memory_keyring.get_password(
        "ledgerbridge", f"client-secret:{info['client_id']}") == info["client_secret"]
    with services.database.session() as session:  # no column anywhere holds the secret
        stored = [str(v) for row in session.execute(select(Company)).scalars()
                  for v in vars(row).values()]
    assert not any(info["client_secret"] in value for value in stored)
    if not all_on_postgres():  # and the SQLite file itself (free pages included)
        database = (services.paths.data_dir / "ledgerbridge.db").read_bytes()
        assert info["client_secret"].encode() not in database
    again = open_setup_wizard(None, services)  # the secret is asked once only
    qtbot.addWidget(again)
    qtbot.waitUntil(lambda: again.context.ready)
    connect = again.currentPage()
    click(qtbot, connect.findChild(QRadioButton, "kind_sandbox"))
    connect.client_id.setText(info["client_id"])
    connect.client_id.editingFinished.emit()
    qtbot.waitUntil(lambda: not connect.client_secret.isEnabled())
    assert connect.client_secret.placeholderText() == "kept in the system keyring"


def test_hosted_path_cancel_then_the_pasted_address(qtbot, tmp_path, simulator):
    info, opened = simulator.info, []
    wizard = open_setup_wizard(None, _hosted_services(tmp_path, simulator, opened))
    qtbot.addWidget(wizard)
    page = _start_sign_in(qtbot, wizard, info)
    click(qtbot, page.progress_pane.cancel)
    qtbot.waitUntil(lambda: not page.busy, timeout=10000)
    assert wizard.state.connection is None and not page.waiting.isVisible()
    assert not wizard.button(wizard.WizardButton.NextButton).isEnabled()
    page.client_secret.setText(info["client_secret"])
    click(qtbot, page.connect_button)  # again; this time the browser cannot come back
    qtbot.waitUntil(lambda: page.waiting.isVisible() and page.attempt is not None)
    redirect = requests.get(page.url_field.text(), timeout=10, allow_redirects=False)
    qtbot.keyClicks(page.pasted, "http://127.0.0.1:1/callback?code=forged&state=nope")
    click(qtbot, page.use_pasted)
    assert "not from this connection" in page.problems_label.text()
    page.pasted.setText(redirect.headers["Location"])
    click(qtbot, page.use_pasted)
    qtbot.waitUntil(lambda: wizard.state.connection is not None and not page.busy,
                    timeout=15000)
    assert wizard.button(wizard.WizardButton.NextButton).isEnabled()
