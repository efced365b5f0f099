"""Lookup statements and matching; recognising our own sparse update."""

from __future__ import annotations

from app.sync.lookup import Lookup, carries_changes


def test_statement_quotes_the_key() -> None:
    assert Lookup("DisplayName", "O'Brien").statement("Customer") == (
        "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien'"
    )
    narrowed = Lookup("PrivateNote", "lb:1", where="TxnDate = '2025-01-31'")
    assert narrowed.statement("Invoice") == "SELECT * FROM Invoice WHERE TxnDate = '2025-01-31'"


def test_matches_whole_value_or_a_word_of_it() -> None:
    lookup = Lookup("PrivateNote", "lb:K1")
    assert lookup.matches({"PrivateNote": "lb:K1"})
    assert lookup.matches({"PrivateNote": "Imported by Ledgerbridge lb:K1"})
    assert not lookup.matches({"PrivateNote": "lb:K10"})
    assert not lookup.matches({})


def test_carries_changes_compares_nested_fields() -> None:
    current = {"Id": "1", "SyncToken": "3", "Notes": "x", "BillAddr": {"City": "A", "Line1": "1"}}
    assert carries_changes(current, {"Id": "1", "SyncToken": "1", "Notes": "x",
                                     "BillAddr": {"City": "A"}}, skip=("SyncToken",))
    assert not carries_changes(current, {"Notes": "y"}, skip=())
    assert not carries_changes(current, {"BillAddr": {"City": "B"}}, skip=())
