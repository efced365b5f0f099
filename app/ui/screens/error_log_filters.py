"""The Error log's filter bar: status, kind, when tried, and the search box.

The status decides which jobs are read (as ``errors --status``); kind, dates and the
search narrow the rows shown, through ``app.error_view.ErrorFilter``, at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.error_view import ANY_KIND, STATUS_FILTERS, DateRange, ErrorFilter
from app.models.jobs import JOB_STATUSES
from app.ui.widgets import label_for


class ErrorLogFilters(QWidget):
    status_changed = Signal()  # read the jobs again
    filter_changed = Signal(object)  # ErrorFilter: narrow the rows shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QComboBox()
        for text, _statuses in STATUS_FILTERS:
            self.status.addItem(text)
        self.status.currentIndexChanged.connect(lambda _i: self.status_changed.emit())
        self.kind = QComboBox()
        self.kind.addItem("Every kind", ANY_KIND)
        self.kind.currentIndexChanged.connect(lambda _i: self._changed())
        self.between = QCheckBox("Tried &between")
        self.between.setAccessibleName("Tried between")
        self.between.setToolTip("Only jobs last tried between these two days (UTC)")
        self.between.toggled.connect(self._on_between_toggled)
        today = QDate.currentDate()
        self.date_from = _date_edit("Tried from", today.addDays(-30))
        self.date_to = _date_edit("Tried until", today)
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self._changed())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Record, message, code or source file")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self._changed())
        for combo in (self.status, self.kind):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        first, second = QHBoxLayout(), QHBoxLayout()
        top: tuple[QWidget, ...] = (label_for(self.status, "&Show:"), self.status,
                                    label_for(self.search, "F&ind:"))
        for widget in top:
            first.addWidget(widget)
        first.addWidget(self.search, 1)
        below: tuple[QWidget, ...] = (label_for(self.kind, "&Kind:"), self.kind, self.between,
                                      self.date_from, QLabel("and"), self.date_to)
        for widget in below:
            second.addWidget(widget)
        second.addStretch(1)
        layout.addLayout(first)
        layout.addLayout(second)
        self._on_between_toggled(False)

    def statuses(self) -> tuple[str, ...]:
        chosen = STATUS_FILTERS[self.status.currentIndex()][1]
        return chosen or tuple(JOB_STATUSES)

    def current(self) -> ErrorFilter:
        tried = DateRange()
        if self.between.isChecked():
            tried = DateRange(_day(self.date_from), _day(self.date_to))
        return ErrorFilter(str(self.kind.currentData() or ANY_KIND), tried, self.search.text())

    def set_kinds(self, kinds: Sequence[str]) -> None:
        """The kinds found in the jobs read (the choice is kept if it is still there)."""
        chosen = self.kind.currentData()
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem("Every kind", ANY_KIND)
        for kind in kinds:
            self.kind.addItem(kind, kind)
        index = self.kind.findData(chosen)
        self.kind.setCurrentIndex(max(index, 0))
        self.kind.blockSignals(False)
        self._changed()

    def _on_between_toggled(self, on: bool) -> None:
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(on)
        self._changed()

    def _changed(self) -> None:
        self.filter_changed.emit(self.current())


def _date_edit(name: str, day: QDate) -> QDateEdit:
    edit = QDateEdit(day)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setAccessibleName(name)
    edit.setToolTip(f"{name} (UTC); tick “Tried between” to use the dates")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())
