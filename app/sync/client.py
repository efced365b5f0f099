"""The one class the poster talks to QBO through: synchronous, thread-safe, patient.

Every request passes the company's rate governor; every write carries the caller's
``requestid``, the same on every retry. Retries cover throttling, 5xx, timeouts and
dropped connections, with backoff; validation errors are raised at once. When a write's
outcome is unknown (the connection dropped after sending), a ``Lookup`` hint lets
``create`` find the record by a key stamped in it and adopt it instead of trusting
QBO's requestid replay alone, which the field reports as unreliable (SPEC §5).
"""

from __future__ import annotations

import copy
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import requests

from app.progress import Cancelled, CancelToken
from app.sync import batch as batching
from app.sync.connection import Connection
from app.sync.errors import (
    NetworkError,
    NotFoundError,
    QboError,
    StaleObjectError,
    ThrottledError,
    ValidationError,
    error_for_fault,
    error_for_response,
    fault_from_json,
)
from app.sync.governor import RateGovernor, governor_for
from app.sync.json_body import dumps as json_body_bytes
from app.sync.lookup import Lookup, carries_changes
from app.sync.query import MAX_RESULTS, has_paging, page_statement
from app.sync.retry import RetryPolicy, parse_retry_after

log = logging.getLogger(__name__)

MINOR_VERSION = "75"  # the one place it is pinned (qbo-api-notes §1: minimum supported)
MAX_REQUEST_ID = 50
_TOKENISH = re.compile(r"[A-Za-z0-9._~+/=-]{8,}")
REQUEST_TIMEOUT_SECONDS = 60.0
# 401s answered by refreshing within one request: a refresh that itself fails (revoked,
# expired refresh token) stops at once; a fresh token refused again is refreshed again.
MAX_REFRESHES = 3


