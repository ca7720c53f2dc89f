"""Full resolution on the real embedded store: persons, edges, decisions across re-runs, history,
explanations."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from algorithms.er.decisions import decide
from algorithms.er.entity_explain import explain_entity
from algorithms.er.resolve import run_resolution
from graph.records import write_edges, write_records, write_referenced
from graph.store import GraphStore
from loaders.entities import GraphWrites
from loaders.map_people import person_writes, subscriber_writes
from loaders.map_reports import report_writes
from schema.base import PartialDate, PostalAddress
from schema.errors import ResolutionError
from schema.grading import Grading, Sensitivity
from schema.provenance import Provenance
from schema.records import (
    IntelReportRecord,
    PersonAddress,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
    ReportSubject,
)
from tests.algorithms.er.support import FIRST, LAST

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def prov(source: str, line: int) -> Provenance:
    return Provenance(
        source=source,
        source_file="f.csv",
        line=line,
        load_batch="b1",
        loaded_at=T0,
        raw_hash=f"{line:064d}",
        sensitivity=Sensitivity.OFFICIAL,
    )


def write(store: GraphStore, records: list[tuple[Record, GraphWrites]]) -> None:
    for record, _ in records:
        write_records(store, record.label, [record.node_properties()])
    for _, writes in records:
        for entity in writes.all_entities:
            write_referenced(store, entity.label, [entity.node_properties()])
    for _, writes in records:
        for edge in writes.edges:
            write_edges(store, edge.rel_type, "Record", edge.end_label, [edge.upsert_row()])


def region_records() -> tuple[list[tuple[Record, GraphWrites]], dict[str, Any]]:
    """Forty nominals, each also a phone subscriber with the same name, birth date, number and
    address; one report naming nominal 0 by its reference and a stranger."""
    rng = random.Random(7)
    records: list[tuple[Record, GraphWrites]] = []
    nominals, subscribers = [], []
    for i in range(40):
        first, last = FIRST[i % len(FIRST)], LAST[(i * 7) % len(LAST)]
        dob = PartialDate.model_validate(f"{1960 + rng.randrange(40)}-0{1 + i % 9}-1{i % 10}")
        phone = f"+4477009{i:05d}"
        postcode = f"LS{1 + i % 9} {1 + i % 8}AB"
        nominal = PersonRecord(
            provenance=prov("pnc", 2 + i),
            nominal_ref=f"NM{i}",
            forenames=first,
            surname=last,
            dob=dob,
            phones=(phone,),
            addresses=(PersonAddress(lines=(f"{i} High St",), postcode=postcode),),
        )
        subscriber = PhoneSubscriberRecord(
            provenance=prov("telco", 100 + i),
            number=phone,
            subscriber_name=f"{last.upper()}, {first}",
            dob=dob,
            address=PostalAddress(lines=(f"{i} High St",), postcode=postcode),
        )
        records += [(nominal, person_writes(nominal)), (subscriber, subscriber_writes(subscriber))]
        nominals.append(nominal)
        subscribers.append(subscriber)
    report = report_of("IR1", 500, (f"{FIRST[0]} {LAST[0]}", "NM0"), ("Zebedee Quill", None))
    records.append((report, report_writes(report)))
    return records, {"nominals": nominals, "subscribers": subscribers, "report": report}


def report_of(ref: str, line: int, *subjects: tuple[str, str | None]) -> IntelReportRecord:
    """A report naming ``subjects`` (name, nominal reference or None)."""
    return IntelReportRecord(
        provenance=prov("intel", line),
        report_ref=ref,
        reported_on=date(2025, 3, 6),
        force="West Yorkshire Police",
        grading=Grading.model_validate("2E P"),
        text="Information received.",
        subjects=tuple(
            ReportSubject(name=name, nominal_ref=nominal, role="suspect" if k == 0 else "associate")
            for k, (name, nominal) in enumerate(subjects)
        ),
    )


def region(store: GraphStore) -> dict[str, Any]:
    records, data = region_records()
    write(store, records)
    return data


def person_of(store: GraphStore, mention: str) -> str:
    rows = store.read(
        "MATCH (r:Record)-[e:RESOLVES_TO]->(p:Person) WHERE $m IN e.mentions "
        "AND p.retired_at IS NULL RETURN p.id",
        {"m": mention},
    ).rows
    assert len(rows) == 1, rows
    return str(rows[0][0])


@pytest.fixture
def resolved(store: GraphStore) -> dict[str, Any]:
    data = region(store)
    data["first"] = run_resolution(store, now=T0, run_id="run1")
    return data


def test_a_full_run_makes_persons_edges_and_a_run_node(
    store: GraphStore, resolved: dict[str, Any]
) -> None:
    s = resolved["first"]
    nominal, subscriber = resolved["nominals"][3], resolved["subscribers"][3]
    assert (s.records, s.mentions) == (81, 82)
    assert s.entities == 41  # forty people seen twice, and the report's stranger
    assert s.created == 41
    assert s.merged == s.split == s.unchanged == 0
    pid = person_of(store, nominal.id)
    assert person_of(store, subscriber.id) == pid
    (row,) = store.read(
        "MATCH (p:Person {id: $id}) RETURN p.name, p.aliases, p.dob, p.record_count",
        {"id": pid},
    ).rows
    # The police nominal's spelling wins; the subscriber's surname-first form is an alias.
    assert row[0] == f"{nominal.forenames} {nominal.surname}"
    assert row[1] == [f"{nominal.forenames} {nominal.surname.upper()}"]
    assert row[2] == str(nominal.dob)
    assert row[3] == 2
    (edge,) = store.read(
        "MATCH (:Record {id: $r})-[e:RESOLVES_TO]->(:Person) "
        "RETURN e.rule, e.score, e.decided_by, e.rule_version",
        {"r": subscriber.id},
    ).rows
    assert edge[0] == "fellegi-sunter"
    assert 0.5 < edge[1] <= 1.0
    assert edge[2] == "resolver"
    assert edge[3] == s.rule_version
    # Derived relationships carry the records behind them.
    (phone,) = store.read(
        "MATCH (:Person {id: $id})-[h:HAS_PHONE]->(ph:Phone) RETURN h.record_ids", {"id": pid}
    ).rows
    assert sorted(phone[0]) == sorted([nominal.id, subscriber.id])
    assert store.read("MATCH (:Person {id: $id})-[:LIVES_AT]->(a) RETURN count(a)", {"id": pid})
    report = resolved["report"]
    subject = person_of(store, f"{report.id}#subject0")
    assert subject == person_of(store, resolved["nominals"][0].id)
    (role,) = store.read(
        "MATCH (:Person {id: $id})-[s:SUBJECT_OF]->(:IntelReport) RETURN s.role", {"id": subject}
    ).rows
    assert role[0] == "suspect"
    assert store.read("MATCH (n:ResolutionRun) RETURN n.entities").single() == 41


def test_a_rerun_with_nothing_new_changes_nothing(
    store: GraphStore, resolved: dict[str, Any]
) -> None:
    again = run_resolution(store, now=T0 + timedelta(hours=1), run_id="run2")
    assert again.entities == 41
    assert again.unchanged == 41
    assert again.created == 0
    assert again.rewired == 0
    assert store.read("MATCH (p:Person) RETURN count(p)").single() == 41


def test_decisions_survive_full_reruns_and_a_split_keeps_history(
    store: GraphStore, resolved: dict[str, Any]
) -> None:
    n5, s5 = resolved["nominals"][5], resolved["subscribers"][5]
    n6 = resolved["nominals"][6]
    before = person_of(store, n5.id)
    decide(store, n5.id, s5.id, same=False, by="analyst1", reason="different DOB on file", now=T0)
    decide(store, n5.id, n6.id, same=True, by="analyst2", reason="same custody photo", now=T0)
    for k, run_id in enumerate(("run2", "run3")):
        s = run_resolution(store, now=T0 + timedelta(hours=k + 1), run_id=run_id)
        assert s.decisions == 2
        assert person_of(store, n5.id) != person_of(store, s5.id)
        assert person_of(store, n5.id) == person_of(store, n6.id)
    # n5 went to the analyst's cluster; the subscriber kept or left the old id: either way the
    # edges that moved name where they were before.
    moved = store.read(
        "MATCH (r:Record)-[e:RESOLVES_TO]->(:Person) WHERE $old IN e.previous_entities RETURN r.id",
        {"old": before},
    ).rows
    assert moved
    (edge,) = store.read(
        "MATCH (:Record {id: $r})-[e:RESOLVES_TO]->(:Person) RETURN e.rule, e.decided_by, e.reason",
        {"r": n6.id},
    ).rows
    assert tuple(edge) == ("analyst", "analyst2", "same custody photo")
    # Every person id ever used still exists; a retired one points at its survivor.
    retired = store.read(
        "MATCH (p:Person) WHERE p.retired_at IS NOT NULL RETURN p.id, p.merged_into, "
        "p.retired_by_run"
    ).rows
    assert retired
    assert all(r[2] == "run2" for r in retired)
    for _, into, _ in retired:
        if into is not None:
            assert store.read("MATCH (p:Person {id: $id}) RETURN count(p)", {"id": into}).single()
    assert not store.read(
        "MATCH (p:Person)-[e]->() WHERE p.retired_at IS NOT NULL RETURN count(e)"
    ).single()
    # The latest decision on a pair applies: changing one's mind re-merges.
    decide(store, s5.id, n5.id, same=True, by="analyst1", reason="DOB typo", now=T0 + timedelta(1))
    run_resolution(store, now=T0 + timedelta(days=2), run_id="run4")
    assert person_of(store, n5.id) == person_of(store, s5.id) == person_of(store, n6.id)


def test_explain_shows_per_comparison_evidence(store: GraphStore, resolved: dict[str, Any]) -> None:
    pid = person_of(store, resolved["nominals"][2].id)
    explained = explain_entity(store, pid)
    assert explained.entity_id == pid
    assert len(explained.members) == 2
    for member in explained.members:
        assert member.best is not None
        assert member.best.is_match
        names = {c.comparison for c in member.best.comparisons}
        assert any("surname" in n for n in names)
        assert member.rule == "fellegi-sunter"
    with pytest.raises(ResolutionError, match="no person"):
        explain_entity(store, "person_" + "a" * 26)


def test_a_decision_names_mentions_that_exist(store: GraphStore, resolved: dict[str, Any]) -> None:
    n1 = resolved["nominals"][1].id
    with pytest.raises(ResolutionError, match="no person mention"):
        decide(store, n1, "rec_nothing", same=True, by="a", reason="r", now=T0)
    with pytest.raises(ResolutionError, match="two different"):
        decide(store, n1, n1, same=True, by="a", reason="r", now=T0)
