"""The one-shot redirect listener of a desktop OAuth flow (RFC 8252 §7.3).

Bound to 127.0.0.1 on a port the OS picks, it accepts exactly one callback carrying
the expected ``state`` and then closes; anything else gets a 400 and is ignored, so
a stray or forged request cannot consume the listener. The caller closes it after a
timeout too, so no port stays open behind the user's back.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

log = logging.getLogger(__name__)

CALLBACK_PATH = "/callback"
_DONE_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Ledgerbridge</title>"
    "<p>Ledgerbridge received the QuickBooks authorisation. You can close this window.</p>"
)
_REJECTED_PAGE = (
    "<!doctype html><meta charset=utf-8><title>Ledgerbridge</title>"
    "<p>This link does not belong to the connection Ledgerbridge is waiting for.</p>"
)


class LoopbackListener:
    """``with LoopbackListener(state) as listener: ... listener.wait(timeout)``."""

    def __init__(self, expected_state: str) -> None:
        self.expected_state = expected_state
        self._received: str | None = None
        self._event = threading.Event()
        self._accept_lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},  # close promptly once the callback came
            name="oauth-loopback",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def redirect_uri(self) -> str:
        return f"http://127.0.0.1:{self.port}{CALLBACK_PATH}"

    def wait(self, timeout: float) -> str | None:
        """The full redirect URL of the accepted callback, or None on timeout. Closes."""
        try:
            self._event.wait(timeout)
            return self._received
        finally:
            self.close()

    def offer(self, pasted_url: str) -> bool:
        """Accept a redirect URL the user pasted (the browser could not reach us)."""
        query = urlsplit(pasted_url.strip()).query or pasted_url.strip().lstrip("?")
        with self._accept_lock:
            if self._event.is_set() or _state_of(query) != self.expected_state:
                return False
            self._received = pasted_url.strip()
            self._event.set()
            return True

    def cancel(self) -> None:
        """Stop waiting: ``wait`` returns None at once (the user pressed Cancel)."""
        with self._accept_lock:
            self._event.set()

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._server.shutdown()
            self._server.server_close()

    def __enter__(self) -> LoopbackListener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self, path: str) -> bool:
        """Take the first callback whose state matches; later ones are refused."""
        parts = urlsplit(path)
        with self._accept_lock:
            if parts.path != CALLBACK_PATH or self._event.is_set():
                return False
            if _state_of(parts.query) != self.expected_state:
                log.warning("OAuth callback with an unexpected state was refused")
                return False
            self._received = f"http://127.0.0.1:{self.port}{path}"
            self._event.set()
            return True

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        listener = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                accepted = listener._accept(self.path)
                body = (_DONE_PAGE if accepted else _REJECTED_PAGE).encode()
                self.send_response(200 if accepted else 400)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Silence: the query string holds the authorisation code."""

        return Handler


def _state_of(query: str) -> str:
    return parse_qs(query).get("state", [""])[0]
