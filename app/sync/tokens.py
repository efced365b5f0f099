"""OAuth tokens and the client secret, kept only in the OS keyring.

One keyring entry per QBO company (service ``ledgerbridge``), holding the access and
refresh tokens as one JSON value so they are always replaced together. Nothing here
ever writes a secret to the database, a settings file or a log, and ``Tokens`` hides
its values from ``repr`` so a stray debug print cannot leak them.

When no usable keyring exists we say so with the fix and stop: a plain-text fallback
chosen silently would put the keys to the books in a file anyone can copy. A backend
the user configured explicitly is respected, with a warning when it is not encrypted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import keyring
import keyring.errors

log = logging.getLogger(__name__)

SERVICE = "ledgerbridge"
# Refresh this long before the access token expires, so a request never races expiry.
REFRESH_MARGIN_SECONDS = 300.0

KEYRING_FIX = (
    "Ledgerbridge keeps {what} only in the system keyring, and none "
    "is available. Fix: on Windows and macOS the keyring is built in (check you are "
    "logged in to a normal desktop session); on Linux install and unlock a Secret "
    "Service keyring (GNOME Keyring or KWallet), e.g. `sudo apt install gnome-keyring`. "
    "If you knowingly accept another backend, name it in PYTHON_KEYRING_BACKEND or in "
    "keyring's keyringrc.cfg. The demo company works without a keyring."
)


class KeyringUnavailable(RuntimeError):
    """No secure keyring backend: the connection cannot be stored."""


@dataclass(frozen=True)
class Tokens:
    access_token: str = field(repr=False)
    refresh_token: str = field(repr=False)
    access_expires_at: float  # epoch seconds
    refresh_expires_at: float | None = None
    issued_at: float | None = None

    @classmethod
    def from_response(cls, token: dict, *, now: float | None = None) -> Tokens:  # type: ignore[type-arg]
        """From a token endpoint response (``expires_in`` relative to ``now``)."""
        now = time.time() if now is None else now
        refresh_in = token.get("x_refresh_token_expires_in")
        return cls(
            access_token=str(token["access_token"]),
            refresh_token=str(token["refresh_token"]),
            access_expires_at=now + float(token.get("expires_in", 3600)),
            refresh_expires_at=now + float(refresh_in) if refresh_in else None,
            issued_at=now,
        )

    def needs_refresh(
        self, margin: float = REFRESH_MARGIN_SECONDS, *, now: float | None = None
    ) -> bool:
        """True within ``margin`` of expiry (at most a tenth of the token's life)."""
        now = time.time() if now is None else now
        if self.issued_at is not None:
            margin = min(margin, (self.access_expires_at - self.issued_at) / 10)
        return self.access_expires_at - now <= margin

    def to_json(self) -> str:
        return json.dumps(
            {
                "access_token": self.access_token,
                "refresh_token": self.refresh_token,
                "access_expires_at": self.access_expires_at,
                "refresh_expires_at": self.refresh_expires_at,
                "issued_at": self.issued_at,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> Tokens:
        data = json.loads(text)
        return cls(
            access_token=data["access_token"],
            refresh_token=data["refresh_token"],
            access_expires_at=float(data["access_expires_at"]),
            refresh_expires_at=data.get("refresh_expires_at"),
            issued_at=data.get("issued_at"),
        )


def token_key(environment: str, realm_id: str) -> str:
    """The keyring account of one company's tokens (a realm id is unique per environment)."""
    return f"tokens:{environment}:{realm_id}"


def client_secret_key(client_id: str) -> str:
    return f"client-secret:{client_id}"


class TokenStore(Protocol):
    def load(self, key: str) -> Tokens | None: ...
    def save(self, key: str, tokens: Tokens) -> None: ...
    def delete(self, key: str) -> None: ...


class KeyringTokenStore:
    """Tokens in the OS keyring; refuses to exist without a secure (or chosen) backend."""

    def __init__(self) -> None:
        check_keyring()

    def load(self, key: str) -> Tokens | None:
        text = keyring.get_password(SERVICE, key)
        return None if text is None else Tokens.from_json(text)

    def save(self, key: str, tokens: Tokens) -> None:
        keyring.set_password(SERVICE, key, tokens.to_json())

    def delete(self, key: str) -> None:
        with contextlib.suppress(keyring.errors.PasswordDeleteError):
            keyring.delete_password(SERVICE, key)


class MemoryTokenStore:
    """Tokens for this process only: the demo company re-authorises at each start."""

    def __init__(self) -> None:
        self._tokens: dict[str, Tokens] = {}
        self._lock = threading.Lock()

    def load(self, key: str) -> Tokens | None:
        with self._lock:
            return self._tokens.get(key)

    def save(self, key: str, tokens: Tokens) -> None:
        with self._lock:
            self._tokens[key] = tokens

    def delete(self, key: str) -> None:
        with self._lock:
            self._tokens.pop(key, None)


def save_client_secret(client_id: str, secret: str) -> None:
    check_keyring()
    keyring.set_password(SERVICE, client_secret_key(client_id), secret)


def load_client_secret(client_id: str) -> str | None:
    check_keyring()
    return keyring.get_password(SERVICE, client_secret_key(client_id))


def keyring_fix(what: str = "the QuickBooks connection") -> str:
    """Why nothing can be stored, and the fix, naming the secret at stake."""
    return KEYRING_FIX.format(what=what)


def check_keyring(what: str = "the QuickBooks connection") -> None:
    """Raise KeyringUnavailable unless the active keyring backend may hold secrets
    (``what``: the secret about to be stored, as the message names it)."""
    backend = keyring.get_keyring()
    chained = getattr(backend, "backends", None)  # keyring's ChainerBackend
    backends = [backend] if chained is None else list(chained)
    if not backends or all(_is_unusable(b) for b in backends):
        raise KeyringUnavailable(keyring_fix(what))
    insecure = [b for b in backends if _is_unencrypted(b)]
    if insecure and len(insecure) == len(backends):
        name = _backend_name(insecure[0])
        if not keyring_explicitly_configured():
            raise KeyringUnavailable(
                f"The only keyring found ({name}) stores passwords unencrypted. "
                f"{keyring_fix(what)}"
            )
        log.warning(
            "Using the keyring backend %s that you configured; it does not encrypt the "
            "stored QuickBooks connection.",
            name,
        )


def keyring_explicitly_configured() -> bool:
    """True when the user chose a backend (environment variable or keyringrc.cfg)."""
    if os.environ.get("PYTHON_KEYRING_BACKEND"):
        return True
    try:
        from keyring.util import platform_

        config = Path(platform_.config_root()) / "keyringrc.cfg"
    except Exception:
        return False
    return config.is_file() and "default-keyring" in config.read_text(errors="replace")


def _backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_unusable(backend: object) -> bool:
    return _backend_name(backend) in (
        "keyring.backends.fail.Keyring",
        "keyring.backends.null.Keyring",
    )


def _is_unencrypted(backend: object) -> bool:
    name = _backend_name(backend).lower()
    return "plaintext" in name or "uncrypted" in name or "unencrypted" in name
