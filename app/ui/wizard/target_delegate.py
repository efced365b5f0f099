"""The combo a mapping row is edited with: searchable, the right types only, and
"Create new…" — made by the delegate while one cell is edited, never one per row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from .mapping_models import ENTRY_ROLE, TARGET, ChartListModel, MappingRowsModel, RoleFilterProxy

Index = QModelIndex | QPersistentModelIndex


class TargetCombo(QComboBox):
    """An editable combo over a role's accounts: typing filters by any part of the name."""

    def __init__(self, chart_model: ChartListModel, role: str, label: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(label)
        self.proxy = RoleFilterProxy(chart_model, role)
        self.proxy.setParent(self)
        self.setModel(self.proxy)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        completer = QCompleter(self.proxy, self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        self.setMaxVisibleItems(15)

    def select(self, source_row: int) -> None:
        model = self.proxy.sourceModel()
        self.setCurrentIndex(max(self.proxy.mapFromSource(model.index(source_row, 0)).row(), 0))

    def choice(self) -> Any:
        return self.currentData(ENTRY_ROLE)


class TargetDelegate(QStyledItemDelegate):
    def __init__(self, chart_model: ChartListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart_model = chart_model

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: Index) -> QWidget:
        model, source = index.model(), index
        while isinstance(model, QSortFilterProxyModel):  # the page's row filter
            source = model.mapToSource(source)
            model = source.model()
        assert isinstance(model, MappingRowsModel)
        row = model.rows[source.row()]
        editor = TargetCombo(self.chart_model, row.role, "In QuickBooks", parent)
        editor.activated.connect(lambda *_: self._commit(editor))
        return editor

    def _commit(self, editor: TargetCombo) -> None:
        self.commitData.emit(editor)
        self.closeEditor.emit(editor)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, TargetCombo)
        editor.select(self.chart_model.row_of(index.data(Qt.ItemDataRole.EditRole)))
        # F2 or a typed letter opens the editor: what is typed replaces the choice shown
        # and searches, instead of being added to "Not mapped".
        line = editor.lineEdit()
        if line is not None:
            line.selectAll()

    def setModelData(self, editor: QWidget, model: Any, index: Index) -> None:
        assert isinstance(editor, TargetCombo)
        if index.column() == TARGET:
            model.setData(index, editor.choice(), Qt.ItemDataRole.EditRole)
