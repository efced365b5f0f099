"""Name-list entities: Account, Class, Customer, Item — shapes and QBO's rules."""

from __future__ import annotations


def test_default_chart_of_accounts_is_realistic(qbo):
    accounts = qbo.query("select * from Account MAXRESULTS 1000")["Account"]
    by_name = {a["Name"]: a for a in accounts}
    assert by_name["Accounts Receivable (A/R)"]["AccountType"] == "Accounts Receivable"
    assert by_name["Undeposited Funds"]["AccountSubType"] == "UndepositedFunds"
    assert by_name["Checking"]["AccountType"] == "Bank"
    assert by_name["Sales of Product Income"]["Classification"] == "Revenue"
    assert by_name["Services"]["AccountType"] == "Income"


def test_company_info_is_labelled_as_simulator(qbo, sandbox):
    info = qbo.get(f"companyinfo/{sandbox.info['realm_id']}").json()["CompanyInfo"]
    assert "simulator" in info["CompanyName"].lower()
    assert "simulator" in qbo.http.get(qbo.origin + "/").text.lower()


def test_account_and_sub_account(qbo):
    parent = qbo.create("Account", {"Name": "Program Revenue", "AccountType": "Income"})
    assert parent["AccountSubType"] == "ServiceFeeIncome" and parent["SyncToken"] == "0"
    child = qbo.create("Account", {"Name": "Camps", "AccountType": "Income", "SubAccount": True,
                                   "ParentRef": {"value": parent["Id"]}})
    assert child["FullyQualifiedName"] == "Program Revenue:Camps"
    assert child["ParentRef"]["value"] == parent["Id"]
    other = qbo.create("Account", {"Name": "Other Revenue", "AccountType": "Income"})
    cousin = qbo.create("Account", {"Name": "Camps", "AccountType": "Income",
                                    "SubAccount": True, "ParentRef": {"value": other["Id"]}})
    assert cousin["FullyQualifiedName"] == "Other Revenue:Camps"


def test_account_name_unique_among_siblings(qbo):
    reply = qbo.post("account", {"Name": "checking", "AccountType": "Bank"})
    assert qbo.fault(reply)["code"] == "6240"


def test_account_name_rules(qbo):
    assert qbo.fault(qbo.post("account", {"Name": "A:B", "AccountType": "Bank"}))[
        "code"] == "2170"
    assert qbo.fault(qbo.post("account", {"Name": 'Say "hi"', "AccountType": "Bank"}))[
        "code"] == "2170"
    assert qbo.fault(qbo.post("account", {"AccountType": "Bank"}))["code"] == "2020"
    assert qbo.fault(qbo.post("account", {"Name": "x" * 101, "AccountType": "Bank"}))[
        "code"] == "2050"


def test_account_type_and_subtype_checked(qbo):
    assert qbo.fault(qbo.post("account", {"Name": "X", "AccountType": "Money"}))[
        "code"] == "2010"
    reply = qbo.post("account", {"Name": "X", "AccountType": "Bank",
                                 "AccountSubType": "ServiceFeeIncome"})
    assert qbo.fault(reply)["code"] == "6010"


def test_sub_account_must_share_parent_type(qbo):
    reply = qbo.post("account", {"Name": "X", "AccountType": "Expense", "SubAccount": True,
                                 "ParentRef": {"value": qbo.account_id("Checking")}})
    assert qbo.fault(reply)["code"] == "6000"


def test_class_and_sub_class(qbo):
    summer = qbo.create("Class", {"Name": "Summer 2025"})
    assert len(summer["Id"]) == 19  # QBO class ids are long numbers
    week = qbo.create("Class", {"Name": "Week 1", "SubClass": True,
                                "ParentRef": {"value": summer["Id"]}})
    assert week["FullyQualifiedName"] == "Summer 2025:Week 1"
    assert qbo.fault(qbo.post("class", {"Name": "Summer 2025"}))["code"] == "6240"
    missing = qbo.post("class", {"Name": "W", "SubClass": True, "ParentRef": {"value": "999"}})
    assert qbo.fault(missing)["code"] == "610"


def test_customer_and_sub_customer(qbo):
    parent = qbo.customer("Smith Family")
    child = qbo.create("Customer", {"DisplayName": "Smith, Ava", "Job": True,
                                    "BillWithParent": True,
                                    "ParentRef": {"value": parent["Id"]}})
    assert child["FullyQualifiedName"] == "Smith Family:Smith, Ava"
    assert child["Level"] == 1 and parent["Level"] == 0
    assert child["Job"] is True


