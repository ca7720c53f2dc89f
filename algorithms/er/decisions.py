"""Analysts' decisions, and the must-links and cannot-links every run clusters with.

Links that are inputs to every run, never learned, strongest first:

1. an analyst's judgement (``MatchDecision``): for a pair, the latest one made applies; and when
   decisions contradict each other through other pairs (A=B and B=C said same, A!=C said
   different), **the latest wins**: decisions are taken newest first and one that contradicts
   those already taken is overridden (counted, and named by ``PersonLinks.overridden``). A run
   never stops on an analyst's change of mind: the newest word is the analyst's current view.
2. a police nominal reference shared by two mentions (``deterministic_links``): the source's
   word, weaker than any analyst's. A nominal link that would join mentions an analyst said are
   different is dropped (``PersonLinks.nominal_dropped``), so the analyst's word wins.
3. two mentions of one record (a report's subjects) are different people, unless the links
   above join them.

Because decisions are read from the graph at the start of each run, a re-run honours them
exactly as the run after the decision did.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from algorithms.er.constraints import LinkGroups
from algorithms.er.person_mentions import Mention, by_record, deterministic_links, mentions_of
from graph import resolution as q
from graph.store import GraphStore
from schema.edges import Judgement
from schema.errors import ResolutionError
from schema.resolution import MatchDecision


def read_decisions(store: GraphStore) -> dict[tuple[str, str], MatchDecision]:
    """The decision that applies to each pair: the latest one made."""
    latest: dict[tuple[str, str], MatchDecision] = {}
    for (props,) in store.read(q.READ_DECISIONS).rows:
        d = MatchDecision.model_validate(props)
        latest[(d.left_id, d.right_id)] = d
    return latest


def decide(
    store: GraphStore,
    a: str,
    b: str,
    *,
    same: bool,
    by: str,
    reason: str,
    now: datetime,
    visible: Callable[[Mapping[str, Any]], bool] | None = None,
) -> MatchDecision:
    """Record an analyst's judgement on mentions ``a`` and ``b``; the next run honours it.
    Raises ``ResolutionError`` when either mention does not exist, or (``visible``: a record's
    node properties -> whether the decider may see it) is not one the decider may see, with the
    same message."""
    records = {
        row["props"]["id"]: (row["label"], row["props"])
        for row in q.read_by_ids(store, q.READ_RECORDS_BY_ID, [record_of(a), record_of(b)])
        if visible is None or visible(row["props"])
    }
    for mention_id in (a, b):
        found = records.get(record_of(mention_id))
        known = found is not None and any(
            m.mention_id == mention_id for m in mentions_of(found[0], found[1])
        )
        if not known:
            raise ResolutionError(f"no person mention {mention_id!r} in the graph")
    try:
        decision = MatchDecision(
            left_id=a,
            right_id=b,
            judgement=Judgement.POSITIVE if same else Judgement.NEGATIVE,
            decided_by=by,
            decided_at=now,
            reason=reason,
        )
    except ValidationError as exc:
        raise ResolutionError(f"cannot record the decision: {exc.errors()[0]['msg']}") from exc
    q.write_rows(store, q.WRITE_DECISIONS, [decision.node_properties()])
    return decision


def record_of(mention_id: str) -> str:
    """The record a mention id belongs to (``<record id>#subject<i>`` for a report subject)."""
    return mention_id.split("#", 1)[0]


@dataclass(slots=True)
class PersonLinks:
    """The links one run clusters with, as mention indices, and what was turned away."""

    must: list[tuple[int, int]] = field(default_factory=list)
    cannot: list[tuple[int, int]] = field(default_factory=list)
    analyst: dict[tuple[int, int], MatchDecision] = field(default_factory=dict)
    """Positive decisions taken, by (low, high) mention index."""
    nominal: set[tuple[int, int]] = field(default_factory=set)
    """Nominal-reference links taken, as (low, high)."""
    honoured: int = 0
    """Decisions taken (both mentions present, not overridden by a later decision)."""
    overridden: list[MatchDecision] = field(default_factory=list)
    """Decisions that contradict later ones (through other pairs), oldest first."""
    nominal_dropped: int = 0
    """Nominal-reference links dropped because an analyst said the mentions are different."""


def person_links(
    mentions: Sequence[Mention], decisions: Mapping[tuple[str, str], MatchDecision]
) -> PersonLinks:
    """The must-links and cannot-links among ``mentions`` (module docstring), consistent with
    each other: clustering them never raises ``LinkConflict``."""
    index = {m.mention_id: i for i, m in enumerate(mentions)}
    out = PersonLinks()
    groups = LinkGroups(len(mentions))
    present = [
        (index[d.left_id], index[d.right_id], d)
        for d in decisions.values()
        if d.left_id in index and d.right_id in index  # else it waits for its mentions
    ]
    overridden = []
    for i, j, d in sorted(present, key=lambda t: (t[2].decided_at, t[2].id), reverse=True):
        if not (groups.join(i, j) if d.same else groups.separate(i, j)):
            overridden.append(d)
            continue
        out.honoured += 1
        if d.same:
            out.must.append((i, j))
            out.analyst[(min(i, j), max(i, j))] = d
        else:
            out.cannot.append((i, j))
    out.overridden = overridden[::-1]
    for i, j in deterministic_links(mentions):
        if groups.join(i, j):
            out.must.append((i, j))
            out.nominal.add((min(i, j), max(i, j)))
        else:
            out.nominal_dropped += 1
    # Two subjects of one report are different people, unless a must-link says otherwise.
    for members in by_record(mentions).values():
        for x, i in enumerate(members):
            out.cannot += [(i, j) for j in members[x + 1 :] if not groups.together(i, j)]
    return out
