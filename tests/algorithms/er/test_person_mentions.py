"""Person mentions read from the records of every kind that describes people."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from algorithms.er.person_mentions import (
    deterministic_links,
    mentions_of,
    read_mentions,
    split_full_name,
)
from algorithms.er.table import ColumnKind
from schema.base import PartialDate, PostalAddress
from schema.grading import Grading, Sensitivity
from schema.provenance import Provenance
from schema.records import (
    BookingContact,
    IntelReportRecord,
    OfficerAppointmentRecord,
    PassengerRecord,
    PersonAddress,
    PersonRecord,
    PhoneSubscriberRecord,
    ReportSubject,
)

LOADED = datetime(2026, 1, 1, tzinfo=UTC)


def prov(source: str = "pnc", line: int = 2) -> Provenance:
    return Provenance(
        source=source,
        source_file="f.csv",
        line=line,
        load_batch="b1",
        loaded_at=LOADED,
        raw_hash="0" * 64,
        sensitivity=Sensitivity.OFFICIAL_SENSITIVE,
    )


def test_a_nominal_gives_its_names_contacts_first_address_and_nominal_key() -> None:
    record = PersonRecord(
        provenance=prov(),
        nominal_ref="NM1",
        forenames="Jane Ann",
        surname="Doe",
        dob=PartialDate.model_validate("1980-02-03"),
        addresses=(
            PersonAddress(lines=("1 High St",), postcode="LS1 1AA"),
            PersonAddress(lines=("2 Low Rd",), postcode="LS2 2BB"),
        ),
        phones=("+447700900001",),
    )
    (m,) = mentions_of(record.label, record.node_properties())
    assert (m.forename, m.surname, m.date_of_birth) == ("Jane Ann", "Doe", "1980-02-03")
    assert (m.postcode, m.address) == ("LS1 1AA", "1 High St")
    assert m.phone == ("+447700900001",)
    assert m.identifier == ("nominal:NM1",)
    assert m.mention_id == m.record_id == record.id
    assert m.sensitivity == Sensitivity.OFFICIAL_SENSITIVE


def test_an_unnamed_subscriber_and_a_corporate_officer_mention_nobody() -> None:
    unnamed = PhoneSubscriberRecord(provenance=prov("telco"), number="+447700900001")
    corporate = OfficerAppointmentRecord(
        provenance=prov("ch"),
        company_number="01234567",
        surname="ACME NOMINEES LIMITED",
        corporate=True,
        role="director",
    )
    assert mentions_of(unnamed.label, unnamed.node_properties()) == []
    assert mentions_of(corporate.label, corporate.node_properties()) == []


def test_a_named_subscriber_is_split_into_forenames_and_surname() -> None:
    record = PhoneSubscriberRecord(
        provenance=prov("telco"),
        number="+447700900001",
        subscriber_name="SMITH, John Paul",
        address=PostalAddress(lines=("3 Mill Lane",), postcode="M1 1AA"),
    )
    (m,) = mentions_of(record.label, record.node_properties())
    assert (m.forename, m.surname, m.phone) == ("John Paul", "SMITH", ("+447700900001",))
    assert m.postcode == "M1 1AA"


@pytest.mark.parametrize(
    ("name", "split"),
    [
        ("John Paul Smith", ("John Paul", "Smith")),
        ("SMITH, John", ("John", "SMITH")),
        ("Madonna", (None, "Madonna")),
        ("  Not Known ", (None, None)),
        ("", (None, None)),
    ],
)
def test_split_full_name(name: str, split: tuple[str | None, str | None]) -> None:
    assert split_full_name(name) == split


def test_a_passenger_takes_a_contact_phone_only_when_the_contact_is_the_passenger() -> None:
    def passenger(contact: str) -> PassengerRecord:
        return PassengerRecord(
            provenance=prov("api"),
            forenames="AMELIA",
            surname="ROBERTS",
            carrier="VS",
            flight_number="0687",
            departure_airport="LHR",
            arrival_airport="ISB",
            scheduled_departure=datetime(2025, 1, 10, 21, 15, tzinfo=UTC),
            document_number="050798933",
            document_country="GBR",
            document_type="P",
            booking_contacts=(BookingContact(name=contact, phone="+447400149604"),),
        )

    own = passenger("Amelia Roberts")
    other = passenger("Peter Roberts")
    (m,) = mentions_of(own.label, own.node_properties())
    assert m.phone == ("+447400149604",)
    assert m.identifier[0].startswith("doc:")
    assert m.identifier[0].endswith(":050798933")
    (m,) = mentions_of(other.label, other.node_properties())
    assert m.phone == ()


def test_report_subjects_are_one_mention_each_and_link_by_nominal() -> None:
    report = IntelReportRecord(
        provenance=prov("intel"),
        report_ref="IR1",
        reported_on=date(2025, 3, 6),
        force="West Yorkshire Police",
        grading=Grading.model_validate("2E P"),
        text="Information received.",
        subjects=(
            ReportSubject(name="Jane Doe", nominal_ref="NM1", role="suspect"),
            ReportSubject(name="Paul Wright", dob=PartialDate.model_validate("1978-08-09")),
        ),
    )
    nominal = PersonRecord(provenance=prov(), nominal_ref="NM1", surname="Doe")
    table = read_mentions(
        [(nominal.label, nominal.node_properties()), (report.label, report.node_properties())]
    )
    ids = [m.mention_id for m in table.mentions]
    assert ids == [nominal.id, f"{report.id}#subject0", f"{report.id}#subject1"]
    assert table.mentions[1].role == "suspect"
    assert table.mentions[2].date_of_birth == "1978-08-09"
    assert deterministic_links(table.mentions) == [(0, 1)]
    records = table.table()
    assert list(records.ids) == ids
    assert records.columns["identifier"].kind is ColumnKind.IDENTIFIER
    assert records.columns["identifier"].values == [("nominal:NM1",), ("nominal:NM1",), None]
    assert json.loads(report.node_properties()["subjects"])[0]["name"] == "Jane Doe"
