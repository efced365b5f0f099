"""Names QBO accepts: cleaning, suffixes within limits, document numbers."""

from __future__ import annotations

from app.accounting.detailed.names import (
    NameRequest,
    assign_unique_names,
    clean_name,
    doc_number,
    name_belongs_to,
    with_suffix,
)


def test_clean_name_removes_what_qbo_refuses():
    assert clean_name('  Lee:  "Ava"\tJr\n', 100) == "Lee- 'Ava' Jr"
    assert clean_name("x" * 120, 100) == "x" * 100


def test_suffix_survives_the_length_limit():
    name = with_suffix("y" * 120, "P-123", 100)
    assert len(name) <= 100 and name.endswith(" (P-123)")


def test_doc_numbers_fit_21_characters_and_stay_distinct():
    assert doc_number("O-1001") == "O-1001"
    assert doc_number("O-1001", "-S2") == "O-1001-S2"
    long_a, long_b = doc_number("A" * 30), doc_number("A" * 29 + "B")
    assert len(long_a) == len(long_b) == 21 and long_a != long_b
    assert doc_number("A" * 30) == long_a  # deterministic
    assert len(doc_number("A" * 30, "-C1")) == 21


def test_unique_names_keep_posted_ones_and_suffix_newcomers():
    requests = [NameRequest("k1", "Sam Lee", "P1"), NameRequest("k2", "Sam Lee", "P2"),
                NameRequest("k3", "sam lee", "P3")]
    names, collided = assign_unique_names(requests, {"k2": "Sam Lee"}, 100)
    assert names == {"k1": "Sam Lee (P1)", "k2": "Sam Lee", "k3": "sam lee (P3)"}
    assert [r.key for r in collided] == ["k1", "k3"]


def test_a_posted_suffixed_name_still_belongs_to_its_person():
    assert name_belongs_to("Sam Lee (P7)", "Sam Lee")
    assert not name_belongs_to("Sam Lee (P7)", "Samuel Lee")
    assert not name_belongs_to("Ava Lee", "Sam Lee")
