"""Blocking: pairs per block against brute force, the size cap, linking, new records, stats."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from algorithms.er.blocking import (
    BlockingRule,
    block_pairs,
    candidate_pairs_from,
    pairs_completeness,
    possible_pairs,
)
from algorithms.er.features import encode_table
from algorithms.er.table import Column, ColumnKind, RecordTable
from schema.errors import ResolutionError


def _brute(codes: list[int], new_from: int = 0, cap: int = 10**9) -> set[tuple[int, int]]:
    sizes = {c: codes.count(c) for c in set(codes)}
    return {
        (i, j)
        for i, j in itertools.combinations(range(len(codes)), 2)
        if codes[i] == codes[j] and sizes[codes[i]] <= cap and j >= new_from
    }


@pytest.mark.parametrize(("new_from", "cap"), [(0, 10**9), (0, 4), (37, 10**9), (37, 5)])
def test_block_pairs_match_brute_force(new_from: int, cap: int) -> None:
    rng = np.random.default_rng(7)
    codes = rng.integers(0, 25, 120).tolist()
    records = np.arange(120, dtype=np.int64)
    left, right, skipped, skipped_pairs = block_pairs(
        records, np.asarray(codes, dtype=np.int64), new_from=new_from, max_block_size=cap
    )
    got = set(zip(left.tolist(), right.tolist(), strict=True))
    assert got == _brute(codes, new_from, cap)
    assert len(got) == left.size
    big = [c for c in set(codes) if codes.count(c) > cap]
    assert skipped == len(big)
    assert skipped_pairs == len(
        _brute([c if c in big else -1 - i for i, c in enumerate(codes)], new_from)
    )


def _table(dataset: list[str] | None = None) -> RecordTable:
    return RecordTable(
        ["a", "b", "c", "d", "e"],
        {
            "fore": Column(ColumnKind.FORENAME, ["John", "Smith", "John", "Mary", None]),
            "sur": Column(ColumnKind.SURNAME, ["Smith", "John", "Smyth", "Smith", "Smith"]),
            "tel": Column(
                ColumnKind.PHONE, [("07700900001", "07700900002"), None, "07700900002", None, None]
            ),
        },
        dataset,
    )


def test_rules_union_with_first_rule_recorded() -> None:
    table = _table()
    columns = encode_table(table)
    rules = [
        BlockingRule(keys=("fore", "sur"), unordered=True),
        BlockingRule(keys=("tel",)),
        BlockingRule(keys=("sur.meta",)),
    ]
    found = candidate_pairs_from(columns, rules, n=5)
    pairs = set(zip(found.left.tolist(), found.right.tolist(), strict=True))
    # a~b: names crosswise; a~c: the second phone; Smith/Smyth share a Metaphone key.
    assert (0, 1) in pairs
    assert (0, 2) in pairs
    assert {(0, 3), (0, 4), (3, 4), (2, 3)} <= pairs
    order = list(zip(found.left.tolist(), found.right.tolist(), strict=True))
    assert found.rule[order.index((0, 1))] == 0
    assert found.rule[order.index((0, 2))] == 1
    stats = found.stats
    assert stats.candidate_pairs == len(pairs)
    assert stats.possible_pairs == 10
    assert stats.reduction_ratio == pytest.approx(1 - len(pairs) / 10)
    assert sum(r.new_pairs for r in stats.rules) == len(pairs)
    assert stats.rules[0].rule == "fore + sur (either order)"


def test_linking_pairs_only_across_datasets() -> None:
    table = _table(["x", "x", "y", "y", "y"])
    columns = encode_table(table)
    dataset = np.array([0, 0, 1, 1, 1], dtype=np.int32)
    found = candidate_pairs_from(columns, [BlockingRule(keys=("sur.meta",))], n=5, dataset=dataset)
    assert all(dataset[a] != dataset[b] for a, b in zip(found.left, found.right, strict=True))
    assert found.stats.possible_pairs == possible_pairs(5, dataset) == 6


def test_new_records_against_existing_ones() -> None:
    columns = encode_table(_table())
    rule = [BlockingRule(keys=("sur.meta",))]
    every = candidate_pairs_from(columns, rule, n=5)
    new = candidate_pairs_from(columns, rule, n=5, new_from=3)
    expected = {
        (a, b) for a, b in zip(every.left.tolist(), every.right.tolist(), strict=True) if b >= 3
    }
    assert set(zip(new.left.tolist(), new.right.tolist(), strict=True)) == expected
    assert new.stats.possible_pairs == possible_pairs(5, None, 3) == 10 - 3


def test_pairs_completeness_counts_true_pairs_found() -> None:
    left = np.array([0, 1], dtype=np.int32)
    right = np.array([1, 2], dtype=np.int32)
    assert pairs_completeness(left, right, 4, [1, 2, 0], [0, 3, 1]) == pytest.approx(2 / 3)


def test_bad_keys_are_refused() -> None:
    columns = encode_table(_table())
    with pytest.raises(ResolutionError, match="lacks"):
        candidate_pairs_from(columns, [BlockingRule(keys=("dob",))], n=5)
    with pytest.raises(ResolutionError, match="no 'year'"):
        candidate_pairs_from(columns, [BlockingRule(keys=("sur.year",))], n=5)
    with pytest.raises(ResolutionError, match="at least one rule"):
        candidate_pairs_from(columns, [], n=5)


def test_rules_on_names_alone_have_their_own_cap() -> None:
    table = RecordTable(
        ids=[str(i) for i in range(6)],
        columns={
            "sur": Column(ColumnKind.SURNAME, ["Smith"] * 4 + ["Jones"] * 2),
            "pc": Column(ColumnKind.POSTCODE, ["AB1 2CD"] * 6),
        },
    )
    columns = encode_table(table)
    names, place = BlockingRule(keys=("sur",)), BlockingRule(keys=("pc",))
    found = candidate_pairs_from(columns, [names, place], n=6, max_name_block_size=3)
    assert found.stats.rules[0].pairs == 1  # the four Smiths' block is skipped, Jones kept
    assert found.stats.rules[0].skipped_blocks == 1
    assert found.stats.rules[1].pairs == 15  # the postcode is not a name: the general cap
    assert found.stats.max_name_block_size == 3
    assert candidate_pairs_from(columns, [names], n=6).stats.rules[0].pairs == 7


@pytest.mark.parametrize("seed", range(5))
def test_new_from_gives_exactly_the_full_runs_pairs_that_involve_a_new_record(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, new_from = 400, 330
    records = np.concatenate([np.arange(n), rng.integers(0, n, 200)]).astype(np.int64)
    codes = rng.integers(0, 60, records.size).astype(np.int64)
    left, right, skipped, _ = block_pairs(records, codes, max_block_size=12)
    new = right >= new_from
    l2, r2, skipped2, _ = block_pairs(records, codes, new_from=new_from, max_block_size=12)
    assert sorted(zip(left[new].tolist(), right[new].tolist(), strict=True)) == sorted(
        zip(l2.tolist(), r2.tolist(), strict=True)
    )
    assert skipped2 <= skipped
