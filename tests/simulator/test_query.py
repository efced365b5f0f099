"""QBO's query language over HTTP: operators, escaping, ordering, paging, count, faults."""

from __future__ import annotations

import pytest


@pytest.fixture
def people(qbo):
    for name in ("Amy's Bird Sanctuary", "Bill's Windsurf Shop", "Cool Cars", "Diego Rodriguez",
                 "Dukes Basketball Camp"):
        qbo.customer(name)
    return qbo


def _names(response):
    return [c["DisplayName"] for c in response.get("Customer", [])]


def test_equality_with_backslash_escaped_quote(people):
    found = people.query("select * from Customer where DisplayName = 'Amy\\'s Bird Sanctuary'")
    assert _names(found) == ["Amy's Bird Sanctuary"]
    assert found["startPosition"] == 1 and found["maxResults"] == 1


def test_like_in_and_comparisons(people):
    assert _names(people.query("SELECT * FROM Customer WHERE DisplayName LIKE 'D%'")) == [
        "Diego Rodriguez", "Dukes Basketball Camp"]
    both = people.query("select * from Customer where DisplayName in ('Cool Cars', "
                        "'Diego Rodriguez')")
    assert sorted(_names(both)) == ["Cool Cars", "Diego Rodriguez"]
    assert _names(people.query("select * from Customer where Id > '3' and Id <= '4'")) == [
        "Diego Rodriguez"]
    assert len(_names(people.query("select * from Customer where Id >= '2' AND Id < '5'"))) == 3


def test_orderby_and_paging(people):
    ordered = people.query("select * from Customer orderby DisplayName desc")
    assert _names(ordered)[0] == "Dukes Basketball Camp"
    page = people.query("select * from Customer ORDERBY DisplayName STARTPOSITION 2 "
                        "MAXRESULTS 2")
    assert _names(page) == ["Bill's Windsurf Shop", "Cool Cars"]
    assert page["startPosition"] == 2 and page["maxResults"] == 2
    assert people.query("select * from Customer STARTPOSITION 50") == {}


def test_count(people):
    assert people.query("select count(*) from Customer") == {"totalCount": 5}


def test_filter_on_reference_and_metadata(people):
    item = people.item()
    customers = people.query("select * from Customer")["Customer"]
    invoice = people.invoice(customers[1]["Id"], item["Id"])
    found = people.query(f"select * from Invoice where CustomerRef = '{customers[1]['Id']}'")
    assert [i["Id"] for i in found["Invoice"]] == [invoice["Id"]]
    recent = people.query("select * from Customer where MetaData.LastUpdatedTime >= "
                          "'2000-01-01' orderby MetaData.LastUpdatedTime desc MAXRESULTS 1")
    assert len(recent["Customer"]) == 1


def test_query_by_post_with_application_text(people):
    reply = people.http.post(f"{people.company}/query", data="select * from Customer "
                             "where DisplayName = 'Cool Cars'",
                             headers={**people.headers(), "Content-Type": "application/text"})
    assert _names(reply.json()["QueryResponse"]) == ["Cool Cars"]


@pytest.mark.parametrize("statement, code", [
    ("select * from Customer MAXRESULTS 1001", "4001"),
    ("select * from Customer STARTPOSITION 0", "4001"),
    ("select * from customer", "4001"),
    ("select * from Customer where Bogus = '1'", "4001"),
    ("select DisplayName from Customer", "4001"),
    ("select * from Customer where DisplayName = 'a' or DisplayName = 'b'", "4000"),
    ("select * from Customer where DisplayName = 'unterminated", "4000"),
    ("select * from", "4000"),
    ("delete from Customer", "4000"),
])
def test_invalid_queries(qbo, statement, code):
    error = qbo.fault(qbo.get("query", query=statement))
    assert error["code"] == code, statement


def test_maxresults_1000_is_allowed_and_default_page_is_100(qbo):
    reply = qbo.query("select * from Account MAXRESULTS 1000")
    assert reply["maxResults"] == len(reply["Account"])
    for index in range(101):
        qbo.create("Class", {"Name": f"Class {index}"})
    assert len(qbo.query("select * from Class")["Class"]) == 100
