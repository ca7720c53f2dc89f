"""Resolve the graph's person mentions into ``Person`` entities: a full run, or an incremental one.

A **full run** reads every record that may describe a person (``PERSON_RECORD_LABELS``), turns
them into mentions, links them (``link``: blocking, comparisons, an unsupervised Fellegi-Sunter
model trained afresh), clusters the scored pairs honouring every must-link and cannot-link
(``decisions.person_links``), carries entity ids over from the last run (``carry_entity_ids``),
and writes persons (``survivorship``), ``RESOLVES_TO`` edges with their history
(``entity_history``), derived relationships (``derived_edges``) and a ``ResolutionRun``.

An **incremental run** resolves the mentions not resolved yet (records with no ``RESOLVES_TO``
to a person) against the persons the graph holds, with the model of the last run (stored on its
``ResolutionRun``; no retraining):

- it reads every person record's matching columns (blocking pairs a new mention with any
  existing one, and over-shared values are counted over the whole table, as the model was
  trained) and each record's current person, nothing else;
- it blocks the new mentions against the existing ones and each other
  (``candidate_pairs(..., new_from=len(existing))``) and scores those pairs (``score_pairs``);
- it clusters only the affected part (``incremental.assign_incremental``): the new mentions and
  the persons they link to, whose existing members it pairs again (by blocking, so a merge of
  two persons is judged on the evidence a full run would see), honouring decisions;
- it writes only what changed: persons that gained mentions or merged (the others are not
  touched), the merged ones retired, their ``RESOLVES_TO`` edges and derived relationships.

Both kinds of run keep the table's preparation (``prepared_cache``) in the folder they are given,
when they are given one: an incremental run that finds it made for the same model and holding
exactly the mentions already resolved extends it with the new mentions alone
(``Prepared.extend``, the same encodings as preparing everything again) instead of reading every
mention's every value again; otherwise it prepares from scratch, and its summary says which.

How an incremental run can differ from a full one (never splitting a person, no retraining,
only persons linked directly) is set out in ``algorithms.er.incremental``; decisions it cannot
honour without a split are counted as deferred, for the next full run.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray

from algorithms.er.cluster import cluster_pairs
from algorithms.er.decisions import person_links, read_decisions
from algorithms.er.derived_edges import write_derived
from algorithms.er.entity_explain import latest_model, model_version
from algorithms.er.entity_history import (
    PersonIds,
    evidence_of,
    read_current,
    retire,
    write_resolutions,
)
from algorithms.er.entity_ids import EntityAssignment, carry_entity_ids
from algorithms.er.incremental import affected_mentions, assign_incremental
from algorithms.er.link import (
    candidate_pairs,
    extend_for,
    link,
    prepare_for,
    score_pairs,
)
from algorithms.er.model import MatchModel
from algorithms.er.person_mentions import (
    PERSON_RECORD_LABELS,
    Mention,
    MentionTable,
    mentions_of,
    read_mentions,
)
from algorithms.er.prepared import Prepared
from algorithms.er.prepared_cache import CacheMiss, load_prepared, save_prepared
from algorithms.er.settings import LinkSettings
from algorithms.er.survivorship import person_properties
from algorithms.er.table import RecordTable
from graph import resolution as q
from graph.store import GraphStore
from schema.errors import ResolutionError
from schema.resolution import ResolutionRun

Progress = Callable[[str, int, int], None]
"""``on_progress(stage, done, total)``."""

STAGES: Final = ("read", "link", "cluster", "write")

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class ResolutionSummary:
    """What a run did, for the CLI and the ``ResolutionRun`` node.

    A full run counts every record and mention; an incremental one the records and mentions it
    resolved for the first time (``joined`` of them went to existing persons). ``entities`` is
    the persons in the graph after the run either way. ``preparation`` says how the table was
    prepared (from the saved preparation or from scratch, and why) and whether it was saved."""

    run_id: str
    mode: Literal["full", "incremental"]
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
    decisions_overridden: int
    nominal_links_dropped: int
    deferred: int
    joined: int
    seconds: float
    preparation: str = ""


def run_resolution(
    store: GraphStore,
    *,
    mode: Literal["full", "incremental"] = "full",
    now: datetime,
    run_id: str,
    on_progress: Progress | None = None,
    cache_dir: Path | None = None,
) -> ResolutionSummary:
    """Resolve the graph's person mentions and write the result (module docstring), keeping
    the table's preparation in ``cache_dir`` (none kept when it is None). An incremental run
    needs a full run's model: ``ResolutionError`` when there is none."""
    tick = on_progress or (lambda stage, done, total: None)
    if mode == "incremental":
        return _incremental(store, now, run_id, tick, cache_dir)
    return _full(store, now, run_id, tick, cache_dir)


