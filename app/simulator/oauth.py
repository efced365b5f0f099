"""OAuth 2 as Intuit runs it: authorise, exchange, refresh with rotation, revoke.

Lifetimes come from qbo-api-notes §2: access token 3600 s; refresh token 100 days, whose
value changes once it is a day old (the old value dies at once: the notes advise treating
it as dead). Codes are single use. All lifetimes are on the sandbox clock, so
``--time-scale`` shortens them; ``expires_in`` is reported in wall-clock seconds so a
client that schedules refreshes from it behaves correctly at any scale.
"""

from __future__ import annotations

import base64
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from app.simulator.clock import SandboxClock
from app.simulator.store import Store

ACCESS_TOKEN_SECONDS = 3600
REFRESH_TOKEN_SECONDS = 100 * 86400
REFRESH_ROTATES_AFTER_SECONDS = 24 * 3600
CODE_SECONDS = 600
ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
_LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


class OAuthError(Exception):
    """An OAuth error response: ``{"error": ..., "error_description": ...}``."""

    def __init__(self, status: int, error: str, description: str) -> None:
        super().__init__(f"{error}: {description}")
        self.status = status
        self.error = error
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


class AuthFailure(Exception):
    """The bearer token is missing, malformed, expired or revoked (-> QBO's 401)."""


@dataclass(frozen=True)
class Client:
    client_id: str
    client_secret: str
    realm_id: str


