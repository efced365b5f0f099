"""The Mapping screen: the stored mapping shown, one wizard page re-entered from it, and
the mapping file exported and imported in the CLI's TOML."""

from __future__ import annotations

from datetime import date

from app.mapping.store import load_mapping
from app.mapping.toml_format import read_mapping_file
from app.setup import choices, connecting, source
from app.setup.chart import Chart
from app.setup.finish import finish
from app.setup.loading import known_for, load_state
from app.ui.background import SynchronousRunner
from app.ui.mapping_screen import MappingScreen
from tests.setup.helpers import progress, services_for


def _set_up(services) -> int:
    state = load_state(services, None, None)
    connected = connecting.connect_demo(services, progress())
    state.connection = connected.connection
    state.apply_chart(Chart.from_snapshot(connected.chart))
    state.source.files = [source.inspect_file(p)
                          for p in source.demo_exports(services.paths.data_dir)]
    state.source.result = source.check(state.source, known_for(services, None),
                                       services.paths.config_dir)
    state.source.checked = state.source.signature()
    state.style = "detailed"
    for section in ("income", "locations", "tax_rates", "accounts"):
        choices.prefill(state, section)
        choices.create_all_unmapped(state, section)
    state.go_live = date(2025, 1, 1)
    state.summary_error = "not needed here"
    return finish(services, state, progress()).company_id


def test_mapping_screen_shows_reenters_exports_and_imports(qtbot, tmp_path):
    services = services_for(tmp_path, runner=SynchronousRunner())
    company_id = _set_up(services)
    screen = MappingScreen(services, company_id)
    qtbot.addWidget(screen)
    rows = screen.model.rows
    assert ("Setting", "Posting style", "detailed", "") in rows
    assert ("Special account", "accounts_receivable", "Accounts Receivable (A/R)",
            "in QuickBooks") in rows
    assert ("Income", "Dance", "Dance", "created on the first post") in rows
    wizard = screen.change("tax")
    qtbot.addWidget(wizard)
    assert list(wizard.pages) == ["tax"] and wizard.isVisible() and not wizard.isModal()
    wizard.reject()
    exported = tmp_path / "mapping.toml"
    screen.export_file(exported)
    config, issues = read_mapping_file(exported)
    assert issues == () and "Account:Dance" in config.create_new  # the CLI's format
    exported.write_text(exported.read_text().replace('style = "detailed"', 'style = "summary"'))
    screen.import_file(exported)
    assert "mapping version 2" in screen.message.text()
    assert ("Setting", "Posting style", "summary", "") in screen.model.rows
    with services.database.session() as session:
        assert load_mapping(session, company_id).style == "summary"
    bad = tmp_path / "bad.toml"
    bad.write_text('style = "weekly"\n')
    screen.import_file(bad)
    assert screen.message.text().startswith("Nothing was imported")
    with services.database.session() as session:
        assert load_mapping(session, company_id).style == "summary"
