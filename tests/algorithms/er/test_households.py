"""Households: family members share a surname, an address, a postcode and a landline; they are
still different people. Dependent groups (``settings.DEPENDENT_KINDS``, ``model.combine``)."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.er.cluster import cluster_pairs
from algorithms.er.link import link
from algorithms.er.model import combine, group_weight
from algorithms.er.settings import LinkSettings
from algorithms.er.table import ColumnKind, RecordTable
from schema.errors import ResolutionError
from tests.algorithms.er.synthetic import KINDS, population

HOME = {"surname": "okafor", "postcode": "LS6 2QT", "address": "14 beech grove"}
FAMILY = (
    {"forename": "grace", "dob": "1971-03-02", "phone": "0113 4960 123"},
    {"forename": "daniel", "dob": "1969-11-30", "phone": "0113 4960 123"},
    {"forename": "tobi", "dob": "2004-06-17", "phone": "0113 4960 123"},
    {"forename": "ada", "dob": "2008-01-09", "phone": "0113 4960 123"},
)
MOVED = (
    # One person before and after moving house: a new address, postcode and phone.
    {"forename": "marek", "surname": "zielinski", "dob": "1980-05-21", "phone": "07700 900111",
     "postcode": "M14 5RH", "address": "3 carlton road"},
    {"forename": "marek", "surname": "zielinski", "dob": "1980-05-21", "phone": "07700 900999",
     "postcode": "BS3 1QA", "address": "88 dean lane"},
)  # fmt: skip


def _table() -> tuple[RecordTable, list[int]]:
    pop = population()
    rows: list[dict[str, str | None]] = []
    person: list[int] = []
    base = max(pop.person) + 1
    for k, member in enumerate(FAMILY):
        # Each member in two sources: once with the landline, once without.
        rows.append({**HOME, **member})
        rows.append({**HOME, **member, "phone": None})
        person += [base + k, base + k]
    rows += [dict(r) for r in MOVED]
    person += [base + len(FAMILY)] * 2
    extra = RecordTable.from_rows(
        [{"id": f"x{i}", **r} for i, r in enumerate(rows)],
        id_column="id",
        kinds={name: kind.value for name, kind in KINDS.items()} | {"dob": "date_of_birth"},
    )
    return pop.table.concat(extra), pop.person + person


@pytest.fixture(scope="module")
def resolved() -> tuple[RecordTable, list[int], np.ndarray]:
    table, person = _table()
    result = link(table)
    pairs = result.pairs
    clustering = cluster_pairs(
        len(table), pairs.left, pairs.right, pairs.weight, result.model.threshold.weight
    )
    return table, person, np.asarray(clustering.labels)


def test_a_household_of_four_stays_four_people(
    resolved: tuple[RecordTable, list[int], np.ndarray],
) -> None:
    table, _, labels = resolved
    start = len(table) - 2 * len(FAMILY) - len(MOVED)
    family = labels[start : start + 2 * len(FAMILY)]
    # Each member's two records together, and four members apart.
    assert all(family[2 * k] == family[2 * k + 1] for k in range(len(FAMILY)))
    assert len(set(family.tolist())) == len(FAMILY)


def test_a_person_who_moved_house_still_merges(
    resolved: tuple[RecordTable, list[int], np.ndarray],
) -> None:
    _, _, labels = resolved
    assert labels[-1] == labels[-2]


def test_the_household_kinds_form_one_group() -> None:
    table, _ = _table()
    model = link(table).model
    assert model.dependent_groups == [["surname", "phone", "postcode", "address"]]
    assert KINDS["surname"] is ColumnKind.SURNAME
    # Without the group, the same data double-counts the household's agreement.
    plain = link(table, LinkSettings(dependent_groups=[])).model
    assert plain.dependent_groups == []


def test_only_the_strongest_agreement_and_disagreement_count() -> None:
    parts = np.array(
        [
            # forename, surname, postcode, address: the last three one group.
            [-8.0, 6.0, 12.0, 11.0],
            [7.0, 6.0, -3.0, -3.5],
            [7.0, -9.0, 12.0, 0.0],
        ]
    )
    total = combine(parts, [[1, 2, 3]])
    assert total.tolist() == [-8.0 + 12.0, 7.0 + 6.0 - 3.5, 7.0 + 12.0 - 9.0]
    assert group_weight([6.0, 12.0, 11.0]) == 12.0
    assert combine(parts, []).tolist() == parts.sum(axis=1).tolist()


def test_a_group_must_name_comparisons_that_run() -> None:
    table, _ = _table()
    with pytest.raises(ResolutionError, match="dependent group"):
        link(table, LinkSettings(dependent_groups=[["surname", "shoe_size"]]))
