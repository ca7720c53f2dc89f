from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from loaders.column_mapping import ColumnMapping
from loaders.intel_reports import (
    IntelReportReader,
    Mention,
    MentionKind,
    extract_mentions,
    find_known_entities,
)
from loaders.reading import LoadContext, Parsed, Reader, ReadResult, Rejected
from schema.base import PartialDate
from schema.edges import Mentions
from schema.entities import Phone
from schema.ids import make_id
from schema.records import IntelReportRecord

CONTEXT = LoadContext(source="intel", load_batch="b1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))

GOOD: dict[str, Any] = {
    "id": "IR-1",
    "date": "2020-04-03",
    "force": "Metropolitan Police",
    "unit": "CSE Team",
    "grading": "1A",
    "handling_code": "P",
    "tags": ["csae", "CCE"],
    "text": "Subject uses 07700 900123.",
    "subjects": ["John Doe", {"name": "Ann Roe", "dob": "2005-07-14", "role": "victim"}],
}


def line(**changes: Any) -> str:
    data = {**GOOD, **changes}
    return json.dumps({k: v for k, v in data.items() if v is not ...})


def read(path: Path, reader: Reader | None = None) -> tuple[dict[int, Parsed], dict[int, Rejected]]:
    results: list[ReadResult] = list((reader or IntelReportReader()).read(path, CONTEXT))
    parsed = {r.row.line: r for r in results if isinstance(r, Parsed)}
    rejected = {r.row.line: r for r in results if isinstance(r, Rejected)}
    assert len(parsed) + len(rejected) == len(results)
    return parsed, rejected


def report(result: Parsed) -> IntelReportRecord:
    (record,) = result.records
    assert isinstance(record, IntelReportRecord)
    return record


def test_reader_satisfies_the_protocol() -> None:
    reader: Reader = IntelReportReader()
    assert reader.kind == "reports"


def test_a_full_report(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(line() + "\n", encoding="utf-8")
    parsed, rejected = read(path)
    assert not rejected
    r = report(parsed[1])
    assert (r.report_ref, r.reported_on, r.force, r.unit) == (
        "IR-1",
        date(2020, 4, 3),
        "Metropolitan Police",
        "CSE Team",
    )
    assert str(r.grading) == "3x5x2:1/A/P"
    assert r.tags == ("CSAE", "CCE")
    assert r.csae
    assert r.text == GOOD["text"]
    assert [s.name for s in r.subjects] == ["John Doe", "Ann Roe"]
    assert r.subjects[1].dob == PartialDate(year=2005, month=7, day=14)
    assert r.subjects[1].role == "victim"


@pytest.mark.parametrize(
    ("changes", "grading"),
    [
        ({"grading": "1/A/P", "handling_code": ...}, "3x5x2:1/A/P"),
        ({"grading": "1AC", "handling_code": "c"}, "3x5x2:1/A/C"),
        ({"grading": "B2", "handling_code": 4}, "5x5x5:B/2/4"),
        ({"grading": "5x5x5: B-2-4", "handling_code": ...}, "5x5x5:B/2/4"),
    ],
)
def test_grading_and_handling_code(tmp_path: Path, changes: dict[str, Any], grading: str) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(line(**changes) + "\n", encoding="utf-8")
    parsed, rejected = read(path)
    assert not rejected
    assert str(report(parsed[1]).grading) == grading


def test_malformed_lines_are_rejected_and_the_rest_read(tmp_path: Path) -> None:
    lines = [
        line(id="IR-1"),
        line(id="IR-2")[:60],  # truncated
        line(id="IR-3", tags=5),  # wrong type
        line(id="IR-4", force=..., unit=None),  # no owner: neither force nor unit
        line(id="IR-5", date="03/04/2020"),  # ambiguous date: parsed, with a warning
        line(id="IR-6", grading="4ZP", handling_code=...),  # not a grading
        line(id="IR-7", handling_code="C", grading="1AP"),  # disagreeing handling codes
        line(id="IR-8", colour="red"),  # unknown key
        '{"id": "IR-9", "id": "IR-9b"}',  # repeated key
        "[1, 2, 3]",  # not an object
        line(id="IR-11", text="   "),  # blank text
        line(id="IR-12", subjects=[{"name": "A", "age": 3}]),  # unknown subject key
        line(id="IR-13", subjects=[{"name": "A", "dob": "31/02/2005"}]),  # bad subject dob
        line(id="IR-14", date="2020-04-03T09:15:00+01:00"),  # a date and time: its date
        line(id=15, date=20200403),  # numeric id is fine, numeric date is not
        "",  # a blank line is not a row
        line(id="IR-17", text=float("nan")),  # NaN is not JSON
        line(id="IR-18"),
    ]
    data = "\n".join(lines).encode() + b"\n"
    data += line(id="IR-19", text="caf\u00e9").encode().replace(b"caf", b"c\xffaf") + b"\n"
    data += line(id="IR-20").encode() + b"\n"
    path = tmp_path / "reports.jsonl"
    path.write_bytes(data)
    parsed, rejected = read(path)
    assert len(parsed) + len(rejected) == len(lines) + 2 - 1  # less the blank line
    assert set(parsed) == {1, 5, 14, 18, 20}
    assert "ambiguous" in parsed[5].warnings[0]
    assert report(parsed[14]).reported_on == date(2020, 4, 3)
    reasons = {n: r.reason for n, r in rejected.items()}
    assert reasons[2].startswith("not valid JSON: Unterminated string")
    assert reasons[3] == "tags: expected a list of strings, got a number"
    assert reasons[4] == (
        "neither force nor unit given: a report needs the force or the unit that owns it"
    )
    assert "is not a 3x5x2 source evaluation" in reasons[6]
    assert "'C' disagrees with the grading's own handling code 'P'" in reasons[7]
    assert reasons[8].startswith("unknown key(s) 'colour'; known: id, date, grading, text, force")
    assert reasons[9] == "key 'id' appears twice"
    assert reasons[10] == "a report line must be a JSON object, got a list"
    assert reasons[11] == "text: required but missing or blank"
    assert "unknown key(s) 'age'" in reasons[12]
    assert "subjects[0].dob" in reasons[13]
    assert reasons[15] == "date: expected a string, got a number"
    assert "NaN is not a JSON number" in reasons[17]
    assert "not valid UTF-8" in reasons[19]


def test_a_report_owned_by_a_unit_or_a_force_alone(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    lines = [
        line(id="IR-1", force=...),
        line(id="IR-2", unit=...),
        line(id="IR-3", force=" ", unit=None),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed, rejected = read(path)
    assert (report(parsed[1]).force, report(parsed[1]).unit) == (None, "CSE Team")
    assert (report(parsed[2]).force, report(parsed[2]).unit) == ("Metropolitan Police", None)
    assert rejected[3].reason == (
        "neither force nor unit given: a report needs the force or the unit that owns it"
    )


def test_the_owner_reject_names_the_mapped_keys(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    path.write_text(line(force=..., unit=...) + "\n", encoding="utf-8")
    mapping = ColumnMapping(columns={"force": "agency", "unit": "team"})
    _, rejected = read(path, IntelReportReader(mapping))
    assert rejected[1].reason == (
        "neither force ('agency') nor unit ('team') given: a report needs the force or the unit "
        "that owns it"
    )


def test_mapping_renames_keys_and_declares_date_order(tmp_path: Path) -> None:
    path = tmp_path / "reports.jsonl"
    data = {**GOOD, "ref": "IR-1", "reported": "04/03/2020"}
    del data["id"], data["date"]
    path.write_text(json.dumps(data) + "\n", encoding="utf-8")
    mapping = ColumnMapping.model_validate(
        {"columns": {"id": "ref", "date": "reported"}, "date_order": "mdy"}
    )
    parsed, rejected = read(path, IntelReportReader(mapping))
    assert not rejected
    assert report(parsed[1]).reported_on == date(2020, 4, 3)
    assert parsed[1].warnings == ()


# --- mentions -----------------------------------------------------------------------------------

TEXT = (
    "Subject uses 07700 900123 and +44 (0)20 7946 0000 ext 12, mails John.Doe@Example.com "
    "and x07700900456@mail.co.uk. Seen in AB12 CDE at sw1a 1aa, later in A123 BCD and "
    "XYZ 123A near M1 1AE. Ref 12345678 on 03/04/2020 at 14:05; flat 12, ABC 123."
)


def test_mentions_found_with_spans_and_values() -> None:
    found = extract_mentions(TEXT)
    assert [(m.kind, m.value) for m in found] == [
        (MentionKind.PHONE, "+447700900123"),
        (MentionKind.PHONE, "+442079460000"),
        (MentionKind.EMAIL, "john.doe@example.com"),
        (MentionKind.EMAIL, "x07700900456@mail.co.uk"),
        (MentionKind.VEHICLE, "AB12CDE"),
        (MentionKind.POSTCODE, "SW1A 1AA"),
        (MentionKind.VEHICLE, "A123BCD"),
        (MentionKind.VEHICLE, "XYZ123A"),
        (MentionKind.POSTCODE, "M1 1AE"),
    ]
    for m in found:
        assert TEXT[m.start : m.end] == m.text
    notes = {m.value: m.note for m in found}
    assert notes["+447700900123"] == "not in an allocated range"
    assert notes["+442079460000"] == "extension 12"


def test_bare_digit_runs_and_dates_are_not_phone_numbers() -> None:
    assert extract_mentions("Ref 12345678 on 03/04/2020 at 14:05, case 2020/1234.") == ()


def test_a_mention_becomes_a_mentions_edge() -> None:
    (m,) = extract_mentions("call 020 7946 0000 now")
    edge = Mentions(
        start=make_id("report", "intel", "IR-1"),
        end=Phone.entity_id(e164=m.value),
        end_label="Phone",
        record_ids=(IntelReportRecord.record_id("intel", report_ref="IR-1"),),
        span_start=m.start,
        span_end=m.end,
        matched_text=m.text,
        extractor=m.extractor,
    )
    assert (edge.span_start, edge.span_end) == (5, 18)


@dataclass(frozen=True)
class ListGazetteer:
    """A test stand-in for the gazetteer entity resolution will build: exact names."""

    names: dict[str, str]
    name: str = "test-gazetteer"

    def find(self, text: str) -> Iterable[Mention]:
        for written, entity_id in self.names.items():
            start = text.find(written)
            if start >= 0:
                end = start + len(written)
                yield Mention(MentionKind.ENTITY, start, end, written, entity_id, self.name)


def test_gazetteer_is_the_extension_point_for_known_names() -> None:
    gazetteer = ListGazetteer({"Jane Roe": "person_x", "07700": "person_y"})
    found = extract_mentions("Jane Roe rang 07700 900123.", gazetteer=gazetteer)
    assert [(m.kind, m.value) for m in found] == [
        (MentionKind.ENTITY, "person_x"),
        (MentionKind.PHONE, "+447700900123"),  # the phone number wins the overlap
    ]


def test_gazetteer_spans_are_checked() -> None:
    class Liar:
        name = "liar"

        def find(self, text: str) -> Iterable[Mention]:
            return [Mention(MentionKind.ENTITY, 0, 3, "Bob", "person_z", self.name)]

    with pytest.raises(ValueError, match="but the text there is 'Ann'"):
        find_known_entities("Ann", Liar())


def test_mention_span_must_fit_its_text() -> None:
    assert Mention(MentionKind.EMAIL, 2, 7, "a@b.c", "a@b.c", "x").end == 7
    with pytest.raises(ValueError, match="does not fit"):
        Mention(MentionKind.EMAIL, 0, 4, "a@b.c", "a@b.c", "x")
