"""Pages 4–8, the mapping: one page each for income accounts, classes, tenders, tax
accounts and the special accounts, all views over the same kind of table.

Each row's combo lists the company's real accounts (or classes) of the right types by
full name, searchable, plus "Create new…"; suggestions are pre-filled the first time a
page is shown; what stays unmapped is listed under the table with what it holds back.
"""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QListView,
    QTableView,
)

from app.mapping.defaults import safe_name
from app.setup import choices, sections
from app.setup.chart import ChartEntry, Pick
from app.setup.pages import MAPPING_SECTIONS
from app.setup.state import entity_of

from .mapping_models import (
    CREATE_NEW,
    NEW_NAME,
    NOT_MAPPED,
    TARGET,
    ChartListModel,
    MappingRowsModel,
)
from .page_base import SetupPage, WizardContext
from .target_delegate import TargetCombo, TargetDelegate
from .widgets import button, labelled, note

EDIT_TRIGGERS = (QAbstractItemView.EditTrigger.DoubleClicked
                 | QAbstractItemView.EditTrigger.EditKeyPressed
                 | QAbstractItemView.EditTrigger.SelectedClicked
                 | QAbstractItemView.EditTrigger.AnyKeyPressed)
TABLE_LABELS = {
    "income": "Program &categories and their income accounts:",
    "locations": "&Locations and their classes:",
    "tenders": "&Tenders and their deposit accounts:",
    "tax_rates": "Tax &rates and their liability accounts:",
    "accounts": "Special &accounts:",
}


class MappingPage(SetupPage):
    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.section = MAPPING_SECTIONS[self.name]
        empty = "Use its group's account" if self.section == "tenders" else "Not mapped"
        self.chart_model = ChartListModel(None, entity_of(self.section), empty)
        self.rows_model = MappingRowsModel(self.state, self.section)
        self.rows_model.changed.connect(self._on_rows_changed)
        self.filtered = QSortFilterProxyModel(self)
        self.filtered.setSourceModel(self.rows_model)
        self.filtered.setFilterKeyColumn(-1)
        self.filtered.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText("type part of a name")
        self.filter.textChanged.connect(self.filtered.setFilterFixedString)
        self.table = QTableView()
        self.table.setModel(self.filtered)
        self.table.setObjectName("mapping_table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(EDIT_TRIGGERS)
        self.table.setTabKeyNavigation(False)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.table.horizontalHeader()
        for column in (0, 1, TARGET):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NEW_NAME, QHeaderView.ResizeMode.Stretch)
        header.setMaximumSectionSize(self.fontMetrics().averageCharWidth() * 36)
        header.setResizeContentsPrecision(200)  # long lists: sizes from the first rows
        self.delegate = TargetDelegate(self.chart_model, self.table)
        self.table.setItemDelegateForColumn(TARGET, self.delegate)
        self.create_all = button("Create ne&w for every unmapped row")
        self.create_all.clicked.connect(self._on_create_all_clicked)
        self.unmapped = QStringListModel(self)
        self.unmapped_view = QListView()
        self.unmapped_view.setModel(self.unmapped)
        self.unmapped_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.unmapped_view.setWordWrap(True)
        self.unmapped_view.setMaximumHeight(self.fontMetrics().height() * 7)
        self.unmapped_label = labelled("Left &unmapped, and what each holds back:",
                                       self.unmapped_view)
        self.form = QFormLayout()
        self._add_extra_controls()
        self.form.addRow(labelled("Filt&er rows:", self.filter), self.filter)
        self.body.addLayout(self.form)
        self.body.addWidget(labelled(TABLE_LABELS[self.section], self.table))
        self.body.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addWidget(self.create_all)
        actions.addStretch(1)
        self.body.addLayout(actions)
        self.body.addWidget(self.unmapped_label)
        self.body.addWidget(self.unmapped_view)

    def _add_extra_controls(self) -> None:
        """Room for a page's own controls above the table (the organisation class)."""

    def initializePage(self) -> None:
        state = self.state
        self.chart_model.beginResetModel()
        self.chart_model.chart = state.chart
        self.chart_model.entries = state.chart.entries(self.chart_model.entity) \
            if state.chart else ()
        self.chart_model.endResetModel()
        choices.prefill(state, self.section)
        self.rows_model.reload(state)
        self._show_unmapped()

    def shown(self) -> None:
        """Back on this page: other pages may have changed its defaults and new names."""
        self.rows_model.reload(self.state)
        self._show_unmapped()
        super().shown()

    def _on_rows_changed(self) -> None:
        self._show_unmapped()
        self.refresh()

    def _show_unmapped(self) -> None:
        found = sections.unmapped(self.state, self.section)
        self.unmapped.setStringList([f"{u.row.label}: {u.blocks}" for u in found]
                                    or ["Nothing: every row is mapped."])
        self.create_all.setEnabled(any(u.blocking or self.section == "locations"
                                       for u in found))

    def _on_create_all_clicked(self) -> None:
        choices.create_all_unmapped(self.state, self.section)
        self.rows_model.refresh_all()
        self._on_rows_changed()

    # --- for tests and keyboard users: choose on a row by its key ---------------------------

    def choose(self, key: str, value: ChartEntry | Pick | str | None) -> None:
        """Set a row as its combo would: an entry, NOT_MAPPED, CREATE_NEW or a Pick."""
        row = next(n for n, r in enumerate(self.rows_model.rows) if r.key == key)
        self.rows_model.setData(self.rows_model.index(row, TARGET),
                                NOT_MAPPED if value is None else value)

    def rename_new(self, key: str, name: str) -> None:
        row = next(n for n, r in enumerate(self.rows_model.rows) if r.key == key)
        self.rows_model.setData(self.rows_model.index(row, NEW_NAME), name)


