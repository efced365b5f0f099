"""Batch: up to 30 items, run in order, each answered on its own (with its own Fault)."""

from __future__ import annotations


def test_batch_mixes_operations_and_reports_faults_per_item(qbo):
    existing = qbo.customer("Existing")
    reply = qbo.post("batch", {"BatchItemRequest": [
        {"bId": "1", "operation": "create", "Customer": {"DisplayName": "New One"}},
        {"bId": "2", "operation": "create", "Customer": {"DisplayName": "Existing"}},
        {"bId": "3", "operation": "update", "Customer": {
            "Id": existing["Id"], "SyncToken": "0", "sparse": True, "Notes": "n"}},
        {"bId": "4", "Query": "select * from Customer where DisplayName = 'New One'"},
        {"bId": "5", "operation": "update", "Customer": {
            "Id": existing["Id"], "SyncToken": "0", "sparse": True, "Notes": "stale"}},
    ]})
    assert reply.status_code == 200
    items = {item["bId"]: item for item in reply.json()["BatchItemResponse"]}
    assert items["1"]["Customer"]["DisplayName"] == "New One"
    assert items["2"]["Fault"]["Error"][0]["code"] == "6240"
    assert items["3"]["Customer"]["SyncToken"] == "1"
    assert items["4"]["QueryResponse"]["Customer"][0]["DisplayName"] == "New One"
    assert items["5"]["Fault"]["Error"][0]["code"] == "5010"


def test_batch_delete_and_void(qbo):
    customer = qbo.customer("B")
    item = qbo.item()
    first = qbo.invoice(customer["Id"], item["Id"])
    second = qbo.invoice(customer["Id"], item["Id"])
    reply = qbo.post("batch", {"BatchItemRequest": [
        {"bId": "d", "operation": "delete", "Invoice": {"Id": first["Id"], "SyncToken": "0"}},
        {"bId": "v", "operation": "update", "optionsData": "void",
         "Invoice": {"Id": second["Id"], "SyncToken": "0"}},
    ]}).json()["BatchItemResponse"]
    assert reply[0]["Invoice"]["status"] == "Deleted"
    assert reply[1]["Invoice"]["TotalAmt"] == 0


def test_batch_limit_is_30_items(qbo):
    items = [{"bId": str(i), "operation": "create", "Class": {"Name": f"C{i}"}}
             for i in range(31)]
    error = qbo.fault(qbo.post("batch", {"BatchItemRequest": items}))
    assert error["code"] == "1040"
    reply = qbo.post("batch", {"BatchItemRequest": items[:30]})
    assert len(reply.json()["BatchItemResponse"]) == 30
    assert "Fault" not in reply.json()["BatchItemResponse"][29]


def test_batch_bids_required_and_unique(qbo):
    dup = [{"bId": "1", "Query": "select * from Customer"}] * 2
    assert qbo.fault(qbo.post("batch", {"BatchItemRequest": dup}))["code"] == "1050"
    missing = [{"Query": "select * from Customer"}]
    assert qbo.fault(qbo.post("batch", {"BatchItemRequest": missing}))["code"] == "2020"
    assert qbo.fault(qbo.post("batch", {"BatchItemRequest": []}))["code"] == "2020"


def test_later_batch_items_see_earlier_writes(qbo):
    customer = qbo.customer("Seen")
    item = qbo.item()
    line = {"DetailType": "SalesItemLineDetail", "Amount": 12,
            "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}}}
    reply = qbo.post("batch", {"BatchItemRequest": [
        {"bId": "q1", "Query": f"select * from Customer where Id = '{customer['Id']}'"},
        {"bId": "i", "operation": "create",
         "Invoice": {"CustomerRef": {"value": customer["Id"]}, "Line": [line]}},
        {"bId": "q2", "Query": f"select * from Customer where Id = '{customer['Id']}'"},
    ]}).json()["BatchItemResponse"]
    assert reply[0]["QueryResponse"]["Customer"][0]["Balance"] == 0
    assert reply[2]["QueryResponse"]["Customer"][0]["Balance"] == 12
