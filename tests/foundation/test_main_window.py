import subprocess
import sys
from pathlib import Path

import pytest

from app.status import StatusReport
from app.ui.background import Cancelled, SynchronousRunner
from app.ui.main_window import GEOMETRY_KEY, MainWindow

ROOT = Path(__file__).resolve().parents[2]


def test_window_shows_status_and_remembers_geometry(qtbot, tmp_path):
    settings = tmp_path / "window.ini"
    window = MainWindow(settings)
    qtbot.addWidget(window)
    window.show_status(StatusReport(
        company={"id": 1, "name": "Riverside Swim", "environment": "local",
                 "connection_state": "connected", "qbo_company_name": None,
                 "posting_style": "summary", "realm_id": "1", "go_live": None},
        records={"payment": 3}, jobs={"failed": 1},
    ))
    assert "Riverside Swim" in window.windowTitle() and "simulator" in window.windowTitle()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Help"]
    window.resize(640, 470)
    window.close()
    assert settings.exists()
    reopened = MainWindow(settings)
    qtbot.addWidget(reopened)
    assert (reopened.width(), reopened.height()) == (640, 470)
    assert reopened._settings.value(GEOMETRY_KEY) is not None


def test_background_runner_reports_progress_and_cancel(qtbot):
    runner = SynchronousRunner()
    seen, results = [], []

    def work(progress):
        for step in range(3):
            progress.check()
            progress.report(step + 1, 3, f"step {step + 1}")
        return "done"

    runner.start(work, on_success=results.append,
                 on_progress=lambda d, t, label: seen.append((d, t, label)))
    assert results == ["done"] and seen[-1] == (3, 3, "step 3")

    cancelled = []

    def cancelling(progress):
        progress.cancel()
        progress.check()
        raise AssertionError("not reached")

    runner.start(cancelling, on_cancelled=lambda: cancelled.append(True))
    assert cancelled == [True]
    assert issubclass(Cancelled, Exception)


@pytest.mark.parametrize("extra", [[], ["--demo"]])
def test_self_test_command(tmp_path, extra):
    result = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--home", str(tmp_path), "--self-test", *extra],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("self-test ok")
