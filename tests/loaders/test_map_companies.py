from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

from loaders.ch_companies import CompaniesReader
from loaders.ch_officers import OfficersReader
from loaders.ch_psc import PscReader
from loaders.entities import GraphWrites
from loaders.map_companies import company_writes, officer_of, officer_writes, psc_writes
from loaders.reading import LoadContext, Parsed, RawRow, ReadResult, Rejected
from schema.edges import Edge, OfficerOf, PscOf, RefersTo, RegisteredAt, ResolvesTo
from schema.entities import Address, Company, Person
from schema.grading import Sensitivity
from schema.records import CompanyRecord, OfficerAppointmentRecord, PscRecord, Record

R = TypeVar("R", bound=Record)
E = TypeVar("E", bound=Edge)

CONTEXT = LoadContext(
    source="companies_house",
    load_batch="t1",
    loaded_at=datetime(2026, 1, 1, tzinfo=UTC),
    sensitivity=Sensitivity.OFFICIAL_SENSITIVE,
)

HEADER = (
    "CompanyName, CompanyNumber,RegAddress.CareOf,RegAddress.POBox,RegAddress.AddressLine1,"
    " RegAddress.AddressLine2,RegAddress.PostTown,RegAddress.County,RegAddress.Country,"
    "RegAddress.PostCode,CompanyCategory,CompanyStatus,CountryOfOrigin,DissolutionDate,"
    "IncorporationDate,SICCode.SicText_1,SICCode.SicText_2,PreviousName_1.CONDATE,"
    " PreviousName_1.CompanyName"
)
ROW = (
    '"ACME WIDGETS LTD","{n}","","","1 HIGH ST","","LEEDS","","","{postcode}",'
    '"Private Limited Company","Active","United Kingdom","","01/02/2003",'
    '"70100 - Activities of head offices","None Supplied","05/06/2010","ACME HOLDINGS LTD"'
)


def records(results: list[ReadResult], kind: type[R]) -> list[R]:
    assert not [r for r in results if isinstance(r, Rejected)]
    return [
        rec for r in results if isinstance(r, Parsed) for rec in r.records if isinstance(rec, kind)
    ]


def read_companies(tmp_path: Path, *rows: str) -> list[CompanyRecord]:
    path = tmp_path / "BasicCompanyData.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return records(list(CompaniesReader().read(path, CONTEXT)), CompanyRecord)


def read_officers(tmp_path: Path, *items: dict[str, object]) -> list[OfficerAppointmentRecord]:
    path = tmp_path / "officers.jsonl"
    path.write_text("\n".join(json.dumps(i) for i in items) + "\n", encoding="utf-8")
    return records(list(OfficersReader().read(path, CONTEXT)), OfficerAppointmentRecord)


def read_pscs(tmp_path: Path, *lines: dict[str, object]) -> list[PscRecord]:
    path = tmp_path / "psc.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return records(list(PscReader().read(path, CONTEXT)), PscRecord)


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
        "address_line1": "2 LOW ROAD",
        "post_town": "YORK",
        "person_postcode": "yo1 7hh",
        **fields,
    }


def psc(ref: str, **data: object) -> dict[str, object]:
    body = {
        "kind": "individual-person-with-significant-control",
        "name": "Ann Example",
        "links": {"self": f"/company/01234567/persons-with-significant-control/individual/{ref}"},
        "natures_of_control": ["ownership-of-shares-25-to-50-percent"],
        "notified_on": "2020-01-02",
        "address": {"premises": "9", "address_line_1": "Princes Square", "postal_code": "HG1 1ND"},
        **data,
    }
    return {"company_number": "1234567", "data": body}


def gb(number: str) -> str:
    return Company.entity_id(jurisdiction="GB", number=number)


def refers(writes: GraphWrites) -> dict[str, str]:
    return {e.role: e.end for e in writes.edges if isinstance(e, RefersTo)}


def of_type(writes: GraphWrites, kind: type[E]) -> list[E]:
    return [e for e in writes.edges if isinstance(e, kind)]


