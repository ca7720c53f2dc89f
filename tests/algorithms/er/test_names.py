"""Name folding, titles, the Companies House officer form, phonetics and nicknames."""

from __future__ import annotations

import numpy as np

from algorithms.er.names import (
    fold,
    in_sorted,
    name_tokens,
    nickname_group,
    parse_full_name,
    phonetic,
    related_pairs,
)


def test_fold_strips_accents_case_apostrophes_and_transliterates() -> None:
    assert fold("  José  O'Neil-Smith ") == "jose oneil smith"
    assert fold("Юрий Гагарин") == "yuriy gagarin"
    assert fold("Σωκράτης") == "sokratis"
    assert fold("Łukasz Søren") == "lukasz soren"


def test_titles_and_suffixes_are_dropped() -> None:
    assert name_tokens("Dr. John Smith Jnr") == ["john", "smith"]


def test_officer_form_and_surname_first_forms_are_read() -> None:
    officer = parse_full_name("MR|KEVIN DAVID|SMITH")
    assert officer is not None
    assert officer.forenames == ("kevin", "david")
    assert officer.surname == "smith"
    comma = parse_full_name("SMITH, Kevin David")
    assert comma == officer
    plain = parse_full_name("Mrs Jane Ann Doe")
    assert plain is not None
    assert (plain.forenames, plain.surname) == (("jane", "ann"), "doe")
    assert parse_full_name("Mr") is None


def test_transliteration_variants_share_a_phonetic_key() -> None:
    assert phonetic("mohammed") == phonetic("muhammad") == phonetic("mohamed")
    assert phonetic("aleksandr") == phonetic("alexander")
    assert phonetic("smith") != phonetic("jones")


def test_nicknames_relate_diminutives_to_their_names() -> None:
    assert nickname_group("bill") & nickname_group("william")
    assert nickname_group("peggy") & nickname_group("margaret")
    assert not nickname_group("william") & nickname_group("margaret")
    assert nickname_group("zzyzx") == frozenset({"zzyzx"})


def test_related_pairs_are_sorted_keys_of_related_values() -> None:
    values = ["william", "margaret", "bill", "peggy", "zoe"]
    keys = related_pairs(values)
    n = len(values)
    assert np.all(np.diff(keys) > 0)
    probe = np.array([0 * n + 2, 1 * n + 3, 0 * n + 1, 2 * n + 4], dtype=np.int64)
    assert in_sorted(probe, keys).tolist() == [True, True, False, False]
