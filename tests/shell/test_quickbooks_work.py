"""The window's one write to QuickBooks: progress reaches the GUI thinned, one at a time,
cancel reaches the core's token, the result or the failure comes back on the GUI thread."""

from __future__ import annotations

import threading

import pytest

from app.progress import Cancelled, PostProgress
from app.ui.background import BackgroundRunner
from app.ui.quickbooks_work import QuickBooksWork
from app.ui.tasks import TaskRunner


@pytest.fixture
def work():
    return QuickBooksWork(TaskRunner(BackgroundRunner()))


def _posting(total: int, pause: float, gate: threading.Event | None = None):
    def job(report, cancel):
        for done in range(1, total + 1):
            if gate is not None:
                gate.wait(5)
            cancel.check()
            report(PostProgress(done, total, f"Payment PAY-{done}"))
            threading.Event().wait(pause)
        return f"{total} sent"
    return job


def test_progress_is_thinned_and_the_last_one_and_the_result_arrive(qtbot, work):
    seen, results = [], []
    work.progressed.connect(seen.append)
    work.finished.connect(results.append)
    assert work.start("Posting", _posting(400, 0.001))
    assert work.running
    qtbot.waitUntil(lambda: results == ["400 sent"], timeout=10000)
    assert not work.running
    assert seen[-1].done == 400 and seen[-1].current == "Payment PAY-400"
    assert 1 <= len(seen) < 100  # four hundred reports, a few signals
    assert [p.done for p in seen] == sorted(p.done for p in seen)


def test_one_write_at_a_time_and_cancel_stops_the_core(qtbot, work):
    gate, outcome = threading.Event(), []
    work.cancelled.connect(lambda: outcome.append("cancelled"))
    work.finished.connect(outcome.append)
    assert work.start("Posting", _posting(50, 0.0, gate))
    assert not work.start("Undoing", _posting(1, 0.0))  # refused while one runs
    work.cancel()
    assert work.cancelling
    gate.set()
    qtbot.waitUntil(lambda: outcome == ["cancelled"], timeout=5000)
    assert not work.running and work.start("Again", _posting(1, 0.0))
    qtbot.waitUntil(lambda: not work.running, timeout=5000)


def test_a_failure_comes_back_to_the_screen(qtbot, work):
    errors = []
    work.failed.connect(errors.append)

    def broken(report, cancel):
        raise ValueError("the company is disconnected")

    work.start("Posting", broken)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert str(errors[0]) == "the company is disconnected" and not work.running


def test_the_status_bars_cancel_reaches_the_core_too(qtbot):
    runner = TaskRunner(BackgroundRunner())
    work = QuickBooksWork(runner)
    gate, outcome = threading.Event(), []
    work.idle.connect(lambda: outcome.append("idle"))

    def waits(report, cancel):
        gate.set()
        with pytest.raises(Cancelled):
            cancel.sleep(5)
        raise Cancelled()

    work.start("Posting", waits)
    assert gate.wait(5)
    runner.cancel_all()
    qtbot.waitUntil(lambda: outcome == ["idle"], timeout=5000)


def test_closing_the_window_mid_run_asks_and_closes_once_stopped(qtbot, tmp_path, monkeypatch):
    from app.ui import closing
    from tests.shell.gui_helpers import make_window

    window, services = make_window(qtbot, tmp_path, runner=BackgroundRunner())
    window.start()
    asked, answers = [], [False, True]
    monkeypatch.setattr(closing, "ask_to_stop",
                        lambda parent, label: asked.append(label) or answers.pop(0))
    gate = threading.Event()
    assert services.quickbooks.start("Posting March 2025", _posting(20, 0.0, gate))
    window.close()  # "Keep working": the window stays, the post goes on
    assert window.isVisible() and services.quickbooks.running
    window.close()  # "Stop and quit": it stops after the current request, then closes
    assert window.isVisible() and services.quickbooks.cancelling
    gate.set()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
    assert len(asked) == 2 and not services.quickbooks.running
    assert asked[0].startswith("Posting March 2025 is still running.\n\n")
    assert "the next Post sends it" in asked[0]
    services.close()
    services.database.close()


def test_the_quit_question_says_what_finishes_each_kind_of_work():
    from app.ui.closing import stop_question

    undo = stop_question("Undoing run 2 of Riverside Swim", "undo")
    assert "Undo this run again" in undo and "a Post does not finish it" in undo
    assert "next Post sends it" not in undo
    assert "Retry again" in stop_question("Retrying 3 jobs", "retry")
    assert "Resync" in stop_question("Resyncing", "resync")
    assert "next sync" in stop_question("Syncing", "sync")
