"""What stops a write to QuickBooks, as the command's message (exit code 2).

Post, retry, undo, resync and reconcile end the same way when they cannot go on:
another writer holds the company (it names who), the input is wrong, or QuickBooks
could not be reached — and then nothing was sent, which the bookkeeper needs to hear.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from app.cli.context import UsageError


@contextmanager
def quickbooks_errors(*, sending: bool = True,
                      usage: tuple[type[Exception], ...] = (ValueError,)) -> Iterator[None]:
    from app.sync.errors import QboError
    from app.sync.posting_lock import PostingLocked

    try:
        yield
    except PostingLocked as exc:
        raise UsageError(str(exc)) from None
    except QboError as exc:
        what = ("nothing was sent: QuickBooks could not be reached or read" if sending
                else "QuickBooks could not be read")
        raise UsageError(f"{what} ({exc}).\n{exc.suggested_fix}") from None
    except usage as exc:
        raise UsageError(str(exc)) from None