class OAuthService:
    def __init__(self, store: Store, clock: SandboxClock, client: Client) -> None:
        self.store = store
        self.clock = clock
        self.client = client

    # -- authorisation endpoint --------------------------------------------------------------
    def authorize(self, params: dict[str, str]) -> str:
        """Approve at once (sandbox) and return the redirect location."""
        if params.get("client_id") != self.client.client_id:
            raise OAuthError(400, "invalid_client", "The client_id is not recognised.")
        redirect_uri = params.get("redirect_uri", "")
        if not _acceptable_redirect(redirect_uri):
            raise OAuthError(
                400, "invalid_request", "The redirect_uri query parameter value is invalid."
            )
        state = params.get("state")
        if params.get("response_type") != "code":
            return _with_query(redirect_uri, _error_params("unsupported_response_type", state))
        if ACCOUNTING_SCOPE not in params.get("scope", "").split():
            return _with_query(redirect_uri, _error_params("invalid_scope", state))
        code = "AB" + secrets.token_urlsafe(36)
        self.store.put_token(code, "code", {
            "redirect_uri": redirect_uri,
            "expires_at": self.clock.now() + CODE_SECONDS,
        })
        query = {"code": code, "realmId": self.client.realm_id}
        if state is not None:
            query["state"] = state
        return _with_query(redirect_uri, query)

    # -- token endpoint ----------------------------------------------------------------------
    def token(self, authorization: str | None, form: dict[str, str]) -> dict[str, Any]:
        self._authenticate_client(authorization, form)
        grant = form.get("grant_type")
        with self.store.lock:
            if grant == "authorization_code":
                return self._exchange_code(form)
            if grant == "refresh_token":
                return self._refresh(form.get("refresh_token", ""))
        raise OAuthError(400, "unsupported_grant_type", f"grant_type {grant!r} not supported")

    def _authenticate_client(self, authorization: str | None, form: dict[str, str]) -> None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization and authorization.lower().startswith("basic "):
            try:
                decoded = base64.b64decode(authorization[6:].strip()).decode("utf-8")
                client_id, _, secret = decoded.partition(":")
            except (ValueError, UnicodeDecodeError):
                client_id = secret = None
        if client_id != self.client.client_id or secret != self.client.client_secret:
            raise OAuthError(401, "invalid_client", "Client authentication failed")

    def _exchange_code(self, form: dict[str, str]) -> dict[str, Any]:
        code = form.get("code", "")
        found = self.store.get_token(code)
        if found is None or found[0] != "code":
            raise OAuthError(400, "invalid_grant", "Invalid authorization code")
        data = found[1]
        self.store.delete_tokens([code])
        if data["expires_at"] <= self.clock.now():
            raise OAuthError(400, "invalid_grant", "Authorization code has expired")
        if form.get("redirect_uri") != data["redirect_uri"]:
            raise OAuthError(400, "invalid_grant", "redirect_uri does not match")
        refresh = self._new_refresh_token()
        return self._token_response(refresh)

    def _refresh(self, refresh_token: str) -> dict[str, Any]:
        found = self.store.get_token(refresh_token)
        if found is None or found[0] != "refresh":
            raise OAuthError(400, "invalid_grant", "Incorrect or invalid refresh token")
        data = found[1]
        now = self.clock.now()
        if data["expires_at"] <= now:
            self._revoke_grant(refresh_token)
            raise OAuthError(400, "invalid_grant", "Token has been expired or revoked.")
        if now - data["issued_at"] >= REFRESH_ROTATES_AFTER_SECONDS:
            self._revoke_grant(refresh_token)
            refresh_token = self._new_refresh_token()
        return self._token_response(refresh_token)

    def _new_refresh_token(self) -> str:
        token = "RT1-" + secrets.token_urlsafe(40)
        now = self.clock.now()
        self.store.put_token(token, "refresh", {
            "issued_at": now, "expires_at": now + REFRESH_TOKEN_SECONDS, "access": [],
        })
        return token

    def _token_response(self, refresh_token: str) -> dict[str, Any]:
        found = self.store.get_token(refresh_token)
        assert found is not None
        data = found[1]
        access = "eyJ" + secrets.token_urlsafe(60)
        now = self.clock.now()
        self.store.put_token(access, "access", {
            "realm": self.client.realm_id,
            "expires_at": now + ACCESS_TOKEN_SECONDS,
            "refresh": refresh_token,
        })
        data["access"] = [*data["access"][-20:], access]
        self.store.put_token(refresh_token, "refresh", data)
        return {
            "token_type": "bearer",
            "access_token": access,
            "refresh_token": refresh_token,
            "expires_in": self._wall_seconds(ACCESS_TOKEN_SECONDS),
            "x_refresh_token_expires_in": self._wall_seconds(data["expires_at"] - now),
        }

    def _wall_seconds(self, sandbox_seconds: float) -> int:
        return max(1, round(self.clock.real_seconds(sandbox_seconds)))

    # -- revocation --------------------------------------------------------------------------
    def revoke(self, authorization: str | None, token: str) -> None:
        """Revoking either token of a grant ends the whole grant (as disconnecting does)."""
        self._authenticate_client(authorization, {})
        with self.store.lock:
            found = self.store.get_token(token)
            if found is None:
                return
            kind, data = found
            if kind == "access":
                self.store.delete_tokens([token])
                self._revoke_grant(data["refresh"])
            elif kind == "refresh":
                self._revoke_grant(token)

    def _revoke_grant(self, refresh_token: str) -> None:
        found = self.store.get_token(refresh_token)
        doomed = [refresh_token]
        if found is not None:
            doomed.extend(found[1].get("access", []))
        self.store.delete_tokens(doomed)

    # -- resource server ---------------------------------------------------------------------
    def realm_for(self, authorization: str | None) -> str:
        """The realm the bearer token grants, or AuthFailure with QBO's detail text."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise AuthFailure("Authorization header is missing or is not a bearer token")
        token = authorization[7:].strip()
        if len(token) < 20 or len(token) > 4096:
            raise AuthFailure("Malformed bearer token: too short or too long")
        found = self.store.get_token(token)
        if found is None or found[0] != "access":
            raise AuthFailure("Token revoked or invalid")
        if found[1]["expires_at"] <= self.clock.now():
            raise AuthFailure(f"Token expired: {token[:12]}...")
        return str(found[1]["realm"])

    def revoke_all(self) -> int:
        """Every grant ends, as when the user disconnects the app in QuickBooks (Apps > My
        apps): access and refresh tokens die; a new authorisation is needed. Returns how
        many grants were revoked."""
        with self.store.lock:
            grants = [token for token, _data in self.store.tokens_of_kind("refresh")]
            for token in grants:
                self._revoke_grant(token)
            self.store.delete_tokens([token for token, _ in self.store.tokens_of_kind("access")])
        return len(grants)

    def expire_all_access_tokens(self) -> None:
        """Fault injection / tests: every access token is now expired."""
        with self.store.lock:
            for token, data in self.store.tokens_of_kind("access"):
                data["expires_at"] = self.clock.now() - 1
                self.store.put_token(token, "access", data)


def _acceptable_redirect(uri: str) -> bool:
    """Development keys: any http(s) loopback URI, or any https URI (notes §2)."""
    parts = urlsplit(uri)
    if parts.scheme == "https" and parts.netloc:
        return True
    return parts.scheme == "http" and (parts.hostname or "") in _LOOPBACK_HOSTS


def _error_params(error: str, state: str | None) -> dict[str, str]:
    params = {"error": error}
    if state is not None:
        params["state"] = state
    return params


def _with_query(uri: str, params: dict[str, str]) -> str:
    separator = "&" if urlsplit(uri).query else "?"
    return uri + separator + urlencode(params)
