"""Driving the real setup wizard in tests: clicks on its buttons, as a user would."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QRadioButton, QWizard

NEXT = QWizard.WizardButton.NextButton
FINISH = QWizard.WizardButton.FinishButton


def click(qtbot, button: QAbstractButton) -> None:
    """A mouse click where a user would click: on the indicator of a radio or check box."""
    assert button.isEnabled(), f"{button.text()!r} is disabled"
    if isinstance(button, QRadioButton | QCheckBox):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton,
                         pos=QPoint(button.height() // 2, button.height() // 2))
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def next_page(qtbot, wizard, expected: str) -> None:
    page = wizard.currentPage()
    assert wizard.button(NEXT).isEnabled(), page.problems_label.text()
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentPage().name == expected


def finish(qtbot, wizard) -> None:
    assert wizard.button(FINISH).isEnabled(), wizard.currentPage().problems_label.text()
    click(qtbot, wizard.button(FINISH))


def complete_after_connect(qtbot, wizard, exports) -> None:
    """From a connected Connect page to Finish: the given exports, summary style, every
    unmapped row created new, go-live 2025-01-01."""
    from PySide6.QtCore import QDate

    next_page(qtbot, wizard, "data_source")
    data = wizard.currentPage()
    data.add_files(exports)
    qtbot.waitUntil(lambda: data.files.rowCount() == len(exports) and not data.busy)
    click(qtbot, data.check_button)
    qtbot.waitUntil(lambda: wizard.state.source.is_checked and not data.busy)
    next_page(qtbot, wizard, "style")
    click(qtbot, wizard.currentPage().choice.button(1))
    for name in ("income", "classes", "tenders", "tax", "special_accounts"):
        next_page(qtbot, wizard, name)
        page = wizard.currentPage()
        if page.create_all.isVisible() and page.create_all.isEnabled():
            click(qtbot, page.create_all)
    next_page(qtbot, wizard, "go_live")
    wizard.currentPage().go_live.setDate(QDate(2025, 1, 1))
    next_page(qtbot, wizard, "summary")
    qtbot.waitUntil(lambda: wizard.state.summary is not None, timeout=20000)
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.finished_result is not None, timeout=20000)
