from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from loaders.intel_reports import EXTRACTOR_VERSION, IntelReportReader
from loaders.map_reports import report_writes
from loaders.reading import LoadContext, Parsed
from schema.edges import Mentions, ResolvesTo
from schema.entities import Email, IntelReport, Location, Phone, Vehicle
from schema.grading import Sensitivity
from schema.records import IntelReportRecord

CONTEXT = LoadContext(
    source="intel",
    load_batch="b1",
    loaded_at=datetime(2026, 1, 1, tzinfo=UTC),
    sensitivity=Sensitivity.SECRET,
)
TEXT = (
    "Café owner uses 07700 900123 and ann.doe@example.com; seen at sw1a 1aa in AB12 CDE. "
    "Rang +44 7700 900123 again."
)
REPORT = IntelReport.entity_id(source="intel", report_ref="IR-1")
PHONE = Phone.entity_id(e164="+447700900123")
EMAIL = Email.entity_id(address="ann.doe@example.com")
POSTCODE = Location.entity_id(name="SW1A 1AA", postcode="SW1A 1AA")
VEHICLE = Vehicle.entity_id(vrm="AB12CDE")


def record(tmp_path: Path, **changes: Any) -> IntelReportRecord:
    line = {
        "id": "IR-1",
        "date": "2020-04-03",
        "force": "Metropolitan Police",
        "grading": "1A P",
        "tags": ["csae"],
        "text": TEXT,
        "subjects": ["John Doe"],
        **changes,
    }
    path = tmp_path / "reports.jsonl"
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    (result,) = IntelReportReader().read(path, CONTEXT)
    assert isinstance(result, Parsed)
    (rec,) = result.records
    assert isinstance(rec, IntelReportRecord)
    return rec


def test_the_record_describes_its_report(tmp_path: Path) -> None:
    rec = record(tmp_path)
    writes = report_writes(rec)
    report = writes.all_entities[0]
    assert isinstance(report, IntelReport)
    assert report.id == REPORT
    assert (report.reported_on, report.force, report.tags, report.csae) == (
        date(2020, 4, 3),
        "Metropolitan Police",
        ("CSAE",),
        True,
    )
    assert report.text == TEXT
    assert report.sensitivity is Sensitivity.SECRET
    (resolves,) = (e for e in writes.edges if isinstance(e, ResolvesTo))
    assert (resolves.start, resolves.end, resolves.rule) == (rec.id, REPORT, "key:report_ref")
    assert not report_writes(record(tmp_path, tags=["CCE"])).all_entities[0].model_dump()["csae"]


def test_mentions_become_entities_and_edges_with_their_spans(tmp_path: Path) -> None:
    rec = record(tmp_path)
    writes = report_writes(rec)
    assert [e.id for e in writes.all_entities] == [REPORT, PHONE, EMAIL, POSTCODE, VEHICLE]
    mentions = [e for e in writes.edges if isinstance(e, Mentions)]
    assert len(writes.edges) == len(mentions) + 1  # the RESOLVES_TO, and no REFERS_TO
    assert [(m.end, m.end_label, m.matched_text, m.extractor) for m in mentions] == [
        (PHONE, "Phone", "07700 900123", "phonenumbers"),
        (EMAIL, "Email", "ann.doe@example.com", "regex:email"),
        (POSTCODE, "Location", "sw1a 1aa", "regex:uk_postcode"),
        (VEHICLE, "Vehicle", "AB12 CDE", "regex:uk_vrm"),
        (PHONE, "Phone", "+44 7700 900123", "phonenumbers"),
    ]
    assert mentions[0].span_start == TEXT.index("07700")
    for m in mentions:
        assert (m.start, m.start_label) == (REPORT, "IntelReport")
        assert TEXT[m.span_start : m.span_end] == m.matched_text
        assert m.extractor_version == EXTRACTOR_VERSION
        assert m.record_ids == (rec.id,)
        assert m.sensitivity is Sensitivity.SECRET


def test_an_entity_mentioned_twice_is_one_entity_and_two_edges(tmp_path: Path) -> None:
    writes = report_writes(record(tmp_path))
    assert [e.id for e in writes.all_entities].count(PHONE) == 1
    to_phone = [e for e in writes.edges if isinstance(e, Mentions) and e.end == PHONE]
    assert len(to_phone) == 2
    assert len({e.id for e in to_phone}) == 2
    assert to_phone[0].span_start != to_phone[1].span_start


def test_a_postcode_is_a_location_keyed_on_it(tmp_path: Path) -> None:
    writes = report_writes(record(tmp_path))
    (place,) = (e for e in writes.all_entities if isinstance(e, Location))
    assert (place.name, place.postcode, place.location_type) == ("SW1A 1AA", "SW1A 1AA", "postcode")


def test_a_report_that_mentions_nothing_writes_only_itself(tmp_path: Path) -> None:
    writes = report_writes(record(tmp_path, text="Nothing to note."))
    assert [e.id for e in writes.all_entities] == [REPORT]
    assert [type(e) for e in writes.edges] == [ResolvesTo]


def test_a_report_owned_by_a_unit_alone(tmp_path: Path) -> None:
    rec = record(tmp_path, force=None, unit="ROCU Cyber")
    (report, *_) = report_writes(rec).all_entities
    assert isinstance(report, IntelReport)
    assert (report.force, report.unit, report.id) == (None, "ROCU Cyber", REPORT)
    assert report.display_name == "ROCU Cyber IR-1 (2020-04-03)"
