"""The whole setup driven through the core, no widgets: demo company, hosted OAuth against
the simulator, a bad file imports nothing, and Finish saves once."""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date

import keyring
import pytest
import requests
from sqlalchemy import func, select

from app.mapping.store import load_mapping
from app.models import ImportBatch, SourceRecord
from app.models.company import Company
from app.setup import choices, connecting, rules, source
from app.setup.chart import Chart
from app.setup.finish import SetupError, finish
from app.setup.loading import known_for, ledger_for, load_state
from app.setup.state import SetupState
from app.setup.summary import summarise
from app.simulator import SandboxServer
from app.sync.environments import local_environment

from .helpers import progress, services_for, spoil


def _feed(services, state: SetupState, paths) -> None:
    state.source.files = [source.inspect_file(p) for p in paths]
    state.source.result = source.check(state.source, known_for(services, None),
                                       services.paths.config_dir)
    state.source.checked = state.source.signature()


def _map_everything(state: SetupState) -> None:
    state.style = "summary"
    for page in ("income", "classes", "tenders", "tax", "special_accounts"):
        section = state.section_of(page)
        choices.prefill(state, section)
        choices.create_all_unmapped(state, section)
        assert rules.problems(state, page) == [], page
    state.go_live = date(2025, 1, 1)


def test_demo_company_connected_fed_and_mapped_in_one_finish(tmp_path):
    services = services_for(tmp_path)
    state = load_state(services, None, None)
    connected = connecting.connect_demo(services, progress())
    state.connection = connected.connection
    state.apply_chart(Chart.from_snapshot(connected.chart))
    assert rules.problems(state, "connect") == []
    _feed(services, state, source.demo_exports(services.paths.data_dir))
    assert rules.problems(state, "data_source") == []
    _map_everything(state)
    ledger, locked = ledger_for(services, None)
    state.summary = summarise(state.dataset(), state.mapping(), state.chart, ledger, locked)
    assert state.summary.count("Account") > 5 and state.summary.blocked == ()
    with services.database.session() as session:  # nothing saved before Finish
        assert session.scalar(select(func.count()).select_from(Company)) == 0
    done = finish(services, state, progress())
    with services.database.session() as session:
        company = session.get(Company, done.company_id)
        assert (company.connection_state, company.environment, company.api_base_url) == (
            "connected", "local", None)
        assert company.posting_style == "summary"
        assert session.scalar(select(func.count()).select_from(SourceRecord)) > 100
        mapping = load_mapping(session, company.id)
    assert mapping.income.keys() == {"Swim Lessons", "Summer Camp", "Gymnastics", "Dance",
                                     "Merchandise", "Gift Cards"}
    assert mapping.accounts["undeposited_funds"].qbo_id is not None  # QBO already had it
    assert "Account:Merchant Settlement" in mapping.create_new  # chosen "Create new…"
    assert not mapping.create_missing


def test_a_file_with_bad_cells_shows_every_error_and_imports_nothing(tmp_path):
    services = services_for(tmp_path)
    exports = source.demo_exports(services.paths.data_dir)
    bad = tmp_path / "payments.csv"
    bad.write_text(spoil(next(p for p in exports if p.name == "payments.csv").read_text()))
    state = load_state(services, None, None)
    _feed(services, state, [p for p in exports if p.name != "payments.csv"] + [bad])
    errors = state.source.result.errors
    assert [(e.file, e.row, e.column, e.value) for e in errors] == [
        ("payments.csv", 2, "amount", "1e3"), ("payments.csv", 4, "date", "2025-02-30")]
    assert rules.problems(state, "data_source")[0].startswith(f"{len(errors)} error(s)")
    with pytest.raises(SetupError):
        finish(services, state, progress())
    with services.database.session() as session:
        assert session.scalar(select(func.count()).select_from(SourceRecord)) == 0
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_hosted_connection_through_the_simulators_oauth_keeps_secrets_in_the_keyring(
        tmp_path, memory_keyring):
    with SandboxServer() as simulator:
        info = simulator.info
        services = services_for(tmp_path, environment_for=lambda name: replace(
            local_environment(info), name=name))
        request = connecting.ConnectRequest("sandbox", client_id=info["client_id"],
                                            client_secret=info["client_secret"])
        attempt = connecting.begin(request, services)
        answer = threading.Thread(target=requests.get, args=(attempt.url,),
                                  kwargs={"timeout": 10})  # the browser
        answer.start()
        connected = attempt.finish(progress(), timeout=10)
        answer.join()
        state = SetupState(connection=connected.connection)
        assert keyring.get_password("ledgerbridge", connected.connection.token_key) is None
        state.connection.save_secrets(services.token_store())
    assert keyring.get_password("ledgerbridge", f"client-secret:{info['client_id']}") == \
        info["client_secret"]
    assert keyring.get_password("ledgerbridge", f"tokens:sandbox:{info['realm_id']}")
    assert connecting.knows_client_secret(info["client_id"])  # not asked again