class IncomePage(MappingPage):
    name = "income"


class TendersPage(MappingPage):
    """An empty tender posts to its group's special account: nothing is created in bulk."""

    name = "tenders"

    def _add_extra_controls(self) -> None:
        self.create_all.hide()


class TaxPage(MappingPage):
    name = "tax"


class SpecialAccountsPage(MappingPage):
    name = "special_accounts"


class ClassesPage(MappingPage):
    """Locations to classes, under the organisation class (the summary style's parent)."""

    name = "classes"

    def _add_extra_controls(self) -> None:
        self.organisation = TargetCombo(self.chart_model, "organisation",
                                        "Organisation class")
        self.organisation.activated.connect(lambda *_: self._on_organisation_chosen())
        self.organisation_name = QLineEdit()
        self.organisation_name.editingFinished.connect(self._on_organisation_chosen)
        form = self.form
        form.addRow(note("Your organisation is a class, and each location a class under it "
                         "(the summary style needs it; in the detailed style it is optional)."))
        form.addRow(labelled("&Organisation class:", self.organisation), self.organisation)
        self.organisation_name_label = labelled("Name of the new organisation c&lass:",
                                                self.organisation_name)
        form.addRow(self.organisation_name_label, self.organisation_name)

    def initializePage(self) -> None:
        super().initializePage()
        pick = self.state.organisation_class
        self.organisation.select(self.chart_model.row_of(pick))
        self.organisation_name.setText(pick.name if pick and pick.new else "")
        self._show_organisation_name(bool(pick and pick.new))

    def _show_organisation_name(self, shown: bool) -> None:
        self.form.setRowVisible(self.organisation_name, shown)

    def _on_organisation_chosen(self) -> None:
        chosen = self.organisation.choice()
        if chosen == CREATE_NEW:
            typed = self.organisation_name.text().strip()
            name = typed or safe_name(self.state.company_label or "My organisation")
            self.set_organisation(Pick(name, new=True))
        elif isinstance(chosen, ChartEntry):
            self.set_organisation(choices.existing(chosen))
        else:
            self.set_organisation(None)

    def set_organisation(self, pick: Pick | None) -> None:
        choices.set_organisation(self.state, pick)
        self.organisation.select(self.chart_model.row_of(pick))
        self.organisation_name.setText(pick.name if pick and pick.new else "")
        self._show_organisation_name(bool(pick and pick.new))
        self.rows_model.reload(self.state)  # new classes' names hang under it
        self._on_rows_changed()
