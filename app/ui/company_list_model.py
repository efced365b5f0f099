"""The company switcher's model: the real companies, then the demo company (simulator)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.ui.services import CompanyChoice, CompanyRef

Index = QModelIndex | QPersistentModelIndex


class CompanyListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.choices: list[CompanyChoice] = []

    def set_choices(self, choices: list[CompanyChoice]) -> None:
        self.beginResetModel()
        self.choices = list(choices)
        self.endResetModel()

    def shown_label(self, choice: CompanyChoice) -> str:
        """The label, with the realm when another company carries the same one."""
        twins = sum(1 for c in self.choices if c.label.casefold() == choice.label.casefold())
        if twins > 1:
            return f"{choice.label} — {choice.entry.realm_id or 'not connected'}"
        return choice.label

    def row_of(self, ref: CompanyRef | None) -> int:
        return next((i for i, c in enumerate(self.choices) if c.ref == ref), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.choices)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        choice = self.choices[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self.shown_label(choice)
        if role == Qt.ItemDataRole.ToolTipRole:
            return choice.entry.describe()
        return None
