"""Where each mention resolved to, and the history of it: ``RESOLVES_TO`` edges, retired
persons, and new person ids that are never given out twice.

``RESOLVES_TO`` properties: ``score`` is the mention's strongest in-cluster match probability
(1.0 for a must-link or a singleton), ``rule`` is ``fellegi-sunter``, ``nominal-ref``,
``analyst`` or ``singleton``, ``rule_version`` a short hash of the model, ``decided_by`` the
resolver or the analyst whose decision joined the mention. An edge whose person changed is
deleted and made again towards the new person, with the old one appended to
``previous_entities``; a person merged into another, or left with no records, is retired and
keeps its id (``graph.resolution``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from algorithms.er.entity_ids import EntityAssignment
from algorithms.er.person_mentions import Mention
from graph import resolution as q
from graph.store import GraphStore
from schema.edges import Judgement, ResolvesTo
from schema.entities import Person
from schema.grading import Sensitivity
from schema.ids import make_id
from schema.resolution import MatchDecision

RESOLVER: Final = "resolver"


class PersonIds:
    """New person ids for one run: the seed is a member record that describes one person only
    (a report subject's record names several, so its seed is made from the mention id), salted
    with the run when that id was ever given (to whatever cluster, retired ones included).

    ``taken`` are the ids known to be in use; ``seeds`` maps each known id to its seed record
    id and gains the ids made here."""

    def __init__(self, run_id: str, seeds: dict[str, str], taken: set[str] | None = None):
        self.run_id = run_id
        self.seeds = seeds
        self.used = set(seeds) if taken is None else taken | set(seeds)

    def __call__(self, members: Sequence[str]) -> str:
        seed = _seed(members)
        pid = Person.entity_id(seed_record_id=seed)
        salt = 0
        while pid in self.used:
            salt += 1
            seed = make_id("person_seed", members[0], self.run_id, salt)
            pid = Person.entity_id(seed_record_id=seed)
        self.used.add(pid)
        self.seeds[pid] = seed
        return pid

    @staticmethod
    def first_choice(members: Sequence[str]) -> str:
        """The id ``__call__`` tries first for ``members`` (sorted mention ids)."""
        return Person.entity_id(seed_record_id=_seed(members))


def _seed(members: Sequence[str]) -> str:
    whole = [m for m in members if "#" not in m]
    return whole[0] if whole else make_id("person_seed", members[0])


def read_current(
    store: GraphStore,
) -> tuple[dict[str, str], list[dict[str, Any]], dict[str, str]]:
    """Mention -> person as the graph holds it now, the edges behind it, and every person's
    seed record id (retired persons included)."""
    previous: dict[str, str] = {}
    edges = store.read(q.READ_ASSIGNMENTS).records()
    for row in edges:
        for mention in row["mentions"] or ():
            previous[str(mention)] = str(row["entity"])
    seeds = {str(r["id"]): str(r["seed"]) for r in store.read(q.READ_PERSON_SEEDS).records()}
    return previous, edges, seeds


@dataclass(frozen=True, slots=True)
class Evidence:
    score: float
    rule: str
    decision: MatchDecision | None = None


def evidence_of(
    labels: NDArray[np.int64],
    pairs: tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]],
    nominal: Iterable[tuple[int, int]],
    analyst: Mapping[tuple[int, int], MatchDecision],
) -> list[Evidence]:
    """Each mention's strongest reason for its place in its cluster ``labels``: ``pairs``
    (left, right, match probability) and the must-links taken, over the same indices."""
    n = labels.size
    best = np.full(n, -1.0)
    left, right, probability = pairs
    if left.size:
        inside = labels[left] == labels[right]
        prob = np.where(inside, probability, -1.0)
        np.maximum.at(best, left, prob)
        np.maximum.at(best, right, prob)
    out = [Evidence(1.0, "singleton")] * n
    for i in range(n):
        if best[i] >= 0:
            out[i] = Evidence(float(best[i]), "fellegi-sunter")
    for i, j in nominal:
        if labels[i] == labels[j]:
            out[i] = out[j] = Evidence(1.0, "nominal-ref")
    for (i, j), d in analyst.items():
        if labels[i] == labels[j]:
            out[i] = out[j] = Evidence(1.0, "analyst", d)
    return out


def retire(
    store: GraphStore, assignment: EntityAssignment, run_id: str, now: datetime
) -> list[str]:
    """Mark merged and vanished persons retired; they keep their id and point at the survivor."""
    rows: list[dict[str, str | None]] = [
        {"id": old, "retired_at": now.isoformat(), "run": run_id, "merged_into": into}
        for old, into in sorted(assignment.merged.items())
    ]
    rows += [
        {"id": old, "retired_at": now.isoformat(), "run": run_id, "merged_into": None}
        for old in assignment.vanished
    ]
    q.write_rows(store, q.RETIRE_PERSONS, rows)
    return [str(r["id"]) for r in rows]


def write_resolutions(
    store: GraphStore,
    mentions: Sequence[Mention],
    assignment: EntityAssignment,
    evidence: Sequence[Evidence],
    before: Sequence[Mapping[str, Any]],
    version: str,
    run_id: str,
    now: datetime,
) -> int:
    """Write one ``RESOLVES_TO`` per record and person; an edge whose person changed is deleted
    and made again towards the new one, the old person appended to ``previous_entities``.
    Returns the records rewired."""
    wanted: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        wanted[(m.record_id, assignment.entity_ids[i])].append(i)
    old_by_record: dict[str, list[Mapping[str, Any]]] = defaultdict(list)
    for row in before:
        old_by_record[str(row["record"])].append(row)

    rows: list[dict[str, Any]] = []
    keep: set[str] = set()
    rewired: set[str] = set()
    for (record, entity), idx in wanted.items():
        ev = max((evidence[i] for i in idx), key=lambda e: e.score)
        decision = next((evidence[i].decision for i in idx if evidence[i].decision), None)
        edge = ResolvesTo(
            start=record,
            end=entity,
            end_label="Person",
            score=ev.score,
            rule=ev.rule,
            rule_version=version,
            judgement=Judgement.POSITIVE,
            decided_by=decision.decided_by if decision else RESOLVER,
            decided_at=decision.decided_at if decision else now,
            reason=decision.reason if decision else None,
            record_ids=(record,),
            sensitivity=Sensitivity(max(mentions[i].sensitivity for i in idx)),
            conditional=any(mentions[i].conditional for i in idx),
        )
        own = {mentions[i].mention_id for i in idx}
        history: list[str] = []
        placed: set[str] = set()
        for old in old_by_record.get(record, ()):
            theirs = {str(x) for x in old["mentions"] or ()} & own
            if old["entity"] != entity and not theirs:
                continue  # another subject of the same report, resolved elsewhere
            placed |= theirs
            history += [str(x) for x in old["previous"] or () if str(x) not in history]
            if old["entity"] != entity and old["entity"] not in history:
                history.append(str(old["entity"]))
                rewired.add(record)
        if placed != own:
            rewired.add(record)  # resolved for the first time
        props = {k: v for k, v in edge.upsert_row()["props"].items() if v is not None}
        props.update(
            id=edge.id,
            mentions=sorted(mentions[i].mention_id for i in idx),
            previous_entities=history,
            run_id=run_id,
        )
        if not history:
            del props["previous_entities"]  # FalkorDB keeps no empty list property
        rows.append({"id": edge.id, "start": record, "end": entity, "props": props})
        keep.add(edge.id)
    stale = [{"record": r["record"], "id": r["edge"]} for r in before if r["edge"] not in keep]
    q.write_rows(store, q.DELETE_RESOLUTIONS, stale)
    q.write_rows(store, q.UPSERT_RESOLUTIONS, rows)
    return len(rewired)
