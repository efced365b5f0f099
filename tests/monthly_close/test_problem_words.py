"""How the pre-flight's problems are worded in the close's table."""

from __future__ import annotations

from types import SimpleNamespace

from app.monthly_close.fixes import NOT_CHECKED, problems
from app.plan.plan import Issue
from app.ui.screens.close_models import PROBLEM_COLUMNS


def test_a_problem_that_stops_the_post_is_an_error_whatever_its_severity():
    unchecked = Issue("warning", NOT_CHECKED, "The mapping was not checked", "reconnect")
    note = Issue("warning", "rounding_line", "A rounding line", "look")
    found = problems((unchecked, note), (unchecked,), None)
    severity = PROBLEM_COLUMNS[0].text
    assert [(p.issue.code, severity(p), p.effect) for p in found] == [
        (NOT_CHECKED, "Error", "stops the post"), ("rounding_line", "Warning", "posted anyway")]


def test_a_company_needing_a_new_sign_in_is_said_in_words(tmp_path):
    import pytest

    from app.company_session import company_client

    company = SimpleNamespace(connection_state="reauthorisation_needed")
    with pytest.raises(ValueError) as raised, \
            company_client(company, None, tmp_path):  # type: ignore[arg-type]
        pass
    said = str(raised.value)
    assert said.startswith("QuickBooks needs you to sign in again to this company: reconnect")
    assert "reauthorisation" not in said and "Reconnect" in said
