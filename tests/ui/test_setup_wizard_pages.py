"""The real wizard's pages: a bad file shown in the error table with nothing imported,
one mapping page re-entered (through its real combo editor) changing only that page,
and every control named after its visible label, in a sensible tab order."""

from __future__ import annotations

import csv
import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import func, select

from app.mapping.store import load_mapping
from app.models import ImportBatch, SourceRecord
from app.setup import source
from app.setup.pages import PAGES
from app.ui.background import SynchronousRunner
from app.ui.wizard import open_setup_wizard
from app.ui.wizard.mapping_models import TARGET
from app.ui.wizard.target_delegate import TargetCombo, TargetDelegate
from app.ui.wizard.widgets import plain
from tests.mnemonics import clashes
from tests.setup.helpers import services_for, spoil

from .wizard_driver import NEXT, click, complete_after_connect, next_page


@pytest.fixture
def services(tmp_path):
    return services_for(tmp_path, runner=SynchronousRunner())


def _connected_wizard(qtbot, services, **kwargs):
    wizard = open_setup_wizard(None, services, **kwargs)
    qtbot.addWidget(wizard)
    click(qtbot, wizard.currentPage().connect_button)  # the demo company
    return wizard


def test_a_file_with_bad_cells_fills_the_error_table_and_imports_nothing(qtbot, services,
                                                                         tmp_path):
    exports = tmp_path / "exports"
    exports.mkdir()
    for path in source.demo_exports(services.paths.data_dir):
        text = path.read_text(encoding="utf-8")
        (exports / path.name).write_text(spoil(text) if path.name == "payments.csv" else text,
                                         encoding="utf-8")
    wizard = _connected_wizard(qtbot, services)
    next_page(qtbot, wizard, "data_source")
    page = wizard.currentPage()
    page.add_files(sorted(exports.glob("*.csv")))
    click(qtbot, page.check_button)
    table = page.issues
    rows = [[table.index(r, c).data() for c in range(5)] for r in range(table.rowCount())]
    assert rows == [
        ["payments.csv", "2", "amount", "1e3", rows[0][4]],
        ["payments.csv", "4", "date", "2025-02-30", "not a valid date (YYYY-MM-DD)"]]
    assert page.tabs.currentIndex() == 2 and page.tabs.tabText(2) == "Errors (2)"
    assert not wizard.button(NEXT).isEnabled()
    assert "nothing is imported" in page.problems_label.text().lower()
    exported = tmp_path / "errors.csv"
    page.export_issues(exported)
    with exported.open(encoding="utf-8-sig") as handle:
        assert [r[1:5] for r in csv.reader(handle)][1:] == [
            ["payments.csv", "2", "amount", "1e3"], ["payments.csv", "4", "date", "2025-02-30"]]
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # a stray Escape asks before discarding
    question = wizard.discard_question
    assert question is not None and question.isVisible() and wizard.isVisible()
    click(qtbot, next(b for b in question.buttons() if b.text() == "&Keep editing"))
    assert wizard.isVisible() and wizard.currentPage() is page
    wizard.reject()
    click(qtbot, next(b for b in wizard.discard_question.buttons() if b.text() == "&Discard"))
    assert not wizard.isVisible()
    with services.database.session() as session:
        assert session.scalar(select(func.count()).select_from(SourceRecord)) == 0
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0


