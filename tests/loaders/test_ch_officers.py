from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from loaders.ch_officers import APPOINTMENT_TYPES, OfficersReader
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.base import PartialDate
from schema.records import OfficerAppointmentRecord
from tests.loaders.support import DATA, accounted, needs_data

EXAMPLES = DATA / "companies_house" / "datafabric_api_examples"

CONTEXT = LoadContext(
    source="companies_house", load_batch="t1", loaded_at=datetime(2026, 1, 1, tzinfo=UTC)
)


def read(path: Path) -> list[ReadResult]:
    return list(OfficersReader().read(path, CONTEXT))


def appointments(results: Iterable[ReadResult]) -> list[OfficerAppointmentRecord]:
    out: list[OfficerAppointmentRecord] = []
    for r in results:
        if isinstance(r, Parsed):
            out.extend(rec for rec in r.records if isinstance(rec, OfficerAppointmentRecord))
    return out


@needs_data
def test_every_example_is_accounted_for() -> None:
    counts = {}
    for path in sorted(EXAMPLES.glob("*.json")):
        results = read(path)
        accounted(path, results)
        counts[path.name] = (
            len(appointments(results)),
            sum(isinstance(r, Rejected) for r in results),
        )
    assert counts == {
        "CompanyAppointment_example1.json": (1, 0),
        "CompanyAppointment_example2.json": (1, 0),
        "Company_example1.json": (2, 0),
        "Company_example2.json": (3, 0),
        "DisqualifiedDirector_example1.json": (0, 1),
    }


@needs_data
def test_appointment_with_bulk_snapshot_fields() -> None:
    (director,) = appointments(read(EXAMPLES / "CompanyAppointment_example1.json"))
    assert director.company_number == "00404804"
    assert director.officer_ref == "037543250001"
    assert (director.title, director.forenames, director.surname) == (None, "ROGER", "BUSH")
    assert director.birth_date == PartialDate(year=1944, month=4)  # "194404  "
    assert (director.appointment_type, director.role) == ("01", "director")
    assert director.appointed_on == date(1994, 1, 3)
    assert director.resigned_on is None
    assert director.corporate is False
    assert director.address is not None
    assert str(director.address) == "12 SANDS FARM DRIVE, BURNHAM, BUCKINGHAMSHIRE, SL1 7LD"
    (secretary,) = appointments(read(EXAMPLES / "CompanyAppointment_example2.json"))
    assert (secretary.appointment_type, secretary.role, secretary.title) == (
        "00",
        "secretary",
        "MRS",
    )
    assert secretary.country_of_residence == "UNITED KINGDOM"


@needs_data
def test_company_appointment_lists_with_piped_names() -> None:
    smith, donaldson = appointments(read(EXAMPLES / "Company_example1.json"))
    assert (smith.title, smith.forenames, smith.surname) == ("MR", "KEVIN DAVID", "SMITH")
    assert smith.birth_date == PartialDate(year=1962, month=7)
    assert (smith.company_number, smith.officer_ref) == ("00001556", "055604670001")
    assert donaldson.appointed_on == date(2001, 11, 7)
    (result,) = read(EXAMPLES / "Company_example2.json")
    assert isinstance(result, Parsed)
    roysun, current, resigned = appointments([result])
    assert (roysun.surname, roysun.corporate, roysun.role) == ("ROYSUN LIMITED", True, "secretary")
    assert (current.appointment_type, resigned.appointment_type) == ("01", "03")
    assert current.officer_ref == resigned.officer_ref == "181389620002"
    assert current.id != resigned.id
    assert result.warnings == (
        "company_appointments_data_grid[0]: '||ROYSUN LIMITED' read as a corporate officer (no "
        "forenames, no birth date)",
        "company_appointments_data_grid[2]: appointment type 03 (Resigned Director) gives no "
        "resignation date: the appointment has ended, on a date not given",
    )


