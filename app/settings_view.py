"""The Settings screen's content without Qt: the connection in words, never a secret.

The connection (company, environment, realm, the Intuit app's client id), how old the
sign-in is and when it was last refreshed — read from the token store, of which only
times are kept here —, whether the system keyring can be used at all (said plainly
when not: SPEC §9), the folders, the version, and what a resync found, worded for its
confirmation. The daily sync's group is ``app/daily_sync_view.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from app import __version__
from app.companies import CompanyEntry, entry_of, stored_company
from app.config import AppPaths
from app.dashboard import connection_text
from app.models.database import Database
from app.resync import ResyncReport
from app.sync.company_link import is_builtin_demo
from app.sync.tokens import KeyringTokenStore, KeyringUnavailable, Tokens, TokenStore, token_key

WHERE = {"production": "QuickBooks Online (Intuit)",
         "sandbox": "Intuit's sandbox company (developer keys)"}
SIMULATED = "nothing posted here reaches a real QuickBooks company"


@dataclass(frozen=True)
class SettingsView:
    company: CompanyEntry
    environment: str
    connection: str
    client_id: str
    tokens: str  # the sign-in's age and last refresh, in words
    keyring_problem: str  # "" when the keyring works
    demo: bool
    folders: tuple[tuple[str, Path], ...]
    version: str

    @property
    def can_replace_secret(self) -> str:
        """Why the client secret cannot be replaced ("" when it can)."""
        if self.demo:
            return "The demo company signs in to its own simulator: it has no Intuit app."
        if not self.client_id:
            return "Connect to QuickBooks first: the Intuit app is chosen when connecting."
        return self.keyring_problem


def load_settings(database: Database, company_id: int, paths: AppPaths, *,
                  token_store: Callable[[], TokenStore] = KeyringTokenStore,
                  now: Callable[[], float] = time.time) -> SettingsView:
    company = stored_company(database, company_id)
    entry = entry_of(company)
    demo = is_builtin_demo(company)
    problem, tokens = "", None
    if not demo and company.realm_id:
        try:
            tokens = token_store().load(token_key(company.environment, company.realm_id))
        except KeyringUnavailable as exc:
            problem = f"The system keyring cannot be used, so the sign-in is not kept: {exc}"
    text = ("The demo company signs in to its simulator each time it starts; nothing is "
            "kept in the keyring." if demo else tokens_text(entry, tokens, now(), problem))
    folders = (("Data folder", paths.data_dir), ("Log folder", paths.log_dir),
               ("Settings folder", paths.config_dir))
    return SettingsView(entry, where_text(entry, demo), connection_text(entry),
                        "" if demo else company.client_id or "", text, problem, demo,
                        folders, __version__)


def where_text(company: CompanyEntry, demo: bool) -> str:
    if company.environment in WHERE:
        return WHERE[company.environment]
    if demo:
        return f"The built-in QuickBooks simulator ({SIMULATED})"
    return f"A QuickBooks simulator at {company.api_base_url} ({SIMULATED})"


def tokens_text(company: CompanyEntry, tokens: Tokens | None, now: float,
                problem: str = "") -> str:
    """How old the sign-in is and when it was last refreshed (times only, never a token)."""
    if company.realm_id is None:
        return "Not connected yet."
    if problem:
        return "Unknown: the keyring cannot be read."
    if tokens is None:
        return "No sign-in is kept on this computer: Reconnect to sign in again."
    parts = []
    if tokens.issued_at is not None:
        parts.append(f"Last refreshed {_utc(tokens.issued_at)} ({_ago(now - tokens.issued_at)})")
    left = tokens.access_expires_at - now
    parts.append(f"the access token expires in {_span(left)} and is renewed automatically"
                 if left > 0 else f"the access token expired {_ago(-left)} and is renewed "
                 "at the next request")
    if tokens.refresh_expires_at is not None:
        parts.append(f"the sign-in lasts until {_utc(tokens.refresh_expires_at, day=True)} "
                     "and is extended each time it is used")
    text = "; ".join(parts) + "."
    return text[0].upper() + text[1:]


def resync_question(report: ResyncReport) -> tuple[str, list[str]]:
    """What a resync found, as its confirmation says it: a headline and the details."""
    details = [f"Deleted in QuickBooks, taken out of the ledger (the next post creates it "
               f"again from the source): {key}" for key in report.gone]
    details += [f"Differs from the source ({key}): {why}" for key, why in report.conflicts]
    if report.missing:
        details.append(f"{len(report.missing)} record(s) the source has are not in "
                       "QuickBooks: the next post creates them.")
    if not report.adopted and not report.gone:
        return (f"The ledger already knows every record in QuickBooks "
                f"({report.ledger_size}); a resync would change nothing.", details)
    return (f"Found in QuickBooks and not in the ledger: {len(report.adopted)} record(s); "
            f"{len(report.gone)} to take out. Write this into the local ledger? Nothing is "
            "sent to QuickBooks.", details)


def resync_result_text(report: ResyncReport) -> str:
    if report.declined:
        return ("QuickBooks changed since the resync was previewed: nothing was written. "
                "Resync again to see what it finds now.")
    if report.run_id is None:
        return (f"The ledger already knew every record in QuickBooks ({report.ledger_size}); "
                "nothing changed.")
    return (f"Resync run {report.run_id}: {len(report.adopted)} record(s) adopted, "
            f"{len(report.gone)} removed from the ledger (deleted in QuickBooks); the ledger "
            f"holds {report.ledger_size} record(s).")


def _utc(epoch: float, *, day: bool = False) -> str:
    moment = datetime.fromtimestamp(epoch, UTC)
    return f"{moment:%Y-%m-%d}" if day else f"{moment:%Y-%m-%d %H:%M} UTC"


def _span(seconds: float) -> str:
    seconds = max(0.0, seconds)
    if seconds < 90:
        return f"{seconds:.0f} seconds"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} minutes"
    if seconds < 36 * 3600:
        return f"{seconds / 3600:.0f} hours"
    return f"{seconds / 86400:.0f} days"


def _ago(seconds: float) -> str:
    return "just now" if seconds < 60 else f"{_span(seconds)} ago"
