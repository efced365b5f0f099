"""Small builders so every control is made the same way: named as it is labelled.

Screen readers and UI automation find a control by its accessible name; ours is always
its visible label (without the ``&`` of a keyboard mnemonic, or a label's trailing
colon). Tables are model/view with fixed row heights, so a long list costs only the
rows on screen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFrame,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QWidget,
)


def plain(text: str) -> str:
    """A label as read aloud: mnemonic ampersands and a trailing colon removed."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


def escape(text: str) -> str:
    """Text shown inside rich text (a detail pane), never read as markup."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def push_button(text: str, slot: Callable[[], object] | None = None, *,
                tooltip: str = "", enabled: bool = True) -> QPushButton:
    """A button named as labelled; a disabled one must say why in its tooltip."""
    button = QPushButton(text)
    button.setAccessibleName(plain(text))
    if tooltip:
        button.setToolTip(tooltip)
        button.setAccessibleDescription(tooltip)
    if slot is not None:
        button.clicked.connect(slot)
    if not enabled and not tooltip:
        raise ValueError(f"a disabled button ({text!r}) must say why in its tooltip")
    button.setEnabled(enabled)
    return button


def label_for(widget: QWidget, text: str) -> QLabel:
    """A visible label for ``widget`` (its buddy: Alt+mnemonic focuses the widget)."""
    label = QLabel(text)
    label.setBuddy(widget)
    widget.setAccessibleName(plain(text))
    return label


def title_label(text: str = "", *, size: int = 17) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(size * 0.75 + 3)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def text_label(text: str = "", *, selectable: bool = True) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def card(object_name: str = "card") -> QFrame:
    """A framed panel (Home's figures); styled once in ``application.STYLE``."""
    frame = QFrame()
    frame.setObjectName(object_name)
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    return frame


def table_view(name: str, *, sortable: bool = False) -> QTableView:
    """A read-only table with rows of one height (only visible rows are laid out).

    ``sortable`` only over a sort proxy (``RowFilterProxy``): a header's sort arrow over a
    model that cannot sort would claim an order the rows do not have."""
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(sortable)
    view.setWordWrap(False)
    view.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside it
    vertical = view.verticalHeader()
    vertical.setVisible(False)
    vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    vertical.setDefaultSectionSize(view.fontMetrics().height() + 8)
    horizontal = view.horizontalHeader()
    horizontal.setStretchLastSection(True)
    horizontal.setResizeContentsPrecision(200)  # size columns from the first rows only
    horizontal.setSectionsMovable(True)
    return view


def arrow_when_clicked(view: QTableView) -> None:
    """Sorted as the screen lists it (newest first) without an arrow, which readers take
    for the other direction; the arrow shows once a heading is clicked, matching the rows."""
    header = view.horizontalHeader()
    header.setSortIndicatorShown(False)
    header.sectionClicked.connect(lambda _section: header.setSortIndicatorShown(True))


def fit_columns(view: QTableView, widest: int = 380) -> None:
    """Columns sized to their contents (first rows), none wider than ``widest`` pixels:
    a long message stays readable in its tooltip instead of pushing its heading away."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if header.sectionSize(column) > widest:
            header.resizeSection(column, widest)


def menu_action(parent: QWidget, text: str, slot: Callable[[], object],
                key: str | QKeySequence.StandardKey | None = None) -> QAction:
    """A menu entry that calls ``slot`` (its shortcut, if any, works window-wide)."""
    action = QAction(text, parent)
    if key is not None:
        action.setShortcut(QKeySequence(key))
    action.triggered.connect(lambda _checked=False: slot())
    return action


def choose_file(parent: QWidget, title: str, name_filter: str,
                chosen: Callable[[Path], object], *, save_as: str | None = None) -> QFileDialog:
    """A file chooser that does not block the window (opened with ``open()``).

    It starts in the user's documents folder, never in the program's working folder;
    ``save_as`` makes it a save dialog with that file name suggested.
    """
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if not Path(start).is_dir():
        start = str(Path.home())
    dialog = QFileDialog(parent, title, start, name_filter)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    if save_as is not None:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.selectFile(save_as)
    else:
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.fileSelected.connect(lambda path: chosen(Path(path)) if path else None)
    dialog.open()
    return dialog


def choose_folder(parent: QWidget, title: str, chosen: Callable[[Path], object],
                  start: str | None = None) -> QFileDialog:
    """A folder chooser that does not block the window (opened with ``open()``), starting
    in ``start`` when it exists, else in the user's documents folder."""
    if not start or not Path(start).is_dir():
        start = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
    if not Path(start).is_dir():
        start = str(Path.home())
    dialog = QFileDialog(parent, title, start)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    dialog.fileSelected.connect(lambda path: chosen(Path(path)) if path else None)
    dialog.open()
    return dialog