def check_asserted(writes: GraphWrites, record: Record) -> None:
    assert writes.edges
    for edge in writes.edges:
        assert edge.record_ids == (record.id,)
        assert edge.sensitivity is Sensitivity.OFFICIAL_SENSITIVE
    for entity in writes.all_entities:
        assert entity.sensitivity is Sensitivity.OFFICIAL_SENSITIVE
    assert not [e for e in writes.all_entities if isinstance(e, Person)]


def test_a_company_resolves_to_its_company_registered_at_its_address(tmp_path: Path) -> None:
    (record,) = read_companies(tmp_path, ROW.format(n="123", postcode="ls11aa"))
    writes = company_writes(record)
    check_asserted(writes, record)
    company, address = writes.all_entities
    assert isinstance(company, Company)
    assert isinstance(address, Address)
    assert company.id == gb("00000123")
    assert (company.jurisdiction, company.number, company.name) == ("GB", "00000123", record.name)
    assert company.aliases == ("ACME HOLDINGS LTD",)
    assert (company.status, company.category) == ("Active", "Private Limited Company")
    assert (company.incorporated_on, company.dissolved_on) == (date(2003, 2, 1), None)
    assert company.sic_codes == ("70100",)
    assert (address.text, address.postcode) == ("1 HIGH ST, LEEDS", "LS1 1AA")
    assert address.id == Address.entity_id(match_text="1 high st leeds", postcode="LS1 1AA")
    (resolves,) = of_type(writes, ResolvesTo)
    assert (resolves.start, resolves.end, resolves.end_label) == (record.id, company.id, "Company")
    assert resolves.rule == "key:number"
    assert refers(writes) == {"registered_address": address.id}
    (registered,) = of_type(writes, RegisteredAt)
    assert (registered.start, registered.end) == (company.id, address.id)
    assert (registered.start_label, registered.end_label) == ("Company", "Address")
    assert len(writes.edges) == 3


def test_a_company_without_an_address_is_the_company_alone() -> None:
    record = CompanyRecord.model_validate(
        {
            "provenance": CONTEXT.provenance(RawRow("companies.json", 1, "{}")),
            "company_number": "SC12345",
            "name": "NORTH LTD",
        }
    )
    writes = company_writes(record)
    assert [e.id for e in writes.all_entities] == [gb("SC012345")]
    assert [type(e) for e in writes.edges] == [ResolvesTo]


def test_records_of_one_company_meet_on_its_company(tmp_path: Path) -> None:
    first = read_companies(tmp_path, ROW.format(n="123", postcode="LS1 1AA"))[0]
    again = read_companies(tmp_path, ROW.format(n="00000123", postcode="LS1 1AA"))[0]
    (director,) = read_officers(tmp_path, appointment(company_number="123"))
    (control,) = read_pscs(tmp_path, psc("p1", kind="individual") | {"company_number": "123"})
    ids = {
        company_writes(first).all_entities[0].id,
        company_writes(again).all_entities[0].id,
        refers(officer_writes(director))["appointed_to"],
        refers(psc_writes(control))["controlled_company"],
    }
    assert ids == {gb("00000123")}


def test_an_individual_officer_names_the_company_and_a_service_address(tmp_path: Path) -> None:
    (record,) = read_officers(tmp_path, appointment())
    writes = officer_writes(record)
    check_asserted(writes, record)
    company, address = writes.all_entities
    assert isinstance(company, Company)
    assert isinstance(address, Address)
    assert (company.id, company.jurisdiction) == (gb("01234567"), "GB")
    assert (address.text, address.postcode) == ("2 LOW ROAD, YORK", "YO1 7HH")
    assert refers(writes) == {"appointed_to": company.id, "service_address": address.id}
    assert len(writes.edges) == 2  # no RESOLVES_TO: an appointment describes no keyed entity