class QboClient:
    def __init__(
        self,
        connection: Connection,
        *,
        governor: RateGovernor | None = None,
        retry: RetryPolicy | None = None,
        timeout: float = REQUEST_TIMEOUT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.connection = connection
        self.governor = governor or governor_for(
            f"{connection.environment.name}:{connection.realm_id}"
        )
        self.retry = retry or RetryPolicy()
        self.timeout = timeout
        self._sleep = sleep
        self._cancel: CancelToken | None = None
        self._local = threading.local()
        self.company_url = f"{connection.environment.api_base_url}/company/{connection.realm_id}"

    def __repr__(self) -> str:
        return f"QboClient({self.company_url!r})"

    def interruptible(self, cancel: CancelToken) -> QboClient:
        """This client, but a cancel cuts short its back-off and rate waits (``Cancelled``).

        Same connection, governor and HTTP sessions: only the waiting changes.
        """
        twin = copy.copy(self)
        twin._cancel = cancel
        twin._sleep = cancel.sleep
        return twin

    # -- reads -------------------------------------------------------------------------

    def read(self, entity: str, entity_id: str) -> dict[str, Any]:
        data = self._request("GET", f"{entity.lower()}/{entity_id}")
        return _entity_of(data, entity)

    def company_info(self) -> dict[str, Any]:
        return self.read("CompanyInfo", self.connection.realm_id)

    def query(self, statement: str) -> list[dict[str, Any]]:
        """All rows of a SELECT, fetching 1000 at a time unless the caller paged it."""
        if has_paging(statement):
            return _rows(self._query_page(statement))
        rows: list[dict[str, Any]] = []
        start = 1
        while True:
            page = _rows(self._query_page(page_statement(statement, start, MAX_RESULTS)))
            rows.extend(page)
            if len(page) < MAX_RESULTS:
                return rows
            start += MAX_RESULTS

    def count(self, statement: str) -> int:
        """``SELECT COUNT(*) FROM ...``: QBO answers with totalCount."""
        return int(self._query_page(statement).get("totalCount", 0))

    def report(self, name: str, **params: str) -> dict[str, Any]:
        return self._request("GET", f"reports/{name}", params=params)

    # -- writes ------------------------------------------------------------------------

    def create(
        self, entity: str, body: dict[str, Any], *, request_id: str, lookup: Lookup | None = None
    ) -> dict[str, Any]:
        """Create once. With ``lookup``, an unknown outcome is resolved by searching first."""
        recover = None
        if lookup is not None:

            def recover() -> dict[str, Any] | None:
                found = self._find(entity, lookup)
                return None if found is None else {entity: found}

        data = self._request(
            "POST", entity.lower(), json_body=body, request_id=request_id, recover=recover
        )
        return _entity_of(data, entity)

    def update(self, entity: str, body: dict[str, Any], *, request_id: str) -> dict[str, Any]:
        """Sparse update: only the fields in ``body`` change (needs Id and SyncToken)."""
        _require_id(body)
        payload = {**body, "sparse": True}
        try:
            data = self._request("POST", entity.lower(), json_body=payload, request_id=request_id)
        except StaleObjectError as exc:
            if not exc.after_unknown_outcome:
                raise
            current = self.read(entity, str(body["Id"]))
            if not carries_changes(current, body, skip=("SyncToken", "sparse")):
                raise
            return current  # our own update landed before the connection dropped
        return _entity_of(data, entity)

    def delete(self, entity: str, entity_id: str, sync_token: str, *, request_id: str) -> None:
        try:
            self._request(
                "POST",
                entity.lower(),
                params={"operation": "delete"},
                json_body={"Id": entity_id, "SyncToken": sync_token},
                request_id=request_id,
            )
        except NotFoundError as exc:
            if not exc.after_unknown_outcome:
                raise  # deleted by someone else, or never existed

    def void(self, entity: str, entity_id: str, sync_token: str, *, request_id: str) -> dict:  # type: ignore[type-arg]
        """Void: invoices have their own operation; payments and receipts use update+void."""
        body: dict[str, Any] = {"Id": entity_id, "SyncToken": sync_token}
        if entity.lower() == "invoice":
            params = {"operation": "void"}
        else:
            params = {"operation": "update", "include": "void"}
            body["sparse"] = True
        data = self._request(
            "POST", entity.lower(), params=params, json_body=body, request_id=request_id
        )
        return _entity_of(data, entity)

    def find(self, entity: str, lookup: Lookup) -> dict[str, Any] | None:
        """The record carrying ``lookup``'s key (the oldest, if QBO holds several)."""
        return self._find(entity, lookup)

    def batch(
        self,
        operations: Sequence[batching.BatchOperation],
        *,
        request_id: str,
        resend_unknown: bool = True,
    ) -> list[batching.BatchResult]:
        """Run operations in batches of 30; one result per operation, in order.

        With ``resend_unknown=False`` a chunk whose outcome is unknown (dropped connection,
        5xx) is not sent again on the strength of its requestid alone: the error is raised
        with ``after_unknown_outcome`` set, and the caller looks its items up first.
        """
        chunks = list(batching.chunks(operations))
        results: list[batching.BatchResult] = []
        for index, chunk in enumerate(chunks):
            chunk_id = batching.chunk_request_id(request_id, index, len(chunks))
            data = self._request(
                "POST",
                "batch",
                json_body=batching.request_body(chunk),
                request_id=chunk_id,
                is_batch=True,
                resend_unknown=resend_unknown,
            )
            results.extend(batching.read_results(chunk, data))
        return results

    # -- plumbing ----------------------------------------------------------------------

    def _query_page(self, statement: str) -> dict[str, Any]:
        data = self._request(
            "POST", "query", data=statement.encode("utf-8"), content_type="application/text"
        )
        return data.get("QueryResponse") or {}

    def _find(self, entity: str, lookup: Lookup) -> dict[str, Any] | None:
        matches = [r for r in self.query(lookup.statement(entity)) if lookup.matches(r)]
        if len(matches) > 1:
            log.warning("%d %s records carry the key %s", len(matches), entity, lookup.value)
        if not matches:
            return None
        return min(matches, key=lambda r: int(r.get("Id") or 0))

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, str] | None = None,
        json_body: Any = None,
        data: bytes | None = None,
        content_type: str = "application/json",
        request_id: str | None = None,
        recover: Callable[[], dict[str, Any] | None] | None = None,
        is_batch: bool = False,
        resend_unknown: bool = True,
    ) -> dict[str, Any]:
        query = {**(params or {}), "minorversion": MINOR_VERSION}
        if request_id is not None:
            _check_request_id(request_id, is_batch)
            query["requestid"] = request_id
        url = f"{self.company_url}/{path}"
        attempt, unknown_outcome = 0, False
        rejected: str | None = None  # the token a 401 refused: refresh it
        refreshes = 0
        try:  # a cancel cuts short a rate wait or a back-off: say whether it may have landed
            while True:
                attempt += 1
                if unknown_outcome and recover is not None:
                    found = recover()
                    if found is not None:
                        log.info("Adopted an existing record after an unknown outcome (%s)", path)
                        return found
                result, token = self._attempt(
                    method, url, query, json_body, data, content_type, rejected, is_batch
                )
                sent = token is not None
                if isinstance(result, dict):
                    return result
                if sent:
                    rejected = None
                if sent and result.status == 401 and refreshes < MAX_REFRESHES:
                    # Refused although just refreshed: the new token may have been expired in
                    # turn (a revocation makes the refresh itself fail instead, and stops us).
                    refreshes, rejected = refreshes + 1, token
                    attempt -= 1
                    continue
                error = result
                if unknown_outcome:
                    error.after_unknown_outcome = True
                if not error.retryable or not self.retry.should_retry(attempt):
                    raise error
                unknown_outcome |= sent and request_id is not None and _outcome_unknown(error)
                if unknown_outcome and not resend_unknown:
                    error.after_unknown_outcome = True
                    raise error
                self._wait_before_retry(error, attempt, path)
        except Cancelled as cancelled:
            cancelled.may_have_landed = unknown_outcome
            raise

    def _token(self, rejected: str | None) -> str | QboError:
        """A usable access token, or the retryable error that kept us from getting one.

        A token call that fails for network or server reasons is retried like any
        request; ReauthorisationNeeded and other auth errors propagate at once.
        """
        try:
            if rejected is not None:
                return self.connection.refresh_after_unauthorised(rejected)
            return self.connection.access_token()
        except QboError as exc:
            if not exc.retryable:
                raise
            return exc

    def _attempt(
        self,
        method: str,
        url: str,
        query: dict[str, str],
        json_body: Any,
        data: bytes | None,
        content_type: str,
        rejected: str | None,
        is_batch: bool,
    ) -> tuple[dict[str, Any] | QboError, str | None]:
        """One HTTP exchange: the parsed body on success, else the error it amounts to,
        with the token sent (None when none could be had: nothing was sent).

        The token is taken once the rate slot is held, not before: a wait for the
        governor can outlast a token's life.
        """
        if json_body is not None:
            data = json_body_bytes(json_body)  # Decimal amounts sent exactly, never as float
        token: str | None = None
        try:
            with self.governor.slot(batch=is_batch, cancel=self._cancel):
                got = self._token(rejected)
                if isinstance(got, QboError):
                    return got, None
                token = got
                headers = {
                    "Authorization": f"Bearer {token}",
                    "Accept": "application/json",
                    "Content-Type": content_type,
                }
                response = self._session().request(
                    method,
                    url,
                    params=query,
                    data=data,
                    headers=headers,
                    timeout=self.timeout,
                )
        except requests.RequestException as exc:
            return _network_error(exc), token
        log.debug("%s %s -> %s", method, url.rsplit("/company/", 1)[-1], response.status_code)
        if response.status_code >= 300:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            error = error_for_response(
                response.status_code, response.content, retry_after=retry_after
            )
            error.detail = scrub_token(error.detail, token)
            error.message = scrub_token(error.message, token)
            error.args = (error.message,)
            return error, token
        try:  # amounts come back as exact Decimals, never floats (money end to end)
            body = json.loads(response.content, parse_float=Decimal)
        except ValueError:
            return NetworkError(
                "QuickBooks sent an unreadable response",
                outcome_unknown=True,
                status=response.status_code,
            ), token
        fault = fault_from_json(body) if isinstance(body, dict) else None
        if fault is not None:
            return error_for_fault(fault, status=response.status_code), token
        return (body if isinstance(body, dict) else {"_": body}), token

    def _wait_before_retry(self, error: QboError, attempt: int, path: str) -> None:
        throttled = isinstance(error, ThrottledError)
        retry_after = error.retry_after if isinstance(error, ThrottledError) else None
        delay = self.retry.delay(attempt, throttled=throttled, retry_after=retry_after)
        if isinstance(error, NetworkError) and error.timed_out:
            # QBO may still be working on it: give it as long again to finish, so the
            # retry meets a finished write (replayed, or found by a lookup), not a race.
            delay = max(delay, self.timeout)
        if throttled:
            # The budget is shared: hold every thread back a little, not just this one.
            self.governor.pause(min(delay, self.governor.limits.minute_seconds / 30))
        log.info(
            "Retrying %s after %s (attempt %d, waiting %.2fs)",
            path,
            type(error).__name__,
            attempt,
            delay,
        )
        self._sleep(delay)

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
        return session


