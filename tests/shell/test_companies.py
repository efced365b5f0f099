"""Several companies in one folder: listing, choosing by name or realm, the last used."""

from __future__ import annotations

import pytest

from app.companies import (
    CompanyChoiceError,
    CompanyEntry,
    add_company,
    choose_company,
    company_holding_realm,
    list_companies,
    read_last_company,
    remember_company,
)
from app.config import resolve_paths
from app.models.company import AmbiguousCompany, Company, active_company
from app.models.database import Database


def entry(id_: int, name: str, realm: str | None = None, env: str = "production",
          state: str = "connected") -> CompanyEntry:
    return CompanyEntry(id_, name, None, realm, env, None, state, None)


ENTRIES = [entry(1, "Riverside Swim", "111"), entry(2, "Lakeview Dance", "222"),
           entry(3, "Riverside Swim", "333")]


def test_a_choice_by_realm_or_name_names_one_company():
    assert choose_company(ENTRIES, "222", None).id == 2
    assert choose_company(ENTRIES, "lakeview dance", None).id == 2
    assert choose_company(ENTRIES, " 333 ", None).id == 3


def test_an_unclear_choice_names_the_choices():
    with pytest.raises(CompanyChoiceError, match=r"names several companies.*realm 111.*realm 333"):
        choose_company(ENTRIES, "Riverside Swim", None)
    with pytest.raises(CompanyChoiceError, match=r"no company is called .Nope.*Lakeview Dance"):
        choose_company(ENTRIES, "Nope", None)
    with pytest.raises(CompanyChoiceError, match="several companies and none was chosen"):
        choose_company(ENTRIES, None, None)
    with pytest.raises(CompanyChoiceError, match="no company yet"):
        choose_company([], None, None)


def test_without_a_choice_the_only_or_the_last_used_company():
    assert choose_company(ENTRIES[:1], None, None).id == 1
    assert choose_company(ENTRIES, None, 3).id == 3
    with pytest.raises(CompanyChoiceError):
        choose_company(ENTRIES, None, 99)  # a forgotten company is not guessed


def test_a_simulator_company_always_says_so():
    demo = entry(1, "Demo", "9", env="local")
    assert demo.simulator and demo.label == "Demo (simulator)"
    assert entry(2, "Demo Company (Ledgerbridge simulator)", "9", env="local").label \
        == "Demo Company (Ledgerbridge simulator)"
    assert not entry(3, "New", None, env="local").simulator  # not connected to anything yet


def test_the_last_company_is_remembered_and_the_demo_keeps_the_real_one(tmp_path):
    assert read_last_company(tmp_path).company_id is None
    remember_company(tmp_path, 4)
    remember_company(tmp_path, demo=True)
    last = read_last_company(tmp_path)
    assert (last.company_id, last.demo) == (4, True)
    (tmp_path / "last-company.json").write_text("not json", encoding="utf-8")
    assert read_last_company(tmp_path).company_id is None


def test_companies_in_a_database_and_the_old_single_company_helper(tmp_path):
    database = Database.open(resolve_paths(tmp_path).ensure())
    try:
        with database.session() as session:
            first = add_company(session, "Riverside Swim")
            assert active_company(session).id == first.id  # one company: still fine
            second = add_company(session, "Lakeview Dance")
            session.get(Company, second.id).realm_id = "222"  # type: ignore[union-attr]
        with database.session() as session:
            assert [e.name for e in list_companies(session)] == ["Lakeview Dance",
                                                                   "Riverside Swim"]
            with pytest.raises(CompanyChoiceError, match="already a company"):
                add_company(session, "riverside swim")
            assert company_holding_realm(session, "222").id == second.id  # type: ignore[union-attr]
            assert company_holding_realm(session, "222", other_than=second.id) is None
            with pytest.raises(AmbiguousCompany):  # never "the lowest id" with several
                active_company(session)
    finally:
        database.close()
