"""Comparison levels of every scorer, on hand-made values."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.er.compare import SCORERS, compare_column
from algorithms.er.features import encode_column
from algorithms.er.table import Cell, Column, ColumnKind


def _levels(kind: ColumnKind, pairs: list[tuple[Cell, Cell]]) -> list[str]:
    cells: list[Cell] = [v for pair in pairs for v in pair]
    e = encode_column(Column(kind, cells))
    left = np.arange(0, len(cells), 2, dtype=np.int64)
    scorer = SCORERS[kind]
    levels = compare_column(scorer, e, left, left + 1).levels
    return [scorer.labels[lv] if lv >= 0 else "null" for lv in levels.tolist()]


def test_forename_levels() -> None:
    got = _levels(
        ColumnKind.FORENAME,
        [
            ("Bill", "William"),
            ("Mohammed", "Muhammad"),
            ("John", "Jon"),
            ("J", "John"),
            ("John", "JOHN"),
            ("John", "Margaret"),
            ("John", None),
        ],
    )
    assert got == ["nickname", "phonetic", "close", "initial", "exact", "else", "null"]


def test_surname_token_within_the_other() -> None:
    assert _levels(ColumnKind.SURNAME, [("Smith", "Smith-Jones")]) == ["phonetic"]


def test_swapped_names_count_once_on_the_surname() -> None:
    cells = ["john", "smith", "smith", "john"]  # forename, surname of two records
    fore = encode_column(Column(ColumnKind.FORENAME, [cells[0], cells[2]]))
    sur = encode_column(Column(ColumnKind.SURNAME, [cells[1], cells[3]]))
    one, two = np.array([0]), np.array([1])
    scorer = SCORERS[ColumnKind.SURNAME]
    on_surname = compare_column(scorer, sur, one, two, partner=fore).levels[0]
    on_forename = compare_column(SCORERS[ColumnKind.FORENAME], fore, one, two, partner=sur)
    assert scorer.labels[on_surname] == "swapped"
    assert on_forename.levels[0] == -1


def test_full_name_officer_form_against_a_short_name() -> None:
    got = _levels(
        ColumnKind.FULL_NAME,
        [
            ("MR|KEVIN DAVID|SMITH", "Kevin Smith"),
            ("SMITH, Kevin David", "Kevin David Smith"),
            ("K Smith", "Kevin Smith"),
            ("Bill Jones", "William Jones"),
            ("Kevin Smith", "Mary Brown"),
        ],
    )
    assert got == ["first_last", "exact", "initial", "variant", "else"]


@pytest.mark.parametrize(
    ("a", "b", "label"),
    [
        ("1980-03-04", "1980-03-04", "exact"),
        ("1980-03-04", "1980-04-03", "transposed"),
        ("1980-03-04", "1980-03-28", "within_month"),
        ("1980-03-14", "1980-08-14", "typo"),
        ("1980-03", "1980-03-04", "month_year"),
        ("1980", "1980-03-04", "year_only"),
        ("1980-03-04", "1980-11-25", "same_year"),
        ("1980-03-04", "1957-11-25", "else"),
    ],
)
def test_date_levels(a: str, b: str, label: str) -> None:
    assert _levels(ColumnKind.DATE_OF_BIRTH, [(a, b)]) == [label]


def test_phones_any_match_across_values() -> None:
    got = _levels(
        ColumnKind.PHONE,
        [
            (("07700 900001", "07700 900002"), ("+44 7700 900002",)),
            ("07700 900001", "07700 900011"),
            ("07700 900001", "07911 123456"),
        ],
    )
    assert got == ["exact", "typo", "else"]


def test_postcode_address_and_identifier_levels() -> None:
    assert _levels(
        ColumnKind.POSTCODE,
        [("sw1a 1aa", "SW1A1AA"), ("SW1A 1AA", "SW1A 1AB"), ("SW1A 1AA", "SW1A 2ZZ")],
    ) == ["exact", "typo", "area"]
    assert _levels(
        ColumnKind.ADDRESS, [("12 High St", "12 high street"), ("wallaby place", "wallabyplace")]
    ) == ["exact", "very_similar"]
    assert _levels(
        ColumnKind.IDENTIFIER, [("AB123456", "AB123465"), ("AB123456", "AB120056"), ("AB1", "ZZ9")]
    ) == ["one_edit", "two_edits", "else"]


def test_every_scorer_documents_its_levels() -> None:
    for kind, scorer in SCORERS.items():
        assert scorer.kind is kind
        assert scorer.describe(), kind
        assert len(scorer.labels) == len(scorer.prior_m) == len(scorer.prior_u)
        assert scorer.labels[0] == "else"
        assert scorer.labels[-1] == "exact"
