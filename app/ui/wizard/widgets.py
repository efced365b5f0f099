"""Small builders that keep every control's accessible name equal to its visible label.

A screen reader reads a control's accessible name; a sighted user reads its label. The
two must say the same thing, so every control here is made with its label in one call
(buttons and check boxes name themselves; inputs get a ``QLabel`` buddy, which also
gives them the label's Alt+letter shortcut).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QWidget,
)


def plain(text: str) -> str:
    """A label's text as read aloud: mnemonic ampersands dropped, "&&" kept as "&"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":")


def labelled(text: str, widget: QWidget) -> QLabel:
    """A label for ``widget`` (its buddy), and the widget named after it."""
    label = QLabel(text)
    label.setBuddy(widget)
    label.setWordWrap(len(text) > 60)  # a short label in a form keeps to one line
    widget.setAccessibleName(plain(text))
    return label


def button(text: str) -> QPushButton:
    found = QPushButton(text)
    found.setAccessibleName(plain(text))
    return found


def check_box(text: str) -> QCheckBox:
    found = QCheckBox(text)
    found.setAccessibleName(plain(text))
    return found


def radio(text: str) -> QRadioButton:
    found = QRadioButton(text)
    found.setAccessibleName(plain(text))
    return found


def note(text: str = "", *, selectable: bool = False) -> QLabel:
    """Explanatory text (not a control)."""
    found = QLabel(text)
    found.setWordWrap(True)
    found.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        found.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
    return found


class ProgressPane(QWidget):
    """What runs in the background: a label, a bar (moving when the total is unknown),
    and Cancel when the work can stop. Hidden when idle."""

    cancel_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = note()
        self.bar = QProgressBar()
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName("Progress")
        self.cancel = button("Cancel")
        self.cancel.clicked.connect(self.cancel_clicked)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label, 3)
        layout.addWidget(self.bar, 2)
        layout.addWidget(self.cancel)
        self.hide()

    def start(self, text: str, cancellable: bool) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel.setVisible(cancellable)
        self.cancel.setEnabled(True)
        self.show()

    def report(self, done: int, total: int, text: str) -> None:
        if text:
            self.label.setText(text)
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)

    def stop(self) -> None:
        self.hide()


def relabel(label: QLabel, text: str) -> None:
    """Change a label and its buddy's accessible name together."""
    label.setText(text)
    buddy = label.buddy()
    if buddy is not None:
        buddy.setAccessibleName(plain(text))
