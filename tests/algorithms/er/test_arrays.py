"""The sort-based set helpers agree with numpy's own."""

from __future__ import annotations

import numpy as np

from algorithms.er.arrays import unique, unique_counts, unique_first, unique_inverse


def test_helpers_agree_with_np_unique() -> None:
    keys = np.random.default_rng(3).integers(-(10**12), 10**12, 5000).astype(np.int64)
    keys = np.concatenate([keys, keys[:700]])
    expected, index, inverse, counts = np.unique(
        keys, return_index=True, return_inverse=True, return_counts=True
    )
    assert np.array_equal(unique(keys), expected)
    got, first = unique_first(keys)
    assert np.array_equal(got, expected)
    assert np.array_equal(first, index)
    got, inv = unique_inverse(keys)
    assert np.array_equal(got[inv], keys)
    assert np.array_equal(inv, inverse.reshape(-1))
    got, cnt = unique_counts(keys)
    assert np.array_equal(cnt, counts)


def test_helpers_take_empty_arrays() -> None:
    empty = np.empty(0, dtype=np.int64)
    assert unique(empty).size == 0
    assert unique_counts(empty)[1].size == 0
