"""Stable entity ids across re-runs: carried, merged, split, created, unchanged, vanished."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from algorithms.er.cluster import cluster_pairs
from algorithms.er.entity_ids import EntityAssignment, carry_entity_ids
from schema.errors import ClusteringError, EntityIdCollision


def made(ids: Sequence[str]) -> str:
    """A deterministic new id, readable in assertions."""
    return "new:" + "+".join(ids)


def carry(clusters: list[list[str]], previous: dict[str, str]) -> dict[str, str]:
    """Run ``carry_entity_ids`` on clusters given as lists of record ids; record -> entity."""
    result = assign(clusters, previous)
    records = [r for c in clusters for r in c]
    return dict(zip(records, result.entity_ids, strict=True))


def assign(clusters: list[list[str]], previous: dict[str, str]) -> EntityAssignment:
    records = [r for c in clusters for r in c]
    labels = np.array([i for i, c in enumerate(clusters) for _ in c], dtype=np.int64)
    return carry_entity_ids(records, labels, previous, made)


def test_first_run_creates_an_id_per_cluster_from_its_sorted_records() -> None:
    result = assign([["b", "a"], ["c"]], {})
    assert result.entity_ids == ("new:a+b", "new:a+b", "new:c")
    assert result.created == ("new:a+b", "new:c")
    assert result.carried == result.unchanged == ()
    assert result.rewired == ("b", "a", "c")


def test_same_clusters_keep_their_ids_unchanged() -> None:
    previous = {"a": "E1", "b": "E1", "c": "E2"}
    result = assign([["a", "b"], ["c"]], previous)
    assert result.entity_ids == ("E1", "E1", "E2")
    assert result.unchanged == ("E1", "E2")
    assert result.carried == ("E1", "E2")
    assert result.created == ()
    assert result.merged == {}
    assert result.split == {}
    assert result.rewired == ()


def test_a_merge_keeps_the_id_of_the_larger_entity_and_retires_the_other() -> None:
    previous = {"a": "E1", "b": "E1", "c": "E1", "d": "E2", "e": "E2"}
    result = assign([["a", "b", "c", "d", "e"]], previous)
    assert set(result.entity_ids) == {"E1"}
    assert result.merged == {"E2": "E1"}
    assert result.carried == ("E1",)
    assert result.unchanged == ()
    assert result.rewired == ("d", "e")


def test_a_merge_of_equals_keeps_the_id_that_sorts_first() -> None:
    previous = {"a": "E9", "b": "E9", "c": "E3", "d": "E3"}
    result = assign([["a", "b", "c", "d"]], previous)
    assert set(result.entity_ids) == {"E3"}
    assert result.merged == {"E9": "E3"}


def test_a_split_keeps_the_id_with_the_larger_part_and_creates_one_for_the_rest() -> None:
    previous = dict.fromkeys("abcde", "E1")
    result = assign([["d", "e"], ["a", "b", "c"]], previous)
    assert result.entity_ids == ("new:d+e", "new:d+e", "E1", "E1", "E1")
    assert result.split == {"E1": ("E1", "new:d+e")}
    assert result.created == ("new:d+e",)
    assert result.merged == {}
    assert result.rewired == ("d", "e")


def test_a_split_into_equal_halves_gives_the_id_to_the_half_with_the_first_record() -> None:
    previous = dict.fromkeys("wxyz", "E1")
    ids = carry([["y", "z"], ["x", "w"]], previous)
    assert ids["w"] == ids["x"] == "E1"
    assert ids["y"] == ids["z"] == "new:y+z"


def test_an_id_follows_the_bulk_of_its_records_not_a_cluster_it_is_a_minority_in() -> None:
    # E2 is the larger share of cluster one, but most of E2 went to cluster two; E1 went whole
    # into cluster one. Each id follows its records.
    previous = {r: "E1" for r in "abc"} | {r: "E2" for r in "defghijkl"}
    ids = carry([["a", "b", "c", "d", "e", "f", "g"], ["h", "i", "j", "k", "l"]], previous)
    assert ids["a"] == "E1"
    assert ids["h"] == "E2"


def test_an_id_whose_heir_took_another_id_is_merged_into_that_id() -> None:
    previous = {r: "E1" for r in "abcd"} | {r: "E2" for r in "ef"} | {"g": "E2"}
    result = assign([["a", "b", "c", "d", "e", "f"], ["g"]], previous)
    assert result.merged == {"E2": "E1"}
    assert result.split == {"E2": ("E1", "new:g")}
    assert dict(zip("abcdefg", result.entity_ids, strict=True))["g"] == "new:g"


def test_new_records_join_a_carried_entity_and_are_rewired() -> None:
    previous = {"a": "E1", "b": "E1"}
    result = assign([["a", "b", "n"]], previous)
    assert result.entity_ids == ("E1", "E1", "E1")
    assert result.carried == ("E1",)
    assert result.unchanged == ()
    assert result.rewired == ("n",)


def test_an_entity_that_lost_a_record_to_nowhere_is_carried_but_changed() -> None:
    previous = {"a": "E1", "b": "E1", "gone": "E1", "x": "E2"}
    result = assign([["a", "b"]], previous)
    assert result.carried == ("E1",)
    assert result.unchanged == ()
    assert result.vanished == ("E2",)


def test_the_result_does_not_depend_on_record_order_or_cluster_numbers() -> None:
    previous = {r: "E1" for r in "abcd"} | {r: "E2" for r in "efg"}
    one = carry([["a", "b"], ["c", "d", "e"], ["f", "g"]], previous)
    two = carry([["g", "f"], ["e", "d", "c"], ["b", "a"]], previous)
    assert one == two


def test_a_new_id_already_in_use_is_refused() -> None:
    previous = {"a": "E1", "b": "E1", "c": "E1"}
    with pytest.raises(EntityIdCollision) as caught:
        carry_entity_ids(["a", "b", "c"], np.array([0, 0, 1]), previous, lambda ids: "E1")
    assert caught.value.entity_id == "E1"
    assert caught.value.records == ("c",)
    with pytest.raises(EntityIdCollision, match="already the id of the entity of records c"):
        carry_entity_ids(["c", "d"], np.array([0, 1]), {}, lambda ids: "same")


def test_malformed_inputs_are_refused() -> None:
    with pytest.raises(ClusteringError, match="more than once"):
        carry_entity_ids(["a", "a"], np.array([0, 1]), {}, made)
    with pytest.raises(ClusteringError, match="one integer per record"):
        carry_entity_ids(["a", "b"], np.array([0]), {}, made)


def test_ids_survive_a_rerun_that_adds_an_analyst_cannot_link() -> None:
    records = ["r0", "r1", "r2", "r3"]
    left, right, weight = np.array([0, 1, 0]), np.array([1, 2, 2]), np.array([15.0, 14.0, 13.0])
    first = cluster_pairs(4, left, right, weight, 0.0)
    run1 = carry_entity_ids(records, first.labels, {}, made)
    assert run1.entity_ids == ("new:r0+r1+r2",) * 3 + ("new:r3",)

    second = cluster_pairs(4, left, right, weight, 0.0, cannot_link=[(1, 2)])
    previous = dict(zip(records, run1.entity_ids, strict=True))
    run2 = carry_entity_ids(records, second.labels, previous, made)
    assert run2.entity_ids == ("new:r0+r1+r2",) * 2 + ("new:r2", "new:r3")
    assert run2.split == {"new:r0+r1+r2": ("new:r0+r1+r2", "new:r2")}
    assert run2.unchanged == ("new:r3",)
    assert run2.rewired == ("r2",)
