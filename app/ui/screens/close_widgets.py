"""Small helpers the Monthly close's pages share: a file to save to, a button renamed."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QFileDialog,
    QFrame,
    QHeaderView,
    QScrollArea,
    QTableView,
    QWidget,
)

from app.ui.widgets import plain


def save_file_name(parent: QWidget, caption: str, name: str, filters: str) -> Path | None:
    """The file chooser (the one kind of modal dialog the window opens)."""
    path, chosen = QFileDialog.getSaveFileName(parent, caption, name, filters)
    if not path:
        return None
    result = Path(path)
    if not result.suffix and "xlsx" in chosen:
        result = result.with_suffix(".xlsx")
    return result


def set_text(button: QAbstractButton, text: str, tooltip: str | None = None) -> None:
    """A new label, and the accessible name that must always equal it."""
    button.setText(text)
    button.setAccessibleName(plain(text))
    if tooltip is not None:
        button.setToolTip(tooltip)
        button.setAccessibleDescription(tooltip)


def first_column_stretches(view: QTableView) -> None:
    """The first column (a name) takes the room; the figures beside it fit their contents."""
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def scrolled(page: QWidget) -> QScrollArea:
    """A step's page that scrolls in a small window rather than making the window bigger."""
    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the page's controls
    return area


def wrapped_rows(view: QTableView, stretched: tuple[int, ...],
                 samples: dict[int, str] | None = None, lines: int = 3) -> None:
    """Long texts (a problem, its fix) wrapped in their columns, rows ``lines`` lines tall
    (the whole text in the tooltip): rows of one height, so only those on screen are laid
    out however many problems there are."""
    view.setWordWrap(True)
    vertical = view.verticalHeader()
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().lineSpacing() * lines + 6)
    header = view.horizontalHeader()
    header.setStretchLastSection(False)
    for column in range(header.count()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch
                                    if column in stretched else
                                    QHeaderView.ResizeMode.Interactive)
    model = view.model()
    for column, sample in (samples or {}).items():  # widths from a typical text, not rows
        title = str(model.headerData(column, Qt.Orientation.Horizontal) or "") if model else ""
        widest = max(view.fontMetrics().horizontalAdvance(sample),
                     header.fontMetrics().horizontalAdvance(title) + 20)  # the sort arrow
        header.resizeSection(column, widest + 16)