def test_display_name_unique_across_all_customers_case_insensitive(qbo):
    parent = qbo.customer("Jones")
    qbo.create("Customer", {"DisplayName": "Kid", "Job": True,
                            "ParentRef": {"value": parent["Id"]}})
    error = qbo.fault(qbo.post("customer", {"DisplayName": "kid"}))
    assert error["code"] == "6240"
    assert error["Message"] == "Duplicate Name Exists Error"


def test_display_name_built_from_name_parts_or_6080(qbo):
    built = qbo.create("Customer", {"GivenName": "Ava", "FamilyName": "Stone"})
    assert built["DisplayName"] == "Ava Stone"
    assert qbo.fault(qbo.post("customer", {"CompanyName": "X"}))["code"] == "6080"
    assert qbo.fault(qbo.post("customer", {"DisplayName": "A:B"}))["code"] == "2170"


def test_unknown_property_is_2010(qbo):
    error = qbo.fault(qbo.post("customer", {"DisplayName": "X", "Bogus": 1}))
    assert error["code"] == "2010" and "Bogus" in error["Detail"]


def test_sub_customer_of_inactive_parent_is_610(qbo):
    parent = qbo.customer("Gone")
    qbo.post("customer", {"Id": parent["Id"], "SyncToken": parent["SyncToken"],
                          "sparse": True, "Active": False})
    reply = qbo.post("customer", {"DisplayName": "Kid", "Job": True,
                                  "ParentRef": {"value": parent["Id"]}})
    assert qbo.fault(reply)["code"] == "610"


def test_name_list_delete_is_deactivation_and_renames(qbo):
    customer = qbo.customer("Thrifty Meats")
    assert qbo.fault(qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0"},
                              operation="delete"))["code"] == "500"
    reply = qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True,
                                  "Active": False})
    gone = reply.json()["Customer"]
    assert gone["DisplayName"] == "Thrifty Meats (deleted)" and gone["Active"] is False
    assert "Customer" not in qbo.query("select * from Customer where DisplayName LIKE 'Thr%'")
    inactive = qbo.query("select * from Customer where Active = false")["Customer"]
    assert [c["Id"] for c in inactive] == [customer["Id"]]
    edit = qbo.post("customer", {"Id": customer["Id"], "SyncToken": gone["SyncToken"],
                                 "sparse": True, "Notes": "x"})
    assert qbo.fault(edit)["code"] == "6000"
    qbo.customer("Thrifty Meats")  # the name is free again


def test_reactivating_restores_the_name(qbo):
    customer = qbo.customer("Back Again")
    gone = qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True,
                                 "Active": False}).json()["Customer"]
    back = qbo.post("customer", {"Id": customer["Id"], "SyncToken": gone["SyncToken"],
                                 "sparse": True, "Active": True}).json()["Customer"]
    assert back["DisplayName"] == "Back Again" and back["Active"] is True


def test_sparse_update_keeps_other_fields_full_update_drops_them(qbo):
    customer = qbo.create("Customer", {"DisplayName": "Ann", "Notes": "keep",
                                       "CompanyName": "Acme"})
    sparse = qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True,
                                   "Notes": "changed"}).json()["Customer"]
    assert sparse["CompanyName"] == "Acme" and sparse["Notes"] == "changed"
    assert sparse["SyncToken"] == "1"
    full = qbo.post("customer", {"Id": customer["Id"], "SyncToken": "1",
                                 "DisplayName": "Ann"}).json()["Customer"]
    assert "CompanyName" not in full and "Notes" not in full and full["SyncToken"] == "2"


def test_stale_sync_token_is_5010(qbo):
    customer = qbo.customer("Stale")
    qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0", "sparse": True, "Notes": "a"})
    error = qbo.fault(qbo.post("customer", {"Id": customer["Id"], "SyncToken": "0",
                                            "sparse": True, "Notes": "b"}))
    assert error["code"] == "5010" and error["Message"] == "Stale Object Error"


def test_update_of_missing_record_is_610(qbo):
    reply = qbo.post("customer", {"Id": "999", "SyncToken": "0", "sparse": True})
    assert qbo.fault(reply)["code"] == "610"
    assert qbo.fault(qbo.get("customer/999"))["code"] == "610"


