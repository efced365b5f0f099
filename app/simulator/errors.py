"""QBO's fault vocabulary: codes, messages, HTTP statuses and the three body shapes.

QBO answers business errors as ``{"Fault": {"Error": [...], "type": ...}}`` JSON, but its
gateway answers authentication failures with a different, lower-case JSON envelope and
throttling with XML even when JSON was asked for (qbo-api-notes §2, §3, §5). A client that
only handles the first shape breaks on the other two, so the sandbox reproduces all three.
"""

from __future__ import annotations

from typing import Any


class QboFault(Exception):
    """A fault QBO would return; raised anywhere in request handling, rendered once."""

    def __init__(
        self,
        code: str,
        message: str,
        detail: str,
        *,
        status: int = 400,
        fault_type: str = "ValidationFault",
        element: str = "",
    ) -> None:
        super().__init__(f"{code} {message}: {detail}")
        self.code = code
        self.message = message
        self.detail = detail
        self.status = status
        self.fault_type = fault_type
        self.element = element

    def fault_dict(self) -> dict[str, Any]:
        error = {"Message": self.message, "Detail": self.detail, "code": self.code}
        error["element"] = self.element
        return {"Error": [error], "type": self.fault_type}


def validation(code: str, message: str, detail: str, element: str = "") -> QboFault:
    return QboFault(code, message, detail, element=element)


def required_missing(element: str) -> QboFault:
    return validation(
        "2020",
        "Required param missing, need to supply the required value for the API",
        f"Required parameter {element} is missing in the request",
        element,
    )


def invalid_property(element: str, why: str) -> QboFault:
    return validation("2010", "Request has invalid or unsupported property", why, element)


def length_exceeded(element: str, maximum: int) -> QboFault:
    return validation(
        "2050",
        "Length exceeds limit",
        "The string length specified does not match the supported length. "
        f"Min:0 Max:{maximum} supported.",
        element,
    )


def illegal_number(element: str) -> QboFault:
    return validation("2080", "Illegal number format", f"{element} is not a valid number", element)


def business(detail: str, element: str = "") -> QboFault:
    return validation(
        "6000",
        "A business validation error has occurred while processing your request",
        f"Business Validation Error: {detail}",
        element,
    )


def stale_object() -> QboFault:
    return validation(
        "5010",
        "Stale Object Error",
        "Stale Object Error : You and Ledgerbridge Simulator were working on this at the same "
        "time. Ledgerbridge Simulator finished before you did, so your work was not saved.",
    )


def duplicate_name(kind_words: str) -> QboFault:
    return validation(
        "6240",
        "Duplicate Name Exists Error",
        f"The name supplied already exists. : Another {kind_words} is already using this name. "
        "Please use a different name.",
    )


def object_not_found(detail: str | None = None, element: str = "") -> QboFault:
    return validation(
        "610",
        "Object Not Found",
        detail
        or "Object Not Found : Something you're trying to use has been made inactive. Check "
        "the fields with accounts, customers, items, vendors or employees.",
        element,
    )


def period_closed() -> QboFault:
    return validation(
        "6210",
        "Account Period Closed, Cannot Update Through Services API",
        "The account period has closed and the account books cannot be updated through the "
        "QBO Services API. Please use the QBO website to make these changes.",
    )


def unsupported(detail: str) -> QboFault:
    return validation("500", "Unsupported Operation", detail)


def invalid_query(detail: str) -> QboFault:
    return validation("4001", "Invalid query", f"QueryValidationError: {detail}")


def query_parse_error(detail: str) -> QboFault:
    return validation("4000", "Error parsing query", f"QueryParserError: {detail}")


def system_failure() -> QboFault:
    return QboFault(
        "10000",
        "An application error has occurred while processing your request",
        "System Failure Error: An unexpected error occurred while accessing or saving your "
        "data. Please wait a few minutes and try again. If the problem persists, contact "
        "customer support.",
        status=500,
        fault_type="SystemFault",
    )


def service_unavailable() -> QboFault:
    return QboFault(
        "10001",
        "Service Unavailable",
        "The service is temporarily unavailable. Please try again later.",
        status=503,
        fault_type="SystemFault",
    )


def fault_body(fault: QboFault, time_text: str) -> dict[str, Any]:
    return {"Fault": fault.fault_dict(), "time": time_text}


def authentication_body(detail: str, epoch_ms: int) -> dict[str, Any]:
    """The gateway's 401 envelope (lower-case keys, epoch-millis time): notes §2."""
    return {
        "warnings": None,
        "intuitObject": None,
        "fault": {
            "error": [
                {
                    "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
                    "detail": detail,
                    "code": "3200",
                    "element": None,
                }
            ],
            "type": "AUTHENTICATION",
        },
        "report": None,
        "queryResponse": None,
        "batchItemResponse": [],
        "attachableResponse": [],
        "syncErrorResponse": None,
        "requestId": None,
        "time": epoch_ms,
        "status": None,
        "cdcresponse": [],
    }


def authorization_body(epoch_ms: int) -> dict[str, Any]:
    """Wrong realm for this token: HTTP 403, code 3100 (notes §2)."""
    body = authentication_body("Authorization Failed", epoch_ms)
    body["fault"] = {
        "error": [
            {
                "message": "message=AuthorizationFailed; errorCode=003100; statusCode=403",
                "detail": "Authorization Failed",
                "code": "3100",
                "element": None,
            }
        ],
        "type": "SERVICE",
    }
    return body


def throttle_xml(time_text: str) -> str:
    """HTTP 429 body: XML whatever the Accept header said (notes §3)."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<IntuitResponse time="{time_text}" xmlns="http://schema.intuit.com/finance/v3">'
        '<Fault type="SERVICE"><Error code="3001">'
        "<Message>message=ThrottleExceeded; errorCode=003001; statusCode=429</Message>"
        "<Detail>The request limit was reached.  Try again later</Detail>"
        "</Error></Fault></IntuitResponse>"
    )
