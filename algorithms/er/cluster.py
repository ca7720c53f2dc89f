"""Entity-resolution clustering: scored candidate pairs in, entities out.

Each candidate pair of records carries a match weight ``w`` (log2 Bayes factor, prior included)
and the caller gives the ``threshold`` at which a pair becomes evidence for "same entity". The
*margin* of a pair is ``w - threshold``: positive for a pair that says "same", negative for one
that says "different".

The rule: average link, with a charge for pairs blocking never compared
-----------------------------------------------------------------------

1. Analyst must-links are applied first, as hard unions; the must-link groups are the starting
   clusters. A cannot-link between two records of one must-link group is a contradiction no
   clustering can honour: ``LinkConflict`` names the cannot-link and the must-links joining its
   ends. Decisions are inputs to every run (the caller reads them from the graph each time), so
   a re-run honours them exactly as the first run did.
2. Clusters are then merged greedily, best linked first, while the best link is not negative.
   The link between clusters X and Y is the mean, over all ``|X|·|Y|`` pairs of their members,
   of: the pair's margin if it was compared; ``-unobserved_penalty`` if blocking never put the
   pair side by side; minus infinity if an analyst cannot-linked it (or, with ``veto_weight``
   set, if its weight is below the veto). One contrary pair therefore outweighs only as much
   supporting evidence as it is strong, and a cannot-link outweighs everything.

Unobserved pairs are the crux. They were not compared, so there is no evidence about them
beyond the fact that blocking did not pair them. Counting them as non-matches (at the prior,
some -20 bits for a million records) would break up every true entity that blocking did not
compare completely, the usual case for a person seen in several sources that share different
fields. Counting them as neutral (zero) lets a merge be judged on the single link that joins two
clusters, whatever their sizes, so a chain of weak links grows without limit. What "blocking did
not pair them" is actually worth is ``-log2(1 - r)`` bits against, for a blocking that pairs a
fraction ``r`` of true matches: the default charge ``c`` of 2 bits is ``r = 0.75``. With it,
merging clusters of sizes ``a`` and ``b`` along ``k`` links of margin at most ``M`` needs
``k·M >= c·(a·b - k)``, so a cluster grows only as fast as the links inside it multiply:

- a chain A~B~C with A-vs-C compared and strongly negative breaks wherever the negative margin
  outweighs the link that would close it;
- a chain of links barely above the threshold stops at pairs and triples, since each further
  merge adds a product's worth of uncompared pairs against one weak link;
- a true entity of 2-10 records whose pairs were mostly compared and mostly well above the
  threshold forms, even with a few uncompared or mildly negative pairs.

How it is computed
------------------

A merge needs at least one cross pair with a non-negative margin (every other term is at most
zero) or a must-link, so clusters never cross the components of the *evidence graph* (pairs at
or above the threshold, plus must-links). Components that are trivially consistent, where every
pair of members was compared and is at or above the threshold and no cannot-link lies inside,
or where must-links alone join every member, become one cluster each with no search, in a few
vectorised passes. The rest are agglomerated together, vectorised across components, in rounds
of *reciprocal best links*: each cluster finds its best-linked neighbour and every pair of
clusters that choose each other merges. Average link is reducible (the link from a merged
cluster to a third is the size-weighted mean of its parts' links, never above both), so merging
reciprocal best pairs in parallel yields the clusters that merging one best pair at a time would.
Ties are broken by a fixed hash of each cluster's smallest record index, which keeps the result
a function of the pairs alone (not their order) while letting tied chains merge many pairs per
round. Each round touches only components that merged in the last, and real components finish
in a handful of rounds; a chain whose links weaken steadily along it would need one round per two
links, so after ``parallel_rounds`` what is left is finished one merge at a time from a heap,
ordered as the rounds order ties, and so to the same clusters.

A pair listed more than once keeps its highest weight.
"""

from __future__ import annotations

import heapq
import time
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray
from pydantic import Field

from schema.base import StrictModel
from schema.errors import ClusteringError, LinkConflict

ALGORITHM: Final = "clew.er.cluster average-link/unobserved-penalty v1"

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]

# A fixed odd multiplier (2^64 / golden ratio): multiplying by it permutes 64-bit integers, so
# every cluster gets a distinct, order-free tie-break key.
_GOLDEN: Final = np.uint64(0x9E3779B97F4A7C15)


