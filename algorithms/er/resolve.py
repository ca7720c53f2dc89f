"""Resolve the graph's person mentions into ``Person`` entities, explain them, record decisions.

A full run reads every record that may describe a person (``PERSON_RECORD_LABELS``), turns them
into mentions, links them (``link``: blocking, comparisons, an unsupervised Fellegi-Sunter
model), clusters the scored pairs honouring every must-link and cannot-link, carries entity ids
over from the last run (``carry_entity_ids``), and writes persons, ``RESOLVES_TO`` edges,
derived relationships and a ``ResolutionRun``.

Links that are inputs to every run, never learned:

- must-link: mentions sharing a police nominal reference (``deterministic_links``), and every
  pair an analyst last judged the same (``MatchDecision`` POSITIVE);
- cannot-link: every pair an analyst last judged different, and two mentions of one record (a
  report's subjects are different people) unless something above must-links them.

Because decisions are read from the graph at the start of each run, a full re-run honours them
exactly as the run after the decision did.

Survivorship (the properties of a person, recomputed each run from its mentions):

- names (forenames, surname, ``name``) from the most authoritative source that names the person:
  police nominal, then Companies House (officer, PSC), then passenger, then phone subscriber,
  then report subject; within a source, the most frequent spelling, then the first in order;
  every other written form of the name is kept in ``aliases``;
- date of birth: the most specific (day, then month, then year), then the most frequent, then
  the most authoritative source's;
- gender: the most frequent known value, ties to the most authoritative source;
- sensitivity: the most restrictive of its records'.

``RESOLVES_TO`` properties: ``score`` is the mention's strongest in-cluster match probability
(1.0 for a must-link or a singleton), ``rule`` is ``fellegi-sunter``, ``nominal-ref``,
``analyst`` or ``singleton``, ``rule_version`` a short hash of the model, ``decided_by`` the
resolver or the analyst whose decision joined the mention.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, ValidationError

from algorithms.er.cluster import cluster_pairs
from algorithms.er.entity_ids import EntityAssignment, carry_entity_ids
from algorithms.er.explain import PairExplanation, explain_pair
from algorithms.er.link import LinkResult, link, score_pairs
from algorithms.er.model import MatchModel
from algorithms.er.person_mentions import (
    PERSON_RECORD_LABELS,
    Mention,
    MentionTable,
    deterministic_links,
    mentions_of,
    read_mentions,
)
from graph import resolution as q
from graph.records import write_edges
from graph.store import GraphStore
from schema.base import Gender, PartialDate
from schema.edges import (
    Edge,
    HasEmail,
    HasPhone,
    HoldsDocument,
    Judgement,
    LivesAt,
    OfficerOf,
    PassengerOn,
    PscOf,
    ReportedMissing,
    ResolvesTo,
    SubjectOf,
)
from schema.entities import Email, Person, Phone
from schema.errors import ResolutionError
from schema.grading import Sensitivity
from schema.ids import make_id
from schema.resolution import MatchDecision, ResolutionRun

RESOLVER: Final = "resolver"

SOURCE_PRIORITY: Final[Mapping[str, int]] = {
    "PersonRecord": 0,
    "OfficerAppointmentRecord": 1,
    "PscRecord": 1,
    "PassengerRecord": 2,
    "PhoneSubscriberRecord": 3,
    "IntelReportRecord": 4,
    "MissingEpisodeRecord": 5,
}
"""Survivorship order for names: lower wins (a police nominal is keyed and checked)."""

Progress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``."""

STAGES: Final = ("read", "link", "cluster", "write")


@dataclass(frozen=True, slots=True)
class ResolutionSummary:
    """What a run did, for the CLI and the ``ResolutionRun`` node."""

    run_id: str
    mode: str
    rule_version: str
    records: int
    mentions: int
    candidate_pairs: int
    matches: int
    entities: int
    created: int
    merged: int
    split: int
    unchanged: int
    retired: int
    rewired: int
    decisions: int
    seconds: float


# --- decisions ----------------------------------------------------------------------------------


def read_decisions(store: GraphStore) -> dict[tuple[str, str], MatchDecision]:
    """The decision that applies to each pair: the latest one made."""
    latest: dict[tuple[str, str], MatchDecision] = {}
    for (props,) in store.read(q.READ_DECISIONS).rows:
        d = MatchDecision.model_validate(props)
        latest[(d.left_id, d.right_id)] = d
    return latest


