"""Over-shared values: a switchboard number stops counting; a family landline does not."""

from __future__ import annotations

import numpy as np

from algorithms.er.features import encode_table
from algorithms.er.hubs import describe_hubs, find_hubs, person_keys
from algorithms.er.table import Column, ColumnKind, RecordTable
from tests.algorithms.er.synthetic import FORENAMES, SURNAMES

LIMITS = {ColumnKind.PHONE: 20}


def _table(switchboard_people: int) -> RecordTable:
    rows = [
        (FORENAMES[i % 28], SURNAMES[i % 45], "0800 123 4567") for i in range(switchboard_people)
    ]
    # One caller on the switchboard's records five times over counts as one person.
    rows += [(FORENAMES[0], SURNAMES[0], "0800 123 4567")] * 5
    rows += [("Ann", "Moss", "01632 960001"), ("Bob", "Moss", "01632 960001")] * 2
    return RecordTable(
        [f"r{i}" for i in range(len(rows))],
        {
            "fore": Column(ColumnKind.FORENAME, [r[0] for r in rows]),
            "sur": Column(ColumnKind.SURNAME, [r[1] for r in rows]),
            "tel": Column(ColumnKind.PHONE, [r[2] for r in rows]),
        },
    )


def test_a_number_shared_by_fifty_people_is_a_hub() -> None:
    table = _table(50)
    columns = encode_table(table)
    hubs = find_hubs(columns, LIMITS, len(table))
    tel = columns["tel"]
    assert [tel.values[c] for c in hubs["tel"]] == ["+448001234567"]
    described = describe_hubs(columns, hubs, LIMITS, len(table))
    assert len(described) == 1
    assert described[0].records == 55
    assert described[0].people == 50
    assert described[0].limit == 20


def test_a_family_landline_and_a_small_shared_number_are_not() -> None:
    table = _table(14)
    hubs = find_hubs(encode_table(table), LIMITS, len(table))
    assert hubs == {}


def test_person_keys_tolerate_typos_and_keep_unnamed_records_apart() -> None:
    table = RecordTable(
        ["a", "b", "c", "d"],
        {
            "fore": Column(ColumnKind.FORENAME, ["John", "Jon", None, None]),
            "sur": Column(ColumnKind.SURNAME, ["Smith", "Smyth", None, None]),
        },
    )
    keys = person_keys(encode_table(table), 4)
    assert keys[0] == keys[1]
    assert len(np.unique(keys)) == 3
