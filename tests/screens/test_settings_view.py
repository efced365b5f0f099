"""Settings in words, without widgets: the sign-in's age, never a secret; the keyring."""

from __future__ import annotations

import keyring
import keyring.backends.fail

from app.cli import main
from app.companies import CompanyEntry
from app.config import resolve_paths
from app.models.database import Database
from app.resync import ResyncReport
from app.settings_view import (
    last_scheduled_run_text,
    load_settings,
    resync_question,
    tokens_text,
)
from app.sync.tokens import SERVICE, Tokens

NOW = 1_750_000_000.0
COMPANY = CompanyEntry(1, "Riverside", "Riverside Swim", "9341", "production", None,
                       "connected", "summary")


def test_the_sign_in_in_words_without_a_secret():
    tokens = Tokens("ACCESS-SECRET", "REFRESH-SECRET", NOW + 1800, NOW + 90 * 86400,
                    NOW - 3 * 3600)
    text = tokens_text(COMPANY, tokens, NOW)
    assert text == ("Last refreshed 2025-06-15 12:06 UTC (3 hours ago); the access token "
                    "expires in 30 minutes and is renewed automatically; the sign-in lasts "
                    "until 2025-09-13 and is extended each time it is used.")
    assert "SECRET" not in text
    expired = Tokens("a", "r", NOW - 7200, None, NOW - 10800)
    assert "the access token expired 2 hours ago" in tokens_text(COMPANY, expired, NOW)
    assert "Reconnect" in tokens_text(COMPANY, None, NOW)
    assert "keyring cannot be read" in tokens_text(COMPANY, tokens, NOW, "no keyring")


def test_no_scheduled_run_yet_and_the_resync_question():
    assert last_scheduled_run_text([]).startswith("None yet")
    found = ResyncReport(adopted=["a", "b"], gone=["payment:P1"], missing=["x"],
                         ledger_size=9)
    headline, details = resync_question(found)
    assert headline.startswith("Found in QuickBooks and not in the ledger: 2 record(s); 1 "
                               "to take out.") and "Nothing is sent" in headline
    assert any("payment:P1" in line for line in details)
    assert "would change nothing" in resync_question(ResyncReport(ledger_size=4))[0]


def test_settings_of_a_connected_company_and_a_missing_keyring(tmp_path, capsys,
                                                              memory_keyring):
    home = tmp_path / "home"
    assert main(["--home", str(home), "connect", "--environment", "local"]) == 0
    paths = resolve_paths(home)
    database = Database.open(paths)
    view = load_settings(database, 1, paths)
    assert view.demo and "signs in to its simulator each time" in view.tokens
    assert view.can_replace_secret.startswith("The demo company")
    assert [name for name, _ in view.folders] == ["Data folder", "Log folder",
                                                  "Settings folder"]
    assert not view.daily_sync and view.version
    with database.session() as session:  # the same company, as if hosted
        from app.models.company import Company

        company = session.get(Company, 1)
        company.environment, company.api_base_url = "production", None
        company.client_id = "ABC"
    memory_keyring.set_password(SERVICE, "tokens:production:" + view.company.realm_id,
                                Tokens("A" * 30, "R" * 30, NOW + 60, None, NOW).to_json())
    hosted = load_settings(database, 1, paths, now=lambda: NOW)
    assert hosted.client_id == "ABC" and hosted.can_replace_secret == ""
    assert hosted.tokens.startswith("Last refreshed") and "A" * 30 not in repr(hosted)
    keyring.set_keyring(keyring.backends.fail.Keyring())
    broken = load_settings(database, 1, paths)
    assert broken.keyring_problem.startswith("The system keyring cannot be used")
    assert "gnome-keyring" in broken.keyring_problem and broken.can_replace_secret
    database.close()