def decide(
    store: GraphStore, a: str, b: str, *, same: bool, by: str, reason: str, now: datetime
) -> MatchDecision:
    """Record an analyst's judgement on mentions ``a`` and ``b``; the next run honours it.
    Raises ``ResolutionError`` when either mention does not exist."""
    records = {
        row["props"]["id"]: (row["label"], row["props"])
        for row in q.read_by_ids(store, q.READ_RECORDS_BY_ID, [_record_of(a), _record_of(b)])
    }
    for mention_id in (a, b):
        found = records.get(_record_of(mention_id))
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


def _record_of(mention_id: str) -> str:
    return mention_id.split("#", 1)[0]


# --- the run ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Links:
    must: list[tuple[int, int]] = field(default_factory=list)
    cannot: list[tuple[int, int]] = field(default_factory=list)
    analyst: dict[tuple[int, int], MatchDecision] = field(default_factory=dict)
    nominal: set[tuple[int, int]] = field(default_factory=set)
    honoured: int = 0


def _links(mentions: Sequence[Mention], decisions: Mapping[Any, MatchDecision]) -> _Links:
    index = {m.mention_id: i for i, m in enumerate(mentions)}
    out = _Links()
    for i, j in deterministic_links(mentions):
        out.must.append((i, j))
        out.nominal.add((min(i, j), max(i, j)))
    for d in decisions.values():
        left, right = index.get(d.left_id), index.get(d.right_id)
        if left is None or right is None:
            continue  # a mention no longer loaded: the decision waits for it
        i, j = left, right
        out.honoured += 1
        if d.same:
            out.must.append((i, j))
            out.analyst[(min(i, j), max(i, j))] = d
        else:
            out.cannot.append((i, j))
    # Two subjects of one report are different people, unless a must-link says otherwise.
    groups = _union_find(len(mentions), out.must)
    by_record: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        by_record[m.record_id].append(i)
    for members in by_record.values():
        for x, i in enumerate(members):
            out.cannot += [(i, j) for j in members[x + 1 :] if groups[i] != groups[j]]
    return out


def _union_find(n: int, pairs: Sequence[tuple[int, int]]) -> list[int]:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for i, j in pairs:
        parent[find(i)] = find(j)
    return [find(x) for x in range(n)]


