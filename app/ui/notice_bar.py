"""The notice of failures nobody watched (``app/notifications.py``), across the window.

Non-modal: it sits under the banner until the bookkeeper opens the Error log from it or
dismisses it; it comes back only when something new fails.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from app.notifications import Notice
from app.ui.widgets import push_button, text_label


class NoticeBar(QFrame):
    open_requested = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.notice: Notice | None = None
        self.suppressed = False  # Home shows the notice as its own card
        self.text = text_label()
        self.text.setAccessibleName("Failures since you last looked")
        self.open_button = push_button("Open the error log", self.open_requested.emit,
                                       tooltip="See each problem with its fix")
        self.dismiss_button = push_button("Dismiss", self.dismissed.emit,
                                          tooltip="Hide this notice until something new fails")
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.open_button)
        layout.addWidget(self.dismiss_button)
        self.hide()

    def show_notice(self, notice: Notice | None) -> None:
        self.notice = notice
        if notice is not None:
            self.text.setText(notice.text)
        self.setVisible(notice is not None and not self.suppressed)

    def suppress(self, suppressed: bool) -> None:
        self.suppressed = suppressed
        self.show_notice(self.notice)
