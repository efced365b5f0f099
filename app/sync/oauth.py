"""OAuth 2 authorisation-code flow with Intuit (or the local simulator), via requests-oauthlib.

We parse the redirect ourselves (state, code, realmId) rather than handing oauthlib
the URL: the loopback redirect is plain http by design (RFC 8252) and oauthlib would
refuse it. Plain http to the token endpoint is allowed only when it is on this machine.
Errors never quote the token endpoint's response body, which can echo secrets.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import requests
from oauthlib.oauth2.rfc6749.errors import OAuth2Error
from requests.auth import HTTPBasicAuth
from requests_oauthlib import OAuth2Session

from app.sync.environments import Environment, is_loopback_url
from app.sync.errors import AuthError, NetworkError, ReauthorisationNeeded, ServerError
from app.sync.tokens import Tokens

TOKEN_TIMEOUT_SECONDS = 30.0
# requests-oauthlib and oauthlib log request headers (Basic client credentials), bodies
# and tokens at DEBUG. Secrets must not be logged in the first place, whatever level the
# application runs at, so their chatter stops at INFO.
for _noisy in ("requests_oauthlib", "oauthlib"):
    logging.getLogger(_noisy).setLevel(logging.INFO)
_REFRESH_DEAD = {"invalid_grant"}
_insecure_lock = threading.Lock()


class OAuthStateMismatch(AuthError):
    """The redirect's ``state`` is not the one we sent: a stale tab or a forged link."""


@dataclass(frozen=True)
class Authorisation:
    realm_id: str
    tokens: Tokens


@dataclass(frozen=True)
class RedirectResult:
    code: str
    state: str
    realm_id: str


class OAuthClient:
    def __init__(
        self, environment: Environment, client_id: str, client_secret: str, redirect_uri: str
    ) -> None:
        self.environment = environment
        self.client_id = client_id
        self._client_secret = client_secret
        self.redirect_uri = redirect_uri

    def __repr__(self) -> str:
        return f"OAuthClient({self.environment.name!r}, client_id={self.client_id!r})"

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """The URL to open in the browser, and the ``state`` it carries."""
        session = self._session()
        with _allow_http_if_loopback(self.environment.authorization_url):
            url, state = session.authorization_url(
                self.environment.authorization_url, state=state
            )
        return url, state

    def exchange(self, redirect_url: str, expected_state: str) -> Authorisation:
        """Check the redirect, then trade its code for tokens."""
        result = parse_redirect(redirect_url)
        if result.state != expected_state:
            raise OAuthStateMismatch(
                "The authorisation link is not the one Ledgerbridge opened",
                detail="state mismatch; start Connect again",
            )
        with (
            _token_call("exchange the authorisation code"),
            _allow_http_if_loopback(self.environment.token_url),
        ):
            token = self._session().fetch_token(
                self.environment.token_url,
                code=result.code,
                auth=self._basic_auth(),
                timeout=TOKEN_TIMEOUT_SECONDS,
            )
        return Authorisation(realm_id=result.realm_id, tokens=Tokens.from_response(token))

    def refresh(self, refresh_token: str) -> Tokens:
        """New tokens; the refresh token in the result replaces the old one at once."""
        with (
            _token_call("refresh the access token"),
            _allow_http_if_loopback(self.environment.token_url),
        ):
            token = OAuth2Session(self.client_id).refresh_token(
                self.environment.token_url,
                refresh_token=refresh_token,
                auth=self._basic_auth(),
                timeout=TOKEN_TIMEOUT_SECONDS,
            )
        return Tokens.from_response(token)

    def revoke(self, token: str) -> None:
        """Tell the server to forget the connection (refresh or access token)."""
        try:
            response = requests.post(
                self.environment.revoke_url,
                json={"token": token},
                auth=self._basic_auth(),
                headers={"Accept": "application/json"},
                timeout=TOKEN_TIMEOUT_SECONDS,
            )
        except requests.RequestException as exc:
            name = type(exc).__name__
            raise NetworkError(f"Could not reach QuickBooks to revoke: {name}") from None
        if response.status_code >= 400:
            raise AuthError(
                "QuickBooks refused to revoke the connection", status=response.status_code
            )

    def _session(self) -> OAuth2Session:
        return OAuth2Session(
            self.client_id, redirect_uri=self.redirect_uri, scope=list(self.environment.scope)
        )

    def _basic_auth(self) -> HTTPBasicAuth:
        return HTTPBasicAuth(self.client_id, self._client_secret)


def parse_redirect(redirect_url: str) -> RedirectResult:
    """code, state and realmId from a redirect URL (or a pasted query string)."""
    text = redirect_url.strip()
    query = urlsplit(text).query if "://" in text else text.lstrip("?")
    params = {key: values[0] for key, values in parse_qs(query).items()}
    if "error" in params:
        raise AuthError(
            "QuickBooks did not grant access",
            code=None,
            detail=params.get("error_description", params["error"]),
        )
    missing = [name for name in ("code", "state", "realmId") if not params.get(name)]
    if missing:
        raise AuthError("The redirect URL is incomplete", detail=f"missing {', '.join(missing)}")
    return RedirectResult(code=params["code"], state=params["state"], realm_id=params["realmId"])


@contextmanager
def _token_call(action: str) -> Iterator[None]:
    """Map token-endpoint failures to our errors, without echoing the response."""
    try:
        yield
    except OAuth2Error as exc:
        status = getattr(exc, "status_code", None)
        if exc.error in _REFRESH_DEAD:
            raise ReauthorisationNeeded(
                "The QuickBooks connection has expired or was revoked",
                code=exc.error,
                detail=f"could not {action}",
                status=status,
            ) from None
        if status and status >= 500:
            raise ServerError(f"QuickBooks could not {action}", status=status) from None
        raise AuthError(f"QuickBooks refused to {action}", code=exc.error, status=status) from None
    except requests.RequestException as exc:
        raise NetworkError(
            f"Could not reach QuickBooks to {action}: {type(exc).__name__}"
        ) from None
    except ValueError:
        # A non-JSON answer (a proxy's error page, a 5xx): no usable token came back.
        raise ServerError(f"QuickBooks gave an unreadable answer when asked to {action}") from None


@contextmanager
def _allow_http_if_loopback(url: str) -> Iterator[None]:
    """oauthlib insists on https; an endpoint on this machine (loopback) needs no TLS."""
    if not (url.startswith("http://") and is_loopback_url(url)):
        yield
        return
    with _insecure_lock:
        previous = os.environ.get("OAUTHLIB_INSECURE_TRANSPORT")
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"
        try:
            yield
        finally:
            if previous is None:
                os.environ.pop("OAUTHLIB_INSECURE_TRANSPORT", None)
            else:
                os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = previous