def model_version(model: MatchModel | None) -> str:
    """A short hash of the model: the ``rule_version`` on every edge a run writes."""
    text = "none" if model is None else model.model_dump_json()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def run_resolution(
    store: GraphStore,
    *,
    mode: Literal["full", "incremental"] = "full",
    now: datetime,
    run_id: str,
    on_progress: Progress | None = None,
) -> ResolutionSummary:
    """Resolve every person mention in the graph and write the result (module docstring)."""
    if mode != "full":
        raise ResolutionError("incremental resolution is not available yet: run a full one")
    began = time.perf_counter()
    tick = on_progress or (lambda stage, done, total: None)

    tick("read", 0, 1)
    records = list(q.iter_records(store, PERSON_RECORD_LABELS))
    props_by_id = {str(p["id"]): (label, p) for label, p in records}
    table = read_mentions(records)
    mentions = table.mentions
    n = len(mentions)
    decisions = read_decisions(store)
    links = _links(mentions, decisions)
    tick("read", 1, 1)

    tick("link", 0, 1)
    result = link(table.table()) if n >= 2 else None
    model = result.model if result else None
    version = model_version(model)
    tick("link", 1, 1)

    tick("cluster", 0, 1)
    empty = np.empty(0, dtype=np.int64)
    left = result.pairs.left if result else empty
    right = result.pairs.right if result else empty
    weight = result.pairs.weight if result else np.empty(0)
    threshold = model.threshold.weight if model else 0.0
    clustering = cluster_pairs(n, left, right, weight, threshold, links.must, links.cannot)
    labels = clustering.labels
    previous, edges_before, seeds = _current(store)
    used = set(seeds)
    new_seeds: dict[str, str] = {}

    def new_id(members: Sequence[str]) -> str:
        # The seed is a member record that describes one person only; a report subject's
        # record names several, so its seed is made from the mention id.
        whole = [m for m in members if "#" not in m]
        seed = whole[0] if whole else make_id("person_seed", members[0])
        pid = Person.entity_id(seed_record_id=seed)
        salt = 0
        while pid in used:
            # An id once given is never given again, to whatever cluster: salt it with the run.
            salt += 1
            seed = make_id("person_seed", members[0], run_id, salt)
            pid = Person.entity_id(seed_record_id=seed)
        used.add(pid)
        new_seeds[pid] = seed
        return pid

    ids = [m.mention_id for m in mentions]
    assignment = carry_entity_ids(ids, labels, previous, new_id)
    seeds.update(new_seeds)
    tick("cluster", 1, 1)

    members: dict[str, list[int]] = defaultdict(list)
    for i, entity in enumerate(assignment.entity_ids):
        members[entity].append(i)
    steps = 5
    tick("write", 0, steps)
    persons = [
        _person(entity, seeds[entity], [mentions[i] for i in idx], run_id)
        for entity, idx in members.items()
    ]
    q.write_rows(store, q.UPSERT_PERSONS, persons)
    tick("write", 1, steps)
    retired = _retire(store, assignment, run_id, now)
    tick("write", 2, steps)
    evidence = _evidence(n, result, labels, links)
    rewired = _write_resolutions(
        store, mentions, assignment, evidence, edges_before, version, run_id, now
    )
    tick("write", 3, steps)
    _write_derived(store, mentions, assignment, props_by_id, retired)
    tick("write", 4, steps)
    matches = int(np.count_nonzero(weight >= threshold)) if model else 0
    summary = ResolutionSummary(
        run_id=run_id,
        mode=mode,
        rule_version=version,
        records=len(records),
        mentions=n,
        candidate_pairs=int(left.size),
        matches=matches,
        entities=len(members),
        created=len(assignment.created),
        merged=len(assignment.merged),
        split=len(assignment.split),
        unchanged=len(assignment.unchanged),
        retired=len(retired),
        rewired=rewired,
        decisions=links.honoured,
        seconds=time.perf_counter() - began,
    )
    run = ResolutionRun(
        run_id=run_id,
        mode=mode,
        started_at=now,
        finished_at=max(now, datetime.now(now.tzinfo)),
        rule_version=version,
        records=summary.records,
        mentions=n,
        candidate_pairs=summary.candidate_pairs,
        matches=matches,
        entities=summary.entities,
        created=summary.created,
        merged=summary.merged,
        split=summary.split,
        unchanged=summary.unchanged,
        decisions=links.honoured,
        model_json="null" if model is None else model.model_dump_json(),
        cluster_stats_json=clustering.stats.model_dump_json(),
    )
    q.write_rows(store, q.WRITE_RUN, [run.node_properties()])
    tick("write", steps, steps)
    return summary


