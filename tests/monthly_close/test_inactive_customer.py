"""Pre-flight finds a customer made inactive in QuickBooks that the period still names
(QuickBooks would refuse its records with error 610) and stops the post with the fix,
before anything is sent; reactivated, the month posts."""

from __future__ import annotations

from datetime import date

from app.accounting.ledger_store import load_ledger_view
from app.monthly_close.checking import check_period
from app.monthly_close.importing import ImportRequest, import_exports
from app.monthly_close.outcome import post_month
from app.plan.plan import Period
from app.progress import CancelToken
from tests.monthly_close.companies import (  # noqa: F401  (the simulator fixture)
    TIME_SCALE,
    build_company,
    quickbooks_counts,
    simulator,
)
from tests.monthly_close.test_close_core import JANUARY, open_company
from tests.sync.simulator_helpers import fast_client_options

FEBRUARY = Period(date(2025, 2, 1), date(2025, 2, 28))


def _post(database, company_id, data, period):
    return post_month(database, company_id, data, period, "hold", None, lambda _p: None,
                      CancelToken())


def test_an_inactive_customer_is_found_before_posting(tmp_path, simulator):  # noqa: F811
    from app.sync.local_demo import connect_local

    home = tmp_path / "home"
    exports = build_company(home, tmp_path / "exports", simulator, months=2)
    database, company_id, config, data = open_company(home)
    assert import_exports(database, company_id, config, ImportRequest((exports,))).ok
    assert _post(database, company_id, data, JANUARY).exit_code == 0
    check = check_period(database, company_id, data, FEBRUARY)
    assert not [p for p in check.problems if p.issue.code == "customer_inactive"]
    key = next(k for o in check.preview.operations if o.entity == "Payment"
               for k in o.depends_on if k.startswith("customer:"))
    with database.session() as session:
        qbo_id = load_ledger_view(session, company_id)[key].qbo_id
    client, _link = connect_local(simulator.info, **fast_client_options(TIME_SCALE))
    customer = client.read("Customer", qbo_id)
    client.update("Customer", {"Id": qbo_id, "SyncToken": customer["SyncToken"],
                               "Active": False}, request_id="made-inactive")  # by hand

    check = check_period(database, company_id, data, FEBRUARY)
    found = [p for p in check.problems if p.issue.code == "customer_inactive"]
    assert len(found) == 1 and found[0].stops_post and found[0].action.kind == "quickbooks"
    renamed = client.read("Customer", qbo_id)["DisplayName"]
    assert renamed.endswith(" (deleted)")  # QuickBooks' own mark: not repeated to the user
    name = renamed.removesuffix(" (deleted)")
    assert "(deleted)" not in found[0].issue.message + found[0].issue.fix
    assert f"(QuickBooks id {qbo_id}) is inactive" in found[0].issue.message
    assert found[0].issue.fix.startswith(f"Reactivate customer {name} in QuickBooks (Sales > "
                                         "Customers > include inactive > Make active), or")
    before = quickbooks_counts(simulator)
    report = _post(database, company_id, data, FEBRUARY)
    assert [i.code for i in report.stopping] == ["customer_inactive"]
    assert quickbooks_counts(simulator) == before  # nothing sent, nothing failed

    again = client.read("Customer", qbo_id)
    client.update("Customer", {"Id": qbo_id, "SyncToken": again["SyncToken"], "Active": True},
                  request_id="made-active")
    assert _post(database, company_id, data, FEBRUARY).exit_code == 0
    database.close()
