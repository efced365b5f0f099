"""The data page's API choice: a source saved as `source add` saves it, then checked."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import keyring

from app.importers.api_source import ApiSourceConfig
from app.importers.validate import KnownRecords
from app.setup import rules, source
from app.setup.state import SetupState

ROWS = {"/v1/customers": [{"customer_id": "C1", "name": "Lee family"}],
        "/v1/payments": [{"payment_id": "P1", "customer_id": "C1", "date": "2025-01-05",
                          "tender": "Visa", "amount": "12.10"}]}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        ok = self.headers.get("Authorization") == "Bearer t0ken"
        body = json.dumps({"data": ROWS.get(self.path, [])} if ok else {}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_an_api_source_is_saved_with_its_token_in_the_keyring_and_checked(tmp_path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = ApiSourceConfig(name="regsys", base_url=f"http://127.0.0.1:{server.server_port}",
                                 endpoints={"customer": "/v1/customers",
                                            "payment": "/v1/payments"})
        source.add_api_source(tmp_path, config, "t0ken")
        assert source.api_source_names(tmp_path) == ["regsys"]
        assert keyring.get_password("ledgerbridge", "api-source:regsys") == "t0ken"
        assert "t0ken" not in (tmp_path / "sources" / "regsys.json").read_text()
        state = SetupState()
        state.source.kind, state.source.api_name = "api", "regsys"
        assert rules.problems(state, "data_source") == [
            "Check the data (nothing is imported until it is clean)."]
        state.source.result = source.check(state.source, KnownRecords(), tmp_path)
        state.source.checked = state.source.signature()
        assert state.source.result.counts() == {"customer": 1, "payment": 1}
        assert rules.problems(state, "data_source") == []
    finally:
        server.shutdown()
        server.server_close()
