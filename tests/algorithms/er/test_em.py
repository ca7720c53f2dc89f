"""Random pairs for u, and EM recovering m and the share of matches without labels."""

from __future__ import annotations

import numpy as np
import pytest

from algorithms.er.em import (
    Session,
    estimate_prior,
    expectation_maximisation,
    level_frequencies,
    patterns,
    sample_pairs,
    train_m,
)


def test_sample_pairs_are_distinct_ordered_and_across_datasets() -> None:
    left, right = sample_pairs(1000, 5000, dataset=None, seed=1)
    assert left.size == 5000
    assert np.all(left < right)
    assert np.unique(left * 1000 + right).size == 5000
    dataset = np.repeat(np.array([0, 1], dtype=np.int32), 500)
    left, right = sample_pairs(1000, 5000, dataset=dataset, seed=1)
    assert np.all(dataset[left] != dataset[right])
    small_l, small_r = sample_pairs(5, 1000, dataset=None, seed=1)
    assert small_l.size == small_r.size == 10  # every pair, when there are fewer than asked


def test_patterns_count_distinct_rows() -> None:
    levels = np.array([[1, -1], [0, 2], [1, -1], [1, -1]], dtype=np.int8)
    rows, counts = patterns(levels)
    assert sorted(zip(map(tuple, rows.tolist()), counts.tolist(), strict=True)) == [
        ((0, 2), 1.0),
        ((1, -1), 3.0),
    ]


def test_em_recovers_m_and_the_share_of_matches() -> None:
    rng = np.random.default_rng(5)
    matches, non = 2000, 8000
    true_m = [np.array([0.1, 0.9]), np.array([0.05, 0.15, 0.8]), np.array([0.2, 0.8])]
    true_u = [np.array([0.95, 0.05]), np.array([0.8, 0.15, 0.05]), np.array([0.9, 0.1])]

    def draw(probs: list[np.ndarray], size: int) -> np.ndarray:
        return np.stack([rng.choice(len(p), size=size, p=p) for p in probs], axis=1)

    levels = np.concatenate([draw(true_m, matches), draw(true_u, non)]).astype(np.int8)
    levels[rng.random(levels.shape) < 0.05] = -1  # some missing values
    fit = expectation_maximisation(
        levels,
        [2, 3, 2],
        m_prior=[[0.3, 0.7], [0.2, 0.3, 0.5], [0.5, 0.5]],
        u_start=[np.array([0.7, 0.3]), np.array([0.6, 0.2, 0.2]), np.array([0.6, 0.4])],
        share_start=0.5,
    )
    assert fit.converged
    assert fit.share == pytest.approx(0.2, abs=0.02)
    for got, want in zip(fit.m, true_m, strict=True):
        assert got == pytest.approx(want, abs=0.03)


def test_level_frequencies_floor_unseen_levels_at_one_pair() -> None:
    levels = np.zeros((1000, 1), dtype=np.int8)
    (plain,) = level_frequencies(levels, [3], [[0.98, 0.01, 0.01]], weight=None)
    (floored,) = level_frequencies(
        levels, [3], [[0.98, 0.01, 0.01]], weight=None, floor_one_pair=True
    )
    assert plain[1] < 1 / 1000
    assert floored[1] == pytest.approx(1 / 1002, rel=0.01)
    assert floored.sum() == pytest.approx(1.0)


def test_em_without_candidates_returns_the_priors() -> None:
    fit = expectation_maximisation(
        np.empty((0, 1), dtype=np.int8),
        [2],
        m_prior=[[0.2, 0.8]],
        u_start=[np.array([0.9, 0.1])],
        share_start=0.1,
    )
    assert fit.share == 0.0
    assert not fit.converged
    assert fit.m[0].tolist() == pytest.approx([0.2, 0.8])


def _simulated(
    rng: np.random.Generator, matches: int, non: int, m: list[np.ndarray], u: list[np.ndarray]
) -> np.ndarray:
    def draw(probs: list[np.ndarray], size: int) -> np.ndarray:
        return np.stack([rng.choice(len(p), size=size, p=p) for p in probs], axis=1)

    return np.concatenate([draw(m, matches), draw(u, non)]).astype(np.int8)


def test_sessions_fit_m_with_u_fixed_and_skip_their_own_columns() -> None:
    rng = np.random.default_rng(9)
    true_m = [np.array([0.1, 0.9]), np.array([0.2, 0.8]), np.array([0.05, 0.95])]
    u = [np.array([0.9, 0.1]), np.array([0.95, 0.05]), np.array([0.99, 0.01])]
    # Blocked on comparison 0: its level is 1 for every pair of the session.
    one = _simulated(rng, 1000, 4000, true_m, u)
    one[:, 0] = 1
    two = _simulated(rng, 1000, 4000, true_m, u)
    two[:, 2] = 1
    sessions = [
        Session("first", one, np.array([False, True, True])),
        Session("third", two, np.array([True, True, False])),
    ]
    priors = [[0.5, 0.5]] * 3
    training = train_m(sessions, [2, 2, 2], m_prior=priors, u=u)
    for got, want in zip(training.m, true_m, strict=True):
        assert got == pytest.approx(want, abs=0.04)
    assert [label for label, _, _ in training.sessions] == ["first", "third"]
    assert all(fit.converged for _, _, fit in training.sessions)


def test_the_prior_is_the_fixed_point_of_expected_matches() -> None:
    rng = np.random.default_rng(2)
    m = [np.array([0.05, 0.95]), np.array([0.1, 0.9])]
    u = [np.array([0.99, 0.01]), np.array([0.98, 0.02])]
    levels = _simulated(rng, 500, 4500, m, u)
    prior, expected = estimate_prior(levels, m, u, possible=5000, start=0.3)
    assert expected == pytest.approx(500, rel=0.1)
    assert prior == pytest.approx(expected / 5000)
