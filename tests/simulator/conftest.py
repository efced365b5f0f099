"""Fixtures for the sandbox tests: a running simulator and a plain-``requests`` client.

Nothing here imports the project's QBO client: these tests speak HTTP to the sandbox the
way any outside program would.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app.simulator import SandboxServer

REDIRECT_URI = "http://127.0.0.1:8765/callback"


def oauth_tokens(info: dict[str, Any], session: requests.Session | None = None
                 ) -> dict[str, Any]:
    """Run the authorisation-code flow against the sandbox; return the token response."""
    http = session or requests.Session()
    reply = http.get(info["authorization_url"], params={
        "client_id": info["client_id"], "redirect_uri": REDIRECT_URI, "response_type": "code",
        "scope": "com.intuit.quickbooks.accounting", "state": "xyz"}, allow_redirects=False)
    assert reply.status_code == 302, reply.text
    query = parse_qs(urlsplit(reply.headers["Location"]).query)
    assert query["state"] == ["xyz"] and query["realmId"] == [info["realm_id"]]
    token = http.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                      data={"grant_type": "authorization_code", "code": query["code"][0],
                            "redirect_uri": REDIRECT_URI},
                      headers={"Accept": "application/json"})
    assert token.status_code == 200, token.text
    return token.json()


class Qbo:
    """Just enough of a QBO client for tests, written against the wire format only."""

    def __init__(self, info: dict[str, Any]) -> None:
        self.info = info
        self.http = requests.Session()
        self.tokens = oauth_tokens(info, self.http)
        self.company = f"{info['base_url']}/company/{info['realm_id']}"
        self.origin = info["base_url"][: -len("/v3")]

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens['access_token']}",
                "Accept": "application/json"}

    def post(self, path: str, body: Any, **params: Any) -> requests.Response:
        return self.http.post(f"{self.company}/{path}", json=body, headers=self.headers(),
                              params={"minorversion": "75", **params}, timeout=30)

    def get(self, path: str, **params: Any) -> requests.Response:
        return self.http.get(f"{self.company}/{path}", headers=self.headers(),
                             params={"minorversion": "75", **params}, timeout=30)

    def create(self, entity: str, body: dict[str, Any], **params: Any) -> dict[str, Any]:
        reply = self.post(entity.lower(), body, **params)
        assert reply.status_code == 200, reply.text
        return reply.json()[entity]

    def fault(self, reply: requests.Response, status: int = 400) -> dict[str, Any]:
        assert reply.status_code == status, reply.text
        return reply.json()["Fault"]["Error"][0]

    def query(self, statement: str) -> dict[str, Any]:
        reply = self.get("query", query=statement)
        assert reply.status_code == 200, reply.text
        return reply.json()["QueryResponse"]

    def admin(self, name: str, body: Any = None) -> dict[str, Any]:
        reply = self.http.post(f"{self.origin}/__sandbox/{name}", json=body or {}, timeout=30)
        assert reply.status_code == 200, reply.text
        return reply.json()

    def account_id(self, name: str) -> str:
        rows = self.query(f"select * from Account where Name = '{name}'")["Account"]
        return rows[0]["Id"]

    def customer(self, name: str, **extra: Any) -> dict[str, Any]:
        return self.create("Customer", {"DisplayName": name, **extra})

    def item(self, name: str = "Camp Fee") -> dict[str, Any]:
        return self.create("Item", {"Name": name, "Type": "Service", "UnitPrice": 50,
                                    "IncomeAccountRef": {"value": self.account_id("Services")}})

    def invoice(self, customer_id: str, item_id: str, amount: str = "100.00",
                **extra: Any) -> dict[str, Any]:
        return self.create("Invoice", {
            "CustomerRef": {"value": customer_id}, "TxnDate": "2025-01-15",
            "Line": [{"DetailType": "SalesItemLineDetail", "Amount": amount,
                      "SalesItemLineDetail": {"ItemRef": {"value": item_id}}}], **extra})


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


@pytest.fixture
def qbo(sandbox: SandboxServer) -> Qbo:
    return Qbo(sandbox.info)