def test_a_corporate_officer_gets_no_officer_of_without_a_number(tmp_path: Path) -> None:
    corporate = appointment(
        corporate_indicator="Y",
        title=None,
        forenames=None,
        surname="SECRETARIES LTD",
        partial_date_of_birth=None,
        appointment_type="00",
        address_line1=None,
        post_town=None,
        person_postcode=None,
    )
    (record,) = read_officers(tmp_path, corporate)
    writes = officer_writes(record)
    assert [e.id for e in writes.all_entities] == [gb("01234567")]
    assert refers(writes) == {"appointed_to": gb("01234567")}
    assert not of_type(writes, OfficerOf)


def test_a_corporate_officer_on_the_register_is_officer_of_company_to_company(
    tmp_path: Path,
) -> None:
    corporate = appointment(
        corporate_indicator="Y",
        title=None,
        forenames=None,
        surname="SECRETARIES LTD",
        partial_date_of_birth=None,
        appointment_type="02",
        resignation_date="2012-05-01T00:00:00",
        identification={
            "identification_type": "eea",
            "place_registered": "Companies House",
            "registration_number": "7654321",
        },
    )
    (record,) = read_officers(tmp_path, corporate)
    writes = officer_writes(record)
    check_asserted(writes, record)
    company, officer, address = writes.all_entities
    assert isinstance(officer, Company)
    assert (officer.id, officer.name, officer.jurisdiction) == (
        gb("07654321"),
        "SECRETARIES LTD",
        "GB",
    )
    assert isinstance(address, Address)
    assert refers(writes) == {
        "appointed_to": gb("01234567"),
        "corporate_officer": gb("07654321"),
        "service_address": address.id,
    }
    (edge,) = of_type(writes, OfficerOf)
    assert (edge.start, edge.end) == (gb("07654321"), company.id)
    assert (edge.start_label, edge.end_label) == ("Company", "Company")
    assert (edge.role, edge.appointment_type) == ("secretary", "02")
    assert (edge.appointed_on, edge.resigned_on) == (date(2004, 11, 1), date(2012, 5, 1))


def test_a_corporate_officer_from_the_api_is_keyed_by_its_identification_type(
    tmp_path: Path,
) -> None:
    officers: dict[str, object] = {
        "kind": "officer-list",
        "links": {"self": "/company/SC012345/officers"},
        "items": [
            {
                "officer_role": "corporate-director",
                "name": "HOLDCO LIMITED",
                "appointed_on": "2015-06-01",
                "identification": {
                    "identification_type": "uk-limited-company",
                    "registration_number": "SC54321",
                },
            },
            {
                "officer_role": "corporate-director",
                "name": "CAYMAN HOLDINGS LTD",
                "appointed_on": "2015-06-01",
                "identification": {
                    "identification_type": "non-eea",
                    "place_registered": "Cayman Islands",
                    "registration_number": "54321",
                },
            },
        ],
    }
    uk, abroad = read_officers(tmp_path, officers)
    writes = officer_writes(uk)
    (edge,) = of_type(writes, OfficerOf)
    assert (edge.start, edge.end, edge.role) == (gb("SC054321"), gb("SC012345"), "director")
    assert edge.appointed_on == date(2015, 6, 1)
    writes = officer_writes(abroad)
    assert abroad.registration_number == "54321"  # kept on the record, as written
    assert refers(writes) == {"appointed_to": gb("SC012345")}
    assert not of_type(writes, OfficerOf)
    assert gb("00054321") not in {e.id for e in writes.all_entities}


def test_officer_of_links_company_to_company_with_the_appointment(tmp_path: Path) -> None:
    (record,) = read_officers(
        tmp_path,
        appointment(appointment_type="03", resignation_date="2010-03-31T00:00:00"),
    )
    officer = Company(number="7654321", name="SECRETARIES LTD")
    company = Company(number="1234567", name="ACME")
    edge = officer_of(record, officer, company)
    assert (edge.start, edge.end) == (gb("07654321"), gb("01234567"))
    assert (edge.start_label, edge.end_label) == ("Company", "Company")
    assert (edge.role, edge.appointment_type) == ("director", "03")
    assert (edge.appointed_on, edge.resigned_on) == (date(2004, 11, 1), date(2010, 3, 31))
    assert edge.record_ids == (record.id,)


