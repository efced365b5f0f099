"""Admin endpoints QBO does not have, under ``/__sandbox/``: faults, stats, reset, clock.

They exist so reliability tests can script failures over HTTP from any process:
``POST faults`` (probabilities + seed), ``GET stats``, ``POST reset`` (fresh company,
tokens kept), ``POST closing-date``, ``POST clock`` (advance sandbox time),
``POST expire-tokens``, ``POST revoke-tokens`` (every grant ends: the user disconnected
the app in QuickBooks), ``GET info``. They need no token: the sandbox listens on
loopback only unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.simulator import errors, jsonio, operations
from app.simulator.company import Company, parse_date
from app.simulator.entities import KINDS
from app.simulator.faults import FaultConfigError
from app.simulator.wire import Request, Response, json_response


class AdminApi:
    def __init__(self, app: Any) -> None:
        self.app = app
        self.routes: dict[tuple[str, str], Callable[[Any], dict[str, Any]]] = {
            ("POST", "faults"): self._faults,
            ("GET", "faults"): lambda _: self.app.faults.snapshot(),
            ("GET", "stats"): lambda _: self._stats(),
            ("POST", "reset"): lambda _: self._reset(),
            ("POST", "closing-date"): self.handle_closing_date,
            ("POST", "clock"): self._clock,
            ("POST", "expire-tokens"): lambda _: self._expire(),
            ("POST", "revoke-tokens"): lambda _: {"revoked": self.app.oauth.revoke_all()},
            ("GET", "info"): lambda _: self.app.info,
        }

    def handle(self, request: Request, name: str) -> Response:
        route = self.routes.get((request.method, name))
        if route is None:
            return json_response(404, {"error": f"no admin endpoint {request.method} {name}"})
        try:
            body = jsonio.loads(request.body) if request.body.strip() else {}
            return json_response(200, route(body))
        except (FaultConfigError, jsonio.JsonInputError, ValueError, TypeError) as exc:
            return json_response(400, {"error": str(exc)})
        except errors.QboFault as fault:
            return json_response(fault.status, errors.fault_body(fault, self.app.clock.iso_now()))

    def _faults(self, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise ValueError("send a JSON object of fault probabilities")
        return self.app.faults.configure(body)

    def _stats(self) -> dict[str, Any]:
        return {**self.app.stats.snapshot(), "faults_injected": self.app.faults.snapshot()[
            "injected"], "throttled": self.app.stats.snapshot().get("by_status", {}).get(
            "429", 0)}

    def _reset(self) -> dict[str, Any]:
        self.app.reset()
        return {"reset": True, "realm_id": self.app.realm_id}

    def handle_closing_date(self, body: Any) -> dict[str, Any]:
        value = body.get("date") if isinstance(body, dict) else None
        company = Company(self.app.store, self.app.clock, self.app.realm_id)
        prefs = company.preferences()
        section = dict(prefs.get("AccountingInfoPrefs", {}))
        section["BookCloseDate"] = parse_date(value, "date") if value else None
        updated = operations.update(company, KINDS["Preferences"], {
            "Id": "1", "SyncToken": prefs["SyncToken"], "AccountingInfoPrefs": section})
        return {"Preferences": updated}

    def _clock(self, body: Any) -> dict[str, Any]:
        seconds = body.get("advance_seconds", 0) if isinstance(body, dict) else 0
        self.app.clock.advance(float(seconds))
        return {"now": self.app.clock.iso_now()}

    def _expire(self) -> dict[str, Any]:
        self.app.oauth.expire_all_access_tokens()
        return {"expired": True}
