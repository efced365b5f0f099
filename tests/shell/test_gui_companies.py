"""Two companies in the window: switched from the toolbar, never shown in each other."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.cli import main
from app.models.company import Company
from app.models.jobs import Job
from tests.shell.gui_helpers import FakeWizard, QueuedRunner, close, make_window

MAPPING = """
style = "summary"
go_live = 2025-01-01
organisation_class = "{org}"
[options]
create_missing = true
"""


@pytest.fixture
def two_companies(tmp_path, capsys):
    """Riverside (4 families, posted January) and Lakeview (3 families, one failed job)."""
    home = tmp_path / "home"
    for name, families in (("Riverside Swim", "4"), ("Lakeview Dance", "3")):
        args = ["--home", str(home), "--company", name]
        assert main(["--home", str(home), "company", "add", name]) == 0
        assert main([*args, "demo-data", "--out", str(tmp_path / name), "--families", families,
                     "--months", "1", "--seed", families]) == 0
        assert main([*args, "import", str(tmp_path / name)]) == 0
        (tmp_path / f"{families}.toml").write_text(MAPPING.format(org=name), encoding="utf-8")
        assert main([*args, "mapping", "import", str(tmp_path / f"{families}.toml")]) == 0
    riverside = ["--home", str(home), "--company", "Riverside Swim"]
    assert main([*riverside, "connect", "--environment", "local"]) == 0
    assert main([*riverside, "post", "--yes", "--to", "2025-01-31"]) == 0
    capsys.readouterr()
    return home


def _add_failed_job(services, company_name: str) -> None:
    with services.database.session() as session:
        company = session.query(Company).filter_by(name=company_name).one()
        session.add(Job(company_id=company.id, idempotency_key="k1", request_id="r1",
                        ledger_key="payment:PAY-X", operation="create", entity_type="Payment",
                        content_hash="h", payload={}, status="failed", summary="Payment PAY-X",
                        last_error_code="6000", last_error_message="A business validation "
                        "error has occurred"))


def _choose(window, name: str) -> None:
    row = next(i for i, c in enumerate(window.companies.choices) if c.entry.name == name)
    window.switcher.setCurrentIndex(row)
    window.switcher.activated.emit(row)


def test_two_companies_are_switched_and_kept_apart(qtbot, two_companies):
    window, services = make_window(qtbot, two_companies)
    _add_failed_job(services, "Lakeview Dance")
    window.start()
    labels = [c.label for c in window.companies.choices]
    assert labels == ["Lakeview Dance", "Riverside Swim (simulator)"]
    _choose(window, "Riverside Swim")
    home = window.current_screen()
    assert home.dashboard.company.name == "Riverside Swim"
    assert "Run 1 (post" in home.values["run"].text()
    assert home.chart.totals is not None and not home.chart.totals.empty
    assert not window.failed_badge.isVisible()  # Lakeview's failure is not Riverside's
    window.show_screen("Runs")
    assert window.current_screen().runs_model.rowCount() == 1

    _choose(window, "Lakeview Dance")
    assert window.windowTitle().startswith("Lakeview Dance")
    runs = window.current_screen()
    assert runs.runs_model.rowCount() == 0 and runs.manifest_model.rowCount() == 0
    assert window.failed_badge.isVisible() and window.failed_badge.text() == "1 failed"
    qtbot.mouseClick(window.failed_badge, Qt.MouseButton.LeftButton)
    errors = window.current_screen()
    assert errors.title == "Error log" and errors.model.rowCount() == 1
    assert errors.model.row_at(0).record == "payment:PAY-X"
    assert "What to do" in errors.details.toPlainText()
    window.show_screen("Home")
    assert window.current_screen().values["run"].text() == "No run yet"
    assert window.current_screen().chart.totals.empty
    close(window, services)


def test_a_late_answer_for_another_company_is_never_shown(qtbot, two_companies):
    runner = QueuedRunner()
    window, services = make_window(qtbot, two_companies, runner=runner)
    window.start()
    runner.run_all()  # the company list, then the first company's loads
    _choose(window, "Riverside Swim")
    _choose(window, "Lakeview Dance")  # before Riverside's loads answered
    runner.run_all()
    home = window.current_screen()
    assert home.dashboard.company.name == "Lakeview Dance"
    assert home.values["run"].text() == "No run yet"
    assert window.windowTitle().startswith("Lakeview Dance")
    close(window, services)


def test_the_wizard_is_asked_for_the_page_and_the_company_shown(qtbot, two_companies):
    wizard = FakeWizard()
    window, services = make_window(qtbot, two_companies, wizard)
    with services.database.session() as session:
        session.query(Company).filter_by(name="Riverside Swim").one().connection_state = \
            "reauthorisation_needed"
    window.start()
    _choose(window, "Riverside Swim")
    riverside = window.context.company_id
    assert window.banner.isVisible() and window.banner.button.text() == "Reconnect"
    assert "sign in again" in window.banner.text.text()
    qtbot.mouseClick(window.banner.button, Qt.MouseButton.LeftButton)
    assert wizard.calls[-1][2:] == (riverside, "connect")
    window.show_screen("Mapping")
    mapping = window.current_screen()
    assert [p.page for p in mapping.pages][:3] == ["connect", "data_source", "style"]
    mapping.pages_table.selectRow(5)  # Tenders
    qtbot.mouseClick(mapping.edit_button, Qt.MouseButton.LeftButton)
    assert wizard.calls[-1][2:] == (riverside, "tenders")
    qtbot.mouseClick(window.add_button, Qt.MouseButton.LeftButton)
    assert wizard.calls[-1][2:] == (None, None)
    window.show_screen("Settings")
    qtbot.mouseClick(window.current_screen().reconnect_button, Qt.MouseButton.LeftButton)
    assert wizard.calls[-1][2:] == (riverside, "connect")
    close(window, services)


def test_the_mapping_file_round_trips_from_the_mapping_screen(qtbot, two_companies, tmp_path):
    window, services = make_window(qtbot, two_companies)
    window.start()
    _choose(window, "Lakeview Dance")
    window.show_screen("Mapping")
    mapping = window.current_screen()
    exported = tmp_path / "lakeview.toml"
    mapping.export_file(exported)
    text = exported.read_text(encoding="utf-8")
    assert 'organisation_class = "Lakeview Dance"' in text
    exported.write_text(text.replace("Lakeview Dance", "Lakeview Dance Studio"), encoding="utf-8")
    mapping.import_file(exported)
    assert "mapping version 2" in mapping.message.text()
    classes = next(p for p in mapping.pages if p.page == "classes")
    assert "Lakeview Dance Studio" in classes.summary
    (tmp_path / "bad.toml").write_text('style = "sideways"\n', encoding="utf-8")
    mapping.import_file(tmp_path / "bad.toml")
    assert "was not imported" in mapping.message.text()
    close(window, services)


def test_a_mapping_file_the_wizard_would_refuse_is_not_imported(qtbot, two_companies, tmp_path):
    """Riverside is connected: the file is checked against its chart like the wizard's
    pages check a choice, and nothing is stored when a row does not fit."""
    window, services = make_window(qtbot, two_companies)
    window.start()
    _choose(window, "Riverside Swim")
    window.show_screen("Mapping")
    mapping = window.current_screen()
    before = mapping.pages
    bad = tmp_path / "bad.toml"
    bad.write_text(MAPPING.format(org="Riverside Swim").replace(
        "[options]", '[income]\n"Dance" = "Undeposited Funds"\n\n[options]'), encoding="utf-8")
    mapping.import_file(bad)
    text = mapping.message.text()
    assert "was not imported" in text and "Income accounts: Dance: 'Undeposited Funds'" in text
    assert mapping.pages == before  # nothing stored
    good = tmp_path / "good.toml"
    good.write_text(MAPPING.format(org="Riverside Swim Club"), encoding="utf-8")
    mapping.import_file(good)
    assert "mapping version 2" in mapping.message.text()
    close(window, services)


def test_file_choosers_do_not_block_and_start_in_documents(qtbot, two_companies, tmp_path):
    from PySide6.QtCore import QStandardPaths

    window, services = make_window(qtbot, two_companies)
    window.start()
    _choose(window, "Lakeview Dance")
    window.show_screen("Mapping")
    mapping = window.current_screen()
    qtbot.mouseClick(mapping.export_button, Qt.MouseButton.LeftButton)  # returns at once
    dialog = mapping.file_dialog
    assert dialog.isVisible() and dialog.windowModality() == Qt.WindowModality.WindowModal
    documents = Path(QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation))
    start = documents if documents.is_dir() else Path.home()
    assert Path(dialog.directory().absolutePath()) == start != Path.cwd()
    target = tmp_path / "chosen.toml"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    assert 'organisation_class = "Lakeview Dance"' in target.read_text(encoding="utf-8")
    close(window, services)