def test_reentering_one_mapping_page_changes_only_that_page(qtbot, services):
    wizard = _connected_wizard(qtbot, services)
    complete_after_connect(qtbot, wizard, source.demo_exports(services.paths.data_dir))
    company_id = wizard.finished_result.company_id
    with services.database.session() as session:
        before = load_mapping(session, company_id)
    again = open_setup_wizard(None, services, company_id=company_id, page="income")
    qtbot.addWidget(again)
    page = again.currentPage()
    assert page.name == "income" and again.state.chart is not None  # read from the simulator
    assert again.button(again.WizardButton.FinishButton).isVisible()
    row = next(n for n, r in enumerate(page.rows_model.rows) if r.key == "Dance")
    index = page.filtered.mapFromSource(page.rows_model.index(row, TARGET))
    page.table.setCurrentIndex(index)
    page.table.edit(index)  # the row's combo, as a double click opens it
    combo = page.table.findChild(TargetCombo)
    assert combo is not None and combo.accessibleName() == "In QuickBooks"
    offered = [combo.itemText(n) for n in range(combo.count())]
    assert offered[:2] == ["Not mapped", "Create new…"] and "Services" in offered
    assert "Undeposited Funds" not in offered  # not an income account
    page.table.closeEditor(combo, TargetDelegate.EndEditHint.RevertModelCache)
    qtbot.waitUntil(lambda: page.table.findChild(TargetCombo) is None)
    page.table.setFocus()
    qtbot.keyClick(page.table, "s")  # typing opens the editor and searches
    combo = page.table.findChild(TargetCombo)
    assert combo is not None and combo.lineEdit().text() == "s"  # not "Not mappeds"
    qtbot.keyClicks(combo.lineEdit(), "erv")  # the focus is in the editor now
    assert combo.lineEdit().text() == "serv"
    combo.setCurrentIndex(offered.index("Services"))
    combo.activated.emit(combo.currentIndex())
    click(qtbot, again.button(again.WizardButton.FinishButton))
    with services.database.session() as session:
        after = load_mapping(session, company_id)
    assert after.income["Dance"].name == "Services" and after.income["Dance"].qbo_id
    unchanged = dataclasses.replace(after, income=before.income, create_new=before.create_new)
    assert unchanged == before
    assert set(before.create_new) - set(after.create_new) == {"Account:Dance"}


INPUTS = (QLineEdit, QComboBox, QAbstractItemView, QAbstractSpinBox, QPlainTextEdit)


def _inside(widget: QWidget, kinds: tuple[type, ...]) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, kinds):
            return True
        parent = parent.parentWidget()
    return False


def _controls(page: QWidget) -> list[QWidget]:
    found = []
    for widget in page.findChildren(QWidget):
        parent = widget.parentWidget()
        if _inside(widget, (QComboBox, QAbstractSpinBox)) or widget.objectName().startswith(
                "qt_"):
            continue  # a combo's own line edit and list, a date edit's line edit
        if isinstance(widget, (QAbstractButton, *INPUTS)) and not isinstance(
                parent, QAbstractItemView):
            found.append(widget)
    return found


def test_every_control_is_named_after_its_visible_label(qtbot, services):
    wizard = _connected_wizard(qtbot, services)
    labels = {}
    complete_pages = []
    while True:
        page = wizard.currentPage()
        complete_pages.append(page.name)
        for label in page.findChildren(QLabel):
            if label.buddy() is not None:
                labels[label.buddy()] = plain(label.text())
        for control in _controls(page):
            name = control.accessibleName()
            if isinstance(control, QAbstractButton) and control.text():
                assert name == plain(control.text()), (page.name, control.text(), name)
            elif control in labels:
                assert name == labels[control], (page.name, labels[control], name)
            else:
                assert name, (page.name, type(control).__name__, control.objectName())
        if page.name == "data_source":
            click(qtbot, page.demo_button)
            click(qtbot, page.check_button)
        if page.name == "style":
            click(qtbot, page.choice.button(1))
        if page.name == "summary":
            break
        next_page(qtbot, wizard, wizard.state.pages[wizard.state.pages.index(page.name) + 1])
    for which in (wizard.WizardButton.BackButton, wizard.WizardButton.FinishButton,
                  wizard.WizardButton.CancelButton):
        button = wizard.button(which)
        assert button.accessibleName() == plain(button.text()).strip("<> ")
    assert complete_pages == list(wizard.state.pages)


