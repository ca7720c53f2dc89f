"""Why a person's mentions are one person: each member with its strongest link explained.

``explain_entity`` reads a person's records and re-scores the pairs among its mentions with the
model of the latest resolution run (stored on its ``ResolutionRun``), so the weights shown are
those the run used, without training again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict

from algorithms.er.decisions import record_of
from algorithms.er.explain import PairExplanation, explain_pair
from algorithms.er.link import score_pairs
from algorithms.er.model import MatchModel
from algorithms.er.person_mentions import Mention, MentionTable, read_mentions
from algorithms.er.survivorship import full_name
from graph import resolution as q
from graph.store import GraphStore
from schema.errors import ResolutionError


def model_version(model: MatchModel | None) -> str:
    """A short hash of the model: the ``rule_version`` on every edge a run writes."""
    text = "none" if model is None else model.model_dump_json()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def latest_model(store: GraphStore) -> MatchModel | None:
    """The model of the latest resolution run, or None when there is none (or it had none)."""
    rows = store.read(q.READ_LATEST_RUN).rows
    if not rows or rows[0][0].get("model_json") in (None, "null"):
        return None
    return MatchModel.model_validate_json(rows[0][0]["model_json"])


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MemberExplanation(_Out):
    """One mention of a person: what it says, and its strongest link inside the person."""

    mention_id: str
    record_id: str
    label: str
    source: str
    name: str | None
    date_of_birth: str | None
    score: float | None
    rule: str | None
    decided_by: str | None
    best: PairExplanation | None


class EntityExplanation(_Out):
    """Why a person's mentions are one person, member by member."""

    entity_id: str
    name: str
    retired: bool
    merged_into: str | None
    rule_version: str | None
    members: list[MemberExplanation]


def explain_entity(
    store: GraphStore,
    entity_id: str,
    *,
    max_members: int = 200,
    visible: Callable[[Mapping[str, Any]], bool] | None = None,
) -> EntityExplanation:
    """Each member of person ``entity_id`` with its strongest in-cluster pair explained per
    comparison, re-scored by the model of the latest run. A retired person is followed to the
    person it was merged into. Raises ``ResolutionError`` for an unknown id.

    ``visible`` (a record's node properties -> whether to use it) limits the members to the
    records a caller may see: pairs are explained among those only, so no hidden value shows."""
    rows = store.read(q.READ_PERSON, {"id": entity_id}).records()
    if not rows or rows[0]["person"] is None:
        raise ResolutionError(f"no person {entity_id!r} in the graph")
    person = rows[0]["person"]
    into = person.get("merged_into")
    if person.get("retired_at") and into:
        return explain_entity(store, str(into), max_members=max_members, visible=visible)
    edge_of: dict[str, Mapping[str, Any]] = {}
    for edge in rows[0]["edges"] or ():
        for mention in edge.get("mentions") or ():
            edge_of[str(mention)] = edge
    wanted = set(edge_of)
    found = q.read_by_ids(store, q.READ_RECORDS_BY_ID, sorted({record_of(x) for x in wanted}))
    if visible is not None:
        found = [r for r in found if visible(r["props"])]
    table = read_mentions((r["label"], r["props"]) for r in found)
    members = [m for m in table.mentions if m.mention_id in wanted][:max_members]
    model = latest_model(store)
    best = _best_pairs(model, members)
    out = []
    for i, m in enumerate(members):
        edge = edge_of.get(m.mention_id, {})
        out.append(
            MemberExplanation(
                mention_id=m.mention_id,
                record_id=m.record_id,
                label=m.label,
                source=m.source,
                name=full_name(m),
                date_of_birth=m.date_of_birth,
                score=edge.get("score"),
                rule=edge.get("rule"),
                decided_by=edge.get("decided_by"),
                best=best[i],
            )
        )
    return EntityExplanation(
        entity_id=entity_id,
        name=str(person.get("name")),
        retired=bool(person.get("retired_at")),
        merged_into=None,
        rule_version=model_version(model) if model else None,
        members=out,
    )


def _best_pairs(
    model: MatchModel | None, members: Sequence[Mention]
) -> list[PairExplanation | None]:
    n = len(members)
    if model is None or n < 2:
        return [None] * n
    table = MentionTable(list(members)).table()
    left, right = np.triu_indices(n, k=1)
    scored = score_pairs(model, table, left, right)
    out: list[PairExplanation | None] = []
    for i in range(n):
        rows = np.flatnonzero((left == i) | (right == i))
        at = int(rows[np.argmax(scored.weight[rows])])
        out.append(explain_pair(model, table, int(left[at]), int(right[at])))
    return out
