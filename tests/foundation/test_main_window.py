import subprocess
import sys
from pathlib import Path

import pytest

from app.ui.background import Cancelled, SynchronousRunner
from app.ui.main_window import GEOMETRY_KEY
from tests.shell.gui_helpers import close, make_window

ROOT = Path(__file__).resolve().parents[2]


def test_window_menus_and_geometry(qtbot, tmp_path):
    window, services = make_window(qtbot, tmp_path)
    window.start()
    menus = [a.text() for a in window.menuBar().actions()]
    assert menus == ["&File", "&Go", "&Help"]
    window.resize(640, 470)
    close(window, services)
    reopened, services = make_window(qtbot, tmp_path)
    assert (reopened.width(), reopened.height()) == (640, 470)
    assert reopened._settings.value(GEOMETRY_KEY) is not None
    close(reopened, services)


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
    # Every module, migration and resource, the Qt platform plugins and QtCharts: the same
    # check the built bundle runs (installer/build_linux.py).
    assert "modules imported, 3 migrations, 4 resources" in result.stdout
    assert "plugins offscreen" in result.stdout and "QtCharts loaded" in result.stdout
    assert "MISSING" not in result.stdout
