"""One file's column mapping: what each row is, which column feeds which field, and the
file's first rows with each header saying what it becomes (live as choices change).

The suggestion (header words, then the sample values: ``app.importers.suggest``) is
filled in when the file is added; the bookkeeper corrects it here.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.setup.source import RECORD_TYPES, SourceFile

from .source_models import RECORD_WORDS, ColumnsModel, SampleRowsModel, field_text
from .widgets import labelled, note

Index = QModelIndex | QPersistentModelIndex


class FieldDelegate(QStyledItemDelegate):
    """A searchable list of fields, made only while one cell is edited."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        model = index.model()
        assert isinstance(model, ColumnsModel) and model.file is not None
        editor = QComboBox(parent)
        editor.setAccessibleName("Imported as")
        for chosen in model.choices():
            editor.addItem(field_text(chosen, model.file.record_type), chosen)
        editor.setEditable(True)
        editor.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(editor.model(), editor)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        editor.setCompleter(completer)
        editor.activated.connect(lambda *_: self.commitData.emit(editor))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ColumnMappingView(QWidget):
    """The mapping of the file selected on the data source page."""

    changed = Signal()
    record_type_changed = Signal(str)
    sheet_changed = Signal(str)

    def __init__(self, files_model: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.file_choice = QComboBox()
        self.file_choice.setModel(files_model)
        self.record_type = QComboBox()
        for record_type in RECORD_TYPES:
            self.record_type.addItem(RECORD_WORDS[record_type], record_type)
        self.record_type.activated.connect(
            lambda *_: self.record_type_changed.emit(self.record_type.currentData()))
        self.sheet = QComboBox()
        self.sheet.activated.connect(lambda *_: self.sheet_changed.emit(self.sheet.currentText()))
        self.columns = ColumnsModel()
        self.columns.dataChanged.connect(self._on_columns_changed)
        self.columns_view = _table(self.columns)
        self.columns_view.setItemDelegateForColumn(1, FieldDelegate(self.columns_view))
        self.columns_view.setEditTriggers(QAbstractItemView.EditTrigger.AllEditTriggers)
        self.samples = SampleRowsModel()
        self.samples_view = _table(self.samples)
        self.canonical_note = note()
        self.form = form = QFormLayout()
        form.addRow(labelled("F&ile:", self.file_choice), self.file_choice)
        form.addRow(labelled("Each ro&w is one of:", self.record_type), self.record_type)
        form.addRow(labelled("Excel &sheet:", self.sheet), self.sheet)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(self.canonical_note)
        layout.addWidget(labelled("Col&umns and what they are imported as:", self.columns_view))
        layout.addWidget(self.columns_view, 3)
        layout.addWidget(labelled("First rows of the file, as they will be &read:",
                                  self.samples_view))
        layout.addWidget(self.samples_view, 2)

    def show_file(self, found: SourceFile | None, row: int = -1) -> None:
        self.file_choice.setCurrentIndex(row)
        self.columns.set_file(found)
        self.samples.set_file(found)
        for widget in (self.record_type, self.columns_view, self.samples_view):
            widget.setEnabled(found is not None and found.error is None)
        if found is None:
            self.canonical_note.setText("Add a file to see its columns.")
            return
        if found.error:
            self.canonical_note.setText(found.error)
            return
        self.record_type.setCurrentIndex(max(self.record_type.findData(found.record_type), 0))
        self.sheet.clear()
        self.sheet.addItems(list(found.sheets))
        if found.sheet:
            self.sheet.setCurrentText(found.sheet)
        self.form.setRowVisible(self.sheet, bool(found.sheets))
        self.canonical_note.setText(
            "Named after its record type: its columns map themselves." if found.canonical
            else "Suggested from the headers and the values; correct any column below.")
        self.columns_view.resizeColumnsToContents()
        self.samples_view.resizeColumnsToContents()

    def _on_columns_changed(self) -> None:
        self.samples.refresh_headers()
        self.changed.emit()


def _table(model: Any) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    return view
