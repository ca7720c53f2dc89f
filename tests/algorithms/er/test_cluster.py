"""Entity-resolution clustering: the anti-chaining rule, analyst decisions, determinism, scale."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from numpy.typing import NDArray

from algorithms.er.cluster import Clustering, ClusterSettings, cluster_pairs
from schema.errors import ClewError, ClusteringError, LinkConflict

Pair = tuple[int, int, float]


def run(
    n: int,
    pairs: list[Pair],
    threshold: float = 0.0,
    must: tuple[tuple[int, int], ...] = (),
    cannot: tuple[tuple[int, int], ...] = (),
    settings: ClusterSettings | None = None,
) -> Clustering:
    left = np.array([p[0] for p in pairs], dtype=np.int64)
    right = np.array([p[1] for p in pairs], dtype=np.int64)
    weight = np.array([p[2] for p in pairs], dtype=np.float64)
    return cluster_pairs(n, left, right, weight, threshold, must, cannot, settings)


def groups(result: Clustering) -> set[frozenset[int]]:
    """The partition as sets of record indices, so tests do not depend on numbering."""
    out: dict[int, set[int]] = {}
    for record, label in enumerate(result.labels.tolist()):
        out.setdefault(label, set()).add(record)
    return {frozenset(g) for g in out.values()}


def parts(*members: tuple[int, ...]) -> set[frozenset[int]]:
    return {frozenset(m) for m in members}


# --- the basic contract -------------------------------------------------------------------------


def test_labels_are_contiguous_and_numbered_by_smallest_record() -> None:
    result = run(6, [(4, 5, 10.0), (1, 2, 10.0), (3, 0, -5.0)])
    assert result.labels.tolist() == [0, 1, 1, 2, 3, 3]
    assert result.labels.dtype == np.int64
    assert result.size.tolist() == [1, 2, 1, 2]


def test_records_without_evidence_are_singletons() -> None:
    result = run(5, [(0, 1, -1.0), (2, 3, 3.0)], threshold=3.0)
    assert groups(result) == parts((0,), (1,), (2, 3), (4,))
    assert result.stats.singletons == 3
    assert result.stats.clusters == 4
    assert result.stats.largest_cluster == 2
    assert result.stats.records == 5


def test_no_records_and_no_pairs() -> None:
    empty = run(0, [])
    assert empty.labels.size == 0
    assert empty.stats.clusters == 0
    assert empty.stats.largest_cluster == 0
    alone = run(3, [])
    assert groups(alone) == parts((0,), (1,), (2,))


def test_cohesion_figures_per_cluster() -> None:
    result = run(5, [(0, 1, 9.0), (1, 2, 7.0), (0, 2, -1.0), (3, 4, -8.0)], threshold=0.0)
    assert groups(result) == parts((0, 1, 2), (3,), (4,))
    label = int(result.labels[0])
    assert result.internal_pairs[label] == 3
    assert result.min_weight[label] == -1.0
    assert result.mean_weight[label] == pytest.approx(5.0)
    singleton = int(result.labels[3])
    assert result.internal_pairs[singleton] == 0
    assert np.isnan(result.min_weight[singleton])
    assert np.isnan(result.mean_weight[singleton])


def test_a_pair_listed_twice_keeps_its_highest_weight() -> None:
    result = run(2, [(0, 1, -4.0), (1, 0, 6.0)], threshold=0.0)
    assert groups(result) == parts((0, 1))
    assert result.internal_pairs.tolist() == [1]
    assert result.min_weight.tolist() == [6.0]


def test_the_result_names_its_algorithm_and_parameters() -> None:
    settings = ClusterSettings(unobserved_penalty=3.0)
    result = run(2, [(0, 1, 5.0)], threshold=1.5, settings=settings)
    assert result.threshold == 1.5
    assert result.settings == settings
    assert "average-link" in result.algorithm
    assert result.stats.seconds >= 0.0


# --- anti-chaining ------------------------------------------------------------------------------


def test_a_chain_breaks_where_the_closing_pair_says_different() -> None:
    result = run(3, [(0, 1, 20.0), (1, 2, 19.0), (0, 2, -40.0)])
    assert groups(result) == parts((0, 1), (2,))
    assert result.stats.refused_weak_cohesion == 1


def test_a_chain_closes_when_the_third_pair_was_never_compared() -> None:
    # Blocking did not put 0 and 2 side by side: two strong links make one entity.
    result = run(3, [(0, 1, 20.0), (1, 2, 19.0)])
    assert groups(result) == parts((0, 1, 2))


def test_mild_contrary_evidence_is_weighed_not_obeyed() -> None:
    # The evidence as a whole says "same": +19 outweighs -10.
    result = run(3, [(0, 1, 20.0), (1, 2, 19.0), (0, 2, -10.0)])
    assert groups(result) == parts((0, 1, 2))


def test_a_veto_keeps_strongly_contrary_records_apart() -> None:
    settings = ClusterSettings(veto_weight=-5.0)
    result = run(3, [(0, 1, 20.0), (1, 2, 19.0), (0, 2, -10.0)], settings=settings)
    assert groups(result) == parts((0, 1), (2,))
    assert result.stats.refused_veto == 1


def test_a_long_chain_of_weak_links_does_not_become_one_entity() -> None:
    n = 2_000
    left = np.arange(n - 1)
    result = cluster_pairs(n, left, left + 1, np.full(n - 1, 0.5), 0.0)
    assert result.stats.largest_cluster <= 3
    assert result.stats.refused_weak_cohesion > 0


def test_a_long_chain_of_varied_weak_links_stays_in_small_pieces() -> None:
    rng = np.random.default_rng(7)
    n = 2_000
    left = np.arange(n - 1)
    weight = 5.0 + rng.uniform(0.0, 1.5, n - 1)
    result = cluster_pairs(n, left, left + 1, weight, 5.0)
    assert result.stats.largest_cluster <= 3


def test_well_linked_entities_of_two_to_ten_records_form() -> None:
    rng = np.random.default_rng(3)
    pairs: list[Pair] = []
    truth: list[tuple[int, ...]] = []
    start = 0
    for size in range(2, 11):
        members = tuple(range(start, start + size))
        truth.append(members)
        for a, b in itertools.combinations(members, 2):
            if rng.random() < 0.8:  # blocking compared most pairs, not all
                pairs.append((a, b, float(rng.normal(12.0, 4.0))))
        start += size
    # a weak false link between two entities must not join them
    pairs.append((0, 2, 1.0))
    result = run(start, pairs)
    assert groups(result) == parts(*truth)


def test_a_weak_link_does_not_join_two_entities() -> None:
    triangle = [(0, 1, 15.0), (1, 2, 14.0), (0, 2, 16.0)]
    other = [(3, 4, 15.0), (4, 5, 13.0), (3, 5, 12.0)]
    result = run(6, [*triangle, *other, (2, 3, 1.0)])
    assert groups(result) == parts((0, 1, 2), (3, 4, 5))
    assert result.stats.refused_weak_cohesion == 1


# --- analyst decisions --------------------------------------------------------------------------


def test_cannot_link_wins_over_strong_direct_evidence() -> None:
    result = run(2, [(0, 1, 40.0)], cannot=((0, 1),))
    assert groups(result) == parts((0,), (1,))
    assert result.stats.refused_cannot_link == 1
    assert result.stats.cannot_links_applied == 1


def test_cannot_link_breaks_a_chain_of_strong_links() -> None:
    result = run(3, [(0, 1, 20.0), (1, 2, 25.0)], cannot=((0, 2),))
    # 1 joins the side it is more strongly linked to.
    assert groups(result) == parts((0,), (1, 2))


def test_must_link_joins_records_with_no_candidate_pair() -> None:
    result = run(6, [(0, 1, 9.0)], must=((1, 5),))
    assert groups(result) == parts((0, 1, 5), (2,), (3,), (4,))
    assert result.stats.must_links_applied == 1
    assert result.internal_pairs[result.labels[5]] == 1  # 0-1 was compared, 1-5 never


def test_must_link_joins_even_against_contrary_evidence() -> None:
    result = run(3, [(0, 1, -30.0), (1, 2, 8.0)], must=((0, 1),))
    # {0, 1} is one cluster whatever 0-1 weighed; 2 joins it on +8 against an uncompared 0-2.
    assert groups(result) == parts((0, 1, 2))
    assert result.min_weight[0] == -30.0
    apart = run(3, [(0, 1, -30.0), (1, 2, 8.0), (0, 2, -20.0)], must=((0, 1),))
    assert groups(apart) == parts((0, 1), (2,))


def test_must_link_group_is_one_starting_cluster() -> None:
    # 2 links strongly to 0 and 1 separately; the must-link makes {0, 1} one cluster first.
    result = run(3, [(0, 2, 12.0), (1, 2, 12.0)], must=((0, 1),))
    assert groups(result) == parts((0, 1, 2))


def test_must_link_contradicting_cannot_link_is_an_error_naming_both() -> None:
    with pytest.raises(LinkConflict) as caught:
        run(5, [], must=((0, 1), (2, 1), (3, 4)), cannot=((0, 2),))
    error = caught.value
    assert isinstance(error, ClewError)
    assert error.cannot_link == (0, 2)
    assert error.must_links == ((0, 1), (1, 2))
    assert "(0, 2)" in str(error)
    assert "(0, 1), (1, 2)" in str(error)


def test_links_naming_missing_or_the_same_record_are_refused() -> None:
    with pytest.raises(ClusteringError, match="outside"):
        run(3, [], must=((0, 3),))
    with pytest.raises(ClusteringError, match="itself"):
        run(3, [], cannot=((1, 1),))
    with pytest.raises(ClusteringError, match="pair of record indices"):
        cluster_pairs(3, [], [], [], 0.0, must_link=[(0, 1, 2)])  # type: ignore[list-item]


# --- inputs -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right", "weight", "message"),
    [
        ([0], [5], [1.0], "outside"),
        ([-1], [1], [1.0], "outside"),
        ([2], [2], [1.0], "itself"),
        ([0], [1], [float("nan")], "finite"),
        ([0, 1], [1], [1.0], "one length"),
        ([0.0], [1.0], [1.0], "integers"),
    ],
)
def test_malformed_pairs_are_refused(
    left: list[float], right: list[float], weight: list[float], message: str
) -> None:
    with pytest.raises(ClusteringError, match=message):
        cluster_pairs(3, np.array(left), np.array(right), np.array(weight), 0.0)


def test_a_veto_at_or_above_the_threshold_is_refused() -> None:
    with pytest.raises(ClusteringError, match="below the threshold"):
        run(2, [(0, 1, 5.0)], threshold=1.0, settings=ClusterSettings(veto_weight=1.0))


# --- determinism and the two computation paths --------------------------------------------------


def test_pair_order_and_sides_do_not_change_the_result() -> None:
    rng = np.random.default_rng(11)
    n, m = 300, 1_500
    left = rng.integers(0, n, m)
    right = (left + rng.integers(1, n, m)) % n
    # Few distinct weights, as Fellegi-Sunter sums give: ties everywhere.
    weight = rng.choice([-6.0, -1.0, 1.0, 2.0, 6.0], size=m)
    cannot = ((0, 1), (2, 3), (5, 9))
    must = ((10, 11), (12, 40))
    base = cluster_pairs(n, left, right, weight, 0.0, must, cannot)
    for seed in range(3):
        order = np.random.default_rng(seed).permutation(m)
        flip = np.random.default_rng(seed + 100).random(m) < 0.5
        lft = np.where(flip, right, left)[order]
        rgt = np.where(flip, left, right)[order]
        again = cluster_pairs(n, lft, rgt, weight[order], 0.0, must[::-1], cannot[::-1])
        assert np.array_equal(again.labels, base.labels)
        assert np.array_equal(again.internal_pairs, base.internal_pairs)


def _reference(
    n: int, pairs: list[Pair], cannot: set[tuple[int, int]], penalty: float
) -> set[frozenset[int]]:
    """Best-first average link, one merge at a time, straight from the definition."""
    margin = {(min(a, b), max(a, b)): w for a, b, w in pairs}
    clusters = [frozenset([i]) for i in range(n)]

    def link(x: frozenset[int], y: frozenset[int]) -> float:
        total = 0.0
        for a, b in itertools.product(x, y):
            key = (min(a, b), max(a, b))
            if key in cannot:
                return -np.inf
            total += margin.get(key, -penalty)
        return total / (len(x) * len(y))

    while True:
        scored = [(link(x, y), x, y) for x, y in itertools.combinations(clusters, 2)]
        best = max(scored, key=lambda s: s[0], default=None)
        if best is None or best[0] < 0:
            return set(clusters)
        clusters = [c for c in clusters if c not in (best[1], best[2])] + [best[1] | best[2]]


def test_parallel_reciprocal_merges_match_one_at_a_time_average_link() -> None:
    rng = np.random.default_rng(5)
    for _ in range(40):
        n = int(rng.integers(3, 11))
        pairs = [
            (a, b, float(rng.normal(3.0, 6.0)))
            for a, b in itertools.combinations(range(n), 2)
            if rng.random() < 0.6
        ]
        cannot = {(a, b) for a, b in itertools.combinations(range(n), 2) if rng.random() < 0.05}
        expected = _reference(n, pairs, cannot, penalty=2.0)
        for rounds in (0, 1, 32):
            settings = ClusterSettings(parallel_rounds=rounds)
            result = run(n, pairs, cannot=tuple(sorted(cannot)), settings=settings)
            assert groups(result) == expected


def test_parallel_and_one_at_a_time_agree_on_ties() -> None:
    for seed in range(20):
        rng = np.random.default_rng(seed)
        n = int(rng.integers(5, 200))
        m = 4 * n
        left = rng.integers(0, n, m)
        right = (left + rng.integers(1, n, m)) % n
        weight = rng.choice([-6.0, -1.0, 1.0, 2.0, 3.0, 6.0], size=m)
        cannot = [(a, b) for a, b in rng.integers(0, n, (3, 2)).tolist() if a != b]
        one = ClusterSettings(parallel_rounds=0)
        apart = cluster_pairs(n, left, right, weight, 0.0, cannot_link=cannot, settings=one)
        together = cluster_pairs(n, left, right, weight, 0.0, cannot_link=cannot)
        assert np.array_equal(apart.labels, together.labels)


def test_a_chain_needing_many_rounds_is_finished_one_merge_at_a_time_alike() -> None:
    # Links weakening steadily along a chain merge about one pair per round.
    n = 400
    left = np.arange(n - 1)
    weight = np.linspace(30.0, 1.0, n - 1)
    slow = cluster_pairs(
        n, left, left + 1, weight, 0.0, settings=ClusterSettings(parallel_rounds=10**6)
    )
    fast = cluster_pairs(n, left, left + 1, weight, 0.0)
    assert slow.stats.rounds > 100
    assert fast.stats.rounds == ClusterSettings().parallel_rounds
    assert np.array_equal(slow.labels, fast.labels)
    assert fast.stats.largest_cluster <= 4


def test_trivially_consistent_components_take_the_direct_path() -> None:
    triangle = [(0, 1, 5.0), (1, 2, 6.0), (0, 2, 7.0)]
    result = run(6, [*triangle, (3, 4, 2.0), (4, 5, 3.0)])
    assert groups(result) == parts((0, 1, 2), (3, 4, 5))
    assert result.stats.components_direct == 1
    assert result.stats.components_searched == 1


# --- a planted population -----------------------------------------------------------------------


def _pairs_in_same_cluster(labels: NDArray[np.int64]) -> int:
    counts = np.bincount(labels)
    return int((counts * (counts - 1) // 2).sum())


def pairwise_f1(found: NDArray[np.int64], truth: NDArray[np.int64]) -> float:
    """F1 over record pairs placed together, computed from the two labellings."""
    both = found * (int(truth.max()) + 1) + truth
    _, joint = np.unique(both, return_inverse=True)
    together = _pairs_in_same_cluster(joint.astype(np.int64))
    return 2 * together / (_pairs_in_same_cluster(found) + _pairs_in_same_cluster(truth))


def test_planted_entities_are_recovered_from_noisy_pairs() -> None:
    rng = np.random.default_rng(2024)
    n = 20_000
    sizes = rng.choice([1, 2, 3, 4, 5, 6, 8], size=n, p=[0.25, 0.25, 0.2, 0.12, 0.08, 0.06, 0.04])
    sizes = sizes[: int(np.searchsorted(np.cumsum(sizes), n))]
    sizes = np.append(sizes, n - sizes.sum())
    truth = rng.permutation(np.repeat(np.arange(sizes.size), sizes)).astype(np.int64)
    by_entity = np.argsort(truth, kind="stable")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    left: list[int] = []
    right: list[int] = []
    for e in range(sizes.size):
        members = by_entity[starts[e] : starts[e + 1]].tolist()
        for a, b in itertools.combinations(members, 2):
            if rng.random() < 0.8:
                left.append(a)
                right.append(b)
    true_weight = rng.normal(10.0, 4.0, len(left))
    noise_left = rng.integers(0, n, 80_000)
    noise_right = rng.integers(0, n, 80_000)
    keep = truth[noise_left] != truth[noise_right]
    noise_weight = rng.normal(-12.0, 6.0, int(keep.sum()))  # about 2-3% above the threshold
    lft = np.concatenate([np.array(left), noise_left[keep]])
    rgt = np.concatenate([np.array(right), noise_right[keep]])
    weight = np.concatenate([true_weight, noise_weight])

    result = cluster_pairs(n, lft, rgt, weight, 0.0)

    assert pairwise_f1(result.labels, truth) > 0.95
    assert result.stats.largest_cluster <= 2 * int(sizes.max())
    # Plain connected components over the same evidence chain entities together.
    strong = weight >= 0.0
    chained = cluster_pairs(n, lft[strong], rgt[strong], np.full(int(strong.sum()), 1e6), 0.0)
    assert pairwise_f1(result.labels, truth) > pairwise_f1(chained.labels, truth) + 0.05