def _current(
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


# --- survivorship -------------------------------------------------------------------------------


def _priority(m: Mention) -> int:
    return SOURCE_PRIORITY.get(m.label, len(SOURCE_PRIORITY))


def _full(m: Mention) -> str | None:
    text = " ".join(p for p in (m.forename, m.surname) if p)
    return text or None


def _person(entity: str, seed: str, ms: Sequence[Mention], run_id: str) -> dict[str, Any]:
    """The node properties of a person from its mentions (module docstring: survivorship)."""
    named = [m for m in ms if m.surname]
    forenames = surname = None
    name: str | None = None
    if named:
        best = min(_priority(m) for m in named)
        top = [m for m in named if _priority(m) == best]
        spelled = Counter((m.forename, m.surname) for m in top)
        first = {k: i for i, k in reversed(list(enumerate((m.forename, m.surname) for m in top)))}
        forenames, surname = min(spelled, key=lambda k: (-spelled[k], first[k]))
        name = " ".join(p for p in (forenames, surname) if p)
    if name is None:
        refs = sorted({i for m in ms for i in m.identifier})
        name = f"unnamed ({refs[0]})" if refs else "unnamed"
    variants = {v for m in ms if (v := _full(m)) is not None}
    aliases = tuple(sorted(variants - {name}, key=str.casefold))
    dob = _dob(ms)
    gender = _gender(ms)
    person = Person(
        seed_record_id=seed,
        name=name,
        forenames=forenames,
        surname=surname,
        dob=dob,
        gender=gender,
        aliases=aliases,
        sensitivity=Sensitivity(max((m.sensitivity for m in ms), default=0)),
    )
    if person.id != entity:
        raise ResolutionError(f"person {entity} does not match its seed record {seed}")
    props = person.node_properties()
    props.update(
        record_count=len({m.record_id for m in ms}),
        mention_count=len(ms),
        sources=sorted({m.label for m in ms}),
        resolved_by_run=run_id,
    )
    return {k: v for k, v in props.items() if v is not None and v != []}


_PRECISION: Final = {"day": 0, "month": 1, "year": 2}


def _dob(ms: Sequence[Mention]) -> PartialDate | None:
    seen: list[tuple[PartialDate, int]] = []
    for m in ms:
        if not m.date_of_birth:
            continue
        try:
            seen.append((PartialDate.model_validate(m.date_of_birth), _priority(m)))
        except ValidationError:
            continue  # a source's malformed date is no evidence of the person's
    if not seen:
        return None
    counts = Counter(d for d, _ in seen)
    rank = {d: min(p for e, p in seen if e == d) for d in counts}
    return min(counts, key=lambda d: (_PRECISION[d.precision], -counts[d], rank[d], str(d)))


def _gender(ms: Sequence[Mention]) -> Gender | None:
    seen: list[tuple[Gender, int]] = []
    for m in ms:
        try:
            g = Gender(m.gender) if m.gender else None
        except ValueError:
            g = None
        if g is not None and g is not Gender.UNKNOWN:
            seen.append((g, _priority(m)))
    if not seen:
        return None
    counts = Counter(g for g, _ in seen)
    rank = {g: min(p for e, p in seen if e == g) for g in counts}
    return min(counts, key=lambda g: (-counts[g], rank[g], g.value))


# --- resolutions and their history --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Evidence:
    score: float
    rule: str
    decision: MatchDecision | None = None


def _evidence(
    n: int, result: LinkResult | None, labels: np.ndarray[Any, Any], links: _Links
) -> list[_Evidence]:
    """Each mention's strongest reason for its place in its cluster."""
    best = np.full(n, -1.0)
    if result is not None and len(result.pairs):
        left = result.pairs.left.astype(np.int64)
        right = result.pairs.right.astype(np.int64)
        inside = labels[left] == labels[right]
        prob = np.where(inside, result.pairs.probability, -1.0)
        np.maximum.at(best, left, prob)
        np.maximum.at(best, right, prob)
    out = [_Evidence(1.0, "singleton")] * n
    for i in range(n):
        if best[i] >= 0:
            out[i] = _Evidence(float(best[i]), "fellegi-sunter")
    for i, j in links.nominal:
        if labels[i] == labels[j]:
            out[i] = out[j] = _Evidence(1.0, "nominal-ref")
    for (i, j), d in links.analyst.items():
        if labels[i] == labels[j]:
            out[i] = out[j] = _Evidence(1.0, "analyst", d)
    return out


def _retire(
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


def _write_resolutions(
    store: GraphStore,
    mentions: Sequence[Mention],
    assignment: EntityAssignment,
    evidence: Sequence[_Evidence],
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


# --- derived relationships ----------------------------------------------------------------------

_CONTACT: Final = {"HasPhone": "contact_phone", "HasEmail": "contact_email"}


def _write_derived(
    store: GraphStore,
    mentions: Sequence[Mention],
    assignment: EntityAssignment,
    records: Mapping[str, tuple[str, Mapping[str, Any]]],
    retired: Sequence[str],
) -> None:
    """Delete every derived relationship of this run's and the retired persons, then write
    them again from their records' links (module ``graph.resolution``)."""
    entities = sorted(set(assignment.entity_ids))
    q.write_ids(store, q.delete_derived(), [*entities, *retired])
    record_ids = sorted({m.record_id for m in mentions})
    links: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in q.read_by_ids(store, q.READ_RECORD_LINKS, record_ids):
        links[str(row["record"])].append(row)

    edges: dict[str, Edge] = {}
    for i, m in enumerate(mentions):
        label, props = records[m.record_id]
        for edge in _derive(assignment.entity_ids[i], m, label, props, links[m.record_id]):
            known = edges.get(edge.id)
            if known is not None:
                edge = edge.model_copy(
                    update={
                        "record_ids": tuple(sorted({*known.record_ids, *edge.record_ids})),
                        "sensitivity": max(known.sensitivity, edge.sensitivity),
                    }
                )
            edges[edge.id] = edge
    groups: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for edge in edges.values():
        groups[(edge.rel_type, edge.end_label)].append(edge.upsert_row())
    for (rel_type, end_label), rows in sorted(groups.items()):
        write_edges(store, rel_type, "Person", end_label, rows)


def _derive(
    person: str,
    m: Mention,
    label: str,
    props: Mapping[str, Any],
    links: Sequence[Mapping[str, Any]],
) -> list[Edge]:
    own_phones = {Phone.entity_id(e164=p) for p in m.phone}
    common = {
        "start": person,
        "start_label": "Person",
        "record_ids": (m.record_id,),
        "sensitivity": int(props.get("sensitivity") or 0),
    }
    doc = next((str(x["entity"]) for x in links if x["role"] == "document"), None)
    out: list[Edge] = []
    for link_row in links:
        role, end, end_label = link_row["role"], str(link_row["entity"]), link_row["label"]
        ends = {**common, "end": end, "end_label": end_label}
        try:
            edge = _edge(label, role, link_row["type"], ends, props, m, own_phones, doc)
        except ValidationError:
            continue  # a link the source states badly derives nothing rather than stop the run
        if edge is not None:
            out.append(edge)
    return out


def _edge(
    label: str,
    role: str | None,
    link_type: str,
    ends: dict[str, Any],
    props: Mapping[str, Any],
    m: Mention,
    own_phones: set[str],
    doc: str | None,
) -> Edge | None:
    """The person relationship one record link gives, if any."""
    if link_type == "RESOLVES_TO":
        if label == "IntelReportRecord":
            return SubjectOf.model_validate({**ends, "role": m.role})
        if label == "MissingEpisodeRecord":
            return ReportedMissing.model_validate(ends)
        return None
    if role in ("phone", "subscribed_number"):
        return HasPhone.model_validate(ends)
    if role == "email":
        return HasEmail.model_validate(ends)
    if role == "address" and label in ("PersonRecord", "PhoneSubscriberRecord"):
        return LivesAt.model_validate(ends)
    if role == "contact_phone" and ends["end"] in own_phones:
        # A booking contact's number is the traveller's only when the contact is the traveller.
        return HasPhone.model_validate(ends)
    if role == "contact_email" and ends["end"] in {_email_id(e) for e in m.email}:
        return HasEmail.model_validate(ends)
    if role == "appointed_to" and label == "OfficerAppointmentRecord":
        return OfficerOf.model_validate(
            {
                **ends,
                "role": props.get("role"),
                "appointment_type": props.get("appointment_type"),
                "appointed_on": props.get("appointed_on"),
                "resigned_on": props.get("resigned_on"),
            }
        )
    if role == "controlled_company" and label == "PscRecord":
        return PscOf.model_validate(
            {
                **ends,
                "natures_of_control": _as_list(props.get("natures_of_control")),
                "notified_on": props.get("notified_on"),
                "ceased_on": props.get("ceased_on"),
            }
        )
    if role == "flight" and label == "PassengerRecord":
        return PassengerOn.model_validate(
            {
                **ends,
                "seat": props.get("seat"),
                "pnr": props.get("pnr"),
                "infant": bool(props.get("infant")),
                "document_id": doc,
            }
        )
    if role == "document" and label == "PassengerRecord":
        return HoldsDocument.model_validate(ends)
    return None


def _email_id(address: str) -> str:
    return Email.entity_id(address=address)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, str):
        return list(json.loads(value)) if value.startswith("[") else [value]
    return list(value)


# --- explanation --------------------------------------------------------------------------------


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
    store: GraphStore, entity_id: str, *, max_members: int = 200
) -> EntityExplanation:
    """Each member of person ``entity_id`` with its strongest in-cluster pair explained per
    comparison, re-scored by the model of the latest run. A retired person is followed to the
    person it was merged into. Raises ``ResolutionError`` for an unknown id."""
    rows = store.read(q.READ_PERSON, {"id": entity_id}).records()
    if not rows or rows[0]["person"] is None:
        raise ResolutionError(f"no person {entity_id!r} in the graph")
    person = rows[0]["person"]
    into = person.get("merged_into")
    if person.get("retired_at") and into:
        return explain_entity(store, str(into), max_members=max_members)
    edge_of: dict[str, Mapping[str, Any]] = {}
    for edge in rows[0]["edges"] or ():
        for mention in edge.get("mentions") or ():
            edge_of[str(mention)] = edge
    wanted = set(edge_of)
    found = q.read_by_ids(store, q.READ_RECORDS_BY_ID, sorted({_record_of(x) for x in wanted}))
    table = read_mentions((r["label"], r["props"]) for r in found)
    members = [m for m in table.mentions if m.mention_id in wanted][:max_members]
    model = _latest_model(store)
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
                name=_full(m),
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


def _latest_model(store: GraphStore) -> MatchModel | None:
    rows = store.read(q.READ_LATEST_RUN).rows
    if not rows or rows[0][0].get("model_json") in (None, "null"):
        return None
    return MatchModel.model_validate_json(rows[0][0]["model_json"])


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
