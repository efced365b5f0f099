"""The undo's preview, asked before anything is sent: window-modal, opened with ``open()``.

Shows ``undo_run``'s own preview in the bookkeeper's words (``app/undo_view.py``): every
record and what happens to it (deleted, restored, reversed, made inactive), what cannot
be undone and why, the effect on the books; or why the undo is refused (later runs
build on the run). Only "Undo run N" sends anything; the safe answer is the default.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLayout, QVBoxLayout, QWidget

from app.ui.screens.row_table_model import RowFilterProxy
from app.ui.screens.runs_model import UndoLinesModel
from app.ui.widgets import escape, fit_columns, plain, table_view, text_label, title_label
from app.undo_view import Refusal, UndoPreviewView, totals_text


class UndoPreviewDialog(QDialog):
    confirmed = Signal()

    def __init__(self, parent: QWidget, run_id: int, view: UndoPreviewView | None,
                 refusal: Refusal | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Undo run {run_id}")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.view = view
        layout = QVBoxLayout(self)
        self.headline = title_label(refusal.title if refusal else
                                    view.headline if view else "", size=14)
        layout.addWidget(self.headline)
        self.reason = text_label(refusal.reason if refusal else "")
        self.fix = text_label(f"<b>What to do:</b> {escape(refusal.fix)}"
                              if refusal and refusal.fix else "")
        if refusal is not None:
            self.reason.setFixedWidth(560)
            layout.addWidget(self.reason)
            layout.addWidget(self.fix)
            layout.setSizeConstraint(QLayout.SizeConstraint.SetFixedSize)  # fits the words
        self.model = UndoLinesModel()
        self.table = table_view("What the undo does", sortable=True)
        proxy = RowFilterProxy()
        proxy.setSourceModel(self.model)
        self.table.setModel(proxy)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the order they are sent
        self.notes = text_label()
        self.totals = text_label()
        self.question = text_label()
        buttons = QDialogButtonBox()
        self.undo_button = None
        if view is not None and not view.nothing_to_undo and refusal is None:
            self.resize(900, 520)
            self._fill(view)
            layout.addWidget(self.table, 1)
            for label in (self.totals, self.notes, self.question):
                layout.addWidget(label)
            self.undo_button = buttons.addButton(f"&Undo run {run_id}",
                                                 QDialogButtonBox.ButtonRole.AcceptRole)
            self.undo_button.setAccessibleName(plain(self.undo_button.text()))
            self.undo_button.setAutoDefault(False)
            cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
            cancel.setDefault(True)
            cancel.setAccessibleName("Cancel")
        else:
            if view is not None:
                self._fill(view)
                layout.addWidget(self.notes)
            close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
            close.setAccessibleName("Close")
            close.setDefault(True)
        layout.addWidget(buttons)
        buttons.accepted.connect(self._on_accepted)
        buttons.rejected.connect(self.reject)

    def _fill(self, view: UndoPreviewView) -> None:
        self.model.set_rows(view.lines)
        fit_columns(self.table)
        self.totals.setText(totals_text(view))
        if view.notes:
            self.notes.setText("Not undone:\n" + "\n".join(f"• {note}" for note in view.notes))
        self.question.setText(
            f"Send these {len(view.lines)} operation(s) to QuickBooks? The undo runs like a "
            "post (progress, Cancel); if it is stopped part way, Undo this run again "
            "finishes it (a Post does not). A later post re-posts what the source still "
            "says.")

    def _on_accepted(self) -> None:
        self.accept()
        self.confirmed.emit()
