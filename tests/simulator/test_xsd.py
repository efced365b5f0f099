"""Requests we send and responses the sandbox returns validate against Intuit's XSDs."""

from __future__ import annotations

import pytest

from tests.simulator.xsd_mapper import UnknownField, find_xsd_dir, validate_entity

XSD_DIR = find_xsd_dir()
pytestmark = pytest.mark.skipif(
    XSD_DIR is None,
    reason="Intuit's QBO XSDs not found at ../shared/qbo-xsd beside the repository "
    "(set LEDGERBRIDGE_QBO_XSD_DIR to point at them)")


@pytest.fixture(scope="module")
def schema():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(XSD_DIR / "IntuitRestServiceDef.xsd"))


def _round_trip(qbo, schema, entity, body, **params):
    """Validate the request body, send it, validate the response entity; return it."""
    validate_entity(schema, entity, body)
    reply = qbo.post(entity.lower(), body, **params)
    assert reply.status_code == 200, reply.text
    created = reply.json()[entity]
    validate_entity(schema, entity, created)
    return created


def test_name_list_entities_validate(qbo, schema):
    parent = _round_trip(qbo, schema, "Customer", {
        "DisplayName": "Smith Family", "GivenName": "Ann", "FamilyName": "Smith",
        "PrimaryEmailAddr": {"Address": "ann@example.com"},
        "BillAddr": {"Line1": "1 Main St", "City": "Springfield", "PostalCode": "12345"}})
    _round_trip(qbo, schema, "Customer", {"DisplayName": "Smith, Ava", "Job": True,
                                          "BillWithParent": True,
                                          "ParentRef": {"value": parent["Id"]}})
    account = _round_trip(qbo, schema, "Account", {"Name": "Program Revenue",
                                                   "AccountType": "Income",
                                                   "AccountSubType": "ServiceFeeIncome"})
    _round_trip(qbo, schema, "Account", {"Name": "Camps", "AccountType": "Income",
                                         "SubAccount": True,
                                         "ParentRef": {"value": account["Id"]}})
    summer = _round_trip(qbo, schema, "Class", {"Name": "Summer"})
    _round_trip(qbo, schema, "Class", {"Name": "Week 1", "SubClass": True,
                                       "ParentRef": {"value": summer["Id"]}})
    _round_trip(qbo, schema, "Item", {"Name": "Camp Fee", "Type": "Service", "UnitPrice": 250,
                                      "IncomeAccountRef": {"value": account["Id"]}})


def test_transactions_validate(qbo, schema):
    customer = qbo.customer("Ava")
    item = qbo.item()
    checking = qbo.account_id("Checking")
    sales = [{"DetailType": "SalesItemLineDetail", "Amount": 100, "Description": "Camp",
              "SalesItemLineDetail": {"ItemRef": {"value": item["Id"]}, "Qty": 2,
                                      "UnitPrice": 50, "TaxCodeRef": {"value": "NON"},
                                      "ServiceDate": "2025-01-15"}}]
    invoice = _round_trip(qbo, schema, "Invoice", {
        "CustomerRef": {"value": customer["Id"]}, "TxnDate": "2025-01-15",
        "DueDate": "2025-02-14", "DocNumber": "REG-1001", "Line": sales})
    payment = _round_trip(qbo, schema, "Payment", {
        "CustomerRef": {"value": customer["Id"]}, "TotalAmt": 100, "TxnDate": "2025-01-20",
        "PaymentRefNum": "chk 1001",
        "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": invoice["Id"],
                                                "TxnType": "Invoice"}]}]})
    validate_entity(schema, "Invoice", qbo.get(f"invoice/{invoice['Id']}").json()["Invoice"])
    _round_trip(qbo, schema, "Deposit", {
        "DepositToAccountRef": {"value": checking}, "TxnDate": "2025-01-21",
        "Line": [{"Amount": 100, "LinkedTxn": [{"TxnId": payment["Id"], "TxnType": "Payment",
                                                "TxnLineId": "0"}]}]})
    _round_trip(qbo, schema, "CreditMemo", {"CustomerRef": {"value": customer["Id"]},
                                            "TxnDate": "2025-01-22", "Line": sales})
    _round_trip(qbo, schema, "RefundReceipt", {"CustomerRef": {"value": customer["Id"]},
                                               "TxnDate": "2025-01-23", "Line": sales,
                                               "DepositToAccountRef": {"value": checking}})
    _round_trip(qbo, schema, "JournalEntry", {"TxnDate": "2025-01-31", "Line": [
        {"DetailType": "JournalEntryLineDetail", "Amount": 100, "JournalEntryLineDetail": {
            "PostingType": "Debit", "AccountRef": {"value": qbo.account_id(
                "Accounts Receivable (A/R)")},
            "Entity": {"Type": "Customer", "EntityRef": {"value": customer["Id"]}}}},
        {"DetailType": "JournalEntryLineDetail", "Amount": 100, "JournalEntryLineDetail": {
            "PostingType": "Credit", "AccountRef": {"value": qbo.account_id("Services")}}}]})
    sparse = {"Id": invoice["Id"], "SyncToken": "1", "sparse": True, "PrivateNote": "n"}
    _round_trip(qbo, schema, "Invoice", sparse)


def test_company_records_and_faults_validate(qbo, schema):
    validate_entity(schema, "CompanyInfo", qbo.get("companyinfo/1").json()["CompanyInfo"])
    validate_entity(schema, "Preferences", qbo.get("preferences").json()["Preferences"])
    fault = qbo.post("customer", {"CompanyName": "no name"}).json()
    validate_entity(schema, "IntuitResponse", fault)
    invalid = qbo.post("invoice", {}).json()
    validate_entity(schema, "IntuitResponse", invalid)


def test_query_and_batch_responses_validate(qbo, schema):
    qbo.customer("Listed")
    listed = qbo.get("query", query="select * from Customer").json()
    validate_entity(schema, "IntuitResponse", listed)
    validate_entity(schema, "IntuitResponse", qbo.get(
        "query", query="select count(*) from Customer").json())
    request = {"BatchItemRequest": [
        {"bId": "1", "operation": "create", "Customer": {"DisplayName": "Batched"}},
        {"bId": "2", "operation": "create", "Customer": {"DisplayName": "Listed"}},
        {"bId": "3", "Query": "select * from Customer"}]}
    validate_entity(schema, "IntuitBatchRequest", request)
    validate_entity(schema, "IntuitResponse", qbo.post("batch", request).json())


def test_mapper_rejects_what_the_schema_does_not_allow(schema):
    with pytest.raises(UnknownField):
        validate_entity(schema, "Customer", {"DisplayName": "X", "Bogus": 1})
    with pytest.raises(Exception, match="Credit"):
        validate_entity(schema, "JournalEntry", {"Line": [
            {"DetailType": "JournalEntryLineDetail", "Amount": 1,
             "JournalEntryLineDetail": {"PostingType": "Dr", "AccountRef": {"value": "1"}}}]})
    with pytest.raises(Exception, match="15/01/2025"):
        validate_entity(schema, "Invoice", {"TxnDate": "15/01/2025"})
