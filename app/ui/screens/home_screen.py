"""Home: where the selected company's books stand, at a glance.

Connection, posting style, the last import and the last run, jobs by status, and the
chart of months posted. Everything comes from ``app/dashboard.py``; the figures load
in the background (the chart's, which reads the source records, separately).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.dashboard import Dashboard, MonthlyTotals, load_dashboard, load_monthly_totals
from app.notifications import Notice, load_notice
from app.ui.screens.month_chart import MonthChart
from app.ui.screens.screen import Screen
from app.ui.services import Services
from app.ui.widgets import card, label_for, push_button, text_label, title_label

CARDS = (("connection", "QuickBooks connection"), ("style", "Posting style"),
         ("import", "Last import"), ("run", "Last run"))
CHART_BY = (("By tender", "tender"), ("By program", "program"))
JOB_ORDER = ("posted", "failed", "blocked", "held", "sending", "cancelled", "pending", "skipped")


class HomeScreen(Screen):
    title = "Home"
    notice_dismissed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(services, parent)
        self.dashboard: Dashboard | None = None
        self.heading = title_label(size=20)
        self.heading.setObjectName("homeTitle")
        self.simulator_note = text_label()
        self.simulator_note.setObjectName("simulatorNote")
        self.next_step = text_label()
        self.next_button = push_button("Continue setup…", self._on_next_clicked)
        self.values: dict[str, QLabel] = {}
        self.jobs = text_label()
        self.error_log_button = push_button(
            "Open the error log", lambda: self.navigate_requested.emit("Error log"))
        self.chart_by = QComboBox()
        for text, _by in CHART_BY:
            self.chart_by.addItem(text)
        self.chart_by.currentIndexChanged.connect(lambda _i: self._load_chart())
        self.chart = MonthChart()
        self.notice_text = text_label()
        self.notice_text.setObjectName("home_notice")
        self.notice_card = card("noticeCard")
        self.notice_open_button = push_button(
            "See the details", lambda: self.navigate_requested.emit("Error log"),
            tooltip="Open the error log: each problem with its fix")
        self.notice_dismiss_button = push_button(
            "Dismiss", self.notice_dismissed.emit,
            tooltip="Hide this notice until something new fails")
        self._next_page = "connect"
        self._build()

    def _build(self) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.addWidget(self.heading)
        layout.addWidget(self.simulator_note)
        step = QHBoxLayout()
        step.addWidget(self.next_step, 1)
        step.addWidget(self.next_button)
        layout.addLayout(step)
        notice = QHBoxLayout(self.notice_card)
        notice.addWidget(_heading("Needs a look"))
        notice.addWidget(self.notice_text, 1)
        notice.addWidget(self.notice_open_button)
        notice.addWidget(self.notice_dismiss_button)
        self.notice_card.hide()
        layout.addWidget(self.notice_card)
        grid = QGridLayout()
        for index, (key, heading) in enumerate(CARDS):
            grid.addWidget(self._card(key, heading), index // 2, index % 2)
        jobs = card()
        jobs_layout = QHBoxLayout(jobs)
        jobs_layout.addWidget(_heading("Jobs by status"))
        jobs_layout.addWidget(self.jobs, 1)
        jobs_layout.addWidget(self.error_log_button)
        grid.addWidget(jobs, 2, 0, 1, 2)
        layout.addLayout(grid)
        chart = card()
        chart_layout = QVBoxLayout(chart)
        top = QHBoxLayout()
        top.addWidget(_heading("Months posted"), 1)
        top.addWidget(label_for(self.chart_by, "&Show:"))
        top.addWidget(self.chart_by)
        chart_layout.addLayout(top)
        chart_layout.addWidget(self.chart, 1)
        layout.addWidget(chart, 1)
        layout.addWidget(self.problem)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.setTabOrder(self.next_button, self.error_log_button)
        self.setTabOrder(self.error_log_button, self.chart_by)

    def _card(self, key: str, heading: str) -> QWidget:
        frame = card()
        layout = QVBoxLayout(frame)
        layout.addWidget(_heading(heading))
        value = text_label()
        value.setObjectName(f"home_{key}")
        self.values[key] = value
        layout.addWidget(value)
        layout.addStretch(1)
        return frame

    def clear(self) -> None:
        self.dashboard = None
        self.heading.setText(self.context.label if self.context else "")
        for value in self.values.values():
            value.setText("…")
        self.jobs.setText("…")
        self.notice_card.hide()
        self.simulator_note.hide()
        self.next_step.hide()
        self.next_button.hide()
        self.chart.show_totals(None)

    def reload(self) -> None:
        self.load("Loading the dashboard", lambda c, _p: load_dashboard(c.database, c.company_id),
                  self.show_dashboard)
        self.load("Looking for failures", lambda c, _p: load_notice(
            c.database, c.company_id, c.paths.config_dir), self.show_notice)
        self._load_chart()

    def _load_chart(self) -> None:
        by = CHART_BY[self.chart_by.currentIndex()][1]
        self.load("Adding up the months posted",
                  lambda c, _p: load_monthly_totals(c.database, c.company_id, by),
                  self.show_totals)

    def show_dashboard(self, board: Dashboard) -> None:
        self.dashboard = board
        self.heading.setText(board.company.label)
        self.simulator_note.setText(
            "This company lives on a QuickBooks simulator: nothing posted here reaches a "
            "real QuickBooks company." if board.company.simulator else "")
        self.simulator_note.setVisible(board.company.simulator)
        self.values["connection"].setText(board.connection)
        self.values["style"].setText(board.posting_style)
        self.values["import"].setText(board.last_import.text if board.last_import
                                      else "Nothing imported yet")
        self.values["run"].setText(board.last_run_text)
        counts = [f"{board.jobs[s]} {s}" for s in JOB_ORDER if board.jobs.get(s)]
        self.jobs.setText(", ".join(counts) or "No jobs yet: nothing has been posted.")
        attention = sum(board.jobs.get(s, 0) for s in ("failed", "blocked", "held"))
        self.error_log_button.setVisible(attention > 0)
        self._show_next_step(board)

    def show_notice(self, notice: Notice | None) -> None:
        """Failures nobody watched (the window's notice, shown here as a card)."""
        self.notice_card.setVisible(notice is not None)
        self.notice_text.setText(notice.text if notice is not None else "")

    def _show_next_step(self, board: Dashboard) -> None:
        step = None
        if board.company.realm_id is None:
            step = ("connect", "This company is not connected to QuickBooks yet.",
                    "Connect to QuickBooks…")
        elif board.records == 0:
            step = ("data_source", "No registration data imported yet.",
                    "Choose the data source…")
        elif not board.mapped:
            step = ("income", "The data is not mapped to QuickBooks accounts yet.",
                    "Map the accounts…")
        self.next_step.setVisible(step is not None)
        self.next_button.setVisible(step is not None)
        if step is not None:
            self._next_page, text, button = step
            self.next_step.setText(text)
            self.next_button.setText(button)
            self.next_button.setAccessibleName(button)

    def show_totals(self, totals: MonthlyTotals) -> None:
        self.chart.show_totals(totals)

    def _on_next_clicked(self) -> None:
        self.wizard_requested.emit(self._next_page)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("cardHeading")
    return label
