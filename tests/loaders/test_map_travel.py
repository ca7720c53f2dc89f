from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from loaders.entities import GraphWrites
from loaders.map_travel import passenger_writes
from loaders.passengers_csv import PassengersReader
from loaders.reading import LoadContext, Parsed
from schema.edges import ArrivesAt, DepartsFrom, OperatedBy, RefersTo
from schema.entities import (
    Address,
    Airline,
    Airport,
    Email,
    Flight,
    Person,
    Phone,
    TravelDocument,
)
from schema.grading import Sensitivity
from schema.records import BookingContact, PassengerRecord, TravelAddress

CONTEXT = LoadContext(
    source="airline_csv",
    load_batch="t1",
    loaded_at=datetime(2026, 1, 1, tzinfo=UTC),
    sensitivity=Sensitivity.OFFICIAL_SENSITIVE,
)
HEADER = (
    "surname,forenames,dob,document_type,document_number,document_country,document_expiry,"
    "carrier,flight_number,departure_airport,arrival_airport,scheduled_departure,"
    "contact_name,contact_phone,contact_email"
)
JANE = (
    "Doe,Jane,1985-02-14,P,123 456 789,GBR,2030-01-01,BA,0117,LHR,JFK,"
    "2024-07-01T00:15+01:00,Ann Doe,07700 900123,ANN@EXAMPLE.COM"
)
TOM = "Doe,Tom,,,,,,BA,117,LHR,JFK,2024-07-01T00:15+01:00,,,"

FLIGHT = Flight.entity_id(carrier="BA", number="117", departure_date=date(2024, 7, 1))
LHR = Airport.entity_id(iata="LHR")
JFK = Airport.entity_id(iata="JFK")
BA = Airline.entity_id(designator="BA")


def record(tmp_path: Path, row: str) -> PassengerRecord:
    path = tmp_path / "passengers.csv"
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    (result,) = PassengersReader().read(path, CONTEXT)
    assert isinstance(result, Parsed)
    (rec,) = result.records
    assert isinstance(rec, PassengerRecord)
    return rec


def edges(writes: GraphWrites) -> set[tuple[str, str, str, str]]:
    return {
        (e.rel_type, e.start, e.end, e.role if isinstance(e, RefersTo) else "")
        for e in writes.edges
    }


def test_a_passenger_names_the_flight_document_and_contacts(tmp_path: Path) -> None:
    rec = record(tmp_path, JANE)
    writes = passenger_writes(rec)
    document = TravelDocument.entity_id(issuing_country="GBR", number="123456789")
    phone = Phone.entity_id(e164="+447700900123")
    email = Email.entity_id(address="ann@example.com")
    assert [e.id for e in writes.all_entities] == [FLIGHT, LHR, JFK, BA, document, phone, email]
    assert not any(isinstance(e, Person) for e in writes.all_entities)
    assert edges(writes) == {
        ("REFERS_TO", rec.id, FLIGHT, "flight"),
        ("DEPARTS_FROM", FLIGHT, LHR, ""),
        ("ARRIVES_AT", FLIGHT, JFK, ""),
        ("OPERATED_BY", FLIGHT, BA, ""),
        ("REFERS_TO", rec.id, document, "document"),
        ("REFERS_TO", rec.id, phone, "contact_phone"),
        ("REFERS_TO", rec.id, email, "contact_email"),
    }
    assert len(writes.edges) == 7
    for edge in writes.edges:
        assert edge.record_ids == (rec.id,)
        assert edge.sensitivity is Sensitivity.OFFICIAL_SENSITIVE
    assert all(e.sensitivity is Sensitivity.OFFICIAL_SENSITIVE for e in writes.all_entities)
    labels = {(e.rel_type, e.start_label, e.end_label) for e in writes.edges}
    assert {
        (DepartsFrom.rel_type, "Flight", "Airport"),
        (ArrivesAt.rel_type, "Flight", "Airport"),
        (OperatedBy.rel_type, "Flight", "Airline"),
        ("REFERS_TO", "Record", "TravelDocument"),
    } <= labels


def test_the_flight_is_keyed_on_its_local_departure_date(tmp_path: Path) -> None:
    # 00:15 local (+01:00) is 23:15 UTC the day before: the flight's date is the local one.
    flight = passenger_writes(record(tmp_path, JANE)).all_entities[0]
    assert isinstance(flight, Flight)
    assert flight.departure_date == date(2024, 7, 1)
    assert (flight.departure_airport, flight.arrival_airport) == ("LHR", "JFK")
    assert flight.scheduled_departure is not None
    assert flight.scheduled_departure.isoformat() == "2024-07-01T00:15:00+01:00"