class ClusterSettings(StrictModel):
    """How strict clustering is; the threshold itself comes with the weights."""

    unobserved_penalty: float = Field(
        default=2.0,
        ge=0.0,
        allow_inf_nan=False,
        description="bits charged per member pair that blocking never compared: -log2(1 - r) "
        "for a blocking recall r (2.0 is r = 0.75); 0 would let weak chains grow unbounded",
    )
    parallel_rounds: int = Field(
        default=32,
        ge=0,
        description="rounds of reciprocal-best merging before what is left is finished one "
        "merge at a time; both give the same clusters, this only bounds the running time",
    )
    veto_weight: float | None = Field(
        default=None,
        allow_inf_nan=False,
        description="a compared pair weighing less than this keeps its records apart as a "
        "cannot-link would; must lie below the threshold; None: no veto",
    )


class ClusterStats(StrictModel):
    """What one clustering run did.

    A *refused merge* is a pair of final clusters joined by at least one candidate pair at or
    above the threshold that were nevertheless kept apart; it is counted once, under the first
    reason that applies: a cannot-link between them, a vetoed pair between them, or the link
    between them as a whole falling short (weak cohesion).
    """

    records: int
    candidate_pairs: int = Field(description="pairs as given, duplicates included")
    evidence_pairs: int = Field(description="pairs as given at or above the threshold")
    clusters: int
    singletons: int
    largest_cluster: int
    must_links_applied: int = Field(description="distinct must-link pairs, all honoured")
    cannot_links_applied: int = Field(description="distinct cannot-link pairs, all honoured")
    refused_cannot_link: int
    refused_veto: int
    refused_weak_cohesion: int
    components_direct: int = Field(description="evidence components taken whole, no search")
    components_searched: int = Field(description="evidence components agglomerated")
    rounds: int = Field(
        description="rounds of reciprocal-best merging (past parallel_rounds: one at a time)"
    )
    seconds: float


@dataclass(frozen=True, eq=False)
class Clustering:
    """Cluster labels per record, cohesion per cluster, and the run's statistics.

    ``labels[i]`` is record ``i``'s cluster, numbered ``0..clusters-1`` in order of each
    cluster's smallest record index, so the same input gives the same numbers. The per-cluster
    arrays are indexed by label: ``size``; ``internal_pairs``, the compared pairs inside it;
    ``min_weight`` and ``mean_weight`` over those pairs (NaN for a cluster with none, such as a
    singleton or a must-link group that was never compared).

    A dataclass rather than a model because it holds arrays over millions of records.
    """

    labels: Ints
    size: Ints
    internal_pairs: Ints
    min_weight: Floats
    mean_weight: Floats
    threshold: float
    settings: ClusterSettings
    stats: ClusterStats
    algorithm: str = ALGORITHM

    def members(self, cluster: int) -> Ints:
        """Record indices in ``cluster``, ascending."""
        return np.flatnonzero(self.labels == cluster).astype(np.int64)


