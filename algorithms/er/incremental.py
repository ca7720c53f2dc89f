"""Incremental clustering: new mentions placed among existing persons, without clustering again.

The pure step of an incremental resolution run (``algorithms.er.resolve``), on arrays alone, so
that it can be timed and tested without a graph. Its inputs are the cluster of every existing
mention (``existing[i]``, a non-negative label), the number of new mentions (indexed from
``len(existing)`` on), scored pairs over both, the model's threshold, and the must-links and
cannot-links of the run.

The rule is clustering's own (``algorithms.er.cluster``: average link with a charge for pairs
never compared), applied to the *affected part* only:

1. The affected part is every new mention, and every existing cluster that a new mention has an
   evidence pair with (weight at or above the threshold) or a must-link to, or that a must-link
   joins to another existing cluster (an analyst's "same" recorded since the last run). Only
   evidence pairs and must-links can make a merge (every other term of an average link is
   negative), so no other cluster could change under the rule.
2. Each affected existing cluster is frozen: its members start as one group (as must-link groups
   do in clustering) and are never parted.
3. ``cluster_pairs`` runs on the affected part with every pair given among its mentions: new
   against new, new against existing, and existing against existing across the frozen clusters
   (the caller must give those, as blocking finds them, for merges of two existing clusters to
   be judged on all their evidence). A new mention so joins an existing cluster, starts a new
   one, or, when its links make the average link between two existing clusters non-negative,
   merges them.

Links that contradict a frozen cluster (a cannot-link inside one, a must-link joining clusters
that a cannot-link keeps apart because of their frozen members) cannot be honoured without
splitting it: they are set aside (``deferred_*``) for the next full run.

How the result can differ from a full run on the same data, and by how much
------------------------------------------------------------------------------

- It never splits an existing cluster: a full run agglomerates from single mentions and may
  part a cluster that new evidence weakens, or regroup its members with new ones.
- It never revisits clusters the new mentions do not touch directly (rule 1): a full run might
  merge two existing clusters through a chain that runs over other existing clusters.
- The model is not retrained: a full run re-estimates ``m``, ``u``, the prior and term
  frequencies with the new records in, which moves every weight a little.
- Links that contradict a frozen cluster wait for a full run (see above).

So the difference is confined to the affected part and the deferred links; on data whose
clusters the new records do not contest, both give the same persons (the test of
``algorithms.er.resolve`` checks this against a full run).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from algorithms.er.cluster import Clustering, ClusterSettings, cluster_pairs
from algorithms.er.constraints import LinkGroups
from schema.errors import ClusteringError

Ints = NDArray[np.int64]
Link = tuple[int, int]


@dataclass(frozen=True, eq=False)
class IncrementalAssignment:
    """Clusters after adding new mentions, and what changed.

    ``labels[i]`` is mention ``i``'s cluster (existing mentions first, then new). A cluster that
    holds existing mentions keeps the smallest existing label among them (an untouched cluster,
    its own); a cluster of new mentions only gets a label above every existing one. ``affected``
    are the mention indices clustered again, ascending; ``changed`` the labels of clusters whose
    members changed (they gained new mentions, or existing clusters merged into them).
    ``merged`` maps each existing label merged into another to the label it went to.

    A dataclass rather than a model: it holds a value per mention, millions of them.
    """

    labels: Ints
    affected: Ints
    changed: Ints
    joined: int
    created: int
    merged: dict[int, int]
    deferred_must: tuple[Link, ...]
    deferred_cannot: tuple[Link, ...]
    clustering: Clustering


def _checked(existing: ArrayLike, new: int) -> Ints:
    labels = np.asarray(existing)
    if labels.ndim != 1 or (labels.size and not np.issubdtype(labels.dtype, np.integer)):
        raise ClusteringError("existing must be one integer label per existing mention")
    if labels.size and labels.min() < 0:
        raise ClusteringError("existing labels must not be negative")
    if new < 0:
        raise ClusteringError(f"new must not be negative, not {new}")
    return labels.astype(np.int64)


def affected_mentions(
    existing: ArrayLike,
    new: int,
    left: ArrayLike,
    right: ArrayLike,
    weight: ArrayLike,
    threshold: float,
    must_link: Sequence[Link] = (),
) -> Ints:
    """The mentions an incremental step clusters again (module docstring, rule 1), ascending."""
    labels = _checked(existing, new)
    n_old = labels.size
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    evidence = np.asarray(weight, dtype=np.float64) >= threshold
    touching = evidence & ((lft >= n_old) | (rgt >= n_old))
    ends = [lft[touching], rgt[touching]]
    for a, b in must_link:
        if a >= n_old or b >= n_old or labels[a] != labels[b]:
            ends.append(np.array([a, b], dtype=np.int64))
    found = np.concatenate(ends) if ends else np.zeros(0, dtype=np.int64)
    touched = np.unique(labels[found[found < n_old]])
    old = np.flatnonzero(np.isin(labels, touched)).astype(np.int64)
    return np.concatenate([old, np.arange(n_old, n_old + new, dtype=np.int64)])


def assign_incremental(
    existing: ArrayLike,
    new: int,
    left: ArrayLike,
    right: ArrayLike,
    weight: ArrayLike,
    threshold: float,
    must_link: Sequence[Link] = (),
    cannot_link: Sequence[Link] = (),
    settings: ClusterSettings | None = None,
) -> IncrementalAssignment:
    """Place ``new`` mentions among the ``existing`` clusters (see the module docstring).

    ``left``, ``right`` and ``weight`` are scored pairs over mentions ``0..len(existing)+new-1``;
    pairs outside the affected part are ignored. Links are mention index pairs.
    """
    labels = _checked(existing, new)
    n_old, n = labels.size, labels.size + new
    lft = np.asarray(left, dtype=np.int64)
    rgt = np.asarray(right, dtype=np.int64)
    wgt = np.asarray(weight, dtype=np.float64)
    if lft.size and (min(lft.min(), rgt.min()) < 0 or max(lft.max(), rgt.max()) >= n):
        raise ClusteringError(f"pair indices must lie in 0..{n - 1}")
    affected = affected_mentions(labels, new, lft, rgt, wgt, threshold, must_link)
    local = np.full(n, -1, dtype=np.int64)
    local[affected] = np.arange(affected.size, dtype=np.int64)

    groups = LinkGroups(affected.size)
    frozen: list[Link] = []
    old_local = local[:n_old]
    first: dict[int, int] = {}
    for i in np.flatnonzero(old_local >= 0).tolist():
        head = first.setdefault(int(labels[i]), int(old_local[i]))
        if head != old_local[i]:
            groups.join(head, int(old_local[i]))
            frozen.append((head, int(old_local[i])))
    cannot: list[Link] = []
    deferred_cannot: list[Link] = []
    untouched_inside: list[Link] = []
    for a, b in cannot_link:
        la, lb = int(local[a]), int(local[b])
        if la >= 0 and lb >= 0:
            (cannot if groups.separate(la, lb) else deferred_cannot).append((la, lb))
        elif a < n_old and b < n_old and labels[a] == labels[b]:
            untouched_inside.append((a, b))  # needs a split of an untouched cluster
        # else an end in an untouched cluster: nothing here can join them
    must: list[Link] = []
    deferred_must: list[Link] = []
    for a, b in must_link:
        la, lb = int(local[a]), int(local[b])
        if la < 0 or lb < 0:
            continue  # inside one untouched cluster (rule 1): already honoured
        (must if groups.join(la, lb) else deferred_must).append((la, lb))

    inside = (local[lft] >= 0) & (local[rgt] >= 0)
    clustering = cluster_pairs(
        int(affected.size),
        local[lft[inside]],
        local[rgt[inside]],
        wgt[inside],
        threshold,
        [*frozen, *must],
        cannot,
        settings,
    )
    out = np.concatenate([labels, np.full(new, -1, dtype=np.int64)])
    sub = clustering.labels
    is_old = affected < n_old
    # Each new cluster's label: the smallest existing label in it, or a fresh one.
    smallest = np.full(clustering.stats.clusters, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(smallest, sub[is_old], labels[affected[is_old]])
    fresh = smallest == np.iinfo(np.int64).max
    start = int(labels.max()) + 1 if labels.size else 0
    smallest[fresh] = start + np.arange(int(fresh.sum()), dtype=np.int64)
    out[affected] = smallest[sub]

    old_labels = labels[affected[is_old]]
    moved = zip(old_labels.tolist(), out[affected[is_old]].tolist(), strict=True)
    merged = {int(old): int(into) for old, into in sorted(set(moved)) if old != into}
    new_labels = out[n_old:]
    gained = np.unique(new_labels)
    changed = np.union1d(gained, np.unique(list(merged.values())).astype(np.int64))
    joined = int((new_labels < start).sum())
    return IncrementalAssignment(
        labels=out,
        affected=affected,
        changed=changed.astype(np.int64),
        joined=joined,
        created=int(fresh.sum()),
        merged=merged,
        deferred_must=tuple((int(affected[a]), int(affected[b])) for a, b in deferred_must),
        deferred_cannot=(
            *((int(affected[a]), int(affected[b])) for a, b in deferred_cannot),
            *untouched_inside,
        ),
        clustering=clustering,
    )
