"""A passenger record's graph writes (``loaders.entities``): the flight, its airports and airline,
the travel document, the traveller's addresses and the booking contacts' phones, e-mails and
addresses. No Person: entity resolution builds people from the record's ``REFERS_TO`` links.

- ``Flight`` (carrier, number, local departure date), named in the record's ``flight`` field;
  ``DEPARTS_FROM`` / ``ARRIVES_AT`` its ``Airport`` (IATA code only: reference data fills in name
  and country, and an absent value never erases a known one) and ``OPERATED_BY`` its ``Airline``
  (designator only). The flight's route is a fact the record asserts, so these edges carry it.
- ``TravelDocument`` (issuing country and number), named as ``document``, when the record gives
  both: a number without its issuing state has no key, and is left on the record. The country
  is ISO 3166 alpha-3 whichever form the source wrote, so one passport read from a list that
  writes "GBR" and a file that writes "GB" is one entity.
- ``Address`` of each of the traveller's own addresses (residence, destination, or unsaid),
  named as ``address``, as a nominal's are (``loaders.map_people``).
- ``Phone`` / ``Email`` / ``Address`` of each booking contact, named as ``contact_phone`` /
  ``contact_email`` / ``contact_address``: whom the booking names to contact (a PNR's contact,
  a payer) is not the traveller, so their address is not the traveller's ``address``.

Every entity and edge takes the record's sensitivity; every edge the record's id.
"""

from __future__ import annotations

import functools
from datetime import date, datetime

from loaders.entities import GraphWrites, asserted, named, phone_entity
from schema.edges import ArrivesAt, DepartsFrom, Edge, OperatedBy
from schema.entities import Address, Airline, Airport, Email, Entity, Flight, TravelDocument
from schema.grading import Sensitivity
from schema.records import PassengerRecord


def passenger_writes(record: PassengerRecord) -> GraphWrites:
    """What ``record`` adds to the graph besides its own node."""
    sensitivity = record.sensitivity
    flight = _flight(
        record.carrier,
        record.flight_number,
        record.departure_date,
        record.departure_airport,
        record.arrival_airport,
        record.scheduled_departure,
        sensitivity,
    )
    origin = _airport(record.departure_airport, sensitivity)
    destination = _airport(record.arrival_airport, sensitivity)
    airline = _airline(record.carrier, sensitivity)
    writes = named(record, flight, "flight")
    writes.add(
        GraphWrites(
            # Named only: reference data describes airports and airlines, a passenger list
            # creates a bare one when it is missing and never rewrites it.
            referenced=[origin, destination, airline],
            edges=[
                asserted(DepartsFrom, flight, origin, record),
                asserted(ArrivesAt, flight, destination, record),
                asserted(OperatedBy, flight, airline, record),
            ],
        )
    )
    if record.document_number is not None and record.document_country is not None:
        document = TravelDocument(
            issuing_country=record.document_country,
            number=record.document_number,
            document_type=record.document_type,
            expiry=record.document_expiry,
            sensitivity=sensitivity,
        )
        writes.add(named(record, document, "document"))
    for address in record.addresses:
        place = Address.from_postal(address, sensitivity=sensitivity)
        writes.add(named(record, place, "address"))
    for contact in record.booking_contacts:
        if contact.phone is not None:
            writes.add(named(record, phone_entity(contact.phone, sensitivity), "contact_phone"))
        if contact.email is not None:
            email = Email(address=contact.email, sensitivity=sensitivity)
            writes.add(named(record, email, "contact_email"))
        if contact.address is not None:
            place = Address.from_postal(contact.address, sensitivity=sensitivity)
            writes.add(named(record, place, "contact_address"))
    return _distinct(writes)


# A flight's passengers name the same flight, airports and airline: immutable entities, validated
# once per distinct value (as ``phone_entity``).
@functools.lru_cache(maxsize=1 << 14)
def _flight(
    carrier: str,
    number: str,
    departure_date: date,
    departure_airport: str,
    arrival_airport: str,
    scheduled_departure: datetime | None,
    sensitivity: Sensitivity,
) -> Flight:
    return Flight(
        carrier=carrier,
        number=number,
        departure_date=departure_date,
        departure_airport=departure_airport,
        arrival_airport=arrival_airport,
        scheduled_departure=scheduled_departure,
        sensitivity=sensitivity,
    )


@functools.lru_cache(maxsize=1 << 12)
def _airport(iata: str, sensitivity: Sensitivity) -> Airport:
    return Airport(iata=iata, sensitivity=sensitivity)


@functools.lru_cache(maxsize=1 << 12)
def _airline(designator: str, sensitivity: Sensitivity) -> Airline:
    return Airline(designator=designator, sensitivity=sensitivity)


def _distinct(writes: GraphWrites) -> GraphWrites:
    """One write per id (two contacts with the same phone name it once), first kept."""
    entities: dict[str, Entity] = {}
    referenced: dict[str, Entity] = {}
    edges: dict[str, Edge] = {}
    for entity in writes.entities:
        entities.setdefault(entity.id, entity)
    for entity in writes.referenced:
        referenced.setdefault(entity.id, entity)
    for edge in writes.edges:
        edges.setdefault(edge.id, edge)
    return GraphWrites(
        entities=list(entities.values()),
        referenced=list(referenced.values()),
        edges=list(edges.values()),
        called_pairs=writes.called_pairs,
    )
