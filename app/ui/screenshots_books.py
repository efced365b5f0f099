"""Screenshots of the Error log, Runs (undo), Settings and the failure notice (issue 12).

Called by ``app/ui/screenshots.py`` on its window. A second company, "Lakeview Dance",
posts to a simulator running at an address (as a hosted company: its sign-in kept in a
keyring), set up with the command line as a bookkeeper would; QuickBooks refuses one
family because someone typed a customer of that name by hand, so the post ends with a
failure the window then shows, retries and undoes. The keyring used is a throwaway one
in this process's memory: the screenshots never touch the computer's real keyring.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import keyring

from app.memory_keyring import InMemoryKeyring

COMPANY = "Lakeview Dance"
MAPPING = """style = "detailed"
go_live = 2025-01-01
organisation_class = "Lakeview Dance"
[options]
create_missing = true
"""


def shoot_books_screens(window: Any, services: Any, home: Path, out: Path,
                        shoot: Callable[[Any, Path], None],
                        wait: Callable[[Any], None]) -> None:
    from app.demo_company import demo_simulator

    keyring.set_keyring(InMemoryKeyring())
    simulator = demo_simulator(Path(tempfile.mkdtemp(prefix="lakeview-qbo-"))).start()
    try:
        typed_by_hand = _set_up(home, simulator)
        _shoot(window, services, home, out, simulator, typed_by_hand, shoot,
               lambda: wait(services.runner))
    finally:
        simulator.stop()


def _cli(home: Path, *args: str) -> int:
    from app.cli import main

    return main(["--home", str(home), "--company", COMPANY, *args])


def _set_up(home: Path, simulator: Any) -> tuple[Any, dict[str, Any]]:
    """Lakeview posted January; one family refused: (a client, the customer typed by hand)."""
    from app.cli import main
    from app.sync.local_demo import connect_local

    exports = Path(tempfile.mkdtemp(prefix="lakeview-exports-"))
    assert main(["--home", str(home), "company", "add", COMPANY]) == 0
    assert _cli(home, "demo-data", "--out", str(exports), "--families", "6", "--months", "2",
                "--seed", "7") == 0
    assert _cli(home, "import", str(exports)) == 0
    (exports / "mapping.toml").write_text(MAPPING, encoding="utf-8")
    assert _cli(home, "mapping", "import", str(exports / "mapping.toml")) == 0
    assert _cli(home, "connect", "--environment", "local", "--base-url",
                simulator.info["base_url"]) == 0
    client, _link = connect_local(simulator.info)
    typed = client.create("Customer", {"DisplayName": _first_family(home)},
                          request_id="typed-by-hand")
    assert _cli(home, "post", "--yes", "--to", "2025-01-31") == 1  # the family is refused
    return client, typed


def _first_family(home: Path) -> str:
    import contextlib
    import io
    import json

    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        _cli(home, "preview", "--to", "2025-01-31", "--json")
    preview = json.loads(printed.getvalue())
    return str(next(op["payload"]["DisplayName"] for op in preview["operations"]
                    if op["entity"] == "Customer" and "ParentRef" not in op["payload"]))


def _shoot(window: Any, services: Any, home: Path, out: Path, simulator: Any,
           typed_by_hand: tuple[Any, dict[str, Any]], shoot: Callable[[Any, Path], None],
           idle: Callable[[], None]) -> None:
    window.reload_companies(None)
    idle()
    lakeview = next(c for c in window.companies.choices if c.entry.name == COMPANY)
    window.select(lakeview)
    window.show_screen("Home")
    idle()
    shoot(window, out / "20-home-notice.png")

    window.show_screen("Error log")
    idle()
    errors = window.current_screen()
    failed = next(i for i in range(errors.proxy.rowCount())
                  if errors.proxy.index(i, 1).data() == "failed")
    errors.table.selectRow(failed)
    idle()
    shoot(window, out / "20-error-log-failed.png")

    client, typed = typed_by_hand  # the bookkeeper renames their own customer
    client.update("Customer", {"Id": typed["Id"], "SyncToken": typed["SyncToken"],
                               "DisplayName": "Typed by hand"}, request_id="rename")
    errors.retry_button.click()
    _wait_for(lambda: not services.quickbooks.running)
    idle()
    shoot(window, out / "20-error-log-retried.png")

    assert _cli(home, "post", "--yes", "--from", "2025-02-01", "--to", "2025-02-28") == 0
    window.show_screen("Runs")
    window.refresh()
    idle()
    runs = window.current_screen()
    runs.runs_table.selectRow(0)  # the newest: February's post
    idle()
    shoot(window, out / "20-runs-manifest.png")

    _select_run(runs, 1)
    runs.undo_button.click()
    _wait_for(lambda: runs.dialog is not None and runs.dialog.isVisible())
    idle()
    shoot_with_dialog(window, runs.dialog, out / "20-undo-refused.png", shoot)
    runs.dialog.reject()

    runs.runs_table.selectRow(0)
    runs.undo_button.click()
    _wait_for(lambda: runs.dialog is not None and runs.dialog.isVisible()
              and runs.dialog.undo_button is not None)
    idle()
    shoot_with_dialog(window, runs.dialog, out / "20-undo-preview.png", shoot)
    simulator.configure_faults(delay=1.0, delay_seconds=0.4)  # a slow line, to be seen
    runs.dialog.undo_button.click()
    _wait_for(lambda: runs.progress.bar.value() >= 3)
    shoot(window, out / "20-undo-in-progress.png")
    simulator.configure_faults()
    _wait_for(lambda: not services.quickbooks.running, timeout=120)
    idle()
    shoot(window, out / "20-runs-undone.png")

    window.show_screen("Settings")
    idle()
    shoot(window, out / "20-settings.png")
    _shoot_daily_sync(window, services, home, out, shoot, idle)


def _shoot_daily_sync(window: Any, services: Any, home: Path, out: Path,
                      shoot: Callable[[Any, Path], None], idle: Callable[[], None]) -> None:
    """Settings' Daily sync group: a watch folder, scheduled at 06:30 (on the screenshots'
    in-memory scheduler), after a Sync now."""
    import os

    from PySide6.QtCore import QTime
    from PySide6.QtWidgets import QScrollArea

    watch = Path(tempfile.mkdtemp(prefix="lakeview-watch-"))
    # The registration system's exports again (the same months as imported): the sync
    # imports nothing new and posts February again, undone above.
    assert _cli(home, "demo-data", "--out", str(watch / "2025-02"), "--families", "6",
                "--months", "2", "--seed", "7") == 0
    for path in (watch / "2025-02").iterdir():  # exported an hour ago: settled
        os.utime(path, (path.stat().st_mtime - 3600,) * 2)
    assert _cli(home, "sync-source", "folder", str(watch)) == 0
    settings = window.current_screen()
    settings.reload()
    idle()
    daily = settings.daily
    daily.at.setTime(QTime(6, 30))
    daily.schedule.click()
    idle()
    daily.sync_now_button.click()
    _wait_for(lambda: not services.quickbooks.running, timeout=120)
    idle()
    scroll = settings.findChild(QScrollArea)
    scroll.verticalScrollBar().setValue(daily.y() - 8)
    idle()
    shoot(window, out / "20-settings-daily-sync.png")


def _select_run(runs: Any, run_id: int) -> None:
    row = next(i for i in range(runs.runs_proxy.rowCount())
               if runs.runs_proxy.index(i, 0).data() == str(run_id))
    runs.runs_table.selectRow(row)


def _wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> None:
    from PySide6.QtWidgets import QApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.01)


def shoot_with_dialog(window: Any, dialog: Any, path: Path,
                      shoot: Callable[[Any, Path], None]) -> None:
    """The window with its window-modal dialog over it, as the bookkeeper sees them."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter

    picture = window.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 60))
    sheet = dialog.grab()
    painter.drawPixmap(QPoint((picture.width() - sheet.width()) // 2,
                              max(40, (picture.height() - sheet.height()) // 3)), sheet)
    painter.end()
    shoot(_Picture(picture), path)


class _Picture:
    """A pixmap the ``shoot`` function can save like a window."""

    def __init__(self, pixmap: Any) -> None:
        self._pixmap = pixmap

    def grab(self) -> Any:
        return self._pixmap
