"""The Monthly close's screenshots (``10-close-*.png``), taken by ``app/ui/screenshots.py``.

The demo company after the two posts the screenshot script makes (January; February
with QuickBooks' books closed through 10 February): March is closed step by step. The
exports are the demo's own, with one family's e-mail changed (what a month's export
brings: a change), and a copy with two bad cells for the errors. The books are closed
through 5 March before the pre-flight, so the closed-period choice shows; the post runs
against the demo simulator answering slowly, so its progress can be seen; then a March
entry is deleted in QuickBooks and the reconciliation is made again, so a difference
and the deleted record are highlighted.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication

SLOW_ANSWER_S = 0.4  # the simulator's delay per request while the post is photographed


def take(window: Any, services: Any, out: Path, wait: Callable[[Any], None],
         shoot: Callable[[Any, Path], None]) -> None:
    from app.demo_company import DEMO_EXPORTS, demo_simulator

    data_dir = services.demo_paths.data_dir
    exports, bad = _exports(data_dir / DEMO_EXPORTS, out.parent / f".{out.name}-exports")
    window.show_screen("Monthly close")
    wait(services.runner)
    screen = window.current_screen()
    shoot(window, out / "10-close-1-period.png")
    screen.go("import")
    screen.import_page.files_chosen.emit((bad,))
    wait(services.runner)
    shoot(window, out / "10-close-2-import-errors.png")
    screen.import_page.full_export.setChecked(True)
    screen.import_page.files_chosen.emit((exports,))
    wait(services.runner)
    shoot(window, out / "10-close-3-import.png")
    with demo_simulator(data_dir) as simulator:
        simulator.set_closing_date("2025-03-05")
    screen.go("preflight")
    wait(services.runner)
    screen.preflight_page.table.selectRow(0)
    wait(services.runner)
    shoot(window, out / "10-close-4-preflight.png")
    screen.go("preview")
    wait(services.runner)
    screen.preview_page.show_record(*_a_journal_entry(screen))
    wait(services.runner)
    shoot(window, out / "10-close-5-preview.png")
    screen.go("post")
    with _answering_slowly():
        screen.post_page.post_button.click()
        _until(lambda: screen.flow.progress is not None
               and screen.flow.progress.done < screen.flow.progress.total)
        _until(lambda: False, seconds=0.05)  # drawn
        shoot(window, out / "10-close-6-posting.png")
        _until(lambda: not screen.flow.posting, seconds=300)
    wait(services.runner)
    _delete_one_entry(data_dir)
    screen.result_page.reconcile_button.click()
    wait(services.runner)
    shoot(window, out / "10-close-7-result.png")
    shutil.rmtree(exports.parent, ignore_errors=True)


def _exports(demo: Path, work: Path) -> tuple[Path, Path]:
    """The month's exports (one e-mail changed) and a copy with two bad cells."""
    exports, bad = work / "march", work / "march-with-errors"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(demo, exports)
    _edit(exports / "customers.csv", 1, "email", "new.address@example.org")
    shutil.copytree(exports, bad)
    _edit(bad / "payments.csv", 3, "amount", "12,50.00")
    _edit(bad / "payments.csv", 7, "date", "31/02/2025")
    return exports, bad


def _edit(path: Path, row: int, column: str, value: str) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8")))
    rows[row][rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def _a_journal_entry(screen: Any) -> tuple[int, int]:
    groups = screen.flow.check.tree.groups
    found = [i for i, g in enumerate(groups) if g.label == "Journal entries"]
    return (found[0], min(3, groups[found[0]].count - 1)) if found else (0, 0)


@contextmanager
def _answering_slowly() -> Iterator[None]:
    """The demo's simulator, while this lasts, answers every request SLOW_ANSWER_S later."""
    import app.demo_company as demo

    original = demo.demo_simulator

    @contextmanager
    def slow(data_dir: Path) -> Iterator[Any]:
        with original(data_dir) as server:
            server.configure_faults(delay=1.0, delay_seconds=SLOW_ANSWER_S)
            yield server

    demo.demo_simulator = slow  # type: ignore[assignment]
    try:
        yield
    finally:
        demo.demo_simulator = original


def _delete_one_entry(data_dir: Path) -> None:
    """Someone deletes a March entry in QuickBooks (the reconciliation must show it)."""
    from app.demo_company import demo_simulator
    from app.sync.local_demo import connect_local

    with demo_simulator(data_dir) as server:
        client, _link = connect_local(server.info)
        rows = client.query("SELECT * FROM JournalEntry WHERE TxnDate = '2025-03-12'")
        if rows:
            client.delete("JournalEntry", rows[0]["Id"], rows[0]["SyncToken"],
                          request_id="screenshot-deleted-by-hand")


def _until(done: Callable[[], bool], seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.01)