@needs_data
def test_disqualified_directors_are_unsupported() -> None:
    (result,) = read(EXAMPLES / "DisqualifiedDirector_example1.json")
    assert isinstance(result, Rejected)
    assert result.row.line == 1
    assert result.row.text.count("\n") == 28  # lines 1-29, the whole file
    assert result.reason.startswith("a disqualified director: not supported")


def appointment(**fields: object) -> dict[str, object]:
    return {
        "person_number": "123456780001",
        "title": "MR",
        "forenames": "KEVIN DAVID",
        "surname": "SMITH",
        "company_number": "1234567",
        "partial_date_of_birth": "196207  ",
        "appointment_type": "01",
        "appointment_date": "2004-11-01T00:00:00",
        "resignation_date": None,
        "corporate_indicator": None,
        **fields,
    }


def test_bad_appointments_are_rejected_and_the_load_goes_on(tmp_path: Path) -> None:
    lines = [
        json.dumps(appointment()),
        json.dumps(appointment(appointment_type="99")),
        json.dumps(appointment(appointment_type="08")),
        json.dumps(appointment(partial_date_of_birth="196213")),
        json.dumps(appointment())[:60],
        json.dumps(appointment(resignation_date="2001-01-01T00:00:00")),
        json.dumps(appointment(surname=None)),
        json.dumps(appointment(forenames=["KEVIN"])),
        json.dumps(appointment(appointment_type="07", resignation_date="2010-03-31T00:00:00")),
        json.dumps(appointment(appointment_type="03", corporate_indicator="Y", title=None)),
        '{"officer_role": "director"}',
    ]
    path = tmp_path / "officers.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    results = read(path)
    accounted(path, results)
    assert {r.row.line: r.reason for r in results if isinstance(r, Rejected)} == {
        2: "appointment type 99: Companies House marks this appointment as in error",
        3: f"appointment type '08' is not a Companies House code ({', '.join(APPOINTMENT_TYPES)}"
        ", 99)",
        4: "partial_date_of_birth '196213' is not a year and month: month: Input should be less "
        "than or equal to 12",
        5: "truncated JSON: the value at line 5, column 1 is not closed before line 6 "
        "(Expecting ':' delimiter)",
        6: "appointment at 1234567: appointment ends (2001-01-01) before it starts (2004-11-01)",
        7: "no surname (or corporate name)",
        8: "forenames should be text, not a list ['KEVIN']",
        11: "not an officer appointment: expected person_number and appointment_type (an "
        "appointment) or company_appointments_data_grid (a company)",
    }
    good = appointments(results)
    assert [(a.provenance.line, a.company_number, a.role, a.resigned_on) for a in good] == [
        (1, "01234567", "director", None),
        (9, "01234567", "llp-designated-member", date(2010, 3, 31)),
        (10, "01234567", "director", None),
    ]
    assert good[2].corporate is True
    (ended,) = [r for r in results if isinstance(r, Parsed) and r.warnings]
    assert ended.row.line == 10


def test_an_array_of_appointments_and_a_code_that_disagrees_with_its_words(tmp_path: Path) -> None:
    path = tmp_path / "officers.json"
    items = [appointment(), appointment(appointment_type_description="Current Secretary")]
    path.write_text(json.dumps(items, indent=2), encoding="utf-8")
    results = read(path)
    accounted(path, results)
    assert [a.role for a in appointments(results)] == ["director", "director"]
    last = results[1]
    assert isinstance(last, Parsed)
    assert last.warnings == ("appointment type 01 is 'Current Director', not 'Current Secretary'",)


def test_the_code_table_names_every_role_once_current_and_once_resigned() -> None:
    roles: dict[str, list[bool]] = {}
    for t in APPOINTMENT_TYPES.values():
        roles.setdefault(t.role, []).append(t.current)
    assert all(sorted(flags) == [False, True] for flags in roles.values())
    assert len(roles) == 10
