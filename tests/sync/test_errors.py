"""QBO faults in every shape become the right typed error, with an explanation."""

from __future__ import annotations

import json

import pytest

from app.sync.errors import (
    AuthError,
    DuplicateError,
    NotFoundError,
    ServerError,
    StaleObjectError,
    ThrottledError,
    ValidationError,
    error_for_response,
    parse_fault,
)

THROTTLE_XML = (
    '<IntuitResponse time="2025-01-01T00:00:00" xmlns="http://schema.intuit.com/finance/v3">'
    '<Fault type="SERVICE"><Error code="3001"><Message>message=ThrottleExceeded; '
    "errorCode=003001; statusCode=429</Message><Detail>The request limit was reached.  Try "
    "again later</Detail></Error></Fault></IntuitResponse>"
)


def _json_fault(code: str, message: str = "m", detail: str = "d") -> bytes:
    fault = {"Error": [{"Message": message, "Detail": detail, "code": code, "element": ""}],
             "type": "ValidationFault"}
    return json.dumps({"Fault": fault, "time": "2025-01-01T00:00:00"}).encode()


@pytest.mark.parametrize(
    ("code", "cls"),
    [("6240", DuplicateError), ("5010", StaleObjectError), ("610", NotFoundError),
     ("6000", ValidationError), ("2050", ValidationError)],
)
def test_400_faults_map_by_code(code: str, cls: type) -> None:
    error = error_for_response(400, _json_fault(code, "Msg", "Det"))
    assert type(error) is cls
    assert (error.code, error.message, error.detail, error.status) == (code, "Msg", "Det", 400)
    assert not error.retryable
    assert error.explanation and error.suggested_fix


def test_429_xml_body_is_throttled_and_retryable() -> None:
    error = error_for_response(429, THROTTLE_XML.encode(), retry_after=7.0)
    assert isinstance(error, ThrottledError)
    assert error.retryable and error.retry_after == 7.0
    assert error.code == "3001"
    assert "slow down" in error.explanation


def test_status_wins_over_an_unreadable_body() -> None:
    assert isinstance(error_for_response(429, b"<html>busy"), ThrottledError)
    assert isinstance(error_for_response(503, b""), ServerError)
    assert isinstance(error_for_response(401, b"garbage"), AuthError)


def test_lower_case_401_shape() -> None:
    body = json.dumps({"fault": {"error": [{
        "message": "message=AuthenticationFailed; errorCode=003200; statusCode=401",
        "detail": "Token expired", "code": "3200"}], "type": "AUTHENTICATION"}})
    error = error_for_response(401, body)
    assert isinstance(error, AuthError) and error.code == "3200"
    assert not error.retryable


def test_server_errors_are_retryable_validation_is_not() -> None:
    assert error_for_response(500, _json_fault("10000")).retryable
    assert not error_for_response(400, _json_fault("6000")).retryable


def test_parse_fault_ignores_non_faults() -> None:
    assert parse_fault(b'{"Customer": {"Id": "1"}}') is None
    assert parse_fault(b"") is None
    assert parse_fault(b"not json") is None


def test_str_carries_code_and_detail() -> None:
    text = str(error_for_response(400, _json_fault("6240", "Duplicate Name", "Another uses it")))
    assert "6240" in text and "Duplicate Name" in text and "Another uses it" in text


def test_scrub_token_removes_echoed_token_pieces() -> None:
    from app.sync.client import scrub_token

    token = "eyJhbGciOiJ.payloadpayloadpayload.signature123"
    assert "eyJhbGciOiJ" not in scrub_token("Token expired: eyJhbGciOiJ...", token)
    assert scrub_token("Token expired: eyJhbGciOiJ...", token).startswith("Token expired:")
    assert scrub_token("Malformed bearer token: too short", token) == (
        "Malformed bearer token: too short")