def cluster_pairs(
    n: int,
    left: ArrayLike,
    right: ArrayLike,
    weight: ArrayLike,
    threshold: float,
    must_link: Sequence[tuple[int, int]] = (),
    cannot_link: Sequence[tuple[int, int]] = (),
    settings: ClusterSettings | None = None,
) -> Clustering:
    """Cluster records ``0..n-1`` from scored candidate pairs (see the module docstring).

    ``left``, ``right`` and ``weight`` are parallel arrays, one candidate pair per position, in
    any order. Raises ``LinkConflict`` when a cannot-link joins records that must-links put
    together, and ``ClusteringError`` for inputs that do not describe pairs of those records.
    """
    started = time.perf_counter()
    settings = settings or ClusterSettings()
    if not np.isfinite(threshold):
        raise ClusteringError(f"threshold must be a finite weight, not {threshold}")
    if settings.veto_weight is not None and settings.veto_weight >= threshold:
        raise ClusteringError(
            f"veto_weight {settings.veto_weight} must lie below the threshold {threshold}"
        )
    if n < 0:
        raise ClusteringError(f"n must not be negative, not {n}")
    lft, rgt, wgt = _checked_pairs(n, left, right, weight)
    must = _checked_links(n, must_link, "must-link")
    cannot = _checked_links(n, cannot_link, "cannot-link")

    group = _components(n, must[:, 0], must[:, 1])
    _refuse_contradictions(group, must, cannot)

    evidence = wgt >= threshold
    root = _components(
        n,
        np.concatenate([lft[evidence].astype(np.int64), must[:, 0]]),
        np.concatenate([rgt[evidence].astype(np.int64), must[:, 1]]),
    )
    # The one pass over every candidate pair: int32 roots halve its memory traffic.
    narrow: NDArray[np.integer] = root.astype(np.int32) if n < 2**31 else root
    inside = narrow[lft] == narrow[rgt]
    pa, pb, pw = _distinct(n, lft[inside], rgt[inside], wgt[inside])
    cannot_inside = cannot[root[cannot[:, 0]] == root[cannot[:, 1]]]

    searched = _needs_search(n, root, group, pa, pw - threshold, cannot_inside)
    final = root.copy()
    rounds = 0
    if searched.any():
        nodes = np.flatnonzero(searched[root]).astype(np.int64)
        final[nodes], rounds = _agglomerate(
            n, nodes, root, group, pa, pb, pw, cannot_inside, threshold, settings
        )
    # Roots are smallest member indices, so ranking them numbers clusters by smallest record.
    is_root = final == np.arange(n, dtype=np.int64)
    labels = (np.cumsum(is_root) - 1)[final].astype(np.int64)
    is_comp = root == np.arange(n, dtype=np.int64)

    clusters = int(is_root.sum())
    size = np.bincount(labels, minlength=clusters).astype(np.int64)
    same = labels[pa] == labels[pb]
    internal_pairs = np.bincount(labels[pa[same]], minlength=clusters).astype(np.int64)
    total = np.bincount(labels[pa[same]], weights=pw[same], minlength=clusters)
    min_weight = np.full(clusters, np.inf)
    np.minimum.at(min_weight, labels[pa[same]], pw[same])
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_weight = np.where(internal_pairs > 0, total / internal_pairs, np.nan)
    min_weight[internal_pairs == 0] = np.nan

    refused = _refusals(labels, pa, pb, pw, cannot, threshold, settings)
    stats = ClusterStats(
        records=n,
        candidate_pairs=int(lft.size),
        evidence_pairs=int(evidence.sum()),
        clusters=clusters,
        singletons=int((size == 1).sum()),
        largest_cluster=int(size.max()) if clusters else 0,
        must_links_applied=int(must.shape[0]),
        cannot_links_applied=int(cannot.shape[0]),
        refused_cannot_link=refused[0],
        refused_veto=refused[1],
        refused_weak_cohesion=refused[2],
        components_direct=int((is_comp & ~searched).sum()),
        components_searched=int((is_comp & searched).sum()),
        rounds=rounds,
        seconds=time.perf_counter() - started,
    )
    return Clustering(
        labels=labels,
        size=size,
        internal_pairs=internal_pairs,
        min_weight=min_weight,
        mean_weight=mean_weight,
        threshold=float(threshold),
        settings=settings,
        stats=stats,
    )


# --- inputs -------------------------------------------------------------------------------------


def _checked_pairs(
    n: int, left: ArrayLike, right: ArrayLike, weight: ArrayLike
) -> tuple[NDArray[np.integer], NDArray[np.integer], Floats]:
    # The index arrays keep their own integer type: converting 10M int32 indices to int64 would
    # cost 160 MB for nothing, and numpy indexes with either.
    lft, rgt = np.asarray(left), np.asarray(right)
    wgt = np.asarray(weight, dtype=np.float64)
    if not (lft.ndim == rgt.ndim == wgt.ndim == 1 and lft.size == rgt.size == wgt.size):
        raise ClusteringError(
            f"left, right and weight must be 1-D and of one length, not of shapes "
            f"{lft.shape}, {rgt.shape}, {wgt.shape}"
        )
    if lft.size == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, wgt
    if not (np.issubdtype(lft.dtype, np.integer) and np.issubdtype(rgt.dtype, np.integer)):
        raise ClusteringError(f"pair indices must be integers, not {lft.dtype} and {rgt.dtype}")
    low, high = min(lft.min(), rgt.min()), max(lft.max(), rgt.max())
    if low < 0 or high >= n:
        raise ClusteringError(f"pair index {low if low < 0 else high} is outside 0..{n - 1}")
    loops = np.flatnonzero(lft == rgt)
    if loops.size:
        raise ClusteringError(f"pair {loops[0]} compares record {lft[loops[0]]} with itself")
    bad = np.flatnonzero(~np.isfinite(wgt))
    if bad.size:
        raise ClusteringError(f"pair {bad[0]} has weight {wgt[bad[0]]}; weights must be finite")
    return lft, rgt, wgt


