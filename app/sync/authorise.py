"""The connect flow a user goes through: browser, loopback redirect or pasted URL, tokens.

``AuthorisationFlow`` owns the one-shot listener and the ``state``; the caller opens
the browser (or prints the URL), may feed a pasted redirect URL, and waits. With a
configured HTTPS redirect URI (production keys forbid localhost), the relay page at
that address receives the redirect; the listener's port rides in ``state`` so the page
can forward the code to this machine, and otherwise shows it for pasting.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

import requests

from app.sync.environments import Environment
from app.sync.errors import AuthError
from app.sync.loopback import LoopbackListener
from app.sync.oauth import Authorisation, OAuthClient

DEFAULT_TIMEOUT_SECONDS = 300.0


class AuthorisationCancelled(AuthError):
    """The user cancelled while Ledgerbridge waited for the browser."""


class AuthorisationFlow:
    def __init__(
        self,
        environment: Environment,
        client_id: str,
        client_secret: str,
        *,
        redirect_uri: str | None = None,
    ) -> None:
        self.listener = LoopbackListener(expected_state="")
        self.cancelled = False
        nonce = secrets.token_urlsafe(24)
        # A relay page learns where to forward from the state; the loopback needs no hint.
        self.state = f"{nonce}.{self.listener.port}" if redirect_uri else nonce
        self.listener.expected_state = self.state
        self.redirect_uri = redirect_uri or self.listener.redirect_uri
        self.oauth = OAuthClient(environment, client_id, client_secret, self.redirect_uri)
        self.url, _ = self.oauth.authorization_url(state=self.state)

    def offer_pasted(self, pasted_url: str) -> bool:
        """Use a pasted redirect URL; False when it is not for this flow (wrong state)."""
        return self.listener.offer(pasted_url)

    def wait(self, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> Authorisation:
        """Block until the redirect arrives (or ``timeout``), then exchange the code."""
        redirect_url = self.listener.wait(timeout)
        if self.cancelled:
            raise AuthorisationCancelled("The connection was cancelled")
        if redirect_url is None:
            raise AuthError(
                "No answer from QuickBooks in time",
                detail="the browser did not come back; paste the redirect URL or try again",
            )
        return self.oauth.exchange(redirect_url, self.state)

    def cancel(self) -> None:
        """Give up waiting (another thread's ``wait`` raises ``AuthorisationCancelled``)."""
        self.cancelled = True
        self.listener.cancel()

    def close(self) -> None:
        self.listener.close()

    def __enter__(self) -> AuthorisationFlow:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def approve_headless(url: str, *, timeout: float = 30.0) -> None:
    """A 'browser' for servers that approve at once (the built-in simulator).

    It follows the authorisation URL's redirects, which ends at our loopback listener
    exactly as a real browser would.
    """
    response = requests.get(url, timeout=timeout, allow_redirects=True)
    if response.status_code >= 400:
        raise AuthError("The authorisation server refused the request", status=response.status_code)


def run_flow(
    flow: AuthorisationFlow,
    open_browser: Callable[[str], object],
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
) -> Authorisation:
    """Open the URL with ``open_browser`` and wait for the redirect."""
    with flow:
        open_browser(flow.url)
        return flow.wait(timeout)
