"""Page 9, Go-live and sync: the first day to post, daily or manual sync, and the
deferred-revenue option (detailed style)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QButtonGroup, QDateEdit, QFormLayout, QVBoxLayout

from .page_base import SetupPage, WizardContext
from .widgets import check_box, labelled, note, radio


def first_of_month(day: date) -> date:
    return day.replace(day=1)


class GoLivePage(SetupPage):
    name = "go_live"

    def __init__(self, context: WizardContext) -> None:
        super().__init__(context)
        self.go_live = QDateEdit()
        self.go_live.setCalendarPopup(True)
        self.go_live.setDisplayFormat("yyyy-MM-dd")
        self.go_live.dateChanged.connect(self._on_date_changed)
        self.sync = QButtonGroup(self)
        sync_box = QVBoxLayout()
        for n, (text, words) in enumerate((
                ("&Daily", "One journal entry per day in the summary style. Switch on the "
                           "daily automatic sync in Settings to post each day without you; "
                           "until then, you post when you choose."),
                ("&Manual", "You preview and post when you choose (one entry per run in the "
                            "summary style)."))):
            option = radio(text)
            option.setObjectName(("sync_daily", "sync_manual")[n])
            self.sync.addButton(option, n)
            sync_box.addWidget(option)
            sync_box.addWidget(note(words))
        self.sync.idToggled.connect(self._on_sync_toggled)
        self.deferred = check_box("Defer re&venue of programs that start later")
        self.deferred.toggled.connect(self._on_deferred_toggled)
        self.deferred_note = note()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        form.addRow(labelled("&Go-live date:", self.go_live), self.go_live)
        form.addRow(note("Nothing dated before this day is posted. The first post covers "
                         "from this day to the end of your data."))
        self.body.addLayout(form)
        self.body.addWidget(note("Sync:"))
        self.body.addLayout(sync_box)
        self.body.addWidget(self.deferred)
        self.body.addWidget(self.deferred_note)
        self.body.addStretch(1)
        self.tab_order(self.go_live, *self.sync.buttons(), self.deferred)

    def initializePage(self) -> None:
        state = self.state
        if state.go_live is None:
            state.go_live = self._suggested_go_live()
        self.go_live.setDate(QDate(state.go_live.year, state.go_live.month, state.go_live.day))
        self.sync.button(0 if state.sync == "daily" else 1).setChecked(True)
        detailed = state.style == "detailed"
        self.deferred.setChecked(state.deferred_revenue and detailed)
        self.deferred.setEnabled(detailed)
        self.deferred_note.setText(
            "A charge for a program starting after its invoice date is invoiced to Deferred "
            "Revenue and moved to income on the program's start date." if detailed else
            "Deferred revenue applies to the detailed style (invoices); the summary style "
            "posts payments on the day they are made.")

    def _suggested_go_live(self) -> date:
        dataset = self.state.dataset()
        days = [p.date for p in dataset.payments] + [c.date for c in dataset.charges]
        return first_of_month(min(days) if days else date.today())

    def _on_date_changed(self, value: QDate) -> None:
        self.state.go_live = date(value.year(), value.month(), value.day())
        self._changed()

    def _on_sync_toggled(self, button_id: int, checked: bool) -> None:
        if checked:
            self.state.sync = ("daily", "manual")[button_id]
            self._changed()

    def _on_deferred_toggled(self, checked: bool) -> None:
        self.state.deferred_revenue = checked and self.state.style == "detailed"
        self._changed()

    def _changed(self) -> None:
        self.state.summary = self.state.summary_error = None
        self.refresh()
