"""A fresh company: CompanyInfo, Preferences, the default chart of accounts, two items.

Seeding goes through the same create operation as API calls, so the default records obey
the same rules (and get ordinary Ids and SyncTokens) as everything a client creates.
"""

from __future__ import annotations

from app.simulator import chart, operations
from app.simulator.company import Company
from app.simulator.entities import KINDS


def seed_company(company: Company) -> None:
    marker = f"seeded:{company.realm}"
    with company.store.transaction():
        if company.store.get_meta(marker):
            return
        now = company.clock.iso_now()
        envelope = {"SyncToken": "0", "domain": "QBO", "sparse": False,
                    "MetaData": {"CreateTime": now, "LastUpdatedTime": now}}
        company.put("CompanyInfo", {"Id": "1", **envelope,
                                    **chart.company_info(company.realm, company.today())})
        company.put("Preferences", {"Id": "1", **envelope, **chart.preferences()})
        ids = {}
        for name, account_type, subtype in chart.DEFAULT_ACCOUNTS:
            created = operations.create(company, KINDS["Account"], {
                "Name": name, "AccountType": account_type, "AccountSubType": subtype})
            ids[name] = created["Id"]
        for item in chart.DEFAULT_ITEMS:
            operations.create(company, KINDS["Item"], {
                "Name": item, "Type": "Service",
                "IncomeAccountRef": {"value": ids["Services"]}})
        company.store.set_meta(marker, now)
