"""Incremental clustering on hand-made arrays: join, create, merge, freeze, defer."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.er.constraints import LinkGroups
from algorithms.er.incremental import affected_mentions, assign_incremental
from schema.errors import ClusteringError

# Existing: clusters 0 = {0, 1}, 1 = {2, 3}, 2 = {4}. New mentions are 5, 6, 7.
EXISTING = np.array([0, 0, 1, 1, 2])


def pairs(*rows: tuple[int, int, float]) -> tuple[list[int], list[int], list[float]]:
    return [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]


def test_a_new_mention_joins_the_cluster_it_matches_and_others_are_untouched() -> None:
    left, right, weight = pairs((0, 5, 9.0), (1, 5, 8.0), (4, 6, -3.0))
    got = assign_incremental(EXISTING, 3, left, right, weight, 0.0)
    assert got.labels.tolist() == [0, 0, 1, 1, 2, 0, 3, 4]
    assert got.affected.tolist() == [0, 1, 5, 6, 7]  # cluster 1 and 2 are not touched
    assert got.changed.tolist() == [0, 3, 4]
    assert (got.joined, got.created, got.merged) == (1, 2, {})


def test_a_new_mention_that_links_two_clusters_strongly_merges_them() -> None:
    bridge = [(a, 5, 9.0) for a in range(4)]
    left, right, weight = pairs(*bridge, (1, 2, 1.0))
    got = assign_incremental(EXISTING, 1, left, right, weight, 0.0)
    assert got.labels.tolist() == [0, 0, 0, 0, 2, 0]
    assert got.merged == {1: 0}
    # One weak link to one member is not enough against uncompared pairs (average link).
    left, right, weight = pairs((0, 5, 9.0), (1, 5, 9.0), (2, 5, 0.5))
    got = assign_incremental(EXISTING, 1, left, right, weight, 0.0)
    assert got.labels.tolist() == [0, 0, 1, 1, 2, 0]
    assert got.merged == {}


def test_existing_clusters_are_never_split_and_contrary_links_are_deferred() -> None:
    # A cannot-link inside cluster 0 (a new "different") and a must-link that would join
    # cluster 0 to a new mention kept apart from it.
    left, right, weight = pairs((0, 5, 9.0))
    got = assign_incremental(
        EXISTING,
        2,
        left,
        right,
        weight,
        0.0,
        must_link=[(1, 6)],
        cannot_link=[(0, 1), (0, 6), (2, 3)],
    )
    assert got.labels[0] == got.labels[1] == 0
    assert got.deferred_cannot == ((0, 1), (2, 3))  # (2, 3): inside an untouched cluster
    assert got.deferred_must == ((1, 6),)
    assert got.labels[6] != 0


def test_a_must_link_between_existing_clusters_merges_them() -> None:
    assert affected_mentions(EXISTING, 0, [], [], [], 0.0, [(1, 4)]).tolist() == [0, 1, 4]
    got = assign_incremental(EXISTING, 0, [], [], [], 0.0, must_link=[(1, 4)])
    assert got.labels.tolist() == [0, 0, 1, 1, 0]
    assert got.merged == {2: 0}


def test_inputs_are_checked() -> None:
    with pytest.raises(ClusteringError, match=r"0\.\.5"):
        assign_incremental(EXISTING, 1, [0], [6], [1.0], 0.0)
    with pytest.raises(ClusteringError, match="negative"):
        assign_incremental([-1], 0, [], [], [], 0.0)


def test_link_groups_refuse_contradictions_in_either_order() -> None:
    g = LinkGroups(4)
    assert g.join(0, 1)
    assert g.separate(1, 2)
    assert not g.join(0, 2)  # 0 is with 1, which is kept apart from 2
    assert not g.separate(0, 1)
    assert g.join(2, 3)
    assert not g.join(3, 0)
    assert g.together(2, 3)
    assert not g.together(0, 3)
