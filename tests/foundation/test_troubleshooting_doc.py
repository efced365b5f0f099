"""docs/troubleshooting.md names every error code and problem the app can show."""

from __future__ import annotations

import re
from pathlib import Path

from app.daily_sync.problems import FIXES
from app.sync.error_explanations import BY_CODE, BY_KIND

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "troubleshooting.md").read_text(encoding="utf-8")
# How the simulator writes a QuickBooks fault code (it answers as QuickBooks does).
SIMULATOR_CODES = re.compile(r'(?:validation\(\s*|QboFault\(\s*|"code":\s*|code=\\?")'
                             r'"?(\d{3,5})"')


def named(word: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", DOC) is not None


def test_every_code_and_kind_the_error_log_explains_is_in_the_doc():
    missing = [code for code in [*BY_CODE, *BY_KIND] if not named(code)]
    assert not missing, missing


def test_every_code_the_simulator_answers_with_is_in_the_doc():
    codes = {code for path in (ROOT / "app" / "simulator").rglob("*.py")
             for code in SIMULATOR_CODES.findall(path.read_text(encoding="utf-8"))}
    assert {"3200", "5010", "6240", "10001"} <= codes  # the pattern finds them
    missing = sorted(code for code in codes if not named(code))
    assert not missing, missing


def test_every_problem_a_sync_can_report_is_in_the_doc():
    missing = [kind for kind in FIXES if not named(kind)]
    assert not missing, missing
