"""Why a write to QuickBooks did not start or stopped, in the bookkeeper's words.

The same exceptions the CLI turns into its messages (``retry``, ``undo``, ``resync``),
worded for the window: another post running, QuickBooks needing a new sign-in or not
reachable, the company not connected, the keyring missing.
"""

from __future__ import annotations

from app.sync.errors import AuthError, QboError
from app.sync.posting_lock import PostingLocked
from app.sync.tokens import KeyringUnavailable


def work_problem(what: str, error: BaseException) -> str:
    """One sentence (or two) for ``what`` ("Retry", "Undo", "Resync") stopped by ``error``."""
    if isinstance(error, PostingLocked):
        return f"{what} did not start: {error}. Wait for it to finish, then try again."
    if isinstance(error, AuthError):
        return (f"{what} stopped: QuickBooks needs you to sign in again (Reconnect, in the "
                "banner or in Settings). Nothing was lost: what was not sent stays for later.")
    if isinstance(error, QboError):
        return (f"{what} stopped: QuickBooks could not be reached or read ({error}). "
                f"{error.suggested_fix}")
    if isinstance(error, KeyringUnavailable):
        return f"{what} did not start: {error}"
    if isinstance(error, (ValueError, LookupError)):
        text = str(error)
        return f"{what} did not start: {text[:1].lower()}{text[1:]}."
    return f"{what} failed unexpectedly: {error}. The log folder has the details."
