"""Quitting while a background read runs (the reconciliation reading QuickBooks after a
post): the window closes at once, the read's late answer reaches nothing — no slot of a
deleted window, no "Signal source has been deleted" — and the quit does not wait for it."""

from __future__ import annotations

import logging
import sys
import threading
import time

import shiboken6
from PySide6.QtCore import QThreadPool

from app.ui.background import BackgroundRunner
from tests.shell.gui_helpers import close, make_window


def _slow_read(started: threading.Event, gate: threading.Event):
    def read(_progress):  # like reconcile_month: never checks for cancel
        started.set()
        gate.wait(10)
        return "read back"
    return read


def test_a_slow_read_at_quit_is_left_and_its_answer_dropped(qtbot, tmp_path, caplog,
                                                            monkeypatch):
    uncaught: list[BaseException] = []
    monkeypatch.setattr(sys, "excepthook", lambda _k, error, _tb: uncaught.append(error))
    caplog.set_level(logging.DEBUG)
    window, services = make_window(qtbot, tmp_path, runner=BackgroundRunner())
    started, gate, answers = threading.Event(), threading.Event(), []
    operation = services.runner.run("Reconciling with QuickBooks", _slow_read(started, gate),
                                    on_success=lambda r: answers.append((window.isVisible(), r)),
                                    on_failure=answers.append)
    assert started.wait(5)
    close(window, services)
    began = time.monotonic()
    assert services.runner.shutdown(0.2) is False  # the read is still busy: leave it
    assert time.monotonic() - began < 2.0
    shiboken6.delete(operation.signals)  # what PySide does to QObjects at application exit
    gate.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    assert answers == [] and uncaught == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


def test_without_quitting_the_answer_still_arrives(qtbot):
    runner = BackgroundRunner()
    started, gate, answers = threading.Event(), threading.Event(), []
    runner.start(_slow_read(started, gate), on_success=answers.append)
    gate.set()
    qtbot.waitUntil(lambda: answers == ["read back"], timeout=5000)
    assert runner.shutdown(1.0) is True  # nothing left: the quit need not leave early
