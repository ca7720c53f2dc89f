"""Incremental resolution on the real embedded store, against a full run on the same data; and
decisions that contradict a source's reference or each other."""

from __future__ import annotations

from datetime import timedelta

import pytest

from algorithms.er.decisions import decide
from algorithms.er.resolve import run_resolution
from graph.store import GraphStore
from loaders.map_reports import report_writes
from schema.errors import ResolutionError
from tests.algorithms.er.test_resolve import T0, person_of, region, region_records, report_of, write


def persons(store: GraphStore) -> set[frozenset[str]]:
    """Each current person as the set of its mention ids."""
    rows = store.read(
        "MATCH (r:Record)-[e:RESOLVES_TO]->(p:Person) WHERE p.retired_at IS NULL "
        "RETURN p.id, e.mentions"
    ).rows
    by: dict[str, set[str]] = {}
    for pid, mentions in rows:
        by.setdefault(str(pid), set()).update(mentions)
    return {frozenset(v) for v in by.values()}


def test_incremental_after_a_full_run_gives_the_persons_of_one_full_run(
    store: GraphStore,
) -> None:
    records, data = region_records()
    # Subscriber 0 comes late too: its person is the one report IR1's first subject resolves
    # to, and IR1's other subject's edge must be left alone when that person changes.
    late = {s.id for s in [data["subscribers"][0], *data["subscribers"][30:]]}
    write(store, [r for r in records if r[0].id not in late])
    first = run_resolution(store, now=T0, run_id="full1")
    assert (first.mentions, first.entities) == (71, 41)
    report = report_of("IR2", 501, ("Someone Else", "NM5"), ("Ottoline Wexford", None))
    write(store, [r for r in records if r[0].id in late] + [(report, report_writes(report))])

    inc = run_resolution(store, mode="incremental", now=T0 + timedelta(hours=1), run_id="inc1")
    assert inc.mode == "incremental"
    assert (inc.records, inc.mentions) == (12, 13)
    assert inc.joined == 12  # eleven subscribers, and the subject named by its nominal reference
    assert (inc.created, inc.merged, inc.split, inc.deferred) == (1, 0, 0, 0)
    assert inc.entities == 42
    assert inc.unchanged == 41 - 12
    assert inc.rule_version == first.rule_version  # the stored model, not retrained
    for i in range(30, 40):
        assert person_of(store, data["subscribers"][i].id) == person_of(
            store, data["nominals"][i].id
        )
    assert person_of(store, f"{report.id}#subject0") == person_of(store, data["nominals"][5].id)
    run = store.read("MATCH (n:ResolutionRun {run_id: 'inc1'}) RETURN n.mode, n.joined").rows
    assert [tuple(r) for r in run] == [("incremental", 12)]
    stranger = f"{data['report'].id}#subject1"
    assert person_of(store, stranger) != person_of(store, data["nominals"][0].id)
    after_incremental = persons(store)

    # One full run over everything: the same persons, and so nothing for it to change.
    full = run_resolution(store, now=T0 + timedelta(hours=2), run_id="full2")
    assert persons(store) == after_incremental
    assert full.unchanged == full.entities == 42
    assert full.created == full.merged == full.split == full.rewired == 0

    # Nothing new: an incremental run writes nothing.
    again = run_resolution(store, mode="incremental", now=T0 + timedelta(hours=3), run_id="inc2")
    assert (again.mentions, again.joined, again.created, again.rewired) == (0, 0, 0, 0)
    assert persons(store) == after_incremental


def test_incremental_merges_on_a_new_same_and_defers_a_split(store: GraphStore) -> None:
    data = region(store)
    run_resolution(store, now=T0, run_id="full1")
    n, s = data["nominals"], data["subscribers"]
    decide(store, n[7].id, n[8].id, same=True, by="a1", reason="same custody photo", now=T0)
    decide(store, n[3].id, s[3].id, same=False, by="a1", reason="different person", now=T0)
    inc = run_resolution(store, mode="incremental", now=T0 + timedelta(hours=1), run_id="inc1")
    assert (inc.merged, inc.retired, inc.deferred) == (1, 1, 1)
    assert person_of(store, n[7].id) == person_of(store, n[8].id) == person_of(store, s[8].id)
    assert person_of(store, n[3].id) == person_of(store, s[3].id)  # a split waits
    run_resolution(store, now=T0 + timedelta(hours=2), run_id="full2")
    assert person_of(store, n[3].id) != person_of(store, s[3].id)


def test_incremental_needs_a_full_run_first(store: GraphStore) -> None:
    region(store)
    with pytest.raises(ResolutionError, match="full run"):
        run_resolution(store, mode="incremental", now=T0, run_id="inc0")


def test_an_analyst_different_overrides_a_shared_nominal_reference(store: GraphStore) -> None:
    data = region(store)
    subject = f"{data['report'].id}#subject0"
    nominal = data["nominals"][0].id
    decide(store, subject, nominal, same=False, by="a1", reason="wrong ref typed", now=T0)
    s = run_resolution(store, now=T0, run_id="full1")
    assert s.nominal_links_dropped == 1
    assert person_of(store, subject) != person_of(store, nominal)


def test_contradicting_decisions_the_latest_wins(store: GraphStore) -> None:
    data = region(store)
    n, s = data["nominals"], data["subscribers"]
    decide(store, n[1].id, n[2].id, same=True, by="a1", reason="r1", now=T0)
    decide(store, n[2].id, n[3].id, same=True, by="a2", reason="r2", now=T0 + timedelta(1))
    decide(store, n[1].id, n[3].id, same=False, by="a3", reason="r3", now=T0 + timedelta(2))
    got = run_resolution(store, now=T0 + timedelta(3), run_id="full1")
    assert (got.decisions, got.decisions_overridden) == (2, 1)  # the oldest, n1 = n2, lost
    assert person_of(store, n[2].id) == person_of(store, n[3].id)
    assert person_of(store, n[1].id) != person_of(store, n[3].id)
    assert person_of(store, n[1].id) == person_of(store, s[1].id)
    # Saying n1 = n2 again makes it the latest: now n2 = n3, the oldest left, gives way.
    decide(store, n[1].id, n[2].id, same=True, by="a1", reason="r4", now=T0 + timedelta(4))
    run_resolution(store, now=T0 + timedelta(5), run_id="full2")
    assert person_of(store, n[1].id) == person_of(store, n[2].id)
    assert person_of(store, n[2].id) != person_of(store, n[3].id)