@dataclass(slots=True)
class _Outcome:
    """What both kinds of run write, in the indices of ``mentions``."""

    mentions: Sequence[Mention]
    labels: Ints
    previous: dict[str, str]
    before: list[dict[str, Any]]
    ids: PersonIds
    pairs: tuple[Ints, Ints, Floats]
    nominal: set[tuple[int, int]]
    analyst: Mapping[tuple[int, int], Any]
    records: Mapping[str, tuple[str, Mapping[str, Any]]]


def _write(
    store: GraphStore, o: _Outcome, version: str, run_id: str, now: datetime, tick: Progress
) -> tuple[EntityAssignment, list[str], int]:
    """Persons, retirements, ``RESOLVES_TO`` edges and derived relationships of ``o``."""
    ids = [m.mention_id for m in o.mentions]
    assignment = carry_entity_ids(ids, o.labels, o.previous, o.ids)
    tick("cluster", 1, 1)
    members: dict[str, list[int]] = defaultdict(list)
    for i, entity in enumerate(assignment.entity_ids):
        members[entity].append(i)
    steps = 5
    tick("write", 0, steps)
    persons = [
        person_properties(entity, o.ids.seeds[entity], [o.mentions[i] for i in idx], run_id)
        for entity, idx in members.items()
    ]
    q.write_rows(store, q.UPSERT_PERSONS, persons)
    tick("write", 1, steps)
    retired = retire(store, assignment, run_id, now)
    tick("write", 2, steps)
    evidence = evidence_of(o.labels, o.pairs, o.nominal, o.analyst)
    rewired = write_resolutions(
        store, o.mentions, assignment, evidence, o.before, version, run_id, now
    )
    tick("write", 3, steps)
    write_derived(store, o.mentions, assignment.entity_ids, o.records, retired)
    tick("write", 4, steps)
    return assignment, retired, rewired


def _write_run(
    store: GraphStore,
    s: ResolutionSummary,
    now: datetime,
    model: MatchModel | None,
    cluster_stats_json: str,
) -> None:
    run = ResolutionRun(
        run_id=s.run_id,
        mode=s.mode,
        started_at=now,
        finished_at=max(now, datetime.now(now.tzinfo)),
        rule_version=s.rule_version,
        records=s.records,
        mentions=s.mentions,
        candidate_pairs=s.candidate_pairs,
        matches=s.matches,
        entities=s.entities,
        created=s.created,
        merged=s.merged,
        split=s.split,
        unchanged=s.unchanged,
        decisions=s.decisions,
        decisions_overridden=s.decisions_overridden,
        nominal_links_dropped=s.nominal_links_dropped,
        deferred=s.deferred,
        joined=s.joined,
        model_json="null" if model is None else model.model_dump_json(),
        cluster_stats_json=cluster_stats_json,
    )
    q.write_rows(store, q.WRITE_RUN, [run.node_properties()])


# --- a full run ---------------------------------------------------------------------------------


