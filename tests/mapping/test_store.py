"""The mapping kept per company with QBO ids, and the mapping version bumped on change."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.config import resolve_paths
from app.mapping.config import MappingConfig, Target
from app.mapping.store import load_mapping, save_mapping
from app.models.company import Company, active_company
from app.models.database import Database


@pytest.fixture
def database(tmp_path):
    db = Database.open(resolve_paths(str(tmp_path)).ensure())
    yield db
    db.close()


CONFIG = MappingConfig(
    style="summary", go_live=date(2026, 1, 1), sync="manual", organisation_class="Org",
    organisation_class_id="100",
    accounts={"undeposited_funds": Target("Undeposited Funds", "1"),
              "rounding": Target("Rounding")},
    income={"Swim Lessons": Target("Tuition:Swim Lessons", "10")},
    tenders={"card": Target("Merchant Settlement", "2")},
    locations={"L1": Target("Org:Downtown L1", "101")},
    tax_rates={"T1": Target("Tax:County T1")},
    create_missing=True,
)


def _company(database) -> int:
    with database.session() as session:
        return active_company(session, create=True).id


def test_save_then_load_gives_the_same_mapping_with_ids(database):
    company_id = _company(database)
    with database.session() as session:
        assert load_mapping(session, company_id) is None
        assert save_mapping(session, company_id, CONFIG) == 1
    with database.session() as session:
        assert load_mapping(session, company_id) == CONFIG
        company = session.get(Company, company_id)
        assert (company.posting_style, company.go_live, company.sync_schedule) == (
            "summary", date(2026, 1, 1), "manual")


def test_saving_the_same_names_keeps_ids_and_the_version(database):
    company_id = _company(database)
    with database.session() as session:
        save_mapping(session, company_id, CONFIG)
    names_only = dataclasses.replace(
        CONFIG, organisation_class_id=None,
        income={"Swim Lessons": Target("Tuition:Swim Lessons")},
        locations={"L1": Target("Org:Downtown L1")})
    with database.session() as session:
        assert save_mapping(session, company_id, names_only) == 1
        assert load_mapping(session, company_id) == CONFIG


def test_a_change_bumps_the_version_and_drops_the_stale_id(database):
    company_id = _company(database)
    with database.session() as session:
        save_mapping(session, company_id, CONFIG)
    changed = dataclasses.replace(
        CONFIG, income={"Swim Lessons": Target("Tuition:Lessons")}, tenders={})
    with database.session() as session:
        assert save_mapping(session, company_id, changed) == 2
        loaded = load_mapping(session, company_id)
    assert loaded.income == {"Swim Lessons": Target("Tuition:Lessons")}
    assert loaded.tenders == {}


def test_approvals_to_create_are_stored_and_read_back(database):
    company_id = _company(database)
    config = dataclasses.replace(CONFIG, create_missing=False,
                                 create_new=("Account:Tax:County T1", "Class:Org"))
    with database.session() as session:
        save_mapping(session, company_id, config)
    with database.session() as session:
        assert load_mapping(session, company_id) == config
        version = save_mapping(session, company_id, dataclasses.replace(config, create_new=()))
        assert version == 2 and load_mapping(session, company_id).create_new == ()
