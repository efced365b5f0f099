"""A keyring that lives in this process's memory and is forgotten when it ends.

For the runs that must never write to the computer's real keyring: the test suite
(every test gets a fresh one) and the screenshot tool, which connects throwaway
companies. Not for the app itself, whose sign-ins must survive a restart.
"""

from __future__ import annotations

import keyring
import keyring.backend
import keyring.errors


class InMemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)
