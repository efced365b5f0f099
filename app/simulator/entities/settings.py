"""Company-level records: CompanyInfo (read-only here) and Preferences (updatable).

Preferences carries the closing date (``AccountingInfoPrefs.BookCloseDate``, Finance.xsd)
that every transaction write is checked against. A Preferences update is always merged
section by section (QBO documents it as a sparse-style update of the sections sent).
"""

from __future__ import annotations

from typing import Any

from app.simulator import errors
from app.simulator.company import parse_date
from app.simulator.entities.base import EntityRules, check_fields


class PreferencesRules(EntityRules):
    name = "Preferences"

    def build(self, company, body, old):
        check_fields(body, "Preferences")
        base: dict[str, Any] = {k: v for k, v in (old or {}).items()
                                if k not in {"Id", "SyncToken", "MetaData", "domain", "sparse"}}
        for section, values in body.items():
            if section in {"domain", "sparse", "Id", "SyncToken", "MetaData"}:
                continue
            if not isinstance(values, dict):
                raise errors.invalid_property(section, f"Property Name:{section} must be an "
                                              "object")
            base[section] = {**base.get(section, {}), **values}
        prefs = base.get("AccountingInfoPrefs", {})
        if prefs.get("BookCloseDate"):
            prefs["BookCloseDate"] = parse_date(prefs["BookCloseDate"], "BookCloseDate")
        else:
            prefs.pop("BookCloseDate", None)
        return base


class CompanyInfoRules(EntityRules):
    name = "CompanyInfo"

    def build(self, company, body, old):
        raise errors.unsupported("Operation Update is not supported for CompanyInfo by the "
                                 "Ledgerbridge simulator.")
