"""Create, read, update (sparse and full), delete and void — the same for every kind.

The QBO rules that do not depend on the kind live here: SyncToken must match (5010),
unknown ids are 610, full updates drop omitted writable fields, name-list records cannot
be hard-deleted (set ``Active: false`` instead), a deleted name-list record cannot be
modified (6000) except to reactivate it, and a transaction dated in a closed period can
be neither changed nor deleted (6210). Each operation runs in one store transaction.
"""

from __future__ import annotations

import copy
from typing import Any

from app.simulator import cdc, errors
from app.simulator.company import Company
from app.simulator.entities import EntityRules
from app.simulator.entities.base import READ_ONLY, require_dict


def present(company: Company, rules: EntityRules, entity: dict[str, Any]) -> dict[str, Any]:
    return rules.present(company, entity)


def read(company: Company, rules: EntityRules, entity_id: str) -> dict[str, Any]:
    found = company.get(rules.name, entity_id)
    if found is None:
        raise errors.object_not_found(
            f"Object Not Found : Something you're trying to use has been made inactive. Check "
            f"the fields with accounts, customers, items, vendors or employees. "
            f"({rules.name} Id={entity_id})")
    return present(company, rules, found)


def create(company: Company, rules: EntityRules, body: Any) -> dict[str, Any]:
    body = require_dict(body, rules.name)
    if rules.name in {"CompanyInfo", "Preferences"}:
        raise errors.unsupported(f"Operation Create is not supported for {rules.name}.")
    with company.store.transaction():
        incoming = {k: v for k, v in body.items() if k not in READ_ONLY}
        entity = rules.build(company, incoming, None)
        now = company.clock.iso_now()
        entity = {"Id": company.next_id(rules.name, rules.id_first), "SyncToken": "0",
                  "domain": "QBO", "sparse": False,
                  "MetaData": {"CreateTime": now, "LastUpdatedTime": now}, **entity}
        rules.apply(company, entity, None)
        company.put(rules.name, entity)
        return present(company, rules, entity)


def _current(company: Company, rules: EntityRules, body: dict[str, Any]) -> dict[str, Any]:
    """The stored record the body names, after the Id and SyncToken checks."""
    if body.get("Id") in (None, ""):
        raise errors.required_missing("Id")
    if body.get("SyncToken") in (None, ""):
        raise errors.required_missing("SyncToken")
    existing = company.get(rules.name, str(body["Id"]))
    if existing is None:
        raise errors.object_not_found(
            f"Object Not Found : Something you're trying to use has been made inactive. Check "
            f"the fields with accounts, customers, items, vendors or employees. "
            f"({rules.name} Id={body['Id']})", "Id")
    if str(body["SyncToken"]) != existing["SyncToken"]:
        raise errors.stale_object()
    if rules.transaction:
        company.check_open(existing["TxnDate"])
    return existing


def update(company: Company, rules: EntityRules, body: Any) -> dict[str, Any]:
    body = require_dict(body, rules.name)
    sparse = body.get("sparse") is True
    with company.store.transaction():
        existing = _current(company, rules, body)
        if rules.name_list and existing.get("Active") is False and body.get("Active") is not True:
            raise errors.business("You cannot modify a list element that has been deleted.")
        incoming = {k: v for k, v in body.items() if k not in READ_ONLY}
        if sparse or rules.name == "Preferences":
            kept = {k: v for k, v in existing.items() if k not in READ_ONLY}
            incoming = {**kept, **incoming}
        entity = rules.build(company, incoming, existing)
        entity = {"Id": existing["Id"], "SyncToken": str(int(existing["SyncToken"]) + 1),
                  "domain": "QBO", "sparse": False,
                  "MetaData": {"CreateTime": existing["MetaData"]["CreateTime"],
                               "LastUpdatedTime": company.clock.iso_now()}, **entity}
        rules.apply(company, entity, existing)
        company.put(rules.name, entity)
        return present(company, rules, entity)


def delete(company: Company, rules: EntityRules, body: Any) -> dict[str, Any]:
    body = require_dict(body, rules.name)
    if not rules.deletable:
        raise errors.unsupported(
            f"Operation Delete is not supported for {rules.name}. Name list entities are made "
            "inactive with a sparse update of Active to false.")
    with company.store.transaction():
        existing = _current(company, rules, body)
        rules.check_delete(company, existing)
        rules.apply(company, None, existing)
        company.remove(rules.name, existing["Id"])
        cdc.remember_deletion(company, rules.name, existing["Id"])
        return {"status": "Deleted", "domain": "QBO", "Id": existing["Id"]}


def void(company: Company, rules: EntityRules, body: Any) -> dict[str, Any]:
    body = require_dict(body, rules.name)
    if not rules.voidable:
        raise errors.unsupported(f"Operation Void is not supported for {rules.name}.")
    with company.store.transaction():
        existing = _current(company, rules, body)
        entity = rules.void(company, copy.deepcopy(existing))
        entity["SyncToken"] = str(int(existing["SyncToken"]) + 1)
        entity["MetaData"] = {**existing["MetaData"], "LastUpdatedTime": company.clock.iso_now()}
        rules.apply(company, entity, existing)
        company.put(rules.name, entity)
        return present(company, rules, entity)