def test_airports_and_airline_carry_only_their_codes(tmp_path: Path) -> None:
    writes = passenger_writes(record(tmp_path, JANE))
    airports = [e for e in writes.all_entities if isinstance(e, Airport)]
    assert [(a.iata, a.name, a.country) for a in airports] == [
        ("LHR", None, None),
        ("JFK", None, None),
    ]
    (airline,) = (e for e in writes.all_entities if isinstance(e, Airline))
    assert (airline.designator, airline.name) == ("BA", None)


def test_passengers_on_one_flight_write_the_same_flight(tmp_path: Path) -> None:
    jane = passenger_writes(record(tmp_path, JANE))
    tom = passenger_writes(record(tmp_path, TOM))
    assert jane.all_entities[:4] == tom.all_entities[:4]
    assert [e.id for e in tom.all_entities] == [FLIGHT, LHR, JFK, BA]
    assert len(tom.edges) == 4


def test_a_document_without_its_issuing_country_has_no_key(tmp_path: Path) -> None:
    row = JANE.replace("123 456 789,GBR,", "123 456 789,,")
    writes = passenger_writes(record(tmp_path, row))
    assert not any(isinstance(e, TravelDocument) for e in writes.all_entities)


def test_a_contact_repeated_is_named_once(tmp_path: Path) -> None:
    rec = record(tmp_path, JANE)
    contact = rec.booking_contacts[0]
    twice = rec.model_copy(update={"booking_contacts": (contact, contact)})
    writes = passenger_writes(twice)
    assert len(writes.all_entities) == len({e.id for e in writes.all_entities}) == 7
    assert len(writes.edges) == len({e.id for e in writes.edges}) == 7


def test_the_travellers_addresses_and_the_contacts_are_named_apart(tmp_path: Path) -> None:
    path = tmp_path / "passengers.csv"
    header = HEADER + ",address,town,postcode,address_country"
    path.write_text(f"{header}\n{JANE},1 High Street,Leeds,ls11aa,GB\n", encoding="utf-8")
    (result,) = PassengersReader().read(path, CONTEXT)
    assert isinstance(result, Parsed)
    (rec,) = result.records
    assert isinstance(rec, PassengerRecord)
    payer = TravelAddress(lines=("2 Low Road",), locality="York")
    contact = BookingContact(name="Pat Payer", address=payer)
    rec = rec.model_copy(update={"booking_contacts": (*rec.booking_contacts, contact)})
    writes = passenger_writes(rec)
    home = Address.entity_id(match_text="1 high street leeds", postcode="LS1 1AA")
    away = Address.entity_id(match_text="2 low road york", postcode=None)
    assert {(rel, role) for rel, start, end, role in edges(writes) if end in (home, away)} == {
        ("REFERS_TO", "address"),
        ("REFERS_TO", "contact_address"),
    }
    assert ("REFERS_TO", rec.id, home, "address") in edges(writes)
    assert ("REFERS_TO", rec.id, away, "contact_address") in edges(writes)
    (place,) = (e for e in writes.all_entities if e.id == home)
    assert isinstance(place, Address)
    assert (place.text, place.postcode, place.country) == ("1 High Street, Leeds", "LS1 1AA", "GBR")
    assert place.sensitivity is Sensitivity.OFFICIAL_SENSITIVE


def test_a_passport_written_alpha2_or_alpha3_is_one_document(tmp_path: Path) -> None:
    alpha3 = passenger_writes(record(tmp_path, JANE))
    alpha2 = passenger_writes(record(tmp_path, JANE.replace("789,GBR,", "789,gb,")))
    (doc3,) = (e for e in alpha3.all_entities if isinstance(e, TravelDocument))
    (doc2,) = (e for e in alpha2.all_entities if isinstance(e, TravelDocument))
    assert doc2 == doc3
    assert doc2.id == TravelDocument.entity_id(issuing_country="GBR", number="123456789")


def test_the_airline_says_which_kind_of_designator_it_has(tmp_path: Path) -> None:
    iata = passenger_writes(record(tmp_path, JANE))
    icao = passenger_writes(record(tmp_path, JANE.replace(",BA,0117,", ",BAW,0117,")))
    kinds = [
        (e.designator, e.node_properties()["designator_kind"])
        for writes in (iata, icao)
        for e in writes.all_entities
        if isinstance(e, Airline)
    ]
    assert kinds == [("BA", "iata"), ("BAW", "icao")]
