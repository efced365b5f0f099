"""The company endpoints under ``/v3/company/{realmId}/``: entities, query, batch, reports.

Also where ``requestid`` is honoured (notes §4): a write carrying a requestid already
seen for this realm gets the stored response, byte for byte, and changes nothing. The
check, the write and the saving of the response happen under the store lock, so two
concurrent requests with one requestid cannot both write. Responses that QBO's gateway
would produce before the operation ran (401, 429, 5xx) are not remembered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.simulator import batch, cdc, errors, jsonio, operations, query, reports
from app.simulator.company import Company
from app.simulator.entities import BY_URL_NAME, KINDS
from app.simulator.entities.fields import FIELDS
from app.simulator.faults import FaultInjector
from app.simulator.store import Store
from app.simulator.wire import Request, Response, json_response

MAX_REQUEST_ID = 50
MAX_BATCH_REQUEST_ID = 36
_QUERYABLE_EXTRA = {"Id", "MetaData", "SyncToken", "Active", "FullyQualifiedName"}


@dataclass(frozen=True)
class Route:
    """What a request under /v3/company/{realm}/ asks for (for dispatch and stats)."""

    entity: str
    operation: str
    is_write: bool


def classify(request: Request, rest: list[str]) -> Route:
    head = rest[0].lower() if rest else ""
    if head == "query":
        return Route("query", "query", False)
    if head == "batch":
        return Route("batch", "batch", request.method == "POST")
    if head == "cdc":
        return Route("cdc", "cdc", False)
    if head == "reports":
        return Route(rest[1] if len(rest) > 1 else "", "report", False)
    rules = BY_URL_NAME.get(head)
    name = rules.name if rules else head
    if request.method == "GET":
        return Route(name, "read", False)
    op = (request.query.get("operation") or "write").lower()
    if op == "update" and "void" in (request.query.get("include") or "").lower():
        op = "void"
    return Route(name, op, True)


class CompanyApi:
    def __init__(self, store: Store, clock: Any, faults: FaultInjector) -> None:
        self.store = store
        self.clock = clock
        self.faults = faults

    def handle(self, request: Request, realm: str, rest: list[str], route: Route) -> Response:
        company = Company(self.store, self.clock, realm)
        request_id = request.query.get("requestid")
        if route.is_write and request_id:
            return self._replayable(company, request, rest, route, request_id)
        return self._respond(lambda: self._dispatch(company, request, rest, route))

    def _replayable(self, company: Company, request: Request, rest: list[str], route: Route,
                    request_id: str) -> Response:
        limit = MAX_BATCH_REQUEST_ID if route.operation == "batch" else MAX_REQUEST_ID
        if len(request_id) > limit:
            return self._respond_fault(errors.length_exceeded("requestid", limit))
        with self.store.lock:
            cached = self.store.get_reply(company.realm, request_id)
            if cached is not None and not self.faults.draw("requestid_not_honoured"):
                status, content_type, body = cached
                return Response(status, body, content_type, replayed=True)
            response = self._respond(lambda: self._dispatch(company, request, rest, route))
            if response.status < 500:
                self.store.save_reply(company.realm, request_id, response.status,
                                      response.content_type, response.body)
            return response

    def _respond(self, produce: Callable[[], dict[str, Any]]) -> Response:
        try:
            payload = produce()
        except errors.QboFault as fault:
            return self._respond_fault(fault)
        except jsonio.JsonInputError as exc:
            return self._respond_fault(errors.invalid_property(
                "body", f"Request has invalid or unsupported property: {exc}"))
        return json_response(200, {**payload, "time": self.clock.iso_now()})

    def _respond_fault(self, fault: errors.QboFault) -> Response:
        return json_response(fault.status, errors.fault_body(fault, self.clock.iso_now()))

    # -- dispatch ----------------------------------------------------------------------------
    def _dispatch(self, company: Company, request: Request, rest: list[str], route: Route
                  ) -> dict[str, Any]:
        if route.operation == "query":
            text = (request.query.get("query") if request.method == "GET"
                    else request.body.decode("utf-8", "replace"))
            return {"QueryResponse": self.run_query(company, text or "")}
        if route.operation == "batch" and request.method == "POST":
            return batch.run(company, jsonio.loads(request.body or b"{}"), self.run_query,
                             request.query.get("requestid"))
        if route.operation == "cdc" and request.method == "GET":
            return cdc.changes(company, request.query)
        if route.operation == "report" and request.method == "GET":
            if route.entity != "TrialBalance":
                raise errors.unsupported(f"Report {route.entity} is not emulated by the "
                                         "Ledgerbridge simulator (TrialBalance is).")
            return reports.trial_balance(company, request.query)
        rules = BY_URL_NAME.get(rest[0].lower()) if rest else None
        if rules is None or (route.operation == "batch"):
            raise errors.unsupported(
                f"Could not find resource for relative : {request.path} of full path: "
                f"{request.path}")
        if request.method == "GET":
            return {rules.name: self._read(company, rules, rest)}
        body = jsonio.loads(request.body or b"{}")
        return {rules.name: self._write(company, rules, route.operation, body)}

    def _read(self, company: Company, rules: Any, rest: list[str]) -> dict[str, Any]:
        if rules.name in {"Preferences", "CompanyInfo"}:
            return operations.read(company, rules, "1")
        if len(rest) < 2:
            raise errors.unsupported(f"An Id is required to read a {rules.name}; use query "
                                     "to list records.")
        return operations.read(company, rules, rest[1])

    def _write(self, company: Company, rules: Any, operation: str, body: Any
               ) -> dict[str, Any]:
        if operation == "delete":
            return operations.delete(company, rules, body)
        if operation == "void":
            return operations.void(company, rules, body)
        if operation not in {"write", "update", "create"}:
            raise errors.unsupported(f"Operation {operation} is not supported.")
        is_update = isinstance(body, dict) and body.get("Id") not in (None, "")
        if operation == "update" or is_update or rules.name == "Preferences":
            return operations.update(company, rules, body)
        return operations.create(company, rules, body)

    def run_query(self, company: Company, text: str) -> dict[str, Any]:
        parsed = query.parse(text)
        rules = KINDS.get(parsed.entity)
        if rules is None:
            raise errors.invalid_query(f"Invalid entity name {parsed.entity!r} (entity names "
                                       "are case sensitive)")
        allowed = FIELDS.get(parsed.entity)
        if allowed is not None:
            for prop in [c.prop for c in parsed.where] + [p for p, _ in parsed.order]:
                if prop.split(".")[0] not in allowed | _QUERYABLE_EXTRA:
                    raise errors.invalid_query(f"property '{prop}' is not queryable")
        records = [rules.present(company, r) for r in company.scan(parsed.entity)]
        return query.run(parsed, records, rules.name_list)
