"""Sort-based set operations on integer arrays.

numpy 2.3+ answers a plain ``np.unique`` through a hash table that is, for wide-ranged int64
keys such as pair codes, a hundred times slower than sorting (0.9 s against 7 ms for 400,000
keys measured here); these helpers sort instead and give the same results.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]


def _heads(sorted_keys: I64) -> NDArray[np.bool_]:
    head = np.ones(sorted_keys.size, dtype=bool)
    head[1:] = sorted_keys[1:] != sorted_keys[:-1]
    return head


def unique(keys: I64) -> I64:
    """The distinct keys, ascending."""
    s = np.sort(keys)
    return s[_heads(s)]


def unique_inverse(keys: I64) -> tuple[I64, I64]:
    """The distinct keys, ascending, and each key's position among them."""
    # Equal keys get one position whatever their order, so the sort need not be stable (an
    # unstable argsort is about twice as fast on tens of millions of keys).
    order = np.argsort(keys)
    s = keys[order]
    head = _heads(s)
    inverse = np.empty(keys.size, dtype=np.int64)
    inverse[order] = np.cumsum(head) - 1
    return s[head], inverse


def unique_first(keys: I64) -> tuple[I64, I64]:
    """The distinct keys, ascending, and the index of each one's first occurrence."""
    # An unstable sort (about twice as fast), then the least index of each run of equal keys.
    order = np.argsort(keys)
    s = keys[order]
    starts = np.flatnonzero(_heads(s))
    if starts.size == 0:
        return s, order.astype(np.int64)
    return s[starts], np.minimum.reduceat(order, starts).astype(np.int64)


def unique_counts(keys: I64) -> tuple[I64, I64]:
    """The distinct keys, ascending, and how often each occurs."""
    s = np.sort(keys)
    starts = np.flatnonzero(_heads(s))
    return s[starts], np.diff(np.append(starts, s.size)).astype(np.int64)
