"""Step 1 of the close: the period, a month (the next unposted one by default, or an
earlier one a post left unfinished) or a range."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.monthly_close.flow import CloseFlow
from app.plan.plan import Period
from app.ui.widgets import label_for, text_label


class PeriodPage(QWidget):
    period_chosen = Signal(object)  # Period

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.month_choice = QRadioButton("A whole &month:")
        self.range_choice = QRadioButton("A custom &range:")
        group = QButtonGroup(self)
        for button in (self.month_choice, self.range_choice):
            group.addButton(button)
            button.setAccessibleName(button.text().replace("&", "").rstrip(":"))
        self.month_choice.setChecked(True)
        self.months = QComboBox()
        self.months.setAccessibleName("Month")
        self.months.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.start_date, self.end_date = _date_edit(), _date_edit()
        self.summary = text_label()
        self.leftover = text_label()
        self.leftover.setObjectName("hint")
        month_row = QHBoxLayout()
        month_row.addWidget(self.month_choice)
        month_row.addWidget(self.months)
        month_row.addStretch(1)
        range_row = QHBoxLayout()
        range_row.addWidget(self.range_choice)
        range_row.addWidget(label_for(self.start_date, "From:"))
        range_row.addWidget(self.start_date)
        range_row.addWidget(label_for(self.end_date, "&To:"))
        range_row.addWidget(self.end_date)
        range_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("Choose what to close. The next month not yet posted is "
                                    "chosen for you, or an earlier one a post left unfinished; "
                                    "an earlier month may be posted again (only what is "
                                    "missing or changed is sent)."))
        layout.addLayout(month_row)
        layout.addLayout(range_row)
        layout.addWidget(self.summary)
        layout.addWidget(self.leftover)
        layout.addStretch(1)
        self._rendering = False
        self.months.currentIndexChanged.connect(lambda _i: self._changed())
        group.buttonToggled.connect(lambda *_: self._changed())
        for edit in (self.start_date, self.end_date):
            edit.dateChanged.connect(lambda _d: self._changed())

    def show_flow(self, flow: CloseFlow) -> None:
        self._rendering = True
        start = flow.start
        self.months.clear()
        for choice in start.months if start else ():
            self.months.addItem(choice.label, choice.period)
        periods = [choice.period for choice in start.months] if start else []
        custom = flow.period is not None and flow.period not in periods
        if flow.period in periods:
            self.months.setCurrentIndex(periods.index(flow.period))
        self.range_choice.setChecked(custom)
        self.month_choice.setChecked(not custom)
        if flow.period is not None:
            self.start_date.setDate(_qdate(flow.period.start))
            self.end_date.setDate(_qdate(flow.period.end))
        self._enable()
        self.summary.setText(flow.period_summary())
        self.leftover.setText(flow.leftover.text)
        self.leftover.setVisible(bool(flow.leftover.text))
        self._rendering = False

    def _enable(self) -> None:
        custom = self.range_choice.isChecked()
        self.months.setEnabled(not custom)
        self.start_date.setEnabled(custom)
        self.end_date.setEnabled(custom)

    def _changed(self) -> None:
        self._enable()
        if self._rendering:
            return
        period = self.chosen()
        if period is not None:
            self.period_chosen.emit(period)

    def chosen(self) -> Period | None:
        if self.month_choice.isChecked():
            data = self.months.currentData()
            return data if isinstance(data, Period) else None
        start, end = self.start_date.date().toPython(), self.end_date.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return Period(start, end) if start <= end else None


def _date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("d MMM yyyy")
    return edit


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