def test_no_two_visible_controls_of_a_page_share_an_alt_letter(qtbot, services):
    """Back/Next/Finish/Cancel included: a shared letter only moves the focus."""
    wizard = open_setup_wizard(None, services)
    qtbot.addWidget(wizard)
    connect = wizard.currentPage()
    for kind in ("kind_sandbox", "kind_simulator", "kind_demo"):
        click(qtbot, connect.findChild(QAbstractButton, kind))
        assert clashes(wizard) == {}, kind
    connect.waiting.show()  # the hosted sign-in's waiting pane and its Stop waiting
    connect.progress_pane.show()
    connect.progress_pane.cancel.show()
    assert clashes(wizard) == {}, "waiting for the browser"
    connect.waiting.hide()
    click(qtbot, connect.connect_button)  # the demo company
    while True:
        page = wizard.currentPage()
        assert clashes(wizard) == {}, page.name
        if page.name == "data_source":
            click(qtbot, page.demo_button)
            click(qtbot, page.check_button)
            for tab in range(page.tabs.count()):  # Source, Columns, Errors
                page.tabs.setCurrentIndex(tab)
                assert clashes(wizard) == {}, f"data_source tab {tab}"
            page.tabs.setCurrentIndex(0)
            page.mode.button(1).setChecked(True)  # an API source
            assert clashes(wizard) == {}, "data_source, an API source"
            page.mode.button(0).setChecked(True)
        if page.name == "style":
            click(qtbot, page.choice.button(1))
        if page.name == "summary":
            break
        next_page(qtbot, wizard, wizard.state.pages[wizard.state.pages.index(page.name) + 1])


@pytest.mark.parametrize("page_name", [p for p in PAGES if p != "summary"])
def test_a_page_reentered_alone_has_no_two_controls_on_one_alt_letter(qtbot, services,
                                                                        page_name):
    """Alone, a page has Finish beside its own controls (F is taken)."""
    wizard = open_setup_wizard(None, services, page=page_name)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.context.ready)
    assert clashes(wizard) == {}, page_name


def _focus_chain(start: QWidget, wanted: list[QWidget]) -> list[QWidget]:
    seen, widget = [], start
    for _ in range(500):
        if widget in wanted and widget not in seen:
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is start:
            break
    return seen


def test_tab_goes_top_to_bottom_and_the_keyboard_reaches_every_choice(qtbot, services):
    wizard = _connected_wizard(qtbot, services)
    connect = wizard.currentPage()
    order = [*connect.kinds.buttons(), connect.client_id, connect.connect_button,
             connect.url_field, connect.pasted, connect.use_pasted]
    assert _focus_chain(order[0], order) == order
    next_page(qtbot, wizard, "data_source")
    data = wizard.currentPage()
    click(qtbot, data.demo_button)
    click(qtbot, data.check_button)
    next_page(qtbot, wizard, "style")
    qtbot.keyClick(wizard.currentPage().choice.button(1), Qt.Key.Key_Space)
    assert wizard.state.style == "summary"
    next_page(qtbot, wizard, "income")
    next_page(qtbot, wizard, "classes")
    classes = wizard.currentPage()
    order = [classes.organisation, classes.filter, classes.table, classes.create_all]
    assert _focus_chain(order[0], order) == order
    assert classes.table.editTriggers() & QAbstractItemView.EditTrigger.EditKeyPressed  # F2
    assert classes.table.tabKeyNavigation() is False  # Tab leaves the table


def test_a_file_of_another_format_is_named_with_what_to_do(qtbot, services, tmp_path):
    wizard = _connected_wizard(qtbot, services)
    next_page(qtbot, wizard, "data_source")
    page = wizard.currentPage()
    notes = tmp_path / "registrations.pdf"
    notes.write_bytes(b"%PDF-1.4")
    page.add_files([notes])
    assert page.files.rowCount() == 0
    text = page.problems_label.text()
    assert "Not added: registrations.pdf" in text and "CSV (.csv) and Excel" in text
