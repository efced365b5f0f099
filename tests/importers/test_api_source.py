"""The HTTP/JSON source against a tiny stdlib server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

from app.importers.api_source import (
    KEYRING_SERVICE,
    ApiSource,
    ApiSourceConfig,
    ApiSourceError,
    endpoint_url,
    load_source,
    save_source,
    store_secret,
)
from app.importers.pipeline import import_tables

TOKEN = "s3cret-token"
CUSTOMERS = [{"customer_id": f"C{i}", "name": f"Family {i}", "contact": {"email": f"{i}@x.org"}}
             for i in range(5)]
PAYMENTS = [{"payment_id": f"P{i}", "customer_id": f"C{i % 5}", "date": "2025-01-05",
             "tender": "Visa", "amount": 12.10 + i} for i in range(7)]


class _Handler(BaseHTTPRequestHandler):
    calls: ClassVar[list[str]] = []
    flaky_left = 0

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = parse_qs(url.query)
        type(self).calls.append(self.path)
        auth_ok = (self.headers.get("Authorization") == f"Bearer {TOKEN}"
                   or self.headers.get("X-API-Key") == TOKEN)
        if not auth_ok:
            return self._send(401, {"error": "unauthorised"})
        if url.path == "/flaky" and type(self).flaky_left > 0:
            type(self).flaky_left -= 1
            return self._send(503, {"error": "busy"}, {"Retry-After": "0"})
        if url.path == "/slow":
            time.sleep(0.5)
        if url.path in ("/v1/customers", "/flaky", "/slow"):
            start = int(query.get("cursor", ["0"])[0])
            page = CUSTOMERS[start:start + 2]
            nxt = f"/v1/customers?cursor={start + 2}" if start + 2 < len(CUSTOMERS) else None
            return self._send(200, {"data": page, "next": nxt})
        if url.path == "/v1/payments":
            page = int(query["page"][0])
            size = int(query["per_page"][0])
            body = json.dumps(PAYMENTS[(page - 1) * size: page * size])
            return self._send_raw(200, body.replace("12.1,", "12.10,"))
        return self._send(404, {"error": "no such endpoint"})

    def _send(self, status: int, body: object, headers: dict[str, str] | None = None) -> None:
        self._send_raw(status, json.dumps(body), headers)

    def _send_raw(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def server() -> Iterator[str]:
    _Handler.calls = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    httpd.block_on_close = False
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _config(base: str, **overrides: object) -> ApiSourceConfig:
    values: dict[str, object] = {"name": "regsys", "base_url": base,
                                 "endpoints": {"customer": "/v1/customers"}}
    values.update(overrides)
    return ApiSourceConfig(**values)  # type: ignore[arg-type]


def test_next_links_and_page_numbers_are_followed_and_import_validates(server: str,
                                                                       memory_keyring) -> None:
    config = _config(server, paging="next")
    store_secret(config, TOKEN)
    assert memory_keyring.store[(KEYRING_SERVICE, "api-source:regsys")] == TOKEN
    customers = ApiSource(config).fetch_tables()[0]
    assert len(customers.rows) == 5 and "contact.email" in customers.header
    assert customers.name == "api:regsys/customers" and len(customers.sha256 or "") == 64
    paged = _config(server, endpoints={"payment": "/v1/payments"}, paging="page",
                    page_size_param="per_page", page_size=3)
    payments = ApiSource(paged).fetch_tables()[0]
    assert len(payments.rows) == 7
    assert sum("/v1/payments" in c for c in _Handler.calls) == 3  # 3 + 3 + 1
    result = import_tables([customers, payments])
    assert result.ok, [i.as_text() for i in result.errors]
    amounts = {p.payment_id: p.amount for p in result.records["payment"]}
    assert amounts["P0"] == Decimal("12.10")  # exact text, never a float
    assert {p.tender for p in result.records["payment"]} == {"card"}


def test_api_key_header_and_refused_token(server: str) -> None:
    config = _config(server, auth="api_key")
    store_secret(config, TOKEN)
    assert len(ApiSource(config).fetch_tables()[0].rows) == 5
    store_secret(config, "wrong")
    with pytest.raises(ApiSourceError, match="refused") as info:
        ApiSource(config).fetch_tables()
    assert "wrong" not in str(info.value)


def test_no_secret_in_the_keyring_is_a_clear_error(server: str) -> None:
    with pytest.raises(ApiSourceError, match="keyring"):
        ApiSource(_config(server)).fetch_tables()


def test_retries_are_bounded(server: str) -> None:
    sleeps: list[float] = []
    config = _config(server, endpoints={"customer": "/flaky"}, retries=2)
    store_secret(config, TOKEN)
    _Handler.flaky_left = 2
    assert len(ApiSource(config, sleep=sleeps.append).fetch_tables()[0].rows) == 5
    assert sleeps == [0.5, 1.0]  # Retry-After: 0 -> our own backoff
    _Handler.flaky_left = 5
    with pytest.raises(ApiSourceError, match="HTTP 503"):
        ApiSource(config, sleep=sleeps.append).fetch_tables()


def test_timeouts_are_retried_then_reported(server: str) -> None:
    config = _config(server, endpoints={"customer": "/slow"}, timeout=0.1, retries=1)
    store_secret(config, TOKEN)
    with pytest.raises(ApiSourceError, match="after 2 tries"):
        ApiSource(config, sleep=lambda _: None).fetch_tables()


def test_unknown_endpoint_and_settings_file(server: str, tmp_path: Path) -> None:
    config = _config(server, endpoints={"customer": "/nope"})
    store_secret(config, TOKEN)
    with pytest.raises(ApiSourceError, match="HTTP 404"):
        ApiSource(config).fetch_tables()
    path = save_source(config, tmp_path / "sources")
    assert TOKEN not in path.read_text()
    assert load_source(tmp_path / "sources", "regsys") == config


@pytest.mark.parametrize(("base", "path", "url"), [
    ("http://h/v1", "/payments", "http://h/v1/payments"),
    ("http://h/v1/", "payments", "http://h/v1/payments"),
    ("http://h", "/v1/payments", "http://h/v1/payments"),
    ("http://h/v1", "/payments?status=paid", "http://h/v1/payments?status=paid"),
    ("http://h/v1", "https://other/x", "https://other/x")])
def test_an_endpoint_is_joined_under_the_base_urls_path(base: str, path: str, url: str) -> None:
    assert endpoint_url(base, path) == url
