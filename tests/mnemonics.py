"""Alt+letter mnemonics that are visible together, to check none is used twice.

Two visible controls with the same mnemonic make Alt+letter only move the focus between
them (Qt calls the shortcut ambiguous), so a keyboard user cannot press either one.
"""

from __future__ import annotations

import re
from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabWidget, QWidget

_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def _letter(text: str) -> str | None:
    found = _MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def _texts(root: QWidget) -> list[str]:
    texts: list[str] = []
    for button in root.findChildren(QAbstractButton):
        if button.isVisibleTo(root):  # disabled ones too: they are enabled later
            texts.append(button.text())
    for label in root.findChildren(QLabel):
        if label.isVisibleTo(root) and label.buddy() is not None:
            texts.append(label.text())
    for box in root.findChildren(QGroupBox):
        if box.isVisibleTo(root) and box.isCheckable():
            texts.append(box.title())
    for tabs in root.findChildren(QTabWidget):
        if tabs.isVisibleTo(root):
            texts += [tabs.tabText(i) for i in range(tabs.count()) if tabs.isTabVisible(i)]
    for bar in root.findChildren(QMenuBar):
        texts += [action.text() for action in bar.actions() if action.isVisible()]
    return texts


def clashes(*roots: QWidget) -> dict[str, list[str]]:
    """Mnemonic letter → the texts that use it, for letters used more than once."""
    by_letter: dict[str, list[str]] = defaultdict(list)
    for root in roots:
        for text in _texts(root):
            letter = _letter(text)
            if letter:
                by_letter[letter].append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}