def _checked_links(n: int, links: Sequence[tuple[int, int]], kind: str) -> Ints:
    """Analyst links as distinct (low, high) rows, sorted."""
    rows = np.asarray(list(links), dtype=np.int64)
    if rows.size and (rows.ndim != 2 or rows.shape[1] != 2):
        raise ClusteringError(f"each {kind} must be a pair of record indices")
    rows = rows.reshape(-1, 2)
    for a, b in rows.tolist():
        if not (0 <= a < n and 0 <= b < n):
            raise ClusteringError(f"{kind} ({a}, {b}) names a record outside 0..{n - 1}")
        if a == b:
            raise ClusteringError(f"{kind} ({a}, {b}) links a record with itself")
    return np.unique(np.sort(rows, axis=1), axis=0)


def _refuse_contradictions(group: Ints, must: Ints, cannot: Ints) -> None:
    clash = np.flatnonzero(group[cannot[:, 0]] == group[cannot[:, 1]])
    if not clash.size:
        return
    a, b = (int(v) for v in cannot[clash[0]])
    raise LinkConflict((a, b), _must_path(must, a, b), count=int(clash.size))


def _must_path(must: Ints, start: int, goal: int) -> tuple[tuple[int, int], ...]:
    """The must-links on a shortest path from ``start`` to ``goal`` (error path only)."""
    near: dict[int, list[int]] = {}
    for a, b in must.tolist():
        near.setdefault(a, []).append(b)
        near.setdefault(b, []).append(a)
    came: dict[int, int] = {start: start}
    queue = deque([start])
    while queue and goal not in came:
        here = queue.popleft()
        for there in sorted(near.get(here, ())):
            if there not in came:
                came[there] = here
                queue.append(there)
    path: list[tuple[int, int]] = []
    here = goal
    while here != start:
        path.append((min(here, came[here]), max(here, came[here])))
        here = came[here]
    return tuple(reversed(path))


# --- vectorised building blocks -----------------------------------------------------------------


def _components(n: int, a: Ints, b: Ints) -> Ints:
    """Connected components as the smallest member index of each node's component.

    Hook-and-jump union-find over whole edge arrays: each round hooks every edge's larger root
    under its smaller one, then jumps pointers until every node points at a root; edges already
    inside one component drop out, so rounds shrink fast.
    """
    parent = np.arange(n, dtype=np.int64)
    while a.size:
        ra, rb = parent[a], parent[b]
        apart = ra != rb
        a, b, ra, rb = a[apart], b[apart], ra[apart], rb[apart]
        if not a.size:
            break
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    return parent


def _distinct(
    n: int, left: NDArray[np.integer], right: NDArray[np.integer], weight: Floats
) -> tuple[Ints, Ints, Floats]:
    """Pairs as (low, high), one row per pair with its highest weight, sorted by (low, high)."""
    low = np.minimum(left, right).astype(np.int64)
    high = np.maximum(left, right).astype(np.int64)
    key = low * max(n, 1) + high
    order = np.argsort(key)
    key = key[order]
    heads = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    if not key.size:
        return low, high, weight
    return low[order][heads], high[order][heads], np.maximum.reduceat(weight[order], heads)


