"""Monthly close: the month to close next, its preview, and how to post it today.

The guided close (import, preview, post with progress, reconcile) is the next release's
screen. Until then this one is honest and useful: it names the month to close and what
was imported for it, runs the real preview (``app/close_outlook.py``, the same plan a
post sends) in the background, and says how to post it: Post is disabled with the reason
and the command line that does it, which "Copy command" puts on the clipboard.
"""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QVBoxLayout, QWidget

from app.accounting.preview import Preview
from app.close_outlook import CloseOutlook, close_outlook, preview_period
from app.dashboard import run_text
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import label_for, push_button, text_label, title_label

POST_LATER = ("Posting from the window comes with the guided monthly close (the next "
              "release). Until then, post this month with the command line: {command}")


class MonthlyCloseScreen(Screen):
    title = "Monthly close"

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.outlook: CloseOutlook | None = None
        self.heading = title_label("Monthly close")
        self.summary = text_label()
        self.last_run = text_label()
        self.preview_button = push_button("&Preview", self._on_preview_clicked)
        self.post_button = push_button("Pos&t", tooltip="Loading…", enabled=False)
        self.copy_button = push_button("&Copy command", self._on_copy_clicked,
                                       tooltip="Copy the command that posts this month")
        self.preview_text = QPlainTextEdit()
        self.preview_text.setReadOnly(True)
        self.preview_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.preview_text.setPlaceholderText(
            "Preview shows every record the post would create or change, with the totals "
            "and anything that needs fixing first.")
        self.next_note = text_label(
            "Posting from the window comes with the guided close (next release): until "
            "then, Copy command gives the command line that posts this month.")
        self.next_note.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.last_run)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.post_button, self.copy_button):
            buttons.addWidget(button)
        buttons.addWidget(self.next_note, 1)
        layout.addLayout(buttons)
        layout.addWidget(label_for(self.preview_text, "Preview of the month:"))
        layout.addWidget(self.preview_text, 1)
        layout.addWidget(self.problem)

    def clear(self) -> None:
        self.outlook = None
        self.summary.setText("…")
        self.last_run.setText("")
        self.preview_text.clear()
        self.preview_button.setEnabled(False)
        self.post_button.setToolTip("Loading…")

    def reload(self) -> None:
        self.load("Finding the month to close",
                  lambda c, _p: close_outlook(c.database, c.company_id), self.show_outlook)

    def show_outlook(self, outlook: CloseOutlook) -> None:
        self.outlook = outlook
        self.heading.setText(f"Monthly close: {outlook.month_text}")
        if outlook.period is None:
            self.summary.setText("No registration data yet: import the exports first "
                                 "(the setup wizard's Data source page).")
        else:
            later = (f" Imported data reaches {outlook.later_months} more month(s) after it."
                     if outlook.later_months else "")
            posted = (f"Posted through {outlook.last_posted:%B %Y}. " if outlook.last_posted
                      else "Nothing posted yet. ")
            self.summary.setText(
                f"{posted}Next: {outlook.period.start:%d %b} to {outlook.period.end:%d %b %Y}"
                f" — {outlook.payments} payment(s), {outlook.refunds} refund(s), "
                f"{outlook.charges} charge(s) imported.{later}")
        self.last_run.setText("Last run: " + (run_text(outlook.last_run) if outlook.last_run
                                               else "none yet"))
        why_not = self._why_no_preview(outlook)
        self.preview_button.setEnabled(why_not is None)
        self.preview_button.setToolTip(why_not or "Plan the month against QuickBooks and "
                                       "show what a post would send (nothing is sent)")
        self.post_button.setToolTip(POST_LATER.format(command=self.post_command()))

    def _why_no_preview(self, outlook: CloseOutlook) -> str | None:
        if outlook.period is None:
            return "There is no imported data to preview yet."
        if not outlook.mapped:
            return "Map the data to QuickBooks accounts first (the Mapping screen)."
        return None

    def post_command(self) -> str:
        if self.context is None or self.outlook is None or self.outlook.period is None:
            return "ledgerbridge post"
        period = self.outlook.period
        return self.context.command("post", "--from", period.start.isoformat(),
                                    "--to", period.end.isoformat())

    def _on_preview_clicked(self) -> None:
        if self.outlook is None or self.outlook.period is None:
            return
        period = self.outlook.period
        self.preview_text.setPlainText(f"Planning {period.start} to {period.end}…")
        self.load("Previewing the month",
                  lambda c, progress: preview_period(c.database, c.company_id, c.data_dir,
                                                     period, progress),
                  self.show_preview)

    def show_preview(self, preview: Preview) -> None:
        self.preview_text.setPlainText(preview.as_text())

    def _on_copy_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.post_command())
