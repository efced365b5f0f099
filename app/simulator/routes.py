"""Top-level routing: banner, OAuth endpoints, admin, and the guarded company API.

Company API requests pass QBO's gateway checks in QBO's order — bearer token (401),
realm (403), throttles (429) — then any injected fault, then the operation itself. Each
one is counted for ``/__sandbox/stats``.
"""

from __future__ import annotations

import html
import secrets
import time
from typing import Any
from urllib.parse import parse_qsl

from app.simulator import chart, errors, jsonio
from app.simulator.admin import AdminApi
from app.simulator.api import CompanyApi, classify
from app.simulator.clock import SandboxClock
from app.simulator.company import Company
from app.simulator.faults import FaultInjector
from app.simulator.oauth import AuthFailure, Client, OAuthError, OAuthService
from app.simulator.seed import seed_company
from app.simulator.stats import Stats
from app.simulator.store import Store
from app.simulator.throttle import Limits, Throttle
from app.simulator.wire import Request, Response, json_response

AUTHORIZE_PATH = "/connect/oauth2"
TOKEN_PATH = "/oauth2/v1/tokens/bearer"
REVOKE_PATH = "/v2/oauth2/tokens/revoke"
COMPANY_PREFIX = "/v3/company/"


class SandboxApp:
    def __init__(self, data_file: str | None, time_scale: float,
                 limits: Limits | None = None) -> None:
        self.store = Store(data_file)
        self.clock = SandboxClock(time_scale)
        self.faults = FaultInjector()
        self.stats = Stats()
        self.throttle = Throttle(self.clock, limits)
        self.realm_id = self._identity("realm_id", lambda: str(9130000000000000
                                                              + secrets.randbelow(10**14)))
        client = Client(
            client_id=self._identity("client_id", lambda: "ABsim" + secrets.token_hex(20)),
            client_secret=self._identity("client_secret", lambda: secrets.token_hex(20)),
            realm_id=self.realm_id)
        self.oauth = OAuthService(self.store, self.clock, client)
        self.company_api = CompanyApi(self.store, self.clock, self.faults)
        self.admin = AdminApi(self)
        self.base_origin = ""
        seed_company(Company(self.store, self.clock, self.realm_id))

    def _identity(self, key: str, make: Any) -> str:
        """Realm and client credentials survive restarts with the same data file."""
        value = self.store.get_meta(key)
        if value is None:
            value = make()
            self.store.set_meta(key, value)
        return value

    @property
    def info(self) -> dict[str, Any]:
        origin = self.base_origin
        return {
            "base_url": f"{origin}/v3",
            "realm_id": self.realm_id,
            "client_id": self.oauth.client.client_id,
            "client_secret": self.oauth.client.client_secret,
            "authorization_url": f"{origin}{AUTHORIZE_PATH}",
            "token_url": f"{origin}{TOKEN_PATH}",
            "revoke_url": f"{origin}{REVOKE_PATH}",
            "scope": "com.intuit.quickbooks.accounting",
            "simulator": "Ledgerbridge QBO simulator (not Intuit QuickBooks)",
            "time_scale": self.clock.time_scale,
        }

    def reset(self) -> None:
        self.store.wipe_realm(self.realm_id)
        self.store.set_meta(f"seeded:{self.realm_id}", "")
        seed_company(Company(self.store, self.clock, self.realm_id))
        self.stats.reset()
        self.faults.clear()
        self.throttle.reset()

    def close(self) -> None:
        self.store.close()

    # -- dispatch ----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path.rstrip("/") or "/"
        if path.startswith(COMPANY_PREFIX):
            return self._company(request, path[len(COMPANY_PREFIX):].split("/"))
        if path.startswith("/__sandbox/"):
            return self.admin.handle(request, path[len("/__sandbox/"):])
        if path == AUTHORIZE_PATH and request.method == "GET":
            return self._authorize(request)
        if path == TOKEN_PATH and request.method == "POST":
            return self._token(request)
        if path == REVOKE_PATH and request.method == "POST":
            return self._revoke(request)
        if path == "/" and request.method == "GET":
            return Response(200, _banner(self.info), "text/html; charset=utf-8")
        return json_response(404, {"error": f"no such endpoint: {request.method} {path}"})

    def _authorize(self, request: Request) -> Response:
        try:
            location = self.oauth.authorize(request.query)
        except OAuthError as exc:
            return Response(exc.status, f"<p>{html.escape(exc.description)}</p>",
                            "text/html; charset=utf-8")
        return Response(302, "", "text/plain", {"Location": location})

    def _token(self, request: Request) -> Response:
        form = dict(parse_qsl(request.body.decode("utf-8", "replace")))
        try:
            tokens = self.oauth.token(request.header("authorization"), form)
        except OAuthError as exc:
            return json_response(exc.status, exc.body())
        return Response(200, jsonio.dumps(tokens), "application/json;charset=UTF-8",
                        {"Cache-Control": "no-store"})

    def _revoke(self, request: Request) -> Response:
        content_type = request.header("content-type") or ""
        if "json" in content_type:
            body = jsonio.loads(request.body or b"{}")
            token = str(body.get("token", "")) if isinstance(body, dict) else ""
        else:
            token = dict(parse_qsl(request.body.decode("utf-8", "replace"))).get("token", "")
        try:
            self.oauth.revoke(request.header("authorization"), token)
        except OAuthError as exc:
            return json_response(exc.status, exc.body())
        return Response(200, "", "text/plain")

    def _company(self, request: Request, parts: list[str]) -> Response:
        realm, rest = parts[0], [p for p in parts[1:] if p]
        route = classify(request, rest)
        response = self._guarded(request, realm, rest, route)
        self.stats.record(request.method, route.entity or "?", response.status, route.operation)
        return response

    def _guarded(self, request: Request, realm: str, rest: list[str], route: Any) -> Response:
        try:
            token_realm = self.oauth.realm_for(request.header("authorization"))
            if self.faults.draw("expired_token"):
                self.oauth.expire_all_access_tokens()
                raise AuthFailure("Token expired: injected by the simulator")
        except AuthFailure as failure:
            return json_response(401, errors.authentication_body(str(failure),
                                                                 self.clock.epoch_ms()))
        if token_realm != realm:
            return json_response(403, errors.authorization_body(self.clock.epoch_ms()))
        is_batch = route.operation == "batch"
        if self.faults.draw("http_429") or not self.throttle.enter(realm, is_batch):
            return Response(429, errors.throttle_xml(self.clock.iso_now()),
                            "application/xml;charset=UTF-8")
        try:
            return self._faulty(request, realm, rest, route)
        finally:
            self.throttle.leave(realm)

    def _faulty(self, request: Request, realm: str, rest: list[str], route: Any) -> Response:
        for kind, fault in (("http_503", errors.service_unavailable),
                            ("http_500", errors.system_failure)):
            if self.faults.draw(kind):
                made = fault()
                return json_response(made.status, errors.fault_body(made, self.clock.iso_now()))
        if self.faults.draw("delay"):
            time.sleep(self.faults.delay_seconds)
        response = self.company_api.handle(request, realm, rest, route)
        wrote = route.is_write and response.status == 200 and not response.replayed
        if wrote and self.faults.draw("drop_after_write"):
            response.drop = True
        return response


def _banner(info: dict[str, Any]) -> str:
    rows = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in info.items() if k != "client_secret")
    return (
        "<!doctype html><title>Ledgerbridge QBO simulator</title>"
        f"<h1>{html.escape(chart.SIMULATOR_NAME)}</h1>"
        "<p><strong>This is a simulator, not Intuit QuickBooks Online.</strong> It emulates "
        "the QBO v3 Accounting API on this machine for tests and the demo company. Nothing "
        "posted here reaches a real QuickBooks company.</p>"
        f"<table>{rows}</table>"
    )
