"""The pieces of the main window's frame: banner, connection light, failed badge, tasks."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QToolButton,
    QWidget,
)

from app import APP_NAME, __version__
from app.dashboard import Banner
from app.ui.tasks import TaskRunner
from app.ui.widgets import push_button, text_label

HEALTH_COLOURS = {"ok": "#2e7d32", "warning": "#b26a00", "error": "#c62828"}


class BannerBar(QFrame):
    """A message across the window with the action that resolves it (e.g. Reconnect)."""

    action_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("banner")
        self.text = text_label()
        self.button = push_button("Reconnect", self.action_requested.emit,
                                  tooltip="Sign in to QuickBooks again")
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.button)
        self.hide()

    def show_banner(self, banner: Banner | None) -> None:
        self.setVisible(banner is not None)
        if banner is None:
            return
        self.setProperty("severity", banner.severity)
        self.style().unpolish(self)
        self.style().polish(self)
        self.text.setText(banner.text)
        self.button.setText(banner.action)
        self.button.setAccessibleName(banner.action)


class ConnectionIndicator(QLabel):
    """The status bar's connection health: a coloured dot and a few words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Connection")
        self.show_health("", "")

    def show_health(self, text: str, health: str) -> None:
        colour = HEALTH_COLOURS.get(health, "#777777")
        self.setText(f'<span style="color:{colour}">●</span> {text}' if text else "")
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self.health = health


class FailedBadge(QToolButton):
    """"3 failed": the count of failed jobs; clicking opens the error log."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("failedBadge")
        self.setAutoRaise(True)
        self.set_count(0)

    def set_count(self, count: int) -> None:
        self.count = count
        text = f"{count} failed"
        self.setText(text)
        self.setAccessibleName(text)
        self.setToolTip(f"{count} job(s) failed: open the error log")
        self.setVisible(count > 0)


class TaskIndicator(QWidget):
    """What is running in the background, its progress, and Cancel.

    Shown only for work still running after ``SHOW_AFTER_MS``: a quick load does not make
    the status bar flicker; anything slower than that shows its progress.
    """

    SHOW_AFTER_MS = 400

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Progress")
        self.bar.setMaximumWidth(160)
        self.bar.setTextVisible(False)
        self.cancel = push_button("Cancel", runner.cancel_all,
                                  tooltip="Stop the work in progress after its current step")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.label, self.bar, self.cancel):
            layout.addWidget(widget)
        self._delay = QTimer(self, singleShot=True, interval=self.SHOW_AFTER_MS)
        self._delay.timeout.connect(lambda: self.setVisible(bool(self.label.text())))
        runner.busy_changed.connect(self._on_busy_changed)
        runner.progressed.connect(self._on_progressed)
        self.hide()

    def _on_busy_changed(self, label: str) -> None:
        self.label.setText(label)
        self.bar.setRange(0, 0)  # busy until the work reports a total
        if not label:
            self._delay.stop()
            self.hide()
        elif not self.isVisible():
            self._delay.start()

    def _on_progressed(self, done: int, total: int, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(done)


def show_about(parent: QWidget) -> None:
    """The About box, opened without blocking (a window-modal sheet)."""
    text = (f"<b>{APP_NAME} {__version__}</b><p>Registration and payment exports into "
            "QuickBooks Online: preview first, post second.</p>")
    box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", text,
                      QMessageBox.StandardButton.Close, parent)
    box.setTextFormat(Qt.TextFormat.RichText)
    box.open()
