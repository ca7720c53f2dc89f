"""Normalisation and encoding of columns."""

from __future__ import annotations

import numpy as np
import phonenumbers

from algorithms.er.features import encode_column
from algorithms.er.table import Cell, Column, ColumnKind


def _encode(kind: ColumnKind, values: list[Cell]) -> list[list[str]]:
    e = encode_column(Column(kind, values))
    return [
        [e.values[c] for c in e.slots[e.offsets[r] : e.offsets[r + 1]]] for r in range(len(values))
    ]


def test_dates_full_partial_and_compact() -> None:
    got = _encode(
        ColumnKind.DATE_OF_BIRTH,
        ["1962-07-14", "1962-07", "1962", "19620714", "14/07/1962", "1962-00-14", None],
    )
    assert got == [["1962-07-14"], ["1962-07"], ["1962"], ["1962-07-14"], [], [], []]
    e = encode_column(Column(ColumnKind.DATE_OF_BIRTH, ["1962-07-14", "1962-07"]))
    assert e.attrs["month"].tolist() == [7, 7]
    assert e.attrs["day"].tolist() == [14, 0]
    assert e.attrs["ordinal"][1] == -1
    # Day and month in either order share the "unordered" key.
    swapped = encode_column(Column(ColumnKind.DATE_OF_BIRTH, ["1962-03-04", "1962-04-03"]))
    assert swapped.attrs["unordered"][0] == swapped.attrs["unordered"][1]


def test_phones_read_as_e164_whatever_the_notation() -> None:
    got = _encode(ColumnKind.PHONE, ["07700 900123", "+44 (0)7700 900123", "0044 7700 900123"])
    assert got == [["+447700900123"]] * 3
    assert _encode(ColumnKind.PHONE, ["00000000"]) == [[]]


def test_gb_numbers_already_in_e164_skip_parsing_with_the_same_result() -> None:
    numbers = ["+447700900123", "+442079460000", "+441632960001", "+4407700900123"]
    numbers += ["+441800201234567", "+4418002012345"]
    parsed = [
        phonenumbers.format_number(phonenumbers.parse(n, "GB"), phonenumbers.PhoneNumberFormat.E164)
        for n in numbers
    ]
    assert _encode(ColumnKind.PHONE, list(numbers)) == [[p] for p in parsed]


def test_placeholders_are_missing_not_values() -> None:
    assert _encode(ColumnKind.ADDRESS, ["NO FIXED ABODE", "N/A", "12 High St"]) == [
        [],
        [],
        ["12 high street"],
    ]
    assert _encode(ColumnKind.SURNAME, ["Unknown", "Mr"]) == [[], []]
    assert _encode(ColumnKind.IDENTIFIER, ["000000", "AB 12-34"]) == [[], ["AB1234"]]


def test_multi_valued_cells_keep_each_value_once() -> None:
    e = encode_column(
        Column(ColumnKind.EMAIL, [("A@x.org", "a@x.org", "b@y.org"), None, "b@y.org"])
    )
    assert e.multi
    assert np.diff(e.offsets).tolist() == [2, 0, 1]
    assert sorted(e.values) == ["a@x.org", "b@y.org"]
    assert e.counts[e.values.index("b@y.org")] == 2
    assert e.first[1] == -1
    assert e.present == 2


def test_without_removes_values_and_take_slices_records() -> None:
    e = encode_column(Column(ColumnKind.PHONE, [("07700900001", "07700900002"), "07700900001"]))
    hub = np.array([e.values.index("+447700900001")], dtype=np.int64)
    kept = e.without(hub)
    assert [kept.values[c] for c in kept.slots] == ["+447700900002"]
    assert kept.first.tolist() == [e.values.index("+447700900002"), -1]
    assert kept.counts[hub[0]] == 0
    part = e.take([1])
    assert part.first.tolist() == [e.first[1]]
    assert part.offsets.tolist() == [0, 1]


def test_full_names_keep_forenames_and_surname_apart() -> None:
    e = encode_column(Column(ColumnKind.FULL_NAME, ["MR|KEVIN DAVID|SMITH", "Smith, Kevin"]))
    assert e.values == ["kevin david|smith", "kevin|smith"]
    assert e.attrs["surname"][0] == e.attrs["surname"][1]
    assert e.attrs["first"][0] == e.attrs["first"][1]