def _full(
    store: GraphStore, now: datetime, run_id: str, tick: Progress, cache_dir: Path | None
) -> ResolutionSummary:
    began = time.perf_counter()
    tick("read", 0, 1)
    records = list(q.iter_records(store, PERSON_RECORD_LABELS))
    props_by_id = {str(p["id"]): (label, p) for label, p in records}
    table = read_mentions(records)
    mentions = table.mentions
    n = len(mentions)
    links = person_links(mentions, read_decisions(store))
    tick("read", 1, 1)

    tick("link", 0, 1)
    result = link(table.table()) if n >= 2 else None
    model = result.model if result else None
    version = model_version(model)
    tick("link", 1, 1)

    tick("cluster", 0, 1)
    empty = np.empty(0, dtype=np.int64)
    left = result.pairs.left.astype(np.int64) if result else empty
    right = result.pairs.right.astype(np.int64) if result else empty
    weight = result.pairs.weight if result else np.empty(0)
    probability = result.pairs.probability if result else np.empty(0)
    threshold = model.threshold.weight if model else 0.0
    clustering = cluster_pairs(n, left, right, weight, threshold, links.must, links.cannot)
    previous, before, seeds = read_current(store)
    outcome = _Outcome(
        mentions=mentions,
        labels=clustering.labels,
        previous=previous,
        before=before,
        ids=PersonIds(run_id, seeds),
        pairs=(left, right, probability),
        nominal=links.nominal,
        analyst=links.analyst,
        records=props_by_id,
    )
    assignment, retired, rewired = _write(store, outcome, version, run_id, now, tick)
    summary = ResolutionSummary(
        run_id=run_id,
        mode="full",
        rule_version=version,
        records=len(records),
        mentions=n,
        candidate_pairs=int(left.size),
        matches=int(np.count_nonzero(weight >= threshold)) if model else 0,
        entities=len(set(assignment.entity_ids)),
        created=len(assignment.created),
        merged=len(assignment.merged),
        split=len(assignment.split),
        unchanged=len(assignment.unchanged),
        retired=len(retired),
        rewired=rewired,
        decisions=links.honoured,
        decisions_overridden=len(links.overridden),
        nominal_links_dropped=links.nominal_dropped,
        deferred=0,
        joined=0,
        seconds=time.perf_counter() - began,
    )
    _write_run(store, summary, now, model, clustering.stats.model_dump_json())
    saved = _save(cache_dir, result.prepared if result else None, version)
    tick("write", 5, 5)
    return replace(summary, preparation=f"prepared from scratch; {saved}")


# --- an incremental run -------------------------------------------------------------------------


@dataclass(slots=True)
class _Read:
    """Existing mentions with their persons, then the new ones; the new ones' records."""

    existing: list[Mention]
    persons: list[str]
    new: list[Mention]
    new_records: dict[str, tuple[str, Mapping[str, Any]]]


def _read_split(store: GraphStore) -> _Read:
    out = _Read([], [], [], {})
    for label in PERSON_RECORD_LABELS:
        after = ""
        while True:
            page = q.read_records_with_persons_page(label)
            rows = store.read(page, {"after": after, "limit": q.PAGE_SIZE}).rows
            for props, resolved in rows:
                person_of = {
                    str(mention): str(entity)
                    for entity, mentions in resolved or ()
                    if entity is not None
                    for mention in mentions or ()
                }
                for m in mentions_of(label, props):
                    if m.mention_id in person_of:
                        out.existing.append(m)
                        out.persons.append(person_of[m.mention_id])
                    else:
                        out.new.append(m)
                        out.new_records[m.record_id] = (label, dict(props))
            if len(rows) < q.PAGE_SIZE:
                break
            after = max(str(props["id"]) for props, _ in rows)
    return out


