"""Fault injection, stats and reset over the admin endpoints."""

from __future__ import annotations

import pytest
import requests


def test_injected_500_and_503_have_qbo_fault_shapes_and_change_nothing(qbo):
    qbo.admin("faults", {"http_500": 1})
    reply = qbo.post("customer", {"DisplayName": "Never"})
    error = qbo.fault(reply, 500)
    assert error["code"] == "10000" and reply.json()["Fault"]["type"] == "SystemFault"
    qbo.admin("faults", {"http_503": 1})
    assert qbo.post("customer", {"DisplayName": "Never"}).status_code == 503
    qbo.admin("faults", {})
    assert qbo.query("select count(*) from Customer") == {"totalCount": 0}


def test_injected_429_is_the_throttle_reply(qbo):
    qbo.admin("faults", {"http_429": 1})
    reply = qbo.get("companyinfo/1")
    assert reply.status_code == 429 and "ThrottleExceeded" in reply.text


def test_seeded_faults_repeat_exactly(qbo):
    def pattern():
        qbo.admin("faults", {"http_503": 0.5, "seed": 42})
        return [qbo.get("companyinfo/1").status_code for _ in range(30)]

    first, second = pattern(), pattern()
    assert first == second and 503 in first and 200 in first


def test_drop_after_write_applies_the_write_but_never_answers(qbo):
    qbo.admin("faults", {"drop_after_write": 1})
    with pytest.raises(requests.ConnectionError):
        qbo.post("customer", {"DisplayName": "Dropped"}, requestid="drop-1")
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}
    replay = qbo.post("customer", {"DisplayName": "Dropped"}, requestid="drop-1")  # not dropped
    assert replay.status_code == 200 and replay.json()["Customer"]["DisplayName"] == "Dropped"
    qbo.admin("faults", {})
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}


def test_reads_are_never_dropped(qbo):
    qbo.admin("faults", {"drop_after_write": 1})
    assert qbo.get("companyinfo/1").status_code == 200


def test_expired_token_fault_forces_a_refresh(qbo, sandbox):
    qbo.admin("faults", {"expired_token": 1})
    assert qbo.get("companyinfo/1").status_code == 401
    qbo.admin("faults", {})
    assert qbo.get("companyinfo/1").status_code == 401  # the token really is dead
    info = sandbox.info
    qbo.tokens = requests.post(info["token_url"], auth=(info["client_id"], info["client_secret"]),
                               data={"grant_type": "refresh_token",
                                     "refresh_token": qbo.tokens["refresh_token"]}).json()
    assert qbo.get("companyinfo/1").status_code == 200


def test_requestid_not_honoured_creates_a_second_record(qbo):
    """Field reports: QBO once created two payments for one requestid."""
    customer = qbo.customer("Payer")
    body = {"CustomerRef": {"value": customer["Id"]}, "TotalAmt": 25, "TxnDate": "2025-03-01"}
    first = qbo.post("payment", body, requestid="pay-1")
    assert qbo.post("payment", body, requestid="pay-1").content == first.content
    qbo.admin("faults", {"requestid_not_honoured": 1})
    second = qbo.post("payment", body, requestid="pay-1")
    assert second.status_code == 200
    assert second.json()["Payment"]["Id"] != first.json()["Payment"]["Id"]
    assert qbo.query("select count(*) from Payment") == {"totalCount": 2}


def test_bad_fault_config_is_rejected(qbo):
    reply = requests.post(f"{qbo.origin}/__sandbox/faults", json={"http_999": 1})
    assert reply.status_code == 400
    reply = requests.post(f"{qbo.origin}/__sandbox/faults", json={"http_500": 2})
    assert reply.status_code == 400


def test_stats_count_by_method_entity_and_status(qbo):
    qbo.customer("Counted")
    qbo.post("customer", {"DisplayName": "Counted"})
    qbo.get("customer/1")
    stats = requests.get(f"{qbo.origin}/__sandbox/stats").json()
    assert stats["by_entity_status"]["Customer 200"] == 2
    assert stats["by_entity_status"]["Customer 400"] == 1
    assert stats["by_method"]["POST"] == 2 and stats["by_method"]["GET"] >= 1
    assert stats["by_operation"]["read"] >= 1


def test_reset_gives_a_fresh_company_and_keeps_tokens(qbo):
    qbo.customer("Wiped")
    qbo.admin("faults", {"http_500": 0.1})
    qbo.admin("reset")
    assert qbo.query("select count(*) from Customer") == {"totalCount": 0}
    assert qbo.query("select count(*) from Account")["totalCount"] > 10
    assert requests.get(f"{qbo.origin}/__sandbox/faults").json()["probabilities"] == {}
