"""The load pipeline against a real store: batches, reloads, corrections, rejects, dry runs."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from graph.store import GraphStore
from loaders.mapping import MAPPERS
from loaders.openflights import AirportsReader
from loaders.people import PeopleReader
from loaders.pipeline import LoadProgress, reason_class, run_load
from loaders.reading import LoadContext
from schema.records import RECORD_TYPES

HEADER = "nominal_ref,surname,forenames,dob,postcode,phones\n"


def context(batch: str = "b1") -> LoadContext:
    return LoadContext(
        source="nominal", load_batch=batch, loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
    )


def people_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def records(store: GraphStore) -> dict[str, dict[str, object]]:
    rows = store.read("MATCH (r:PersonRecord) RETURN r.nominal_ref, r").rows
    return {ref: dict(node.properties) for ref, node in rows}


GOOD = [
    "N1,Smith,John,14/07/1962,SW1A 1AA,07700 900123",
    "N2,Jones,Mary,1970-03,,",
    "N3,Patel,Ravi,,M1 1AE,+44 (0)20 7946 0000",
]


def test_load_writes_records_in_batches_with_provenance(store: GraphStore, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", GOOD)
    seen: list[int] = []
    summary = run_load(
        PeopleReader(),
        [path],
        context(),
        store=store,
        batch_size=2,
        on_progress=lambda p: seen.append(p.records),
    )
    assert (summary.read, summary.records, summary.rejected) == (3, 3, 0)
    assert summary.batches == 2
    assert summary.written.created == 3
    assert seen[-1] == 3
    got = records(store)
    assert set(got) == {"N1", "N2", "N3"}
    assert got["N1"]["source_file"] == str(path)
    assert got["N1"]["line"] == 2
    assert got["N1"]["load_batch"] == "b1"
    assert got["N1"]["dob"] == "1962-07-14"
    assert "M1 1AE" in str(got["N3"]["addresses"])
    assert got["N3"]["phones"] == ["+442079460000"]


def test_reload_changes_nothing_and_a_correction_updates_only_its_row(
    store: GraphStore, tmp_path: Path
) -> None:
    path = people_csv(tmp_path / "people.csv", GOOD)
    run_load(PeopleReader(), [path], context("b1"), store=store)
    before = records(store)
    again = run_load(PeopleReader(), [path], context("b2"), store=store)
    assert (again.written.created, again.written.updated, again.written.unchanged) == (0, 0, 3)
    assert records(store) == before  # not even the load batch or time changed

    corrected = people_csv(tmp_path / "people.csv", [GOOD[0], "N2,Jones,Maria,1970-03,,", GOOD[2]])
    fixed = run_load(PeopleReader(), [corrected], context("b3"), store=store)
    assert (fixed.written.created, fixed.written.updated, fixed.written.unchanged) == (0, 1, 2)
    after = records(store)
    assert after["N2"]["forenames"] == "Maria"
    assert after["N2"]["load_batch"] == "b3"
    assert after["N1"] == before["N1"]
    assert store.read("MATCH (r:Record) RETURN count(r)").single() == 3


def test_bad_rows_go_to_the_reject_file_and_the_load_goes_on(
    store: GraphStore, tmp_path: Path
) -> None:
    path = tmp_path / "people.csv"
    path.write_bytes(
        HEADER.encode()
        + b"N1,Smith,John,,,\n"
        + b",NoRef,Ann,,,\n"
        + b"N3,Bad\xffByte,Ann,,,\n"
        + b"N4,Date,Ann,31/02/1990,,\n"
        + b"N5,Last,Row,,,\n"
    )
    rejects = tmp_path / "rejects.jsonl"
    summary = run_load(PeopleReader(), [path], context(), store=store, reject_file=rejects)
    assert summary.records == 2
    assert summary.rejected == 3
    assert summary.reject_file == rejects
    lines = [json.loads(line) for line in rejects.read_text(encoding="utf-8").splitlines()]
    assert [e["line"] for e in lines] == [3, 4, 5]
    assert all(e["file"] == str(path) and e["reason"] for e in lines)
    assert lines[0]["raw"] == ",NoRef,Ann,,,"
    assert "UTF-8" in lines[1]["reason"]
    assert set(records(store)) == {"N1", "N5"}
    assert sum(n for _, n in summary.reject_reasons) == 3


def test_dry_run_writes_nothing(store: GraphStore, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", GOOD)
    summary = run_load(PeopleReader(), [path], context(), store=None)
    assert summary.dry_run
    assert summary.records == 3
    assert store.read("MATCH (n) RETURN count(n)").single() == 0


def test_reason_classes_drop_particulars() -> None:
    assert reason_class("row 12 has 3 fields where the header has 7 columns") == (
        "row N has N fields where the header has N columns"
    )
    assert reason_class("dob '31/02/1990': no such day") == "dob …"


def test_progress_rate() -> None:
    assert LoadProgress().rows_per_s == 0.0


AIRPORTS = (
    '507,"London Heathrow Airport","London","United Kingdom","LHR","EGLL",51.4706,-0.461941,'
    '83,0,"E","Europe/London","airport","OurAirports"\n'
    '1,"No Code Field","Goroka","Papua New Guinea",\\N,"AYGA",-6.08,145.39,5282,10,"U",'
    '"Pacific/Port_Moresby","airport","OurAirports"\n'
    "not,enough,columns\n"
)


def test_reference_entities_are_merged_and_rejects_kept(store: GraphStore, tmp_path: Path) -> None:
    path = tmp_path / "airports.dat"
    path.write_text(AIRPORTS, encoding="utf-8")
    summary = run_load(
        AirportsReader(), [path], context(), store=store, reject_file=tmp_path / "r.jsonl"
    )
    assert (summary.read, summary.entities, summary.records, summary.rejected) == (3, 1, 0, 1)
    assert summary.entities_written.created == 1
    again = run_load(AirportsReader(), [path], context(), store=store)
    assert (again.entities_written.created, again.entities_written.updated) == (0, 1)
    assert store.read("MATCH (a:Airport) RETURN a.iata").rows == (("LHR",),)


def test_every_record_kind_has_a_mapping() -> None:
    assert set(MAPPERS) == set(RECORD_TYPES)


def test_load_writes_keyed_entities_and_links(store: GraphStore, tmp_path: Path) -> None:
    path = people_csv(tmp_path / "people.csv", [*GOOD, "N4,Other,Sam,,,07700 900123"])
    summary = run_load(PeopleReader(), [path], context(), store=store)
    assert summary.edges_missing == 0
    phones = store.read("MATCH (p:Phone) RETURN p.e164 ORDER BY p.e164").rows
    assert phones == (("+442079460000",), ("+447700900123",))
    shared = store.read(
        "MATCH (r:PersonRecord)-[l:REFERS_TO {role: 'phone'}]->(:Phone {e164: '+447700900123'}) "
        "RETURN r.nominal_ref ORDER BY r.nominal_ref"
    ).rows
    assert shared == (("N1",), ("N4",))  # two records that share a phone, for the resolver
    again = run_load(PeopleReader(), [path], context("b2"), store=store)
    assert again.edges_written == summary.edges_written
    assert (
        store.read("MATCH ()-[l:REFERS_TO]->() RETURN count(l)").single() == summary.edges_written
    )