def scrub_token(text: str, token: str) -> str:
    """Remove any piece of ``token`` that an error text echoes (QBO's "Token expired: ...")."""

    def replace(match: re.Match[str]) -> str:
        pieces = [match.group(0), *match.group(0).split(".")]
        leaked = any(len(piece) >= 8 and piece in token for piece in pieces)
        return "[redacted]" if leaked else match.group(0)

    return _TOKENISH.sub(replace, text) if text else text


def _network_error(exc: requests.RequestException) -> NetworkError:
    """Could the request have reached QBO? Not if we never connected."""
    never_sent = isinstance(exc, requests.ConnectTimeout) or "NewConnectionError" in repr(exc)
    return NetworkError(
        f"No response from QuickBooks ({type(exc).__name__})",
        outcome_unknown=not never_sent,
        timed_out=isinstance(exc, requests.ReadTimeout),
    )


def _outcome_unknown(error: QboError) -> bool:
    if isinstance(error, NetworkError):
        return error.outcome_unknown
    return error.kind == "server"


def _entity_of(data: dict[str, Any], entity: str) -> dict[str, Any]:
    wanted = entity.lower()
    for key, value in data.items():
        if key.lower() == wanted and isinstance(value, dict):
            return value
    raise ValidationError(f"QuickBooks answered without a {entity}", detail=str(list(data)))


def _rows(query_response: dict[str, Any]) -> list[dict[str, Any]]:
    for value in query_response.values():
        if isinstance(value, list):
            return value
    return []


def _require_id(body: dict[str, Any]) -> None:
    if not body.get("Id") or body.get("SyncToken") is None:
        raise ValueError("an update needs the record's Id and SyncToken")


def _check_request_id(request_id: str, is_batch: bool) -> None:
    limit = batching.MAX_BATCH_REQUEST_ID if is_batch else MAX_REQUEST_ID
    if not request_id or len(request_id) > limit:
        raise ValueError(f"a requestid must have 1 to {limit} characters")