def test_renaming_parent_renames_children_fqn(qbo):
    parent = qbo.customer("Old Name")
    child = qbo.create("Customer", {"DisplayName": "Kid", "Job": True,
                                    "ParentRef": {"value": parent["Id"]}})
    qbo.post("customer", {"Id": parent["Id"], "SyncToken": "0", "sparse": True,
                          "DisplayName": "New Name"})
    assert qbo.get(f"customer/{child['Id']}").json()["Customer"][
        "FullyQualifiedName"] == "New Name:Kid"


def test_item_service_needs_income_account(qbo):
    item = qbo.item("Camp Fee")
    assert item["Type"] == "Service"
    assert item["IncomeAccountRef"]["value"] == qbo.account_id("Services")
    assert qbo.fault(qbo.post("item", {"Name": "X", "Type": "Service"}))["code"] == "2020"
    bad = qbo.post("item", {"Name": "X", "Type": "Service",
                            "IncomeAccountRef": {"value": "9999"}})
    assert qbo.fault(bad)["code"] == "610"
    assert qbo.fault(qbo.post("item", {"Name": "camp fee", "Type": "Service",
                                       "IncomeAccountRef": {"value": "12"}}))["code"] == "6240"


def _deactivate(qbo, entity, record):
    reply = qbo.post(entity.lower(), {"Id": record["Id"], "SyncToken": record["SyncToken"],
                                      "sparse": True, "Active": False})
    assert reply.status_code == 200, reply.text
    return reply.json()[entity]


def test_same_name_can_be_deleted_twice_but_not_revived_twice(qbo):
    first = _deactivate(qbo, "Customer", qbo.customer("Twin"))
    second = _deactivate(qbo, "Customer", qbo.customer("Twin"))
    assert first["DisplayName"] == second["DisplayName"] == "Twin (deleted)"
    revived = qbo.post("customer", {"Id": first["Id"], "SyncToken": first["SyncToken"],
                                    "sparse": True, "Active": True})
    assert revived.status_code == 200
    clash = qbo.post("customer", {"Id": second["Id"], "SyncToken": second["SyncToken"],
                                  "sparse": True, "Active": True})
    assert qbo.fault(clash)["code"] == "6240"


def test_customers_nest_at_most_five_levels(qbo):
    parent = qbo.customer("L0")
    for level in range(1, 5):
        parent = qbo.create("Customer", {"DisplayName": f"L{level}", "Job": True,
                                         "ParentRef": {"value": parent["Id"]}})
        assert parent["Level"] == level
    too_deep = qbo.post("customer", {"DisplayName": "L5", "Job": True,
                                     "ParentRef": {"value": parent["Id"]}})
    assert qbo.fault(too_deep)["code"] == "6000"


def test_a_record_cannot_become_its_own_ancestor(qbo):
    top = qbo.create("Class", {"Name": "Top"})
    sub = qbo.create("Class", {"Name": "Sub", "SubClass": True,
                               "ParentRef": {"value": top["Id"]}})
    loop = qbo.post("class", {"Id": top["Id"], "SyncToken": top["SyncToken"], "sparse": True,
                              "SubClass": True, "ParentRef": {"value": sub["Id"]}})
    assert qbo.fault(loop)["code"] == "900"


def test_renaming_a_parent_account_renames_sub_accounts(qbo):
    parent = qbo.create("Account", {"Name": "Fees", "AccountType": "Income"})
    child = qbo.create("Account", {"Name": "Camp", "AccountType": "Income", "SubAccount": True,
                                   "ParentRef": {"value": parent["Id"]}})
    qbo.post("account", {"Id": parent["Id"], "SyncToken": "0", "sparse": True,
                         "Name": "Program Fees"})
    moved = qbo.get(f"account/{child['Id']}").json()["Account"]
    assert moved["FullyQualifiedName"] == "Program Fees:Camp" and "Level" not in moved


def test_malformed_requests(qbo):
    broken = qbo.http.post(f"{qbo.company}/customer", data="{not json",
                           headers={**qbo.headers(), "Content-Type": "application/json"})
    assert qbo.fault(broken)["code"] == "2010"
    assert qbo.fault(qbo.post("customer", ["a list"]))["code"] == "2010"
    unknown = qbo.fault(qbo.get("widget/1"))
    assert unknown["code"] == "500" and "Could not find resource" in unknown["Detail"]
    assert qbo.fault(qbo.get("customer"))["code"] == "500"
