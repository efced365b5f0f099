"""Where a company lives: production QBO, Intuit's developer sandbox, or the local simulator.

The three differ only by URLs, so the client has no environment-specific branches.
The local simulator picks its port at start, so its URLs come from its info dict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from urllib.parse import urlsplit

PRODUCTION = "production"
INTUIT_SANDBOX = "sandbox"
LOCAL = "local"
ENVIRONMENT_NAMES = (PRODUCTION, INTUIT_SANDBOX, LOCAL)

ACCOUNTING_SCOPE = "com.intuit.quickbooks.accounting"
_INTUIT_AUTHORIZATION = "https://appcenter.intuit.com/connect/oauth2"
_INTUIT_TOKEN = "https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"
_INTUIT_REVOKE = "https://developer.api.intuit.com/v2/oauth2/tokens/revoke"


@dataclass(frozen=True)
class Environment:
    name: str
    api_base_url: str  # ".../v3"; entity URLs are {api_base_url}/company/{realm}/...
    authorization_url: str
    token_url: str
    revoke_url: str
    scope: tuple[str, ...] = (ACCOUNTING_SCOPE,)

    def with_api_base(self, api_base_url: str | None) -> Environment:
        """The same environment reached through another API base (a proxy, a relay)."""
        if not api_base_url:
            return self
        return replace(self, api_base_url=api_base_url.rstrip("/"))

    @property
    def is_loopback(self) -> bool:
        """True when every URL is on this machine (plain http is then acceptable)."""
        urls = (self.api_base_url, self.authorization_url, self.token_url, self.revoke_url)
        return all(is_loopback_url(url) for url in urls)


PRODUCTION_ENVIRONMENT = Environment(
    name=PRODUCTION,
    api_base_url="https://quickbooks.api.intuit.com/v3",
    authorization_url=_INTUIT_AUTHORIZATION,
    token_url=_INTUIT_TOKEN,
    revoke_url=_INTUIT_REVOKE,
)

INTUIT_SANDBOX_ENVIRONMENT = Environment(
    name=INTUIT_SANDBOX,
    api_base_url="https://sandbox-quickbooks.api.intuit.com/v3",
    authorization_url=_INTUIT_AUTHORIZATION,
    token_url=_INTUIT_TOKEN,
    revoke_url=_INTUIT_REVOKE,
)


def local_environment(info: Mapping[str, object]) -> Environment:
    """The running simulator's environment, from its ``info`` dict."""
    return Environment(
        name=LOCAL,
        api_base_url=str(info["base_url"]).rstrip("/"),
        authorization_url=str(info["authorization_url"]),
        token_url=str(info["token_url"]),
        revoke_url=str(info["revoke_url"]),
    )


def hosted_environment(name: str, api_base_url: str | None = None) -> Environment:
    """Production or the Intuit sandbox, optionally through another API base URL."""
    if name == PRODUCTION:
        return PRODUCTION_ENVIRONMENT.with_api_base(api_base_url)
    if name == INTUIT_SANDBOX:
        return INTUIT_SANDBOX_ENVIRONMENT.with_api_base(api_base_url)
    raise ValueError(f"unknown hosted environment {name!r} (expected production or sandbox)")


def is_loopback_url(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("127.0.0.1", "localhost", "::1")
