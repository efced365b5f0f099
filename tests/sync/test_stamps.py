"""Every record carries its Ledgerbridge key where it can be found again."""

from app.sync.stamps import lookup_for, stamped_key


def test_transactions_are_found_by_doc_number_and_matched_on_the_key_in_the_note():
    lookup = lookup_for("Invoice", "invoice:order:A1",
                        {"DocNumber": "A1", "PrivateNote": "Ledgerbridge invoice:order:A1"})
    assert lookup.statement("Invoice") == "SELECT * FROM Invoice WHERE DocNumber = 'A1'"
    assert lookup.matches({"PrivateNote": "Ledgerbridge invoice:order:A1 | memo"})
    assert lookup.matches({"PrivateNote": "Voided - Ledgerbridge invoice:order:A1 | memo"})
    assert not lookup.matches({"PrivateNote": "Ledgerbridge invoice:order:A10"})


def test_payments_have_no_doc_number_and_are_searched_by_date():
    lookup = lookup_for("Payment", "payment:P1", {"TxnDate": "2025-01-03"})
    assert lookup.statement("Payment") == "SELECT * FROM Payment WHERE TxnDate = '2025-01-03'"


def test_names_customers_accounts_and_classes():
    customer = lookup_for("Customer", "customer:C1", {"DisplayName": "O'Brien Family"})
    assert customer.statement("Customer") == \
        "SELECT * FROM Customer WHERE DisplayName = 'O\\'Brien Family'"
    assert customer.matches({"Notes": "Ledgerbridge customer:C1"})
    account = lookup_for("Account", "account:Tuition:Swim", {"Name": "Swim"})
    assert account.matches({"FullyQualifiedName": "Tuition:Swim"})
    assert not account.matches({"FullyQualifiedName": "Camps:Swim"})
    assert lookup_for("Item", "item:P1", {"Name": "Swim"}).matches({"Name": "Swim"})


def test_the_stamped_key_is_read_back_from_notes():
    assert stamped_key("JournalEntry", {"PrivateNote": "Ledgerbridge je:summary:2025-01-03 "
                                        "src:ab12 | Daily"}) == "je:summary:2025-01-03"
    assert stamped_key("Customer", {"Notes": "Ledgerbridge customer:C1"}) == "customer:C1"
    assert stamped_key("Invoice", {"PrivateNote": "typed by hand"}) is None
    assert stamped_key("Account", {"Name": "Swim"}) is None
