"""``Prepared.extend`` against preparing the joined table from scratch: the same encodings,
the same candidate pairs for the new records, the same scores."""

from __future__ import annotations

import random
from dataclasses import fields

import numpy as np
import pytest

from algorithms.er.features import Encoded
from algorithms.er.link import candidate_pairs, extend_for, link, prepare_for, score_pairs
from algorithms.er.prepared import Prepared, prepare
from algorithms.er.settings import LinkSettings
from algorithms.er.table import Cell, Column, ColumnKind, RecordTable
from schema.errors import ResolutionError
from tests.algorithms.er.synthetic import population

SWITCHBOARD = "+442079460000"


def varied(people: int = 900, seed: int = 3) -> RecordTable:
    """The synthetic population with what ``extend`` must also carry: full names, e-mails,
    multi-valued phones and identifiers, placeholders, and a switchboard number that becomes
    over-shared only once the later records are in."""
    base = population(people, seed=seed).table
    rng = random.Random(seed)
    n = len(base)
    fore = base.columns["forename"].values
    sur = base.columns["surname"].values
    phones: list[Cell] = []
    idents: list[Cell] = []
    emails: list[Cell] = []
    full: list[Cell] = []
    for i in range(n):
        phone = base.columns["phone"].values[i]
        assert phone is None or isinstance(phone, str)
        late = i > n * 0.8
        if rng.random() < (0.1 if late else 0.01):
            phones.append((SWITCHBOARD, phone) if phone else SWITCHBOARD)
        elif phone and rng.random() < 0.1:
            phones.append((phone, f"07700 9{rng.randrange(10**5):05d}"))
        else:
            phones.append(phone)
        r = rng.random()
        idents.append(
            None
            if r < 0.3
            else "UNKNOWN"
            if r < 0.35
            else (f"AB{i % 250:06d}", f"nominal:{i % 97}")
            if r < 0.5
            else f"ab-{i % 400:06d}"
        )
        emails.append(f"{fore[i]}.{sur[i]}@example.org" if fore[i] and rng.random() < 0.5 else None)
        full.append(f"MR|{fore[i]}|{sur[i]}".upper() if fore[i] and sur[i] else None)
    columns = {
        **base.columns,
        "phone": Column(ColumnKind.PHONE, phones),
        "ids": Column(ColumnKind.IDENTIFIER, idents),
        "email": Column(ColumnKind.EMAIL, emails),
        "full": Column(ColumnKind.FULL_NAME, full),
    }
    return RecordTable(base.ids, columns)


def split(table: RecordTable, at: int) -> tuple[RecordTable, RecordTable]:
    def part(rows: slice) -> RecordTable:
        return RecordTable(
            table.ids[rows],
            {name: Column(c.kind, c.values[rows]) for name, c in table.columns.items()},
            None if table.dataset is None else table.dataset[rows],
        )

    return part(slice(0, at)), part(slice(at, None))


def assert_same_encoding(a: Encoded, b: Encoded) -> None:
    for f in fields(Encoded):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if isinstance(x, dict):
            assert x.keys() == y.keys(), f.name
            for k in x:
                assert np.array_equal(x[k], y[k]), (f.name, k)
        elif isinstance(x, np.ndarray) or x is None:
            assert (x is None) == (y is None), f.name
            assert x is None or np.array_equal(x, y), f.name
        else:
            assert x == y, f.name


def assert_same_preparation(a: Prepared, b: Prepared) -> None:
    assert list(a.table.ids) == list(b.table.ids)
    for name, column in b.table.columns.items():
        assert list(a.table.columns[name].values) == list(column.values)
        assert_same_encoding(a.raw[name], b.raw[name])
        assert_same_encoding(a.columns[name], b.columns[name])
    assert a.hubs.keys() == b.hubs.keys()
    for name in b.hubs:
        assert np.array_equal(a.hubs[name], b.hubs[name])
    assert (a.dataset is None) == (b.dataset is None)
    assert a.dataset is None or b.dataset is None or np.array_equal(a.dataset, b.dataset)


@pytest.fixture(scope="module")
def table() -> RecordTable:
    return varied()


@pytest.mark.parametrize("share", [0.5, 0.9, 0.99])
def test_extend_is_preparing_the_joined_table(table: RecordTable, share: float) -> None:
    at = int(len(table) * share)
    old, new = split(table, at)
    extended = prepare(old).extend(new)
    assert_same_preparation(extended, prepare(old.concat(new)))


def test_a_value_over_shared_only_with_the_new_records_is_set_aside(table: RecordTable) -> None:
    old, new = split(table, int(len(table) * 0.8))
    before, after = prepare(old), prepare(old).extend(new)
    switchboard = after.raw["phone"].values.index(SWITCHBOARD)
    assert switchboard not in before.hubs.get("phone", np.empty(0)).tolist()
    assert switchboard in after.hubs["phone"].tolist()


def test_extended_in_steps_is_the_same(table: RecordTable) -> None:
    first, rest = split(table, 600)
    middle, last = split(rest, 500)
    stepwise = prepare(first).extend(middle).extend(last)
    assert_same_preparation(stepwise, prepare(table))


def test_extending_with_no_records_changes_nothing(table: RecordTable) -> None:
    old, _ = split(table, len(table))
    _, empty = split(table, len(table))
    assert_same_preparation(prepare(old).extend(empty), prepare(old))


@pytest.mark.parametrize("share", [0.7, 0.97])
def test_the_same_candidates_and_scores_for_the_new_records(
    table: RecordTable, share: float
) -> None:
    model = link(table).model
    settings = LinkSettings(
        max_block_size=model.max_block_size,
        max_name_block_size=model.max_name_block_size,
        hub_limits=model.hub_limits,
        region=model.region,
    )
    at = int(len(table) * share)
    old, new = split(table, at)
    extended = extend_for(model, prepare_for(model, old), new)
    fresh = prepare_for(model, table)
    rules = model.blocking_rules
    got = candidate_pairs(table, rules, new_from=at, settings=settings, prepared=extended)
    want = candidate_pairs(table, rules, new_from=at, settings=settings, prepared=fresh)
    assert got.left.size > 0
    assert np.array_equal(got.left, want.left)
    assert np.array_equal(got.right, want.right)
    a = score_pairs(model, table, got.left, got.right, prepared=extended)
    b = score_pairs(model, table, want.left, want.right, prepared=fresh)
    assert np.array_equal(a.weight, b.weight)
    assert np.array_equal(a.levels, b.levels)
    assert np.array_equal(a.tf, b.tf)


def test_link_mode_dataset_codes_are_extended() -> None:
    base = population(300, seed=5).table
    names = ["a" if i % 3 else "b" for i in range(len(base))]
    table = RecordTable(base.ids, base.columns, names)
    old, new = split(table, 250)
    assert_same_preparation(prepare(old).extend(new), prepare(table))


def test_extend_refuses_a_table_of_other_columns(table: RecordTable) -> None:
    old, new = split(table, 500)
    other = RecordTable(new.ids, {k: v for k, v in new.columns.items() if k != "email"})
    with pytest.raises(ResolutionError, match="differ in columns"):
        prepare(old).extend(other)
