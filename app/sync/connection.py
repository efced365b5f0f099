"""One company's live authorisation: the current access token, refreshed safely.

Refreshing is the one place a desktop app can lose its connection for good: Intuit
rotates the refresh token and the old one dies. So the new pair is written to the
token store before any request uses the new access token, and refreshes are serialised
per company (across all Connection objects of this process), so two threads never
spend the same refresh token.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from app.sync.environments import Environment
from app.sync.errors import ReauthorisationNeeded
from app.sync.oauth import OAuthClient
from app.sync.tokens import REFRESH_MARGIN_SECONDS, Tokens, TokenStore, token_key

log = logging.getLogger(__name__)

_refresh_locks: dict[str, threading.Lock] = {}
_refresh_locks_guard = threading.Lock()


def _refresh_lock(key: str) -> threading.Lock:
    with _refresh_locks_guard:
        return _refresh_locks.setdefault(key, threading.Lock())


class Connection:
    def __init__(
        self,
        *,
        environment: Environment,
        realm_id: str,
        oauth: OAuthClient,
        store: TokenStore,
        on_reauthorisation_needed: Callable[[], None] | None = None,
        refresh_margin: float = REFRESH_MARGIN_SECONDS,
    ) -> None:
        self.environment = environment
        self.realm_id = realm_id
        self.oauth = oauth
        self.store = store
        self.key = token_key(environment.name, realm_id)
        self._on_reauthorisation_needed = on_reauthorisation_needed
        self._refresh_margin = refresh_margin
        self._lock = _refresh_lock(self.key)
        self._tokens: Tokens | None = None
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"Connection({self.environment.name!r}, realm_id={self.realm_id!r})"

    def save_authorisation(self, tokens: Tokens) -> None:
        """Store the tokens of a fresh authorisation (connect / reconnect)."""
        with self._lock:
            self.store.save(self.key, tokens)
            self._tokens = tokens

    def access_token(self) -> str:
        """A usable access token, refreshed first if it is about to expire."""
        tokens = self._current()
        if tokens.needs_refresh(self._refresh_margin):
            return self._refresh(rejected=tokens.access_token)
        return tokens.access_token

    def refresh_after_unauthorised(self, rejected_token: str) -> str:
        """QBO answered 401 to ``rejected_token``: refresh once, unless another thread did."""
        return self._refresh(rejected=rejected_token)

    def forget(self) -> Tokens | None:
        """Drop the stored tokens (after revoking them); returns what was stored."""
        with self._lock:
            tokens = self.store.load(self.key)
            self.store.delete(self.key)
            self._tokens = None
            return tokens

    def _current(self) -> Tokens:
        tokens = self._tokens
        if tokens is None:
            with self._lock:
                tokens = self._tokens = self.store.load(self.key)
        if tokens is None:
            # This computer's keyring holds no sign-in (another machine, a scheduled task
            # that cannot reach the keyring, a restored database): only this process
            # cannot go on. The company is not marked disconnected for everyone, as it is
            # when Intuit itself refuses the sign-in.
            raise ReauthorisationNeeded(
                "Ledgerbridge is not connected to this QuickBooks company on this computer",
                detail="no stored authorisation",
            )
        return tokens

    def _refresh(self, *, rejected: str) -> str:
        with self._lock:
            current = self.store.load(self.key) or self._tokens
            if current is None:  # as in _current: this computer only
                raise ReauthorisationNeeded(
                    "Ledgerbridge is not connected to this QuickBooks company on this computer",
                    detail="no stored authorisation")
            fresh_enough = not current.needs_refresh(self._refresh_margin)
            if current.access_token != rejected and fresh_enough:
                self._tokens = current  # another thread (or process) already refreshed
                return current.access_token
            try:
                tokens = self.oauth.refresh(current.refresh_token)
            except ReauthorisationNeeded:
                self._reauthorisation_needed()
                raise
            self.store.save(self.key, tokens)  # persist the rotated token before any use
            self._tokens = tokens
            self.refresh_count += 1
            log.info("Refreshed the QuickBooks access token for realm %s", self.realm_id)
            return tokens.access_token

    def _reauthorisation_needed(self) -> None:
        log.warning("QuickBooks realm %s needs reauthorisation", self.realm_id)
        if self._on_reauthorisation_needed is not None:
            self._on_reauthorisation_needed()
