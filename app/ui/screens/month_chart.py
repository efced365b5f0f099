"""The chart of months posted: stacked bars per month, one series per tender or program.

QtCharts (PySide6-Addons) is imported only when the first figures arrive, so it adds
nothing to the time before the window is usable (docs/performance.md).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QMargins, QSize, Qt
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QStackedLayout, QWidget

from app.dashboard import MonthlyTotals
from app.ui.widgets import text_label

# Distinct, colour-blind-friendly colours (Okabe-Ito, then Tableau): Qt's own theme turns
# pale after five series, and pale bars on white are unreadable.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#4E79A7", "#B07AA1", "#9C755F", "#76B7B2", "#59A14F", "#EDC948", "#FF9DA7")
EMPTY_TEXT = ("No month has been posted yet. Once a month is posted, this chart shows "
              "the money received each month, by tender or by program.")


class MonthChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Months posted chart")
        self.setMinimumHeight(240)
        self._placeholder = text_label(EMPTY_TEXT)
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._view: Any = None
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._placeholder)
        self.totals: MonthlyTotals | None = None

    def sizeHint(self) -> QSize:
        # Modest: the Home layout gives the chart whatever room is left (QChartView's own
        # hint is large enough to push Home into scrolling on a 1280x800 window).
        return QSize(480, 260)

    def show_totals(self, totals: MonthlyTotals | None) -> None:
        self.totals = totals
        if totals is None or totals.empty or not totals.series:
            self._placeholder.setText(EMPTY_TEXT if totals is None or totals.empty else
                                      "The months posted had no money received.")
            self._stack.setCurrentWidget(self._placeholder)
            return
        view = self._chart_view()
        view.setChart(_build_chart(totals))
        self._stack.setCurrentWidget(view)
        self.setAccessibleDescription(describe(totals))

    def _chart_view(self) -> Any:
        if self._view is None:
            from PySide6.QtCharts import QChartView

            self._view = QChartView()
            self._view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self._view.setMinimumSize(200, 220)
            self._view.setAccessibleName("Months posted chart")
            self._stack.addWidget(self._view)
        return self._view


def chart_title(totals: MonthlyTotals) -> str:
    if totals.by == "program":
        return "Revenue per month posted (before tax, less refunds), by program category"
    return "Money received per month posted (less refunds), by tender"


def describe(totals: MonthlyTotals) -> str:
    """The chart in words, for screen readers and the tests."""
    parts = [f"{month:%b %Y}: {totals.total(i):,.2f}" for i, month in enumerate(totals.months)]
    return f"{chart_title(totals)}: " + "; ".join(parts)


def _build_chart(totals: MonthlyTotals) -> Any:
    from PySide6.QtCharts import (
        QBarCategoryAxis,
        QBarSet,
        QChart,
        QStackedBarSeries,
        QValueAxis,
    )

    series = QStackedBarSeries()
    for index, line in enumerate(totals.series):
        bars = QBarSet(line.label)
        bars.setColor(QColor(COLOURS[index % len(COLOURS)]))
        bars.setBorderColor(QColor("white"))
        for value in line.values:
            bars.append(float(value))  # drawing only: the figures stay Decimal in the core
        series.append(bars)
    chart = QChart()
    chart.addSeries(series)
    chart.setTitle(chart_title(totals))
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    months = QBarCategoryAxis()
    months.append([f"{m:%b %Y}" for m in totals.months])
    chart.addAxis(months, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(months)
    amounts = QValueAxis()
    top = max((float(totals.total(i)) for i in range(len(totals.months))), default=0.0)
    bottom = min((float(v) for line in totals.series for v in line.values), default=0.0)
    amounts.setRange(min(bottom * 1.1, 0.0), max(top * 1.1, 1.0))
    amounts.setLabelFormat("%.0f")
    amounts.applyNiceNumbers()
    chart.addAxis(amounts, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(amounts)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
    return chart
