"""Change Data Capture: what changed since a moment, deletions included."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.simulator.xsd_mapper import find_xsd_dir, validate_entity


def _since(qbo, **delta):
    now = datetime.fromisoformat(qbo.get("companyinfo/1").json()["time"])
    return (now - timedelta(**delta)).isoformat()


def test_cdc_reports_changes_and_deletions(qbo):
    customer = qbo.customer("Changed")
    item = qbo.item()
    kept = qbo.invoice(customer["Id"], item["Id"])
    gone = qbo.invoice(customer["Id"], item["Id"])
    qbo.post("invoice", {"Id": gone["Id"], "SyncToken": "0"}, operation="delete")
    reply = qbo.get("cdc", entities="Invoice,Customer", changedSince=_since(qbo, minutes=5))
    assert reply.status_code == 200, reply.text
    invoices, customers = reply.json()["CDCResponse"][0]["QueryResponse"]
    by_id = {i["Id"]: i for i in invoices["Invoice"]}
    assert by_id[gone["Id"]]["status"] == "Deleted"
    assert by_id[kept["Id"]]["TotalAmt"] == 100
    assert [c["DisplayName"] for c in customers["Customer"]] == ["Changed"]


def test_cdc_leaves_out_what_did_not_change(qbo):
    qbo.customer("Earlier")
    qbo.admin("clock", {"advance_seconds": 600})  # ten minutes later (the token lives on)
    since = _since(qbo, minutes=1)
    qbo.customer("Later")
    listed = qbo.get("cdc", entities="Customer", changedSince=since).json()
    names = [c["DisplayName"] for c in listed["CDCResponse"][0]["QueryResponse"][0]["Customer"]]
    assert names == ["Later"]


def test_cdc_faults(qbo):
    assert qbo.fault(qbo.get("cdc", changedSince=_since(qbo, days=1)))["code"] == "2020"
    assert qbo.fault(qbo.get("cdc", entities="Customer"))["code"] == "2020"
    too_old = qbo.get("cdc", entities="Customer", changedSince=_since(qbo, days=31))
    assert qbo.fault(too_old)["code"] == "2010"
    assert qbo.fault(qbo.get("cdc", entities="Nope", changedSince=_since(qbo, days=1)))[
        "code"] == "2010"


@pytest.mark.skipif(find_xsd_dir() is None, reason="Intuit's QBO XSDs not found")
def test_cdc_response_validates_against_the_xsd(qbo):
    import xmlschema

    schema = xmlschema.XMLSchema(str(find_xsd_dir() / "IntuitRestServiceDef.xsd"))
    customer = qbo.customer("Validated")
    qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True,
                          "Active": False})
    reply = qbo.get("cdc", entities="Customer,Invoice",
                    changedSince=datetime.now(UTC).replace(year=2000).isoformat())
    assert reply.status_code == 400  # more than 30 days back
    reply = qbo.get("cdc", entities="Customer,Invoice", changedSince=_since(qbo, days=1))
    validate_entity(schema, "IntuitResponse", reply.json())
