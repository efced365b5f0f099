"""Models of the mapping pages: the company's accounts (or classes) for the combos, and
the page's rows.

``ChartListModel`` holds the chart read once at Connect, with two choices before the
accounts: leaving the row empty, and "Create new…". Each combo is a
``RoleFilterProxy`` over it showing only accounts of the types the row's role accepts —
one list, filtered per row, never a widget per row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont

from app.setup import choices, sections
from app.setup.chart import Chart, ChartEntry, Pick
from app.setup.state import SetupState

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1
NOT_MAPPED, CREATE_NEW = "not mapped", "create new"
CREATE_TEXT = "Create new…"


class ChartListModel(QAbstractListModel):
    """[leave empty, Create new…, every account or class by full name]."""

    def __init__(self, chart: Chart | None, entity: str, empty_text: str) -> None:
        super().__init__()
        self.entity = entity
        self.chart = chart
        self.empty_text = empty_text
        self.entries: tuple[ChartEntry, ...] = chart.entries(entity) if chart else ()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries) + 2

    def choice(self, row: int) -> ChartEntry | str:
        return (NOT_MAPPED, CREATE_NEW)[row] if row < 2 else self.entries[row - 2]

    def row_of(self, pick: Pick | None) -> int:
        if pick is None:
            return 0
        if pick.new:
            return 1
        for n, entry in enumerate(self.entries):
            if entry.qbo_id == pick.qbo_id:
                return n + 2
        return 0

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        chosen = self.choice(index.row())
        if role in (DISPLAY, EDIT):
            if isinstance(chosen, ChartEntry):
                return chosen.name
            return self.empty_text if chosen == NOT_MAPPED else CREATE_TEXT
        if role == ENTRY_ROLE:
            return chosen
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(chosen, ChartEntry):
            return f"{chosen.name} ({chosen.account_type or 'class'})"
        return None


class RoleFilterProxy(QSortFilterProxyModel):
    """Only the active accounts of the types ``role`` accepts (plus the two choices)."""

    def __init__(self, source: ChartListModel, role: str) -> None:
        super().__init__()
        self.role = role
        self.setSourceModel(source)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ChartListModel)
        chosen = model.choice(source_row)
        if not isinstance(chosen, ChartEntry):
            return True
        return model.chart is not None and model.chart.fits(model.entity, self.role, chosen)


COLUMNS = ("In your data", "Details", "In QuickBooks", "Name of the new one")
TARGET, NEW_NAME = 2, 3


class MappingRowsModel(QAbstractTableModel):
    """The rows of one mapping page; edits go straight into the state."""

    changed = Signal()

    def __init__(self, state: SetupState, section: str) -> None:
        super().__init__()
        self.state = state
        self.section = section
        self.rows: list[sections.Row] = []

    def reload(self, state: SetupState) -> None:
        self.beginResetModel()
        self.state = state
        self.rows = sections.rows(state, self.section)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def pick(self, row: int) -> Pick | None:
        return self.state.picks[self.section].get(self.rows[row].key)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if not index.isValid():
            return None
        row, pick = self.rows[index.row()], self.pick(index.row())
        column = index.column()
        if role == EDIT and column == TARGET:
            return pick
        if role == Qt.ItemDataRole.FontRole and column == TARGET and (pick is None or pick.new):
            font = QFont()
            font.setItalic(True)
            return font
        if role not in (DISPLAY, EDIT, Qt.ItemDataRole.ToolTipRole):
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.detail if column == 1 else None
        if column == TARGET:
            if pick is None:
                return f"Default: {row.fallback}" if row.fallback else "Not mapped"
            return f"New {'class' if row.entity == 'Class' else 'account'}" if pick.new \
                else pick.name
        if column == NEW_NAME:
            return pick.name if pick is not None and pick.new else ""
        return (row.label, row.detail)[column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        pick = self.pick(index.row()) if index.isValid() else None
        if index.column() == TARGET or (index.column() == NEW_NAME and pick and pick.new):
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if role != EDIT or not index.isValid():
            return False
        row = self.rows[index.row()]
        if index.column() == NEW_NAME:
            choices.choose(self.state, self.section, row.key, choices.create_new(row, str(value)))
        elif index.column() == TARGET:
            choices.choose(self.state, self.section, row.key, self._pick_for(row, value))
        else:
            return False
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), NEW_NAME))
        self.changed.emit()
        return True

    @staticmethod
    def _pick_for(row: sections.Row, value: Any) -> Pick | None:
        if value == NOT_MAPPED or value is None:
            return None
        if value == CREATE_NEW:
            return choices.create_new(row)
        if isinstance(value, ChartEntry):
            return choices.existing(value)
        if isinstance(value, Pick):
            return value
        raise ValueError(f"not a choice: {value!r}")

    def refresh_all(self) -> None:
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, NEW_NAME))
