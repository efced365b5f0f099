"""A small typed hierarchy for everything that can go wrong talking to QBO.

The poster decides what to do by class (retry, block dependants, ask to reconnect),
never by parsing messages. Classification keys on the HTTP status first and the QBO
error code second: a 429 body is XML even when JSON was asked for, and a 401 body
varies, so the status is the only reliable signal. Messages never carry tokens.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from typing import Any

from app.sync.error_explanations import explain


class QboError(Exception):
    """Base of every QBO-side failure; carries QBO's code, message and detail."""

    kind = "error"
    retryable = False
    # Set when an earlier attempt of the same request may have been applied (a dropped
    # response): a 5010 or 610 then may be our own earlier write, not someone else's.
    after_unknown_outcome = False

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        detail: str = "",
        status: int | None = None,
        element: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.detail = detail
        self.status = status
        self.element = element

    @property
    def explanation(self) -> str:
        return explain(self.code, self.kind).explanation

    @property
    def suggested_fix(self) -> str:
        return explain(self.code, self.kind).fix

    def __str__(self) -> str:
        parts = [self.message]
        if self.code:
            parts.append(f"(code {self.code})")
        if self.detail and self.detail != self.message:
            parts.append(f"- {self.detail}")
        return " ".join(parts)


class AuthError(QboError):
    kind = "auth"


class ReauthorisationNeeded(AuthError):
    """The refresh token is expired or revoked: only the user can fix it, by reconnecting."""

    kind = "reauthorisation"


class ThrottledError(QboError):
    kind = "throttled"
    retryable = True

    def __init__(self, message: str, *, retry_after: float | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ValidationError(QboError):
    kind = "validation"


class DuplicateError(ValidationError):
    kind = "duplicate"


class StaleObjectError(ValidationError):
    kind = "stale"


class NotFoundError(ValidationError):
    kind = "not_found"


class EditedInQuickBooks(QboError):
    """A record Ledgerbridge posted was changed in QuickBooks: never overwritten unasked."""

    kind = "edited"

    def __init__(self, key: str, what: list[str]) -> None:
        super().__init__(f"changed in QuickBooks since Ledgerbridge posted it ({'; '.join(what)})"
                         f"; not overwritten: post with --overwrite-edited {key} to replace "
                         "it, or reconcile to review", detail=key)
        self.key = key


class DeletedInQuickBooks(NotFoundError):
    """A record Ledgerbridge posted is gone from QuickBooks (deleted there by hand)."""

    kind = "deleted"

    def __init__(self, what: str, key: str) -> None:
        super().__init__(f"{what}: the record was deleted in QuickBooks after Ledgerbridge "
                         "posted it", detail=key)


class ServerError(QboError):
    """A 5xx: the write may or may not have been applied."""

    kind = "server"
    retryable = True


class NetworkError(QboError):
    """No usable response. ``outcome_unknown`` when the request may have reached QBO."""

    kind = "network"
    retryable = True

    def __init__(
        self,
        message: str,
        *,
        outcome_unknown: bool = True,
        timed_out: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.outcome_unknown = outcome_unknown
        self.timed_out = timed_out


@dataclass(frozen=True)
class Fault:
    code: str | None
    message: str
    detail: str
    element: str | None = None
    fault_type: str | None = None


def parse_fault(body: bytes | str | None) -> Fault | None:
    """The first Error of a QBO Fault in any of its shapes (JSON either case, or XML)."""
    if not body:
        return None
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    stripped = text.lstrip()
    if stripped.startswith("<"):
        return _parse_xml_fault(stripped)
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    return fault_from_json(data) if isinstance(data, dict) else None


def fault_from_json(data: dict) -> Fault | None:  # type: ignore[type-arg]
    fault = data.get("Fault") or data.get("fault")
    if not isinstance(fault, dict):
        return None
    errors = fault.get("Error") or fault.get("error") or []
    first = errors[0] if errors and isinstance(errors[0], dict) else {}
    return Fault(
        code=_str_or_none(first.get("code")),
        message=str(first.get("Message") or first.get("message") or ""),
        detail=str(first.get("Detail") or first.get("detail") or ""),
        element=first.get("element") or None,
        fault_type=fault.get("type"),
    )


def _parse_xml_fault(text: str) -> Fault | None:
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError:
        return None
    fault = next((e for e in root.iter() if _local(e.tag) == "Fault"), None)
    error = next((e for e in root.iter() if _local(e.tag) == "Error"), None)
    if error is None:
        return None
    children = {_local(child.tag): (child.text or "") for child in error}
    return Fault(
        code=error.get("code"),
        message=children.get("Message", ""),
        detail=children.get("Detail", ""),
        element=error.get("element"),
        fault_type=fault.get("type") if fault is not None else None,
    )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _str_or_none(value: object) -> str | None:
    return None if value in (None, "") else str(value)


_BY_CODE: dict[str, type[QboError]] = {
    "6240": DuplicateError,
    "5010": StaleObjectError,
    "610": NotFoundError,
    "3001": ThrottledError,
}


def error_for_response(
    status: int, body: bytes | str | None, *, retry_after: float | None = None
) -> QboError:
    """The typed error for a failed HTTP response (or a 200 carrying a Fault)."""
    fault = parse_fault(body) or Fault(code=None, message=f"HTTP {status}", detail="")
    if status == 429:
        cls: type[QboError] = ThrottledError
    elif status in (401, 403):
        cls = AuthError
    elif status >= 500:
        cls = ServerError
    elif status == 404:
        cls = NotFoundError
    else:
        cls = _BY_CODE.get(fault.code or "", ValidationError)
    error = cls(
        fault.message or f"HTTP {status}",
        code=fault.code,
        detail=fault.detail,
        status=status,
        element=fault.element,
    )
    if isinstance(error, ThrottledError):
        error.retry_after = retry_after
    return error


def error_for_fault(fault: Fault, status: int = 400) -> QboError:
    """The typed error for a Fault found inside a batch item or a 200 response."""
    cls = _BY_CODE.get(fault.code or "", ValidationError)
    if fault.fault_type and "auth" in fault.fault_type.lower():
        cls = AuthError
    return cls(
        fault.message or "QuickBooks fault",
        code=fault.code,
        detail=fault.detail,
        status=status,
        element=fault.element,
    )
