"""requestid: a replayed write returns the original response and changes nothing."""

from __future__ import annotations

import threading
import uuid


def test_replay_returns_the_same_response_and_creates_nothing(qbo):
    request_id = uuid.uuid4().hex
    first = qbo.post("customer", {"DisplayName": "Once"}, requestid=request_id)
    again = qbo.post("customer", {"DisplayName": "Once"}, requestid=request_id)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}


def test_replay_of_an_update_does_not_bump_sync_token_twice(qbo):
    customer = qbo.customer("Upd")
    body = {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "x"}
    first = qbo.post("customer", body, requestid="upd-1").json()["Customer"]
    again = qbo.post("customer", body, requestid="upd-1").json()["Customer"]
    assert first["SyncToken"] == again["SyncToken"] == "1"
    assert qbo.get(f"customer/{customer['Id']}").json()["Customer"]["SyncToken"] == "1"


def test_replay_of_a_fault_returns_the_same_fault(qbo):
    qbo.customer("Taken")
    first = qbo.post("customer", {"DisplayName": "Taken"}, requestid="dup-1")
    again = qbo.post("customer", {"DisplayName": "Other"}, requestid="dup-1")
    assert first.status_code == again.status_code == 400
    assert first.content == again.content
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}


def test_different_request_ids_are_different_writes(qbo):
    qbo.post("class", {"Name": "A"}, requestid="a-1")
    assert qbo.fault(qbo.post("class", {"Name": "A"}, requestid="a-2"))["code"] == "6240"


def test_request_id_length_limits(qbo):
    assert qbo.fault(qbo.post("class", {"Name": "A"}, requestid="x" * 51))["code"] == "2050"
    reply = qbo.post("batch", {"BatchItemRequest": [{"bId": "1", "Query":
                                                     "select * from Class"}]},
                     requestid="y" * 37)
    assert qbo.fault(reply)["code"] == "2050"
    long_bid = qbo.post("batch", {"BatchItemRequest": [{"bId": "b" * 11, "Query":
                                                        "select * from Class"}]},
                        requestid="z1")
    assert qbo.fault(long_bid)["code"] == "2050"


def test_batch_replay(qbo):
    body = {"BatchItemRequest": [{"bId": "1", "operation": "create",
                                  "Class": {"Name": "Batch Class"}}]}
    first = qbo.post("batch", body, requestid="batch-1")
    again = qbo.post("batch", body, requestid="batch-1")
    assert first.content == again.content
    assert qbo.query("select count(*) from Class") == {"totalCount": 1}


def test_concurrent_replays_write_once(qbo):
    results = []

    def send():
        results.append(qbo.post("customer", {"DisplayName": "Racer"}, requestid="race-1"))

    threads = [threading.Thread(target=send) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert {r.status_code for r in results} == {200}
    assert len({r.content for r in results}) == 1
    assert qbo.query("select count(*) from Customer") == {"totalCount": 1}


def test_reads_are_not_cached_by_request_id(qbo):
    customer = qbo.customer("Read")
    qbo.get(f"customer/{customer['Id']}", requestid="r-1")
    qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True,
                          "Notes": "n"})
    assert qbo.get(f"customer/{customer['Id']}", requestid="r-1").json()["Customer"][
        "SyncToken"] == "1"


def test_a_request_whose_body_never_fully_arrived_is_not_executed_or_remembered(qbo):
    """A client killed between sending its headers and its body (or halfway through the
    body) made no request: nothing is written, and its requestid is not answered later
    with a fault about a missing body — the complete request sent again executes."""
    import json
    import socket
    from urllib.parse import urlsplit

    body = json.dumps({"BatchItemRequest": [{"bId": "1", "operation": "create",
                                             "Class": {"Name": "Cut Short"}}]}).encode()
    url = urlsplit(f"{qbo.company}/batch?requestid=cut-1&minorversion=75")
    for sent in (b"", body[: len(body) // 2]):
        with socket.create_connection((url.hostname, url.port), timeout=10) as connection:
            connection.sendall(
                f"POST {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                f"Authorization: Bearer {qbo.tokens['access_token']}\r\n"
                f"Content-Type: application/json\r\nAccept: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n".encode() + sent)
            connection.shutdown(socket.SHUT_WR)  # the client is gone before the body ends
            assert connection.recv(65536) == b""  # no answer: there was no request
    assert qbo.query("select count(*) from Class") == {"totalCount": 0}
    reply = qbo.post("batch", json.loads(body), requestid="cut-1")
    assert reply.status_code == 200, reply.text
    assert reply.json()["BatchItemResponse"][0]["Class"]["Name"] == "Cut Short"
