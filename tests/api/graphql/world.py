"""A small resolved graph whose records carry different markings and handling codes, written
through the loaders' mappings and resolved by ``run_resolution``: the ground on which the access
tests stand (who may see what is known for every record).

- John Smith (nominal NM1), 1984-03-02, phone A, seen in an OFFICIAL police nominal, an OFFICIAL
  subscriber record for phone A, and a SECRET covert nominal (same NM1) that alone gives his
  alias "Johnny Smyth" and phone B.
- Report IR-P (OFFICIAL, handling P): names John Smith and mentions phone A.
- Report IR-C (OFFICIAL, handling C: conditional): names Mary Jones and mentions phone C.
- Report IR-S (SECRET, handling P): names Johnny Smyth (NM1) and mentions phone B and phone A.

So phone A exists for everyone; phone B only with SECRET clearance; phone C only for roles that
read conditionally handled records (not viewers); Mary Jones likewise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from algorithms.er.resolve import run_resolution
from graph.records import write_edges, write_records, write_referenced
from graph.store import GraphStore
from loaders.entities import GraphWrites
from loaders.map_people import person_writes, subscriber_writes
from loaders.map_reports import report_writes
from schema.base import PartialDate, PostalAddress
from schema.entities import Phone
from schema.grading import Grading, Sensitivity
from schema.graph_schema import GRAPH_SCHEMA
from schema.provenance import Provenance
from schema.records import (
    IntelReportRecord,
    PersonAddress,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
    ReportSubject,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
PHONE_A, PHONE_B, PHONE_C = "+447700900001", "+447700900002", "+447700900003"


def _prov(source: str, line: int, sensitivity: Sensitivity) -> Provenance:
    return Provenance(
        source=source,
        source_file=f"{source}.csv",
        line=line,
        load_batch="b1",
        loaded_at=T0,
        raw_hash=f"{line:064d}",
        sensitivity=sensitivity,
    )


def _report(
    ref: str, line: int, grading: str, sensitivity: Sensitivity, text: str, *subjects: ReportSubject
) -> IntelReportRecord:
    return IntelReportRecord(
        provenance=_prov("intel", line, sensitivity),
        report_ref=ref,
        reported_on=date(2025, 3, 6),
        force="West Yorkshire Police",
        grading=Grading.model_validate(grading),
        text=text,
        subjects=subjects,
    )


@dataclass(frozen=True)
class World:
    john: str
    mary: str
    phone_a: str
    phone_b: str
    phone_c: str
    report_p: str
    report_c: str
    report_s: str
    secret_nominal: str
    official_nominal: str


def write_all(store: GraphStore, records: list[tuple[Record, GraphWrites]]) -> None:
    """Records, then the entities they describe or name, then their relationships, as a load
    writes them."""
    for record, _ in records:
        write_records(store, record.label, [record.node_properties()])
    for _, writes in records:
        for entity in writes.all_entities:
            write_referenced(store, entity.label, [entity.node_properties()])
    for _, writes in records:
        for edge in writes.edges:
            write_edges(store, edge.rel_type, edge.start_label, edge.end_label, [edge.upsert_row()])


def build_world(store: GraphStore) -> World:
    for obj in GRAPH_SCHEMA.schema_objects():  # indexes, full-text ones included
        store.apply_schema(obj)
    official = Sensitivity.OFFICIAL
    secret = Sensitivity.SECRET
    dob = PartialDate.model_validate("1984-03-02")
    nominal = PersonRecord(
        provenance=_prov("pnc", 2, official),
        nominal_ref="NM1",
        forenames="John",
        surname="Smith",
        dob=dob,
        phones=(PHONE_A,),
        addresses=(PersonAddress(lines=("1 High St",), postcode="LS1 1AB"),),
    )
    covert = PersonRecord(
        provenance=_prov("covert", 3, secret),
        nominal_ref="NM1",
        forenames="Johnny",
        surname="Smyth",
        dob=dob,
        phones=(PHONE_B,),
    )
    subscriber = PhoneSubscriberRecord(
        provenance=_prov("telco", 4, official),
        number=PHONE_A,
        subscriber_name="SMITH, John",
        dob=dob,
        address=PostalAddress(lines=("1 High St",), postcode="LS1 1AB"),
    )
    report_p = _report(
        "IR-P",
        10,
        "1A P",
        official,
        f"John Smith was seen using {PHONE_A} near the station.",
        ReportSubject(name="John Smith", nominal_ref="NM1", role="suspect"),
    )
    report_c = _report(
        "IR-C",
        11,
        "1A C",
        official,
        f"Mary Jones gave {PHONE_C} to a missing child.",
        ReportSubject(name="Mary Jones", role="suspect"),
    )
    report_s = _report(
        "IR-S",
        12,
        "1A P",
        secret,
        f"Johnny Smyth runs {PHONE_B} and {PHONE_A} for the group.",
        ReportSubject(name="Johnny Smyth", nominal_ref="NM1", role="suspect"),
    )
    records: list[tuple[Record, GraphWrites]] = [
        (nominal, person_writes(nominal)),
        (covert, person_writes(covert)),
        (subscriber, subscriber_writes(subscriber)),
        (report_p, report_writes(report_p)),
        (report_c, report_writes(report_c)),
        (report_s, report_writes(report_s)),
    ]
    write_all(store, records)
    run_resolution(store, now=T0, run_id="world")
    persons = {
        str(r["mention"]): str(r["person"])
        for r in store.read(
            "MATCH (r:Record)-[e:RESOLVES_TO]->(p:Person) WHERE p.retired_at IS NULL "
            "UNWIND e.mentions AS m RETURN m AS mention, p.id AS person"
        ).records()
    }
    reports = {
        str(r["ref"]): str(r["id"])
        for r in store.read(
            "MATCH (n:IntelReport) RETURN n.report_ref AS ref, n.id AS id"
        ).records()
    }
    mary = next(p for m, p in persons.items() if m.startswith(report_c.id))
    return World(
        john=persons[nominal.id],
        mary=mary,
        phone_a=Phone.entity_id(e164=PHONE_A),
        phone_b=Phone.entity_id(e164=PHONE_B),
        phone_c=Phone.entity_id(e164=PHONE_C),
        report_p=reports["IR-P"],
        report_c=reports["IR-C"],
        report_s=reports["IR-S"],
        secret_nominal=covert.id,
        official_nominal=nominal.id,
    )