def _incremental(
    store: GraphStore, now: datetime, run_id: str, tick: Progress, cache_dir: Path | None
) -> ResolutionSummary:
    began = time.perf_counter()
    model = latest_model(store)
    if model is None:
        raise ResolutionError(
            "incremental resolution needs the model of a full run: run `clew resolve` first"
        )
    version = model_version(model)
    tick("read", 0, 1)
    read = _read_split(store)
    saved = _saved_preparation(cache_dir, version, read)
    mentions = [*read.existing, *read.new]
    n_old, n_new = len(read.existing), len(read.new)
    links = person_links(mentions, read_decisions(store))
    person_codes, existing = np.unique(np.asarray(read.persons, dtype=object), return_inverse=True)
    existing = existing.astype(np.int64)
    tick("read", 1, 1)

    tick("link", 0, 2)
    threshold = model.threshold.weight
    # Prepared once: the existing mentions' pairs below reuse these encodings, reordered.
    if isinstance(saved, Prepared):
        prepared: Prepared | None = saved
        how = "used the saved preparation"
        if read.new:
            prepared = extend_for(model, saved, MentionTable(read.new).table())
            how = "extended the saved preparation"
        table = saved.table if prepared is None else prepared.table
    else:
        table = MentionTable(list(mentions)).table()
        prepared = prepare_for(model, table) if len(mentions) >= 2 else None
        how = f"prepared from scratch ({saved.reason})"
    left, right, weight, probability = _new_pairs(model, table, prepared, n_old)
    affected = affected_mentions(existing, n_new, left, right, weight, threshold, links.must)
    tick("link", 1, 2)
    ol, orr, ow, op = _pairs_among(model, table, prepared, affected[affected < n_old])
    all_left, all_right = np.concatenate([left, ol]), np.concatenate([right, orr])
    all_weight, all_prob = np.concatenate([weight, ow]), np.concatenate([probability, op])
    tick("link", 2, 2)

    tick("cluster", 0, 1)
    result = assign_incremental(
        existing, n_new, all_left, all_right, all_weight, threshold, links.must, links.cannot
    )
    # Only persons that changed are written: their mentions, in the order read.
    sel = result.affected[np.isin(result.labels[result.affected], result.changed)]
    local = np.full(len(mentions), -1, dtype=np.int64)
    local[sel] = np.arange(sel.size, dtype=np.int64)
    chosen = [mentions[i] for i in sel.tolist()]
    previous = {
        mentions[i].mention_id: str(person_codes[existing[i]]) for i in sel[sel < n_old].tolist()
    }
    inside = (local[all_left] >= 0) & (local[all_right] >= 0)
    ids = _person_ids(store, run_id, chosen, result.labels[sel], previous)
    records = dict(read.new_records)
    old_records = sorted({mentions[i].record_id for i in sel[sel < n_old].tolist()})
    for row in q.read_by_ids(store, q.READ_RECORDS_BY_ID, old_records):
        records[str(row["props"]["id"])] = (str(row["label"]), row["props"])
    # A report's record resolves to several persons: only its edges to the persons this run
    # rewrites are its business (the chosen clusters hold every member of those persons).
    touched = set(previous.values())
    before = [
        row
        for row in q.read_by_ids(
            store, q.READ_ASSIGNMENTS_OF_RECORDS, sorted({m.record_id for m in chosen})
        )
        if str(row["entity"]) in touched
    ]
    outcome = _Outcome(
        mentions=chosen,
        labels=result.labels[sel],
        previous=previous,
        before=before,
        ids=ids,
        pairs=(local[all_left[inside]], local[all_right[inside]], all_prob[inside]),
        nominal=_local_links(links.nominal, local),
        analyst={
            k: d for (i, j), d in links.analyst.items() if (k := _local(local, i, j)) is not None
        },
        records=records,
    )
    assignment, retired, rewired = _write(store, outcome, version, run_id, now, tick)
    persons_before = len(person_codes)
    touched_before = len(touched)
    summary = ResolutionSummary(
        run_id=run_id,
        mode="incremental",
        rule_version=version,
        records=len({m.record_id for m in read.new}),
        mentions=n_new,
        candidate_pairs=int(left.size),
        matches=int(np.count_nonzero(weight >= threshold)),
        entities=int(store.read(q.COUNT_PERSONS).single()),
        created=len(assignment.created),
        merged=len(assignment.merged),
        split=0,
        unchanged=persons_before - touched_before,
        retired=len(retired),
        rewired=rewired,
        decisions=links.honoured,
        decisions_overridden=len(links.overridden),
        nominal_links_dropped=links.nominal_dropped,
        deferred=len(result.deferred_must) + len(result.deferred_cannot),
        joined=result.joined,
        seconds=time.perf_counter() - began,
    )
    _write_run(store, summary, now, model, result.clustering.stats.model_dump_json())
    # Every new mention now resolves to a person: the next run's existing mentions are these.
    if isinstance(saved, Prepared) and not read.new:
        stored = "kept as it was"
    else:
        stored = _save(cache_dir, prepared, version)
    tick("write", 5, 5)
    return replace(summary, preparation=f"{how}; {stored}")


def _saved_preparation(cache_dir: Path | None, version: str, read: _Read) -> Prepared | CacheMiss:
    """The saved preparation when it was made for ``version`` and holds exactly the existing
    mentions, with ``read.existing`` (and their persons) put in its order; else why not."""
    if cache_dir is None:
        return CacheMiss("no folder to keep it in")
    saved = load_prepared(cache_dir, version)
    if isinstance(saved, CacheMiss):
        return saved
    position = {m.mention_id: i for i, m in enumerate(read.existing)}
    ids = saved.table.ids
    if len(position) != len(read.existing) or len(ids) != len(read.existing):
        return CacheMiss("saved for other mentions than those resolved now")
    order = [position.get(str(i), -1) for i in ids]
    if min(order, default=0) < 0 or len(set(order)) != len(order):
        return CacheMiss("saved for other mentions than those resolved now")
    read.existing = [read.existing[i] for i in order]
    read.persons = [read.persons[i] for i in order]
    return saved


