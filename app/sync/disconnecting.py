"""Disconnect: forget and revoke the tokens, keep everything else (SPEC §5).

The company row keeps its realm, mapping, ledger and jobs, so reconnecting later resumes
where the books left off (reconnect + resync matches what already exists); nothing is
deleted here or in QuickBooks. ``ledgerbridge disconnect`` and the Settings screen call
this one function.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.models.company import Company
from app.models.database import Database
from app.sync.company_link import DISCONNECTED, environment_of, is_builtin_demo
from app.sync.errors import QboError
from app.sync.oauth import OAuthClient
from app.sync.tokens import KeyringTokenStore, load_client_secret, token_key


@dataclass(frozen=True)
class Disconnected:
    company: str  # the QuickBooks company's name
    revoked: bool  # QuickBooks was told (False: the tokens were only forgotten here)
    warning: str | None = None  # why QuickBooks could not be told, and what to do


def disconnect(database: Database, company_id: int) -> Disconnected:
    """Raises ValueError when nothing is connected, ``KeyringUnavailable`` without a keyring."""
    with database.session() as session:
        company = session.get(Company, company_id)
        if company is None or not company.realm_id:
            raise ValueError("no QuickBooks company is connected")
        revoked, warning = True, None
        if not is_builtin_demo(company):  # the demo company's tokens never left memory
            revoked, warning = _revoke_and_forget(company)
        company.connection_state = DISCONNECTED
        name = company.qbo_company_name or company.name
    return Disconnected(name, revoked, warning)


def _revoke_and_forget(company: Company) -> tuple[bool, str | None]:
    """Forget the tokens here first, whatever happens; then revoke them if we can."""
    store = KeyringTokenStore()
    key = token_key(company.environment, company.realm_id or "")
    tokens = store.load(key)
    store.delete(key)
    if tokens is None:
        return False, None
    try:
        environment = environment_of(company)  # a simulator at a URL is asked for its URLs
        secret = load_client_secret(company.client_id or "") or ""
        oauth = OAuthClient(environment, company.client_id or "", secret,
                            company.redirect_uri or "")
        oauth.revoke(tokens.refresh_token)
    except QboError as exc:
        return False, (f"the tokens are forgotten here, but QuickBooks could not be told "
                       f"({exc}); remove Ledgerbridge under Apps > My apps in QuickBooks.")
    return True, None