def test_a_corporate_psc_on_the_register_controls_company_to_company(tmp_path: Path) -> None:
    identification = {
        "country_registered": "England & Wales",
        "legal_form": "Private Limited Company",
        "place_registered": "Companies House Cardiff",
        "registration_number": "686734",
    }
    line = psc(
        "c1",
        kind="corporate-entity-person-with-significant-control",
        name="PARENT PLC",
        identification=identification,
        ceased_on="2022-03-04",
        natures_of_control=["ownership-of-shares-75-to-100-percent", "voting-rights-75-to-100"],
    )
    (record,) = read_pscs(tmp_path, line)
    writes = psc_writes(record)
    check_asserted(writes, record)
    controlled, controller, address = writes.all_entities
    assert isinstance(controller, Company)
    assert (controlled.id, controller.id) == (gb("01234567"), gb("00686734"))
    assert controller.name == "PARENT PLC"
    assert isinstance(address, Address)
    assert refers(writes) == {
        "controlled_company": controlled.id,
        "controlling_company": controller.id,
        "address": address.id,
    }
    (control,) = of_type(writes, PscOf)
    assert (control.start, control.end) == (controller.id, controlled.id)
    assert (control.start_label, control.end_label) == ("Company", "Company")
    assert control.natures_of_control == (
        "ownership-of-shares-75-to-100-percent",
        "voting-rights-75-to-100",
    )
    assert (control.notified_on, control.ceased_on) == (date(2020, 1, 2), date(2022, 3, 4))


def test_a_corporate_psc_placed_on_the_register_without_a_country_is_keyed(
    tmp_path: Path,
) -> None:
    identification = {"place_registered": "Companies House", "registration_number": "686734"}
    line = psc("c3", kind="corporate-entity", name="PARENT LTD", identification=identification)
    (record,) = read_pscs(tmp_path, line)
    (control,) = of_type(psc_writes(record), PscOf)
    assert control.start == gb("00686734")


def test_a_corporate_psc_registered_abroad_is_not_keyed(tmp_path: Path) -> None:
    identification = {"country_registered": "Delaware", "registration_number": "12345"}
    line = psc("c2", kind="corporate-entity", name="US INC", identification=identification)
    (record,) = read_pscs(tmp_path, line)
    writes = psc_writes(record)
    assert set(refers(writes)) == {"controlled_company", "address"}
    assert not of_type(writes, PscOf)
    assert gb("00012345") not in {e.id for e in writes.all_entities}


def test_an_individual_psc_names_the_company_and_an_address_and_no_person(
    tmp_path: Path,
) -> None:
    (record,) = read_pscs(tmp_path, psc("i1"))
    writes = psc_writes(record)
    check_asserted(writes, record)
    assert set(refers(writes)) == {"controlled_company", "address"}
    assert not of_type(writes, PscOf)


def test_statements_exemptions_and_super_secure_pscs_name_the_company_only(tmp_path: Path) -> None:
    statement = psc(
        "s1", kind="statement", statement="no-individual-or-entity-with-signficant-control"
    )
    secure = psc("x1", kind="super-secure-person-with-significant-control", name=None)
    exempt = psc(
        "exemptions",
        kind="exemptions",
        name=None,
        exemptions={
            "psc_exempt_as_trading_on_regulated_market": {"items": [{"exempt_from": "2016-06-30"}]}
        },
        links={"self": "/company/01234567/exemptions"},
    )
    for record in read_pscs(tmp_path, statement, secure, exempt):
        writes = psc_writes(record)
        assert [e.id for e in writes.all_entities] == [gb("01234567")]
        assert refers(writes) == {"controlled_company": gb("01234567")}
        assert len(writes.edges) == 1
