from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from loaders.column_mapping import ColumnMapping, ColumnMappingError, HeaderError
from loaders.normalise import DateOrder
from loaders.people import MissingEpisodeReader, PeopleReader
from loaders.reading import LoadContext, Parsed, Reader, Rejected
from schema.base import Gender, PartialDate
from schema.records import MissingEpisodeRecord, PersonRecord
from tests.loaders.support import read_by_line

CONTEXT = LoadContext(source="pnc", load_batch="b1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC))

PEOPLE_HEADER = (
    "nominal_ref,surname,forenames,title,aliases,dob,gender,nationality,address,town,postcode,"
    "phones,emails,warning_markers,flags\n"
)


def read(reader: Reader, path: Path) -> tuple[dict[int, Parsed], dict[int, Rejected]]:
    return read_by_line(reader, path, CONTEXT)


def person(result: Parsed) -> PersonRecord:
    (record,) = result.records
    assert isinstance(record, PersonRecord)
    return record


def test_readers_satisfy_the_protocol() -> None:
    readers: list[Reader] = [PeopleReader(), MissingEpisodeReader()]
    assert [r.kind for r in readers] == ["people", "missing"]


def test_a_full_person_row(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        PEOPLE_HEADER + "N1,SMITH,Mr John,,Jack Smith|JJ,14/07/1962,M,British,"
        '"12 High St, Flat 2",Leeds,ls11ab,07700 900123|+44 (0)20 7946 0000,J@X.COM,'
        "VI|we|vi,CSE_RISK\n",
        encoding="utf-8",
    )
    parsed, rejected = read(PeopleReader(), path)
    assert not rejected
    p = person(parsed[2])
    assert (p.nominal_ref, p.title, p.forenames, p.surname) == ("N1", "Mr", "John", "SMITH")
    assert p.aliases == ("Jack Smith", "JJ")
    assert p.dob == PartialDate(year=1962, month=7, day=14)
    assert p.gender is Gender.MALE
    (address,) = p.addresses
    assert address.lines == ("12 High St", "Flat 2")
    assert (address.locality, address.postcode) == ("Leeds", "LS1 1AB")
    assert p.phones == ("+447700900123", "+442079460000")
    assert p.emails == ("j@x.com",)
    assert p.warning_markers == ("VI", "WE")
    assert p.flags == ("CSE_RISK",)
    assert p.provenance.line == 2
    warnings = parsed[2].warnings
    assert "forenames: title 'Mr' moved to title" in warnings
    assert any(w.startswith("phones: +447700900123 is not in a range") for w in warnings)


def test_malformed_rows_are_rejected_and_the_rest_read(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    rows = [
        "N1,Smith,Ann,,,03/04/1990,F,,,,,,,,",  # ambiguous date: parsed, with a warning
        "N2,,Bob,,,,,,,,,,,,",  # missing surname
        "N3,Jones,Cat,,,,Q,,,,,,,,",  # wrong value for gender
        "N4,Brown,Dan,,,1990-13-01,,,,,,,,,",  # bad date
        "N5,Green,Eve,,,,,,,,,call me,,,",  # not a phone number
        "N6,White,Fay,,,,,,,,,,not-an-email,,",  # bad e-mail
        "N7,Black,Gus",  # too few fields
        "N8,Grey,Hal,,,,,,,,XX1 1XX,,,,",  # not a UK postcode: kept with a warning
        "N9,Blue,Ivy,,,,,,,,,,,,",
    ]
    data = (PEOPLE_HEADER + "\n".join(rows) + "\n").encode()
    data = data.replace(b"N9,Blue,Ivy", b"N9,Bl\xfce,Ivy")  # bad UTF-8
    data += b"N10,Last,Row,,,,,,,,,,,,\n"
    path.write_bytes(data)
    parsed, rejected = read(PeopleReader(), path)
    assert len(parsed) + len(rejected) == len(rows) + 1
    assert set(parsed) == {2, 9, 11}
    assert "ambiguous" in parsed[2].warnings[0]
    assert person(parsed[2]).dob == PartialDate(year=1990, month=4, day=3)
    assert any("not a UK postcode; kept as written" in w for w in parsed[9].warnings)
    assert person(parsed[9]).addresses[0].postcode == "XX1 1XX"
    assert person(parsed[11]).surname == "Last"
    reasons = {line: r.reason for line, r in rejected.items()}
    assert reasons[3] == "surname: required but blank"
    assert reasons[4].startswith("gender: Input should be 'male'")
    assert "month 13 does not exist" in reasons[5]
    assert "phones: 'call me' is not a phone number" in reasons[6]
    assert "emails.0: 'not-an-email' is not an e-mail address" in reasons[7]
    assert "has 3 fields where the header has 15" in reasons[8]
    assert "not valid UTF-8" in reasons[10]


def test_declared_day_first_source_rejects_a_month_first_date(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text(
        "nominal_ref,surname,dob\nN1,Smith,03/04/1990\nN2,Jones,04/13/1990\nN3,Brown,13/04/1990\n",
        encoding="utf-8",
    )
    parsed, rejected = read(PeopleReader(ColumnMapping(date_order=DateOrder.DMY)), path)
    assert set(parsed) == {2, 4}
    assert parsed[2].warnings == ()
    assert "reads only month-first" in rejected[3].reason


def test_a_mapping_loads_other_headers(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "PNC ID;Family Name;Given Names;Markers;Officer notes\nN1;Smith;Ann;VI;x\n",
        encoding="utf-8",
    )
    mapping = ColumnMapping.model_validate(
        {
            "columns": {
                "nominal_ref": "PNC ID",
                "surname": "Family Name",
                "forenames": "Given Names",
                "warning_markers": "Markers",
            },
            "delimiter": ";",
            "ignore": ["Officer notes"],
        }
    )
    parsed, _ = read(PeopleReader(mapping), path)
    p = person(parsed[2])
    assert (p.nominal_ref, p.surname, p.forenames, p.warning_markers) == (
        "N1",
        "Smith",
        "Ann",
        ("VI",),
    )


def test_header_without_a_required_column_raises(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("nominal_ref,forenames\nN1,Ann\n", encoding="utf-8")
    with pytest.raises(HeaderError, match="no 'surname' column"):
        list(PeopleReader().read(path, CONTEXT))


def test_reader_refuses_a_mapping_for_another_layout() -> None:
    with pytest.raises(ColumnMappingError, match="not documented for 'people'"):
        PeopleReader(ColumnMapping(columns={"episode_ref": "Ref"}))


# --- missing episodes ---------------------------------------------------------------------------

MISSING_HEADER = (
    "episode_ref,child_ref,reported_at,found_at,where_found,found_address,found_town,"
    "found_postcode\n"
)


def episode(result: Parsed) -> MissingEpisodeRecord:
    (record,) = result.records
    assert isinstance(record, MissingEpisodeRecord)
    return record


def test_missing_episodes(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    rows = [
        "E1,N1,2020-04-03T22:00:00+01:00,2020-04-05 09:30,friend's flat,"
        '"Flat 3, 1 Low Rd",Leeds,LS2 7AA',
        "E2,N1,03/05/2020 22:00,,,,,",  # local time in the declared zone
        "E3,N2,2020-06-01 10:00,2020-05-31 18:00,,,,",  # found before reported: kept
        "E4,N3,,2020-06-01 10:00,,,,",  # no report time
        "E5,N4,2020-06-01,,,,,",  # a date without a time
        "E6,N5,2020-03-29 01:30,,,,,",  # a local time that never happened
        "E7,,2020-06-01 10:00,,,,,",  # no child
    ]
    path.write_text(MISSING_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = ColumnMapping(timezone="Europe/London", date_order=DateOrder.DMY)
    parsed, rejected = read(MissingEpisodeReader(mapping), path)
    assert len(parsed) + len(rejected) == len(rows)
    assert set(parsed) == {2, 3, 4, 6}
    e1 = episode(parsed[2])
    assert e1.reported_at == datetime(2020, 4, 3, 21, 0, tzinfo=UTC)
    assert e1.found_at == datetime(2020, 4, 5, 8, 30, tzinfo=UTC)
    assert e1.where_found == "friend's flat"
    assert e1.found_address is not None
    assert e1.found_address.postcode == "LS2 7AA"
    assert e1.child_record_id == PersonRecord.record_id("pnc", nominal_ref="N1")
    assert episode(parsed[3]).reported_at == datetime(2020, 5, 3, 21, 0, tzinfo=UTC)
    assert "is before reported_at" in parsed[4].warnings[0]
    assert rejected[5].reason == "reported_at: required but blank"
    e5 = episode(parsed[6])
    assert (e5.reported_at, e5.reported_on) == (None, date(2020, 6, 1))
    assert parsed[6].warnings == (
        "reported_at: '2020-06-01' gives the day but no time: kept as reported_on 2020-06-01, "
        "with no time of day assumed",
    )
    assert "does not exist in Europe/London" in rejected[7].reason
    assert rejected[8].reason == "child_ref: required but blank"


def test_a_day_without_a_time_is_kept_as_the_day_and_never_given_a_time(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    rows = [
        "E1,N1,03/04/2020,05/04/2020,,,,",  # both days, day-first as declared
        "E2,N1,2020-04-03 22:00,2020-04-03,,,,",  # found the same day: no warning
        "E3,N1,2020-04-03,2020-04-03 00:30,,,,",  # the 2nd in UTC, the same day locally
        "E4,N1,2020-04-03,2020-04-01 10:00,,,,",  # found days before the report
        "E5,N1,04/2020,,,,,",  # a month is not a day
        "E6,N1,2020,,,,,",  # nor a year
        "E7,N1,31/02/2020,,,,,",  # no such day
    ]
    path.write_text(MISSING_HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    mapping = ColumnMapping(timezone="Europe/London", date_order=DateOrder.DMY)
    parsed, rejected = read(MissingEpisodeReader(mapping), path)
    assert set(parsed) == {2, 3, 4, 5}
    e1, e2, e3, e4 = (episode(parsed[n]) for n in (2, 3, 4, 5))
    assert (e1.reported_at, e1.reported_on) == (None, date(2020, 4, 3))
    assert (e1.found_at, e1.found_on) == (None, date(2020, 4, 5))
    assert [w.split(":")[0] for w in parsed[2].warnings] == ["reported_at", "found_at"]
    assert (e2.reported_at, e2.found_on) == (datetime(2020, 4, 3, 21, tzinfo=UTC), date(2020, 4, 3))
    assert len(parsed[3].warnings) == 1  # the day-only found_at, no ordering warning
    assert e3.found_at == datetime(2020, 4, 2, 23, 30, tzinfo=UTC)
    assert len(parsed[4].warnings) == 1
    assert e4.found_at == datetime(2020, 4, 1, 9, tzinfo=UTC)
    assert parsed[5].warnings[-1] == (
        "found_at (2020-04-01T09:00:00+00:00) is before reported_at (2020-04-03); kept as the "
        "source has it"
    )
    assert "known only to the month" in rejected[6].reason
    assert "known only to the year" in rejected[7].reason
    assert rejected[8].reason.startswith("reported_at: ")


def test_a_mapped_day_only_column_is_named_by_its_header(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    path.write_text("Episode,Child,Date Reported\nE1,N1,2020-04-03\n", encoding="utf-8")
    columns = {"episode_ref": "Episode", "child_ref": "Child", "reported_at": "Date Reported"}
    parsed, _ = read(MissingEpisodeReader(ColumnMapping(columns=columns)), path)
    assert parsed[2].warnings == (
        "reported_at ('Date Reported'): '2020-04-03' gives the day but no time: kept as "
        "reported_on 2020-04-03, with no time of day assumed",
    )
    assert episode(parsed[2]).reported_on == date(2020, 4, 3)  # no zone needed for a day


def test_missing_episode_times_without_offset_need_a_declared_zone(tmp_path: Path) -> None:
    path = tmp_path / "missing.csv"
    path.write_text(
        "episode_ref,child_ref,reported_at\nE1,N1,2020-06-01 10:00\nE2,N1,2020-06-01 10:00Z\n",
        encoding="utf-8",
    )
    parsed, rejected = read(MissingEpisodeReader(), path)
    assert set(parsed) == {3}
    assert "no UTC offset" in rejected[2].reason
    assert "timezone" in rejected[2].reason
