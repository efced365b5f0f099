"""Table models of the data source page: the files, a file's columns, its sample rows.

Model/view throughout: a file of any length shows only the rows on screen, and no
widget is made per row (the column choice is a delegate's editor, made while editing).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.setup.source import Field, SourceFile, field_choices

Index = QModelIndex | QPersistentModelIndex
DISPLAY, EDIT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole
RECORD_WORDS = {
    "customer": "families / payers", "participant": "students / participants",
    "location": "locations", "program": "programs", "tax_rate": "tax rates",
    "charge": "cart lines (charges)", "payment": "payments",
    "payment_allocation": "payment splits (allocations)", "refund": "refunds",
}
NOT_IMPORTED = "(not imported)"


def field_text(chosen: Field | None, own_type: str | None) -> str:
    if chosen is None:
        return NOT_IMPORTED
    record_type, name = chosen
    return name if record_type == own_type else f"{record_type}.{name}"


class _Table(QAbstractTableModel):
    headers: tuple[str, ...] = ()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        if role == DISPLAY and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None


class FilesModel(_Table):
    headers = ("File", "Holds", "Sheet", "Columns imported")

    def __init__(self) -> None:
        super().__init__()
        self.files: list[SourceFile] = []

    def set_files(self, files: list[SourceFile]) -> None:
        self.beginResetModel()
        self.files = list(files)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.files)

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if role != DISPLAY or not index.isValid():
            return None
        found = self.files[index.row()]
        if found.error:
            return (found.name, "cannot be read", "", found.error)[index.column()]
        used = sum(1 for c in found.columns.values() if c)
        return (found.name, RECORD_WORDS.get(found.record_type or "", ""), found.sheet or "",
                f"{used} of {len(found.header)}")[index.column()]


class ColumnsModel(_Table):
    """One row per column of the file: its header, what it is imported as, a sample."""

    headers = ("Column in the file", "Imported as", "Confidence", "First value")

    def __init__(self) -> None:
        super().__init__()
        self.file: SourceFile | None = None

    def set_file(self, found: SourceFile | None) -> None:
        self.beginResetModel()
        self.file = found
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.file is None else len(self.file.header)

    def choices(self) -> list[Field | None]:
        assert self.file is not None and self.file.record_type is not None
        return [None, *field_choices(self.file.record_type)]

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if self.file is None or not index.isValid() or role not in (DISPLAY, EDIT):
            return None
        header = self.file.header[index.row()]
        chosen = self.file.columns.get(header)
        if role == EDIT:
            return chosen
        sample = next((row[index.row()] for row in self.file.samples
                       if index.row() < len(row) and row[index.row()]), "")
        score = self.file.confidence.get(header, 0.0)
        return (header, field_text(chosen, self.file.record_type),
                f"{score:.0%}" if chosen else "", sample)[index.column()]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == 1 else base

    def setData(self, index: Index, value: Any, role: int = EDIT) -> bool:
        if self.file is None or role != EDIT or index.column() != 1:
            return False
        header = self.file.header[index.row()]
        if value is not None:  # a field is fed by one column: take it from any other
            for other, chosen in self.file.columns.items():
                if chosen == value and other != header:
                    self.file.columns[other] = None
        self.file.columns[header] = value
        self.file.confidence[header] = 1.0
        self.dataChanged.emit(self.index(0, 0), self.index(self.rowCount() - 1, 3))
        return True


class SampleRowsModel(_Table):
    """The file's first rows as they are, each header saying what it is imported as."""

    def __init__(self) -> None:
        super().__init__()
        self.file: SourceFile | None = None

    def set_file(self, found: SourceFile | None) -> None:
        self.beginResetModel()
        self.file = found
        self.endResetModel()

    def refresh_headers(self) -> None:
        if self.file is not None and self.file.header:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.file.header) - 1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.file is None else len(self.file.samples)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or self.file is None else len(self.file.header)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = DISPLAY) -> Any:
        if role != DISPLAY or self.file is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            return str(section + 2)  # the spreadsheet's row number
        header = self.file.header[section]
        return f"{header}\n→ {field_text(self.file.columns.get(header), self.file.record_type)}"

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        if self.file is None or role != DISPLAY or not index.isValid():
            return None
        row = self.file.samples[index.row()]
        return row[index.column()] if index.column() < len(row) else ""
