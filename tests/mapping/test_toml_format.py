"""The mapping file of SPEC §4: read, validated (every problem at once), written back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.mapping.config import ACCOUNT_ROLES, MappingConfig, Target
from app.mapping.toml_format import dump_mapping, parse_mapping, read_mapping_file

SPEC_EXAMPLE = Path(__file__).with_name("spec_example.toml")


def test_the_spec_example_reads_exactly():
    config, issues = read_mapping_file(SPEC_EXAMPLE)
    assert issues == ()
    assert config is not None
    assert (config.style, config.go_live, config.sync) == ("summary", date(2026, 1, 1), "daily")
    assert config.organisation_class == "Riverside Swim"
    assert config.accounts["tax_parent"] == Target("Sales Tax Payable")
    assert config.income == {"Swim Lessons": Target("Tuition:Swim Lessons")}
    assert config.tenders == {"card": Target("Merchant Settlement")}
    assert config.locations == {"L1": Target("Riverside Swim:Downtown L1")}
    assert config.tax_rates == {"T1": Target("Sales Tax Payable:Tax Rate - County T1")}
    assert config.create_missing is True and config.deferred_revenue is False


def test_round_trip_of_the_spec_example():
    config, _ = read_mapping_file(SPEC_EXAMPLE)
    assert config is not None
    again, issues = parse_mapping(dump_mapping(config))
    assert issues == () and again == config


def test_rounding_is_an_account_role():
    config, issues = parse_mapping('style = "detailed"\n[accounts]\nrounding = "Rounding"\n')
    assert issues == () and config is not None
    assert config.accounts["rounding"] == Target("Rounding")


@pytest.mark.parametrize("text, code", [
    ('style = "fancy"', "bad_style"),
    ('style = "summary"\ngo_live = 2026-01-01\nsync = "hourly"', "bad_sync"),
    ('style = "summary"', "missing_go_live"),
    ('style = "summary"\ngo_live = "soon"', "bad_go_live"),
    ('style = "detailed"\ncolour = "red"', "unknown_key"),
    ('style = "detailed"\n[accounts]\npiggy_bank = "Piggy"', "unknown_role"),
    ('style = "detailed"\n[tenders]\nbitcoin = "Crypto"', "unknown_tender"),
    ('style = "detailed"\n[income]\nSwim = "Tuition::Swim"', "bad_target"),
    ('style = "detailed"\n[income]\nSwim = ""', "bad_target"),
    ('style = "detailed"\n[income]\nSwim = 3', "bad_target"),
    ('style = "detailed"\n[locations]\nL1 = "A \\"quoted\\" class"', "bad_target"),
    ('style = "detailed"\n[options]\ncreate_missing = "yes"', "bad_option"),
    ('style = "detailed"\n[options]\nauto_post = true', "unknown_option"),
    ('style = "detailed"\nincome = "x"', "bad_table"),
    ('style = "detailed"\n[income\n', "bad_toml"),
])
def test_bad_values_are_issues_not_exceptions(text, code):
    config, issues = parse_mapping(text)
    assert config is None
    assert code in [i.code for i in issues]
    assert all(i.severity == "error" and i.fix for i in issues)


def test_every_problem_is_reported_at_once():
    text = 'style = "x"\nsync = "y"\n[accounts]\nfoo = "A"\n[options]\nbar = 1\n'
    _config, issues = parse_mapping(text)
    assert {i.code for i in issues} == {"bad_style", "bad_sync", "unknown_role",
                                        "unknown_option"}


def test_go_live_as_iso_text_is_accepted():
    config, issues = parse_mapping('style = "summary"\ngo_live = "2026-02-01"\n')
    assert issues == () and config is not None and config.go_live == date(2026, 2, 1)


def test_a_bom_is_ignored(tmp_path):
    path = tmp_path / "m.toml"
    path.write_bytes(b"\xef\xbb\xbf" + SPEC_EXAMPLE.read_bytes())
    config, issues = read_mapping_file(path)
    assert issues == () and config is not None


names = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters=':"'),
                min_size=1, max_size=20).filter(lambda s: s.strip() == s and s)
fqns = st.lists(names, min_size=1, max_size=3).map(":".join)
targets = st.dictionaries(names, fqns.map(Target), max_size=4)


@settings(max_examples=50, deadline=None)
@given(style=st.sampled_from(["summary", "detailed"]), sync=st.sampled_from(["daily", "manual"]),
       go_live=st.dates(date(2000, 1, 1), date(2100, 1, 1)), organisation=st.none() | fqns,
       accounts=st.dictionaries(st.sampled_from(ACCOUNT_ROLES), fqns.map(Target), max_size=4),
       income=targets, locations=targets, tax_rates=targets,
       tenders=st.dictionaries(st.sampled_from(["card", "cash", "gift_card", "custom:Zelle Pay"]),
                               fqns.map(Target), max_size=3),
       create_missing=st.booleans(), deferred=st.booleans())
def test_any_mapping_survives_a_round_trip(style, sync, go_live, organisation, accounts, income,
                                           locations, tax_rates, tenders, create_missing,
                                           deferred):
    config = MappingConfig(style=style, go_live=go_live, sync=sync,
                           organisation_class=organisation, accounts=accounts, income=income,
                           tenders=tenders, locations=locations, tax_rates=tax_rates,
                           create_missing=create_missing, deferred_revenue=deferred)
    again, issues = parse_mapping(dump_mapping(config))
    assert issues == ()
    assert again == config


def test_keys_and_names_longer_than_the_mapping_columns_are_issues():
    """PostgreSQL enforces the column widths SQLite ignores: say so before storing."""
    from app.mapping.config import MAX_SOURCE_KEY_LENGTH

    long_key = "P" * (MAX_SOURCE_KEY_LENGTH + 1)
    long_name = ":".join(["A" * 100] * 6)
    text = (f'style = "summary"\ngo_live = 2026-01-01\n[income]\n"{long_key}" = "Tuition"\n'
            f'Swim = "{long_name}"\n')
    config, issues = parse_mapping(text)
    assert config is None
    assert [i.code for i in issues] == ["key_too_long", "bad_target"]
    assert "longer than 500 characters in all" in issues[1].message


def test_targets_approved_for_creation_round_trip_in_a_create_table():
    text = ('style = "detailed"\n[income]\nSwim = "Tuition:Swim"\n'
            '[create]\naccounts = ["Tuition:Swim"]\nclasses = ["Org", "Org:Downtown L1"]\n')
    config, issues = parse_mapping(text)
    assert issues == ()
    assert config.create_new == ("Account:Tuition:Swim", "Class:Org", "Class:Org:Downtown L1")
    assert config.may_create("Class", "Org") and not config.may_create("Account", "Org")
    assert parse_mapping(dump_mapping(config)) == (config, ())
    assert "[create]" not in dump_mapping(MappingConfig(style="detailed"))


@pytest.mark.parametrize("table", [
    '[create]\nitems = ["X"]\n', '[create]\naccounts = "X"\n', '[create]\naccounts = ["A::B"]\n',
    '[create]\naccounts = ["' + "A" * 99 + ":" + "B" * 99 + '"]\n'])
def test_a_bad_create_table_is_an_issue(table):
    config, issues = parse_mapping('style = "detailed"\n' + table)
    assert config is None and len(issues) == 1
