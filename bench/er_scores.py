"""Scoring entity resolution against the truth: pairs and clusters (``bench/er.py``'s helper).

FEBRL record ids ``rec-N-org`` and ``rec-N-dup-K`` describe one person ``N``; the synthetic
region gives each mention's true person in ``truth/records.csv``. Precision, recall and F1 are
over pairs: predicted links (or pairs of records put in one cluster) against pairs of records of
one person.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

Row = dict[str, str]


def person(rec_id: str) -> str:
    """The person of a FEBRL record id."""
    return "-".join(rec_id.split("-")[:2])


@dataclass
class Scores:
    """Precision, recall and F1 of predicted pairs against true ones."""

    precision: float
    recall: float
    f1: float
    predicted: int
    true: int

    @classmethod
    def of(cls, right: int, predicted: int, true: int) -> Scores:
        p = right / predicted if predicted else 0.0
        r = right / true if true else 0.0
        return cls(p, r, 2 * p * r / (p + r) if p + r else 0.0, predicted, true)


def pair_scores(rows: Sequence[Row], left: NDArray[Any], right: NDArray[Any]) -> Scores:
    """Predicted pairs (row indices) against pairs of records of one person."""
    people = np.array([person(r["rec_id"]) for r in rows])
    links = "dataset" in rows[0]
    right_calls = int(np.sum(people[left] == people[right]))
    sizes: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (person(r["rec_id"]), r.get("dataset", ""))
        sizes[key] = sizes.get(key, 0) + 1
    if links:
        by_person: dict[str, list[int]] = {}
        for (p, _), n in sizes.items():
            by_person.setdefault(p, []).append(n)
        true = sum((sum(v) ** 2 - sum(n * n for n in v)) // 2 for v in by_person.values())
    else:
        true = sum(n * (n - 1) // 2 for n in sizes.values())
    return Scores.of(right_calls, int(left.size), true)


def cluster_scores(rows: Sequence[Row], labels: NDArray[Any]) -> Scores:
    """Pairs of records put in one cluster against pairs of records of one person."""
    _, truth = np.unique(np.array([person(r["rec_id"]) for r in rows]), return_inverse=True)
    _, found = np.unique(np.asarray(labels), return_inverse=True)

    def pairs(counts: NDArray[np.int64]) -> int:
        return int(np.sum(counts * (counts - 1) // 2))

    both = np.bincount(found * (truth.max() + 1) + truth)
    return Scores.of(pairs(both), pairs(np.bincount(found)), pairs(np.bincount(truth)))


def components(n: int, left: NDArray[Any], right: NDArray[Any]) -> NDArray[np.int64]:
    """Connected components (union-find with path halving), a fallback for clustering."""
    parent = np.arange(n)

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = int(parent[x])
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return np.array([find(i) for i in range(n)], dtype=np.int64)


def truth_scores(truth: NDArray[Any], labels: NDArray[Any]) -> Scores:
    """Pairs of mentions in one cluster against pairs of mentions of one true person."""
    _, t = np.unique(truth, return_inverse=True)
    _, found = np.unique(np.asarray(labels), return_inverse=True)

    def pairs(counts: NDArray[np.int64]) -> int:
        return int(np.sum(counts * (counts - 1) // 2))

    both = np.unique(found.astype(np.int64) * (t.max() + 1) + t, return_counts=True)[1]
    return Scores.of(pairs(both), pairs(np.bincount(found)), pairs(np.bincount(t)))
