"""Step 5 of the close: Post (the confirmation), then the progress pane — a bar with the
counts, the record being sent, the rate, the time left, the failures, and Cancel. When
nothing runs the pane is hidden and the last run's outcome is said in words instead."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.monthly_close.flow import CloseFlow
from app.monthly_close.outcome import progress_view
from app.progress import PostProgress
from app.ui.screens.close_widgets import set_text
from app.ui.widgets import card, push_button, text_label

FIELDS = (("counts", "Done (sent, held or failed):"), ("current", "Now sending:"),
          ("rate", "Rate:"), ("left", "Time left:"), ("failed", "Failed so far:"))


class PostPage(QWidget):
    post_requested = Signal()
    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ready = text_label()
        self.post_button = push_button("&Post to QuickBooks", self.post_requested.emit,
                                       tooltip="Check the period first", enabled=False)
        self.cancel_button = push_button(
            "&Cancel", self.cancel_requested.emit,
            tooltip="Stop after the request in flight; the rest stays pending for the next Post")
        self.message = text_label()
        self.pane = card()
        self.bar = QProgressBar()
        self.bar.setAccessibleName("Posting progress")
        self.bar.setFormat("%v of %m")
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, heading in FIELDS:
            value = text_label()
            value.setAccessibleName(heading.rstrip(":"))
            self.values[key] = value
            form.addRow(heading, value)
        pane_layout = QVBoxLayout(self.pane)
        pane_layout.addWidget(self.bar)
        pane_layout.addLayout(form)
        cancel_row = QHBoxLayout()
        cancel_row.addWidget(self.cancel_button)
        cancel_row.addStretch(1)
        pane_layout.addLayout(cancel_row)
        buttons = QHBoxLayout()
        buttons.addWidget(self.post_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.ready)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.pane)
        layout.addStretch(1)
        self.pane.hide()

    def show_flow(self, flow: CloseFlow, other_write: str | None) -> None:
        why_not = flow.why_not_post(other_write)
        self.ready.setText(flow.ready_text() if not flow.posting else
                           "Posting: the window stays usable — switch screens or companies; "
                           "this pane shows the run whenever this company is shown.")
        set_text(self.post_button, f"&{flow.post_text()}" if flow.check else
                 "&Post to QuickBooks", why_not or "Send the preview to QuickBooks now")
        self.post_button.setEnabled(why_not is None)
        self.post_button.setVisible(not flow.posting)
        self.pane.setVisible(flow.posting)  # figures of a run in progress only
        self.cancel_button.setVisible(flow.posting)
        message = flow.post_error or flow.last_run_text()
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if flow.posting and flow.progress is None:
            self.bar.setRange(0, 0)  # busy: recovery, pre-flight and plan come first
            self.values["current"].setText("Checking QuickBooks and planning…")
        elif flow.progress is not None:
            self.show_progress(flow.progress)

    def show_progress(self, progress: PostProgress) -> None:
        view = progress_view(progress)
        self.bar.setRange(0, max(progress.total, 1))
        self.bar.setValue(progress.done)
        for key in ("counts", "current", "rate", "left", "failed"):
            self.values[key].setText(getattr(view, key))

    def cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        set_text(self.cancel_button, "&Cancel", "Stopping after the request in flight…")
        self.values["current"].setText("Cancelling: finishing the request in flight…")

    def reset_cancel(self) -> None:
        self.cancel_button.setEnabled(True)
        set_text(self.cancel_button, "&Cancel",
                 "Stop after the request in flight; the rest stays pending for the next Post")
