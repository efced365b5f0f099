"""The HTTP server: stdlib ThreadingHTTPServer on loopback, one thread per connection.

The standard library is enough for a loopback emulator and adds nothing to the
installer; QBO clients send concurrent requests, hence the threading server. HTTP/1.1
keep-alive is supported because ``requests`` sessions reuse connections.
"""

from __future__ import annotations

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from app.simulator.routes import SandboxApp
from app.simulator.throttle import Limits
from app.simulator.wire import Request, Response

log = logging.getLogger(__name__)
MAX_BODY = 10 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "LedgerbridgeQBOSimulator/1.0"
    disable_nagle_algorithm = True  # else keep-alive replies wait ~40 ms for delayed ACKs
    timeout = 300  # an idle keep-alive connection is closed after this many seconds
    server: _Server

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._write(Response(413, '{"error":"request too large"}'))
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the client went away mid-request: there is no request
            self.close_connection = True
            return
        url = urlsplit(self.path)
        request = Request(
            method=method, path=url.path,
            query=dict(parse_qsl(url.query, keep_blank_values=True)),
            headers={k.lower(): v for k, v in self.headers.items()}, body=body)
        try:
            response = self.server.app.handle(request)
        except Exception:  # a bug in the sandbox must not kill the connection silently
            log.exception("sandbox failed on %s %s", method, self.path)
            response = Response(500, '{"error":"simulator internal error"}')
        if response.drop:
            self.close_connection = True
            return
        self._write(response)

    def _write(self, response: Response) -> None:
        payload = response.body.encode("utf-8")
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("intuit_tid", "sim-" + threading.current_thread().name)
        for name, value in response.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - " + format, self.address_string(), *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 128  # the default backlog of 5 resets bursts of connections
    app: SandboxApp


class SandboxServer:
    """The QBO simulator, in-process: ``with SandboxServer() as sb: sb.info["base_url"]``."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, data_file: str | None = None,
                 time_scale: float = 1.0, limits: Limits | None = None) -> None:
        self.host = host
        self.port = port
        self.data_file = data_file
        self.time_scale = time_scale
        self.limits = limits
        self.app: SandboxApp | None = None
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> SandboxServer:
        if self._httpd is not None:
            return self
        self.app = SandboxApp(self.data_file, self.time_scale, self.limits)
        self._httpd = _Server((self.host, self.port), _Handler)
        self._httpd.app = self.app
        host, port = str(self.host), int(self._httpd.server_address[1])
        shown = f"[{host}]" if ":" in host else host
        self.app.base_origin = f"http://{shown}:{port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        name="qbo-sandbox", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.app is not None:
            self.app.close()
        self._httpd = None
        self._thread = None

    def serve_until_stopped(self, stop_event: threading.Event) -> None:
        stop_event.wait()
        self.stop()

    @property
    def info(self) -> dict[str, Any]:
        return self._running().info

    def _running(self) -> SandboxApp:
        if self.app is None:
            raise RuntimeError("the sandbox is not running; call start() first")
        return self.app

    # In-process shortcuts for the admin endpoints (same effect as the HTTP calls).
    def configure_faults(self, **settings: Any) -> dict[str, Any]:
        return self._running().faults.configure(settings)

    def reset(self) -> None:
        self._running().reset()

    def set_closing_date(self, day: str | None) -> None:
        self._running().admin.handle_closing_date({"date": day})

    def revoke_tokens(self) -> int:
        """Every grant ends (the user disconnected the app in QuickBooks)."""
        return self._running().oauth.revoke_all()

    def advance_clock(self, seconds: float) -> None:
        self._running().clock.advance(seconds)

    def stats(self) -> dict[str, Any]:
        return self._running().stats.snapshot()

    @property
    def origin(self) -> str:
        return self.info["base_url"][: -len("/v3")]

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
