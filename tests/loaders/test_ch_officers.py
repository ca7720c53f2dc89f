from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
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
        "forenames, no birth date) with no registration number: it can be matched by name only",
        "company_appointments_data_grid[2]: appointment type 03 (Resigned Director) gives no "
        "resignation date: the appointment has ended, on a date not given",
    )


@needs_data
def test_disqualified_directors_are_unsupported() -> None:
    (result,) = read(EXAMPLES / "DisqualifiedDirector_example1.json")
    assert isinstance(result, Rejected)
    assert result.row.line == 1
    assert result.row.text.count("\n") == 28  # lines 1-29, the whole file
    assert result.reason == (
        "a disqualified director: not an appointment, and not supported (disqualifications are "
        "a separate Companies House product; the schema has no record for them)"
    )


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
        11: "no company number: an officer-list item names its company only in the list's "
        "links.self, so load the whole list",
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
    assert ended.warnings == (
        "appointment type 03 (Resigned Director) gives no resignation date: the appointment has "
        "ended, on a date not given",
        "a corporate officer with no registration number: it can be matched by name only",
    )


def test_a_json_value_of_no_known_shape_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "officers.json"
    path.write_text('{"name": "SMITH, Kevin"}\n', encoding="utf-8")
    (result,) = read(path)
    assert isinstance(result, Rejected)
    assert result.reason.startswith("not an officer appointment: expected person_number")


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


# --- corporate officers' registrations ------------------------------------------------------


def corporate(identification: Mapping[str, object] | None, **fields: object) -> dict[str, object]:
    defaults: dict[str, object] = {
        "corporate_indicator": "Y",
        "title": None,
        "forenames": None,
        "surname": "SECRETARIES LTD",
        "partial_date_of_birth": None,
        "appointment_type": "00",
        "identification": identification,
    }
    return appointment(**(defaults | fields))


def test_a_corporate_officer_keeps_its_registration(tmp_path: Path) -> None:
    uk = {
        "identification_type": "eea",
        "place_registered": "Companies House, Cardiff",
        "registration_number": "654321",
        "legal_authority": "Companies Act 2006",
        "legal_form": "Limited Company",
    }
    abroad = {
        "identification_type": "non-eea",
        "place_registered": "Cayman Islands Registrar",
        "registration_number": "ky-12345",
    }
    unnumbered_uk = {"identification_type": "uk-limited-company", "registration_number": "LP-1"}
    lines = [
        corporate(uk),
        corporate(abroad),
        corporate(unnumbered_uk),
        corporate(None, corporate_indicator=None) | {"identification": {"legal_form": "LLP"}},
        corporate(uk, corporate_indicator="N"),
    ]
    path = tmp_path / "officers.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    results = read(path)
    accounted(path, results)
    first, second, third, fourth = appointments(results)
    assert first.corporate is True
    assert (first.registration_number, first.identification_type) == ("00654321", "eea")
    assert (first.place_registered, first.legal_authority, first.legal_form) == (
        "Companies House, Cardiff",
        "Companies Act 2006",
        "Limited Company",
    )
    assert (second.registration_number, second.place_registered) == (
        "ky-12345",
        "Cayman Islands Registrar",
    )
    assert third.registration_number == "LP-1"
    # With no corporate indicator, an identification says the officer is a company.
    assert (fourth.corporate, fourth.legal_form, fourth.registration_number) == (True, "LLP", None)
    warnings = {r.row.line: r.warnings for r in results if isinstance(r, Parsed)}
    assert warnings[1] == warnings[2] == ()
    assert warnings[3] == (
        "registration number 'LP-1' is registered in the UK but is not a company number: kept "
        "as written",
    )
    assert warnings[4] == (
        "a corporate officer with no registration number: it can be matched by name only",
    )
    (refused,) = [r for r in results if isinstance(r, Rejected)]
    assert refused.reason == (
        "appointment at 1234567: only a corporate officer has a registration (identification)"
    )
    assert first.id == OfficerAppointmentRecord.record_id(
        "companies_house",
        company_number="01234567",
        officer_ref="123456780001",
        role="secretary",
        surname="SECRETARIES LTD",
        forenames=None,
        birth_date=None,
        appointed_on=date(2004, 11, 1),
    )  # the registration is no part of the key


# --- the public data API ------------------------------------------------------------------------

OFFICERS: list[dict[str, object]] = [
    {
        "address": {
            "premises": "15",
            "address_line_1": "Shenfield Road",
            "locality": "Brentwood",
            "postal_code": "CM15 8AG",
        },
        "officer_role": "director",
        "name": "WHITE, Samuel David",
        "appointed_on": "2011-03-15",
        "date_of_birth": {"year": 1949, "month": 12},
        "nationality": "British",
        "occupation": "Company Director",
        "country_of_residence": "England",
        "links": {
            "officer": {"appointments": "/officers/l5MbKU2_OikSUhv2cR9CT3mVYdY/appointments"}
        },
    },
    {
        "officer_role": "corporate-secretary",
        "name": "HOLDCO SECRETARIES LIMITED",
        "appointed_on": "2012-11-17",
        "resigned_on": "2019-01-31",
        "identification": {
            "identification_type": "uk-limited-company",
            "registration_number": "4567",
            "place_registered": "England And Wales",
            "legal_authority": "Companies Act 2006",
            "legal_form": "Private Limited Company",
        },
        "links": {"officer": {"appointments": "/officers/Xy1/appointments"}},
    },
    {
        "officer_role": "corporate-nominee-director",
        "name": "OFFSHORE NOMINEES S.A.",
        "appointed_before": "1991-10-01",
        "identification": {
            "identification_type": "non-eea",
            "registration_number": "12345",
            "place_registered": "Panama",
        },
        "links": {"officer": {"appointments": "/officers/Zz9/appointments"}},
    },
]