def _save(cache_dir: Path | None, prepared: Prepared | None, version: str) -> str:
    """Keep ``prepared`` for the next incremental run; what became of it, for the summary."""
    if cache_dir is None or prepared is None:
        return "not kept"
    try:
        save_prepared(cache_dir, prepared, version)
    except (OSError, ValueError) as e:
        # The run's result is written already; the next run prepares from scratch.
        return f"not kept ({type(e).__name__}: {e})"
    return "kept for the next incremental run"


def _settings(model: MatchModel) -> LinkSettings:
    # Every blocking setting the model was trained with: incremental blocking must find the
    # candidates a full run would.
    return LinkSettings(
        max_block_size=model.max_block_size,
        max_name_block_size=model.max_name_block_size,
        hub_limits=model.hub_limits,
        region=model.region,
    )


def _new_pairs(
    model: MatchModel, table: RecordTable, prepared: Prepared | None, n_old: int
) -> tuple[Ints, Ints, Floats, Floats]:
    """Candidate pairs with a new mention (index ``n_old`` on), scored by ``model``."""
    empty = np.zeros(0, dtype=np.int64)
    if prepared is None or n_old == len(table):
        return empty, empty, np.zeros(0), np.zeros(0)
    found = candidate_pairs(
        table, model.blocking_rules, new_from=n_old, settings=_settings(model), prepared=prepared
    )
    scored = score_pairs(model, table, found.left, found.right, prepared=prepared)
    return (
        scored.left.astype(np.int64),
        scored.right.astype(np.int64),
        scored.weight,
        scored.probability,
    )


def _pairs_among(
    model: MatchModel, table: RecordTable, prepared: Prepared | None, chosen: Ints
) -> tuple[Ints, Ints, Floats, Floats]:
    """Candidate pairs among the existing mentions ``chosen``, as a full run's blocking finds
    them (the whole table is blocked, with ``chosen`` last, so that block sizes and
    over-shared values are the whole table's), scored by ``model``; in ``table`` indices."""
    empty = np.zeros(0, dtype=np.int64)
    if prepared is None or chosen.size < 2:
        return empty, empty, np.zeros(0), np.zeros(0)
    n = len(table)
    rest = np.setdiff1d(np.arange(n, dtype=np.int64), chosen)
    order = np.concatenate([rest, chosen])
    prepared = prepared.take(order)
    table = prepared.table
    start = n - chosen.size
    found = candidate_pairs(
        table, model.blocking_rules, new_from=start, settings=_settings(model), prepared=prepared
    )
    keep = found.left >= start  # both ends chosen (left < right)
    scored = score_pairs(model, table, found.left[keep], found.right[keep], prepared=prepared)
    return (
        order[scored.left.astype(np.int64)],
        order[scored.right.astype(np.int64)],
        scored.weight,
        scored.probability,
    )


def _person_ids(
    store: GraphStore,
    run_id: str,
    chosen: Sequence[Mention],
    labels: Ints,
    previous: Mapping[str, str],
) -> PersonIds:
    """New-id maker for an incremental run: the seeds of the persons it touches, and which of
    the ids its new persons would take first are in use already (the graph is asked about
    those only; a salted id names this run, so it cannot have been given before)."""
    members: dict[int, list[str]] = defaultdict(list)
    for m, label in zip(chosen, labels.tolist(), strict=True):
        members[label].append(m.mention_id)
    wanted = {PersonIds.first_choice(sorted(ids)) for ids in members.values()}
    wanted |= set(previous.values())
    rows = q.read_by_ids(store, q.READ_PERSON_SEEDS_BY_ID, sorted(wanted))
    seeds = {str(r["id"]): str(r["seed"]) for r in rows}
    return PersonIds(run_id, seeds)


def _local(local: Ints, i: int, j: int) -> tuple[int, int] | None:
    a, b = int(local[i]), int(local[j])
    return None if a < 0 or b < 0 else (min(a, b), max(a, b))


def _local_links(links: set[tuple[int, int]], local: Ints) -> set[tuple[int, int]]:
    return {k for i, j in links if (k := _local(local, i, j)) is not None}
