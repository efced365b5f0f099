"""A screen's progress pane: counts, the record being sent, pace, Cancel reaching the core;
one write at a time (a second start is refused and nothing runs)."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt

from app.progress import PostProgress
from app.ui.background import BackgroundRunner
from app.ui.quickbooks_work import QuickBooksWork
from app.ui.tasks import TaskRunner
from app.ui.work_panel import WorkPanel


def test_progress_is_shown_and_cancel_stops_the_work(qtbot):
    work = QuickBooksWork(TaskRunner(BackgroundRunner()))
    panel, other = WorkPanel(work), WorkPanel(work)
    for widget in (panel, other):
        qtbot.addWidget(widget)
    gate, outcome = threading.Event(), []

    def sending(report, cancel):
        report(PostProgress(3, 10, "Invoice 1003", rate_per_minute=120, seconds_left=35))
        gate.set()
        while True:
            cancel.sleep(0.02)

    assert panel.start("Undoing run 2", sending, on_finished=outcome.append,
                       on_failed=outcome.append, on_cancelled=lambda: outcome.append("stop"))
    assert panel.isVisible() and panel.title.text() == "Undoing run 2…"
    qtbot.waitUntil(lambda: panel.bar.value() == 3)
    assert (panel.bar.maximum(), panel.current.text()) == (10, "Invoice 1003")
    assert panel.pace.text() == "3 of 10 done · 120 a minute · about 35 s left"
    assert not other.start("Retrying", sending, on_finished=outcome.append,
                           on_failed=outcome.append, on_cancelled=lambda: None)
    assert not other.isVisible() and other.bar.value() != 3  # not its work
    qtbot.mouseClick(panel.cancel_button, Qt.MouseButton.LeftButton)
    assert not panel.cancel_button.isEnabled() and panel.cancel_button.toolTip()
    qtbot.waitUntil(lambda: outcome == ["stop"], timeout=5000)
    assert not panel.isVisible() and not work.running
