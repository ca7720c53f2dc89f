"""Stable entity ids across re-runs of entity resolution.

Every run clusters records afresh; the entities analysts know, and the history hung on them,
must not be renamed because of it. ``carry_entity_ids`` gives each new cluster an entity id from
the last run where that is honest, and says, as data, what changed, so the graph layer can
rewire ``RESOLVES_TO`` edges and record the history (split, merged into, created).

The rules
---------

1. A previous entity's *heir* is the new cluster holding most of its records (among the records
   present in this run); a tie goes to the cluster whose smallest record id sorts first.
2. A cluster that is heir to one or more previous entities carries over one of their ids: the
   one with most of its records in the cluster; a tie goes to the id that sorts first. Every
   other id it is heir to is retired as *merged* into the carried id. So each previous id goes
   to at most one cluster, the one with most of its records, and an id follows the bulk of its
   records rather than a fragment of them.
3. A cluster that is heir to none gets ``new_id(its record ids, sorted)``: *created*. A cluster
   that is not the heir of the previous entities it draws records from is a split-off, and gets
   a new id too. ``new_id`` must never return an id that is in use (carried over, made for
   another cluster, or held in the last run): ``EntityIdCollision`` says which. Ids made from a
   hash of the member ids alone can collide when a record set splits off exactly as it was
   merged in: salt them with the run.
4. A previous id is *split* when its records present now lie in more than one cluster; the
   change lists the ids now holding them. It is *unchanged* when it is carried over by a cluster
   with exactly the records it had (a record that has left the run counts as a change). It has
   *vanished* when none of its records is present.

The result depends only on the clusters as sets of record ids and on ``previous``, never on the
order records are given in or on cluster numbering.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from schema.errors import ClusteringError, EntityIdCollision

Ints = NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class EntityAssignment:
    """Entity ids for one run, and the changes from the last one.

    ``entity_ids[i]`` is the entity of ``record_ids[i]``. ``carried`` are the previous ids kept
    (``unchanged`` the subset with exactly the same records); ``created`` the new ones;
    ``merged`` maps each retired id to the carried id that took its records; ``split`` maps each
    previous id whose records now lie in several entities to those entities' ids; ``vanished``
    are previous ids with no record in this run; ``rewired`` the record ids whose entity is not
    the one they had (moved, or resolved for the first time). Id lists are sorted.

    A dataclass rather than a model: it holds a value per record, millions of them.
    """

    entity_ids: tuple[str, ...]
    carried: tuple[str, ...]
    unchanged: tuple[str, ...]
    created: tuple[str, ...]
    merged: dict[str, str]
    split: dict[str, tuple[str, ...]]
    vanished: tuple[str, ...]
    rewired: tuple[str, ...]


def carry_entity_ids(
    record_ids: Sequence[str],
    labels: ArrayLike,
    previous: Mapping[str, str],
    new_id: Callable[[Sequence[str]], str],
) -> EntityAssignment:
    """Entity ids for the clusters ``labels`` (one per record), carried from ``previous``.

    ``previous`` maps record id to entity id as of the last run (records new since then are
    simply absent). See the module docstring for the rules.
    """
    n = len(record_ids)
    given = np.asarray(labels)
    if given.shape != (n,) or (n and not np.issubdtype(given.dtype, np.integer)):
        raise ClusteringError(
            f"labels must be one integer per record: {n} records, labels of shape {given.shape}"
        )
    if len(set(record_ids)) != n:
        twice = next(r for r, k in Counter(record_ids).items() if k > 1)
        raise ClusteringError(f"record id {twice!r} is given more than once")
    _, cluster = np.unique(given, return_inverse=True)
    clusters = int(cluster.max()) + 1 if n else 0
    order = np.argsort(cluster, kind="stable")
    bounds = np.searchsorted(cluster[order], np.arange(clusters + 1)).tolist()
    positions = order.tolist()

    def members(c: int) -> list[str]:
        return sorted(record_ids[i] for i in positions[bounds[c] : bounds[c + 1]])

    first: dict[int, str] = {}

    def first_id(c: int) -> str:
        if c not in first:
            first[c] = members(c)[0]
        return first[c]

    # Previous entity ids as small integers, so overlaps are counted by numpy, not per record.
    before = Counter(previous.values())
    names = list(before)
    codes = {name: i for i, name in enumerate(names)}
    had = [previous.get(r) for r in record_ids]
    code = np.fromiter((-1 if e is None else codes[e] for e in had), np.int64, count=n)
    present = code >= 0
    width = max(clusters, 1)
    pair, overlap = np.unique(code[present] * width + cluster[present], return_counts=True)
    row_code, row_cluster = pair // width, pair % width

    heir, heir_count = _most(row_code, row_cluster, overlap, len(names), first_id)
    heirs = np.flatnonzero(heir >= 0)
    kept, _ = _most(heir[heirs], heirs, heir_count[heirs], clusters, names.__getitem__)

    entity = [names[p] if p >= 0 else "" for p in kept.tolist()]
    made_for: dict[str, int] = {}
    for c in np.flatnonzero(kept < 0).tolist():
        ids = members(c)
        fresh = new_id(ids)
        if fresh in codes or fresh in made_for:
            if fresh in made_for:
                holder = (
                    f"the id of the entity of records {', '.join(members(made_for[fresh])[:3])}"
                )
            elif (kept == codes[fresh]).any():
                c_held = int(np.flatnonzero(kept == codes[fresh])[0])
                holder = f"the id of the entity of records {', '.join(members(c_held)[:3])}"
            else:
                holder = "an entity id of the last run"
            raise EntityIdCollision(fresh, records=tuple(ids), holder=holder)
        made_for[fresh] = c
        entity[c] = fresh

    entity_ids = tuple(entity[c] for c in cluster.tolist())
    size = np.bincount(cluster, minlength=clusters)
    carriers = np.flatnonzero(kept >= 0)
    carried = kept[carriers]
    count_before = np.fromiter(before.values(), np.int64, count=len(names))
    same = (heir_count[carried] == size[carriers]) & (size[carriers] == count_before[carried])
    retired = heirs[kept[heir[heirs]] != heirs]
    rows_per_code = np.bincount(row_code, minlength=len(names))
    spread: dict[str, set[str]] = {}
    for p, c in zip(
        row_code[rows_per_code[row_code] > 1].tolist(),
        row_cluster[rows_per_code[row_code] > 1].tolist(),
        strict=True,
    ):
        spread.setdefault(names[p], set()).add(entity[c])
    return EntityAssignment(
        entity_ids=entity_ids,
        carried=tuple(sorted(names[p] for p in carried.tolist())),
        unchanged=tuple(sorted(names[p] for p in carried[same].tolist())),
        created=tuple(sorted(made_for)),
        merged={names[p]: entity[heir[p]] for p in sorted(retired.tolist(), key=names.__getitem__)},
        split={name: tuple(sorted(spread[name])) for name in sorted(spread)},
        vanished=tuple(sorted(names[p] for p in np.flatnonzero(rows_per_code == 0).tolist())),
        rewired=tuple(r for r, e, h in zip(record_ids, entity_ids, had, strict=True) if e != h),
    )


def _most(
    group: Ints, item: Ints, count: Ints, groups: int, tie: Callable[[int], str]
) -> tuple[Ints, Ints]:
    """Per group, the item with the highest count (ties to the item whose ``tie`` sorts first),
    and that count; -1 and 0 for a group with no item. Ties are rare, so only they loop."""
    top = np.zeros(groups, dtype=np.int64)
    np.maximum.at(top, group, count)
    lead = count == top[group]
    group, item = group[lead], item[lead]
    best = np.full(groups, -1, dtype=np.int64)
    best[group] = item
    tied = np.bincount(group, minlength=groups)[group] > 1
    contenders: dict[int, list[int]] = {}
    for g, i in zip(group[tied].tolist(), item[tied].tolist(), strict=True):
        contenders.setdefault(g, []).append(i)
    for g, items in contenders.items():
        best[g] = min(items, key=tie)
    return best, top
