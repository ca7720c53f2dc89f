"""``CALLED`` edges between phones, recomputed from the call records behind them.

A load writes each ``CallRecord`` with ``REFERS_TO {role: "a_party"}`` and ``{role:
"b_party"}`` links to its two ``Phone`` entities (``loaders.map_people.call_writes``), never a
``CALLED`` edge per call. ``refresh_called`` then recomputes, for each pair of phones a load
touched, the one ``CALLED`` edge from a to b from all the call records linked to them, and
replaces its properties: reloading a file, or loading calls in any order, gives the same edge.

Properties set (``schema.edges.Called``, plus what it cannot yet say):

- ``count``: the calls; ``total_duration_s``: the sum of their ``duration_s``;
- ``first_seen``/``last_seen``: the earliest and latest ``started_at`` of the calls whose time
  the source gave (``started_at_known`` not false); absent when every call is undated, since an
  undated call's ``started_at`` is an ordering key, not a time;
- ``record_ids``: a **bounded sample**, the ids of the ``SAMPLE_EACH_END`` (25) earliest and 25
  latest calls by ``started_at`` then id (all of them when there are at most 50), in that order,
  not sorted by id; ``count`` against its length says whether it is complete, and the full list is
  the ``CallRecord`` nodes linked to the two phones;
- ``sensitivity``: the most restrictive of the calls' (``Sensitivity`` is stored as its rank);
  ``see_any``, ``see_plain`` and ``conditional`` over every call, not the sample
  (``schema.access``).

Times are ISO text ending in ``Z``; those without a fraction are ordered as ``.000000Z`` so that
whole and fractional seconds sort together. A pair with no call records writes nothing (an edge
left from calls since deleted is not removed here).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Final

from graph.store import GraphStore
from schema.access import NEVER
from schema.edges import Called

SAMPLE_EACH_END: Final = 25
"""How many of the earliest, and of the latest, call record ids an edge keeps."""


_SORTABLE_START: Final = (
    "CASE WHEN c.started_at CONTAINS '.' THEN c.started_at "
    "ELSE replace(c.started_at, 'Z', '.000000Z') END"
)
"""``started_at`` with a fraction always, so that ISO text sorts as time."""


def refresh_called_query(sample_each_end: int = SAMPLE_EACH_END) -> str:
    """Recompute and MERGE one ``CALLED`` edge per row (``id``, ``start``, ``end``: the edge's
    id and its phones' ids), replacing its properties; returns ``written``."""
    k = int(sample_each_end)
    if k < 1:
        raise ValueError("sample_each_end must be at least 1")
    return (
        "UNWIND $rows AS row "
        "MATCH (a:Phone {id: row.start}) "
        "MATCH (b:Phone {id: row.end}) "
        "MATCH (a)<-[:REFERS_TO {role: 'a_party'}]-(c:Record:CallRecord)"
        "-[:REFERS_TO {role: 'b_party'}]->(b) "
        f"WITH row, a, b, c, {_SORTABLE_START} AS t ORDER BY t, c.id "
        "WITH row, a, b, count(c) AS n, sum(c.duration_s) AS total, "
        "max(coalesce(c.sensitivity, 0)) AS sensitivity, collect(c.id) AS ids, "
        f"min(coalesce(c.see_any, {NEVER})) AS see_any, "
        f"min(coalesce(c.see_plain, {NEVER})) AS see_plain, "
        "max(CASE WHEN c.conditional THEN 1 ELSE 0 END) AS conditional, "
        "collect(CASE WHEN c.started_at_known = false THEN null ELSE c.started_at END) AS known "
        "MERGE (a)-[r:CALLED {id: row.id}]->(b) "
        "SET r = {id: row.id, count: n, total_duration_s: total, sensitivity: sensitivity, "
        "see_any: see_any, see_plain: see_plain, conditional: conditional = 1, "
        "first_seen: head(known), last_seen: last(known), "
        f"record_ids: CASE WHEN n <= {2 * k} THEN ids ELSE ids[..{k}] + ids[-{k}..] END}} "
        "RETURN count(r) AS written"
    )


def called_rows(pairs: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """One row per distinct (a phone id, b phone id) pair, in first-seen order, with the
    deterministic id of ``schema.edges.Called`` between them."""
    seen: dict[tuple[str, str], None] = dict.fromkeys(pairs)
    return [
        {"id": Called.id_key.id_for({"start": a, "end": b}), "start": a, "end": b} for a, b in seen
    ]


def _batches(rows: list[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def refresh_called(
    store: GraphStore, pairs: Iterable[tuple[str, str]], *, batch_size: int = 1000
) -> int:
    """Recompute the ``CALLED`` edge of each (a phone id, b phone id) pair from its call
    records (module docstring), one statement per ``batch_size`` pairs, each durable. Returns
    the edges written (pairs whose phones or calls are not in the graph write none)."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    query = refresh_called_query()
    written = 0
    for batch in _batches(called_rows(pairs), batch_size):
        written += int(store.write(query, {"rows": batch}).single())
    return written
