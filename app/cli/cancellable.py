"""Long commands (post, retry) run on a worker thread so Ctrl-C can cancel them cleanly.

The first Ctrl-C sets the cancel token: the poster lets the requests in flight finish
and leaves the rest for the next run. A second Ctrl-C quits at once (what was in flight
is looked up in QuickBooks by the next run, so nothing is posted twice).
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import TypeVar

from app.progress import CancelToken

T = TypeVar("T")


def run_cancellable(work: Callable[[], T], cancel: CancelToken, name: str) -> T:
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # re-raised on the calling thread below
            outcome["error"] = exc

    worker = threading.Thread(target=target, name=name, daemon=True)
    worker.start()
    while worker.is_alive():
        try:
            worker.join(0.2)
        except KeyboardInterrupt:
            if cancel.cancelled:
                raise
            cancel.cancel()
            print("\nCancelling: the requests already sent are finishing; the rest will be "
                  "sent by the next post (Ctrl-C again to quit at once).", file=sys.stderr)
    error = outcome.get("error")
    if isinstance(error, BaseException):
        raise error
    return outcome["value"]  # type: ignore[return-value]