OFFICER_LIST: dict[str, object] = {
    "kind": "officer-list",
    "links": {"self": "/company/01669034/officers"},
    "items_per_page": 35,
    "total_results": 3,
    "items": OFFICERS,
}

APPOINTMENT: dict[str, object] = {
    "appointed_to": {"company_number": "SC99999", "company_name": "TEST LIMITED"},
    "officer_role": "llp-designated-member",
    "name": "Kevin David SMITH",
    "name_elements": {
        "title": "Mr",
        "forename": "Kevin",
        "other_forenames": "David",
        "surname": "SMITH",
    },
    "appointed_on": "2017-02-10",
    "links": {"company": "/company/SC999999"},
}

APPOINTMENT_LIST: dict[str, object] = {
    "kind": "personal-appointment",
    "name": "Kevin David SMITH",
    "is_corporate_officer": False,
    "date_of_birth": {"year": 1962, "month": 7},
    "links": {"self": "/officers/AbCdE/appointments"},
    "items": [APPOINTMENT],
}


def test_a_company_officer_list_from_the_api(tmp_path: Path) -> None:
    path = tmp_path / "officers.json"
    path.write_text(json.dumps(OFFICER_LIST, indent=2), encoding="utf-8")
    results = read(path)
    accounted(path, results)
    (result,) = results
    assert isinstance(result, Parsed)
    white, holdco, nominee = appointments(results)
    assert {a.company_number for a in (white, holdco, nominee)} == {"01669034"}
    assert (white.officer_ref, white.surname, white.forenames) == (
        "l5MbKU2_OikSUhv2cR9CT3mVYdY",
        "WHITE",
        "Samuel David",
    )
    assert (white.role, white.corporate, white.appointment_type) == ("director", False, None)
    assert white.birth_date == PartialDate(year=1949, month=12)
    assert str(white.address) == "15 Shenfield Road, Brentwood, CM15 8AG"
    assert (white.nationality, white.occupation, white.country_of_residence) == (
        "British",
        "Company Director",
        "England",
    )
    assert (holdco.role, holdco.corporate, holdco.surname) == (
        "secretary",
        True,
        "HOLDCO SECRETARIES LIMITED",
    )
    assert (holdco.registration_number, holdco.identification_type) == (
        "00004567",
        "uk-limited-company",
    )
    assert (holdco.appointed_on, holdco.resigned_on) == (date(2012, 11, 17), date(2019, 1, 31))
    assert (nominee.role, nominee.registration_number) == ("nominee-director", "12345")
    assert nominee.appointed_on is None
    assert result.warnings == (
        "items[2]: appointed before 1991-10-01 (a pre-1992 appointment): no date is known",
    )


def test_an_officer_appointment_list_from_the_api(tmp_path: Path) -> None:
    path = tmp_path / "appointments.json"
    path.write_text(json.dumps(APPOINTMENT_LIST), encoding="utf-8")
    (member,) = appointments(read(path))
    assert (member.company_number, member.officer_ref) == ("SC099999", "AbCdE")
    assert (member.title, member.forenames, member.surname) == ("Mr", "Kevin David", "SMITH")
    assert member.birth_date == PartialDate(year=1962, month=7)  # from the list
    assert (member.role, member.corporate) == ("llp-designated-member", False)


def test_one_api_item_needs_its_company(tmp_path: Path) -> None:
    item = APPOINTMENT
    alone = {k: v for k, v in item.items() if k != "appointed_to"}
    listed = OFFICERS[0]
    nameless = {**listed, "company_number": "1", "name": "WHITE"}
    path = tmp_path / "officers.jsonl"
    lines = [item, alone, listed, nameless]
    path.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    results = read(path)
    first, second, third, fourth = results
    assert isinstance(first, Parsed)
    assert isinstance(second, Parsed)  # links.company names it
    assert appointments([second])[0].company_number == "SC999999"
    assert isinstance(third, Rejected)
    assert third.reason.startswith("no company number: an officer-list item names its company")
    assert isinstance(fourth, Parsed)
    assert fourth.warnings == ("name 'WHITE' is not SURNAME, Forenames: read whole as the surname",)


def test_a_bad_item_rejects_its_list(tmp_path: Path) -> None:
    bad = {**OFFICER_LIST, "items": [*OFFICERS, {"name": "X"}]}
    path = tmp_path / "officers.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    (result,) = read(path)
    assert isinstance(result, Rejected)
    assert result.reason == "items[3]: no officer_role"