def _needs_search(
    n: int, root: Ints, group: Ints, pa: Ints, margin: Floats, cannot_inside: Ints
) -> NDArray[np.bool_]:
    """Per component root: True where the component cannot be taken whole without a search."""
    size = np.bincount(root, minlength=n)
    compared = np.bincount(root[pa], minlength=n)
    lowest = np.full(n, np.inf)
    np.minimum.at(lowest, root[pa], margin)
    complete = (compared == size * (size - 1) // 2) & (lowest >= 0)
    # must-link groups are subsets of components, so a component is one group exactly when
    # every member's group root is the component's root
    one_group = np.bincount(root, weights=group != root, minlength=n) == 0
    conflicted = np.zeros(n, dtype=bool)
    conflicted[root[cannot_inside[:, 0]]] = True
    searched: NDArray[np.bool_] = (size > 1) & (conflicted | ~(complete | one_group))
    return searched


def _agglomerate(
    n: int,
    nodes: Ints,
    root: Ints,
    group: Ints,
    pa: Ints,
    pb: Ints,
    pw: Floats,
    cannot_inside: Ints,
    threshold: float,
    settings: ClusterSettings,
) -> tuple[Ints, int]:
    """Average-link agglomeration of the searched components' ``nodes``, all at once.

    Returns each node's final cluster root (global index) and the number of rounds.

    The state is a table of cluster pairs held as parallel numpy arrays, not models or tuples:
    at 1.5M records this loop sees millions of rows per round, where validating or even boxing
    a row would cost more than all the arithmetic.
    """
    m = nodes.size
    local = np.full(n, -1, dtype=np.int64)
    local[nodes] = np.arange(m, dtype=np.int64)
    comp = local[root[nodes]]
    start = local[group[nodes]]
    hashed = nodes.astype(np.uint64) * _GOLDEN
    hashed ^= hashed >> np.uint64(31)

    take = local[pa] >= 0
    veto = settings.veto_weight
    cu = np.concatenate([start[local[pa[take]]], start[local[cannot_inside[:, 0]]]])
    cv = np.concatenate([start[local[pb[take]]], start[local[cannot_inside[:, 1]]]])
    margin = np.concatenate([pw[take] - threshold, np.zeros(cannot_inside.shape[0])])
    seen = np.concatenate([np.ones(int(take.sum())), np.zeros(cannot_inside.shape[0])])
    barred = np.concatenate(
        [
            pw[take] < veto if veto is not None else np.zeros(int(take.sum()), dtype=bool),
            np.ones(cannot_inside.shape[0], dtype=bool),
        ]
    ).astype(np.float64)
    table = _regroup(m, cu, cv, margin, seen, barred)
    size = np.bincount(start, minlength=m).astype(np.float64)
    into = np.arange(m, dtype=np.int64)
    best = np.full(m, -1, dtype=np.int64)
    penalty = settings.unobserved_penalty
    rounds = 0
    while table[0].size:
        if rounds == settings.parallel_rounds:
            _one_at_a_time(table, size, into, hashed, penalty)
            break
        cu, cv, margin, seen, barred = table
        pairs = size[cu] * size[cv]
        link = (margin - penalty * (pairs - seen)) / pairs
        ok = (link >= 0) & (barred == 0)
        if not ok.any():
            break
        rounds += 1
        x = np.concatenate([cu[ok], cv[ok]])
        y = np.concatenate([cv[ok], cu[ok]])
        both = np.concatenate([link[ok], link[ok]])
        # Each cluster's best neighbour: highest link, then highest hash. Two scatter-max passes
        # instead of a three-key sort, which cost seconds at a million rows.
        top_link = np.full(m, -np.inf)
        np.maximum.at(top_link, x, both)
        tied = both == top_link[x]
        x, y = x[tied], y[tied]
        top_hash = np.zeros(m, dtype=np.uint64)
        np.maximum.at(top_hash, x, hashed[y])
        chosen = hashed[y] == top_hash[x]
        bx, by = x[chosen], y[chosen]
        best[bx] = by
        mutual = (best[by] == bx) & (bx < by)
        best[bx] = -1
        keep, gone = bx[mutual], by[mutual]
        into[gone] = keep
        size[keep] += size[gone]
        # A component in which nothing merged has no non-negative link left, and links change
        # only through merges: it is finished.
        merged = np.zeros(m, dtype=bool)
        merged[comp[keep]] = True
        live = merged[comp[cu]]
        table = _regroup(m, into[cu[live]], into[cv[live]], margin[live], seen[live], barred[live])
    while True:
        jumped = into[into]
        if np.array_equal(jumped, into):
            break
        into = jumped
    return nodes[into[start]], rounds


def _one_at_a_time(
    table: tuple[Ints, Ints, Floats, Floats, Floats],
    size: Floats,
    into: Ints,
    hashed: NDArray[np.uint64],
    penalty: float,
) -> None:
    """Finish agglomerating ``table`` best link first, one merge at a time, updating ``size``
    and ``into`` in place.

    Rounds of reciprocal best links need about one round per two links along a chain whose links
    weaken steadily, each round touching the whole component; past a few rounds a heap is
    cheaper. Ties are ordered as the rounds order them (link, then the higher and the lower of
    the two hashes), so the two agree.
    """
    near: dict[int, dict[int, list[float]]] = {}
    for u, v, *sums in zip(*(column.tolist() for column in table), strict=True):
        near.setdefault(u, {})[v] = near.setdefault(v, {})[u] = sums
    version = dict.fromkeys(near, 0)
    heap: list[tuple[float, int, int, int, int, int, int]] = []

    def offer(u: int, v: int, sums: list[float]) -> None:
        margin, seen, barred = sums
        pairs = size[u] * size[v]
        link = (margin - penalty * (pairs - seen)) / pairs
        if link >= 0 and barred == 0:
            hu, hv = int(hashed[u]), int(hashed[v])
            entry = (-link, -max(hu, hv), -min(hu, hv), u, v, version[u], version[v])
            heapq.heappush(heap, entry)

    for u, neighbours in near.items():
        for v, sums in neighbours.items():
            if u < v:
                offer(u, v, sums)
    while heap:
        *_, u, v, seen_u, seen_v = heapq.heappop(heap)
        if version.get(u) != seen_u or version.get(v) != seen_v:
            continue  # one of the two has merged since this link was offered
        keep, gone = min(u, v), max(u, v)
        kept, lost = near.pop(keep), near.pop(gone)
        del kept[gone], lost[keep]
        for z, sums in lost.items():
            del near[z][gone]
            if z in kept:
                sums = [a + b for a, b in zip(kept[z], sums, strict=True)]
            kept[z] = near[z][keep] = sums
        near[keep] = kept
        size[keep] += size[gone]
        into[gone] = keep
        del version[gone]
        version[keep] += 1
        for z, sums in kept.items():
            offer(keep, z, sums)


def _regroup(
    m: int, cu: Ints, cv: Ints, margin: Floats, seen: Floats, barred: Floats
) -> tuple[Ints, Ints, Floats, Floats, Floats]:
    """Sum the rows of each cluster pair into one, dropping pairs now inside one cluster."""
    low, high = np.minimum(cu, cv), np.maximum(cu, cv)
    apart = low != high
    low, high = low[apart], high[apart]
    margin, seen, barred = margin[apart], seen[apart], barred[apart]
    if not low.size:
        return low, high, margin, seen, barred
    key = low * m + high
    order = np.argsort(key, kind="stable")
    key = key[order]
    heads = np.flatnonzero(np.concatenate([[True], key[1:] != key[:-1]]))
    return (
        low[order][heads],
        high[order][heads],
        np.add.reduceat(margin[order], heads),
        np.add.reduceat(seen[order], heads),
        np.add.reduceat(barred[order], heads),
    )


def _refusals(
    labels: Ints,
    pa: Ints,
    pb: Ints,
    pw: Floats,
    cannot: Ints,
    threshold: float,
    settings: ClusterSettings,
) -> tuple[int, int, int]:
    """Refused merges by reason: (cannot-link, veto, weak cohesion); see ``ClusterStats``."""
    clusters = int(labels.max()) + 1 if labels.size else 0

    def keys(a: Ints, b: Ints) -> Ints:
        la, lb = labels[a], labels[b]
        apart = la != lb
        return np.unique(np.minimum(la, lb)[apart] * clusters + np.maximum(la, lb)[apart])

    strong = pw >= threshold
    adjacent = keys(pa[strong], pb[strong])
    by_cannot = np.isin(adjacent, keys(cannot[:, 0], cannot[:, 1]))
    by_veto = np.zeros(adjacent.size, dtype=bool)
    if settings.veto_weight is not None:
        weak = pw < settings.veto_weight
        by_veto = ~by_cannot & np.isin(adjacent, keys(pa[weak], pb[weak]))
    return (
        int(by_cannot.sum()),
        int(by_veto.sum()),
        int(adjacent.size - by_cannot.sum() - by_veto.sum()),
    )