def test_cancel_stops_waiting_for_the_browser(tmp_path):
    from app.progress import Cancelled

    with SandboxServer() as simulator:
        info = simulator.info
        services = services_for(tmp_path, environment_for=lambda name: local_environment(info))
        attempt = connecting.begin(connecting.ConnectRequest(
            "production", client_id=info["client_id"], client_secret="s"), services)
        threading.Timer(0.2, attempt.cancel).start()
        with pytest.raises(Cancelled):
            attempt.finish(progress(), timeout=30)


def test_reentering_one_page_changes_only_that_page(tmp_path):
    services = services_for(tmp_path)
    state = load_state(services, None, None)
    connected = connecting.connect_demo(services, progress())
    state.connection = connected.connection
    state.apply_chart(Chart.from_snapshot(connected.chart))
    _feed(services, state, source.demo_exports(services.paths.data_dir))
    _map_everything(state)
    state.summary_error = "not needed here"
    company_id = finish(services, state, progress()).company_id
    with services.database.session() as session:
        before = load_mapping(session, company_id)
    again = load_state(services, company_id, "tax")
    again.apply_chart(Chart.from_snapshot(connected.chart))
    key = next(iter(again.picks["tax_rates"]))
    choices.choose(again, "tax_rates", key, choices.Pick("Sales Tax Owed", new=True))
    finish(services, again, progress())
    with services.database.session() as session:
        after = load_mapping(session, company_id)
    assert after.tax_rates[key].name == "Sales Tax Owed"
    assert replace(after, tax_rates=before.tax_rates, create_new=before.create_new) == before
    assert set(after.create_new) - set(before.create_new) == {"Account:Sales Tax Owed"}


def test_a_page_saved_after_the_mapping_changed_elsewhere_keeps_that_change(tmp_path):
    """Another page changed meanwhile (Mapping screen import, CLI, a colleague) is kept;
    the same page changed meanwhile is never overwritten silently."""
    from app.mapping.store import save_mapping

    services = services_for(tmp_path)
    state = load_state(services, None, None)
    connected = connecting.connect_demo(services, progress())
    state.connection = connected.connection
    state.apply_chart(Chart.from_snapshot(connected.chart))
    _feed(services, state, source.demo_exports(services.paths.data_dir))
    _map_everything(state)
    state.summary_error = "not needed here"
    company_id = finish(services, state, progress()).company_id
    income_page = load_state(services, company_id, "income")
    income_page.apply_chart(Chart.from_snapshot(connected.chart))
    go_live_page = load_state(services, company_id, "go_live")
    whole = load_state(services, company_id, None)
    whole.apply_chart(Chart.from_snapshot(connected.chart))
    with services.database.session() as session:  # meanwhile, elsewhere: go-live moves
        stored = load_mapping(session, company_id)
        save_mapping(session, company_id, replace(stored, go_live=date(2025, 2, 1),
                                                  sync="manual"))
    key = next(iter(income_page.picks["income"]))
    choices.choose(income_page, "income", key, choices.Pick("Program Fees", new=True))
    finish(services, income_page, progress())
    with services.database.session() as session:
        after = load_mapping(session, company_id)
    assert after.income[key].name == "Program Fees"
    assert (after.go_live, after.sync) == (date(2025, 2, 1), "manual")  # not reverted
    go_live_page.go_live = date(2025, 3, 1)
    with pytest.raises(SetupError, match="changed elsewhere while this wizard was open"):
        finish(services, go_live_page, progress())
    whole.summary_error = "not needed here"
    with pytest.raises(SetupError, match="changed elsewhere"):
        finish(services, whole, progress())
    with services.database.session() as session:
        assert load_mapping(session, company_id) == after  # neither saved anything


def test_the_summary_names_the_company_and_refuses_a_name_taken_here(tmp_path):
    from app.companies import add_company

    services = services_for(tmp_path)
    with services.database.session() as session:
        add_company(session, "Riverside Swim")
    state = load_state(services, None, None)
    connected = connecting.connect_demo(services, progress())
    state.connection = connected.connection
    state.apply_chart(Chart.from_snapshot(connected.chart))
    state.summary_error = "not needed here"
    assert state.chosen_name() == connected.connection.link.qbo_company_name  # the default
    state.company_name = "  riverside SWIM "
    assert rules.problems(state, "summary") == [
        "Another company here is already called 'riverside SWIM': give this one another "
        "name, so it can be told apart and chosen."]
    state.company_name = ""
    assert rules.problems(state, "summary") == [
        "Give the company a name: what you call this client."]
    state.company_name = "Lakeview Dance"
    assert rules.problems(state, "summary") == []
    _feed(services, state, source.demo_exports(services.paths.data_dir))
    _map_everything(state)
    state.summary_error = "not needed here"
    company_id = finish(services, state, progress()).company_id
    with services.database.session() as session:
        assert session.get(Company, company_id).name == "Lakeview Dance"
    again = load_state(services, company_id, None)  # the whole setup again renames it
    assert again.chosen_name() == "Lakeview Dance" and "lakeview dance" not in again.taken_names
