"""QBO customers: one per family (organisation-level identity), a sub-customer per child.

SPEC §3a: a participant is a sub-customer (Job, ParentRef, BillWithParent) under its
customer, or a top-level customer when it has none. The same person registered through
several sources of one organisation is one QBO customer: customers are grouped by
identity (same source ID, or same e-mail and same name), participants by their family
and name; a group keeps the key already posted, else the lowest source ID.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from app.domain.records import Customer, Participant
from app.plan.plan import Issue

from .context import PlanContext, note
from .names import (
    DISPLAY_NAME_MAX,
    PERSON_NAME_MAX,
    NameRequest,
    assign_unique_names,
    clean_name,
    name_belongs_to,
)

R = TypeVar("R")


def customer_key(customer_id: str) -> str:
    return f"customer:{customer_id}"


def participant_key(participant_id: str) -> str:
    return f"customer:participant:{participant_id}"


def _text(value: str | None) -> str:
    return (value or "").strip().casefold()


def _canonical_ids(records: Iterable[R], source_id: Callable[[R], str],
                   identity: Callable[[R], tuple[str, ...] | None],
                   key_of: Callable[[str], str], exists: Callable[[str], bool]) -> dict[str, str]:
    """source ID -> the source ID whose QBO record stands for its whole identity group."""
    groups: dict[tuple[str, ...], list[str]] = {}
    result: dict[str, str] = {}
    for record in records:
        ident = identity(record)
        if ident is None:
            result[source_id(record)] = source_id(record)
        else:
            groups.setdefault(ident, []).append(source_id(record))
    for members in groups.values():
        posted = sorted(m for m in members if exists(key_of(m)))
        chosen = posted[0] if posted else min(members)
        result.update({m: chosen for m in members})
    return result


class Directory:
    """Which QBO customer each source customer/participant is, and their payloads."""

    def __init__(self, ctx: PlanContext) -> None:
        self.ctx = ctx
        data = ctx.dataset
        self.customer_of = _canonical_ids(
            data.customers, lambda c: c.customer_id,
            lambda c: ("email", _text(c.email), _text(c.name)) if c.email else None,
            customer_key, ctx.ledger.exists)
        self.participant_of = _canonical_ids(
            data.participants, lambda p: p.participant_id, self._participant_identity,
            participant_key, ctx.ledger.exists)
        self.collided: list[NameRequest] = []  # namesakes given ``name (ID)``
        self.names = self._display_names()

    def _parent_id(self, participant: Participant) -> str | None:
        cid = participant.customer_id
        if cid is None or cid not in self.ctx.dataset.customer_by_id:
            return None
        return self.customer_of[cid]

    def _participant_identity(self, p: Participant) -> tuple[str, ...]:
        parent = self._parent_id(p)
        if parent is None:
            return ("self", _text(p.email) or p.participant_id, _text(p.first_name),
                    _text(p.last_name))
        return ("child", parent, _text(p.first_name), _text(p.last_name))

    # --- keys ------------------------------------------------------------------------
    def key_for_participant(self, participant_id: str) -> str | None:
        chosen = self.participant_of.get(participant_id)
        return None if chosen is None else participant_key(chosen)

    def key_for_customer(self, customer_id: str) -> str | None:
        chosen = self.customer_of.get(customer_id)
        return None if chosen is None else customer_key(chosen)

    def parent_key(self, key: str) -> str | None:
        """The parent customer's key of a sub-customer key (None for top-level)."""
        if not key.startswith("customer:participant:"):
            return None
        participant = self.ctx.dataset.participant_by_id[key.rsplit(":", 1)[1]]
        parent = self._parent_id(participant)
        return None if parent is None else customer_key(parent)

    def use(self, key: str) -> None:
        self.ctx.wanted.add(key)
        parent = self.parent_key(key)
        if parent is not None:
            self.ctx.wanted.add(parent)

    # --- names -----------------------------------------------------------------------
    def _requests(self) -> list[NameRequest]:
        data = self.ctx.dataset
        requests = []
        for cid in sorted(set(self.customer_of.values())):
            customer = data.customer_by_id[cid]
            requests.append(NameRequest(customer_key(cid), _customer_name(customer), cid))
        for pid in sorted(set(self.participant_of.values())):
            participant = data.participant_by_id[pid]
            requests.append(NameRequest(participant_key(pid), _person_name(participant), pid))
        return requests

    def _display_names(self) -> dict[str, str]:
        requests = self._requests()
        posted = {}
        for request in requests:
            name = self.ctx.ledger.payload(request.key).get("DisplayName")
            if isinstance(name, str) and name_belongs_to(name, request.base):
                posted[request.key] = name
        names, self.collided = assign_unique_names(requests, posted, DISPLAY_NAME_MAX)
        return names

    def _name_notes(self) -> None:
        """A note per namesake the period's operations create: names are settled over
        the whole data set, but a month only hears of the customers it touches."""
        for request in self.collided:
            if request.key not in self.ctx.wanted:
                continue
            self.ctx.issue(Issue(
                "info", "duplicate_display_name",
                f"Two customers are named {request.base!r}; this one is shown in "
                f"QuickBooks as {self.names[request.key]!r}",
                "nothing to do; rename the person in the source if you prefer",
                sources=(_source_of(request.key),)))

    # --- planning --------------------------------------------------------------------
    def plan_customers(self) -> None:
        """Customers first, then sub-customers (their parents must exist)."""
        self._name_notes()
        data = self.ctx.dataset
        for cid in sorted(set(self.customer_of.values())):
            key = customer_key(cid)
            if key in self.ctx.wanted or self.ctx.ledger.exists(key):
                self._plan(key, self._customer_payload(key, data.customer_by_id[cid]))
        for pid in sorted(set(self.participant_of.values())):
            key = participant_key(pid)
            if key in self.ctx.wanted or self.ctx.ledger.exists(key):
                self._plan(key, self._participant_payload(key, data.participant_by_id[pid]))

    def _plan(self, key: str, payload: dict[str, Any]) -> None:
        kind = "Sub-customer" if payload.get("Job") else "Customer"
        self.ctx.plan_record("Customer", key, payload, f"{kind} {payload['DisplayName']!r}",
                             sources=(_source_of(key),))

    def _customer_payload(self, key: str, customer: Customer) -> dict[str, Any]:
        payload: dict[str, Any] = {"DisplayName": self.names[key], "Notes": note(key)}
        _add_person(payload, customer.first_name, customer.last_name)
        if customer.email:
            payload["PrimaryEmailAddr"] = {"Address": customer.email.strip()}
        if customer.phone:
            payload["PrimaryPhone"] = {"FreeFormNumber": customer.phone.strip()}
        return payload

    def _participant_payload(self, key: str, participant: Participant) -> dict[str, Any]:
        payload: dict[str, Any] = {"DisplayName": self.names[key], "Notes": note(key)}
        _add_person(payload, participant.first_name, participant.last_name)
        if participant.email:
            payload["PrimaryEmailAddr"] = {"Address": participant.email.strip()}
        parent = self.parent_key(key)
        if parent is not None:
            payload |= {"Job": True, "ParentRef": {"$ref": parent}, "BillWithParent": True}
        return payload


def _add_person(payload: dict[str, Any], first: str | None, last: str | None) -> None:
    if first and clean_name(first, PERSON_NAME_MAX):
        payload["GivenName"] = clean_name(first, PERSON_NAME_MAX)
    if last and clean_name(last, PERSON_NAME_MAX):
        payload["FamilyName"] = clean_name(last, PERSON_NAME_MAX)


def _customer_name(customer: Customer) -> str:
    name = clean_name(customer.name, DISPLAY_NAME_MAX)
    return name or clean_name(f"Customer {customer.customer_id}", DISPLAY_NAME_MAX)


def _person_name(participant: Participant) -> str:
    name = clean_name(f"{participant.first_name} {participant.last_name}", DISPLAY_NAME_MAX)
    return name or clean_name(f"Participant {participant.participant_id}", DISPLAY_NAME_MAX)


def _source_of(key: str) -> str:
    if key.startswith("customer:participant:"):
        return "participant:" + key.rsplit(":", 1)[1]
    return "customer:" + key.split(":", 1)[1]
