"""Native feel: accessible names equal to labels, honest disabled buttons, keyboard, size."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
)

from app.ui.widgets import plain
from tests.foundation.test_architecture import imported_modules
from tests.mnemonics import clashes
from tests.shell.gui_helpers import close, make_window

UI = Path(__file__).resolve().parents[2] / "app" / "ui"


KINDS = (QAbstractButton, QComboBox, QLineEdit, QAbstractItemView, QPlainTextEdit, QTextEdit)


def _controls(window):
    """Our controls: not Qt's own parts (a combo box's line edit, a table's corner button)."""
    found = {id(w): w for kind in KINDS for w in window.findChildren(kind)}
    return [w for w in found.values()
            if not w.objectName().startswith("qt_") and not _inside_a_control(w)
            and type(w).__name__ != "QTableCornerButton"]


def _inside_a_control(widget) -> bool:
    parent = widget.parent()
    while parent is not None:
        if isinstance(parent, (QComboBox, QLineEdit, QAbstractItemView)):
            return True
        parent = parent.parent()
    return False


def _buddies(window) -> dict[int, str]:
    return {id(label.buddy()): plain(label.text()) for label in window.findChildren(QLabel)
            if label.buddy() is not None}


def test_every_control_is_named_as_labelled_and_disabled_ones_say_why(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    window.open_demo()
    for screen in window.screen_list:
        window.show_screen(screen.title)  # every screen built and loaded
    buddies = _buddies(window)
    unnamed, wrong, silent = [], [], []
    controls = _controls(window)
    assert len(controls) > 30
    for control in controls:
        name = control.accessibleName()
        if isinstance(control, QAbstractButton) and control.text():
            if name != plain(control.text()):
                wrong.append((control.text(), name))
            if not control.isEnabled() and not control.toolTip():
                silent.append(control.text())
        elif id(control) in buddies and name != buddies[id(control)]:
            wrong.append((buddies[id(control)], name))
        elif not name:
            unnamed.append(f"{type(control).__name__} {control.objectName()}")
    assert wrong == [] and silent == []
    assert unnamed == []
    close(window, services)


def test_keyboard_reaches_every_screen_and_the_tab_order_starts_at_the_company(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    window.open_demo()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    for index, screen in enumerate(window.screen_list):
        qtbot.keyClick(window, Qt.Key.Key_1 + index, Qt.KeyboardModifier.ControlModifier)
        assert window.current_screen() is screen
    assert window.switcher.nextInFocusChain() is window.add_button or \
        window.add_button in _focus_chain(window.switcher, 4)
    assert window.sidebar in _focus_chain(window.add_button, 6)
    close(window, services)


def test_no_two_visible_controls_share_an_alt_letter(qtbot, tmp_path):
    """Alt+letter presses a control only when that letter is the control's alone."""
    window, services = make_window(qtbot, tmp_path)
    window.start()
    assert clashes(window) == {}, "welcome screen"
    window.open_demo()
    for screen in window.screen_list:
        window.show_screen(screen.title)
        assert clashes(window) == {}, screen.title
    close(window, services)


def _focus_chain(start, length: int) -> list:
    chain, widget = [], start
    for _ in range(length):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    return chain


def test_long_lists_are_model_views_and_ui_files_stay_small():
    too_long = {p.name: n for p in UI.rglob("*.py")
                if (n := len(p.read_text(encoding="utf-8").splitlines())) > 300}
    assert too_long == {}
    widget_rows = [p.name for p in UI.rglob("*.py")
                   if "QTableWidget" in p.read_text(encoding="utf-8")]
    assert widget_rows == []


def test_the_window_never_talks_sql_or_http_itself():
    offenders = {str(p.relative_to(UI)): sorted(bad) for p in UI.rglob("*.py")
                 if (bad := {m.split(".")[0] for m in imported_modules(p)}
                     & {"sqlalchemy", "requests", "http", "urllib3"})}
    assert offenders == {}


def test_slow_work_shows_its_progress_and_cancel_stops_it(qtbot):
    import threading

    from app.ui.background import BackgroundRunner
    from app.ui.shell_widgets import TaskIndicator
    from app.ui.tasks import TaskRunner

    runner = TaskRunner(BackgroundRunner())
    indicator = TaskIndicator(runner)
    qtbot.addWidget(indicator)
    indicator.show()
    indicator.hide()
    started, outcome = threading.Event(), []

    def slow(progress):
        started.set()
        for step in range(200):
            progress.check()
            progress.report(step, 200, "Counting")
            threading.Event().wait(0.01)
        return "done"

    runner.run("Counting slowly", slow, on_success=outcome.append)
    assert not indicator.isVisible()  # not for the first moments
    qtbot.waitUntil(indicator.isVisible, timeout=3000)
    assert indicator.label.text() == "Counting" and indicator.bar.maximum() == 200
    qtbot.mouseClick(indicator.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not runner.busy, timeout=3000)
    assert outcome == [] and not indicator.isVisible()
