"""A question before a write, asked window-modally and without blocking (``open()``).

Only the window asking waits for the answer; background work, the other windows and the
event loop carry on. The safe answer is the default button, so Enter never confirms a
deletion by accident.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.widgets import plain


def ask(parent: QWidget, title: str, text: str, informative: str, yes: str,
        on_yes: Callable[[], object], *, details: str = "", no: str = "Cancel") -> QMessageBox:
    """Open the question; ``on_yes`` runs only if ``yes`` is clicked. Returns the box."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    box.setWindowModality(Qt.WindowModality.WindowModal)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setInformativeText(informative)
    if details:
        box.setDetailedText(details)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    for button in (yes_button, no_button):
        button.setAccessibleName(plain(button.text()))
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)

    def answered(_result: int) -> None:
        if box.clickedButton() is yes_button:
            on_yes()

    box.finished.connect(answered)
    box.yes_button = yes_button  # type: ignore[attr-defined]  # for keyboard tests
    box.open()
    return box
