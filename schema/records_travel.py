"""Travel records: passengers on flights, with their documents, contacts and addresses.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import AwareDatetime, Field, model_validator

from schema.base import (
    E164,
    AirlineDesignator,
    CountryAlpha3,
    DocumentNumber,
    DocumentType,
    EmailAddress,
    FlightNumber,
    Gender,
    IataAirport,
    NonEmptyStr,
    PartialDate,
    Pnr,
    PostalAddress,
    Seat,
    StrictModel,
)
from schema.ids import IdKey
from schema.record import Record


class AddressPurpose(StrEnum):
    """What a flight message says a traveller's address is (PNRGOV SSR DOCA R and D)."""

    RESIDENCE = "residence"
    DESTINATION = "destination"


class TravelAddress(PostalAddress):
    """An address from flight data, its country as ISO 3166 alpha-3 whichever form the source
    wrote. ``purpose`` is None where the source does not say: a PAXLST NAD address is what the
    receiving state asks for (in the US the address while there; for crew, their residence)."""

    country: CountryAlpha3 | None = None
    purpose: AddressPurpose | None = None


class BookingContact(StrictModel):
    """Whom the booking names to contact (a PNR's contact, a ticket's payer, a traveller's
    emergency contact): not the traveller, though often one of them."""

    name: NonEmptyStr | None = None
    phone: E164 | None = None
    email: EmailAddress | None = None
    address: TravelAddress | None = None

    @model_validator(mode="after")
    def _something(self) -> BookingContact:
        if self.phone is None and self.email is None and self.address is None:
            raise ValueError("a booking contact needs a phone, an e-mail or an address")
        return self


class PassengerRecord(Record):
    """One traveller (passenger or crew) on one flight, from advance passenger information or a
    booking (PNR).

    ``crew`` is part of the key: a crew list (PAXLST BGM 250) and a passenger list are separate
    documents, so someone on both for one flight (crew flying as a passenger) is two listings,
    each with its own message, not one whose flag depends on which was loaded last. Adding it
    changed every passenger record's id (flight data loaded before must be loaded again).
    ``in_transit`` and ``message_ref`` are not in the key: a list sent again, corrected or not,
    describes the same listings, and updates them.
    """

    label: ClassVar[str] = "PassengerRecord"
    id_key: ClassVar[IdKey] = IdKey(
        "rec_passenger",
        (
            "carrier",
            "flight_number",
            "departure_date",
            "surname",
            "forenames",
            "dob",
            "document_number",
            "crew",
        ),
        casefold=frozenset({"surname", "forenames"}),
        optional=frozenset({"forenames", "dob", "document_number"}),
    )

    kind: Literal["passenger"] = "passenger"
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr
    dob: PartialDate | None = None
    gender: Gender | None = None
    nationality: CountryAlpha3 | None = None
    document_type: DocumentType | None = None
    document_number: DocumentNumber | None = None
    document_country: CountryAlpha3 | None = None
    document_expiry: date | None = None
    carrier: AirlineDesignator
    flight_number: FlightNumber
    departure_airport: IataAirport
    arrival_airport: IataAirport
    scheduled_departure: AwareDatetime = Field(
        description="with the departure airport's offset, which is kept: the flight's date is "
        "its local date"
    )
    seat: Seat | None = None
    pnr: Pnr | None = Field(default=None, description="booking record locator")
    infant: bool = False
    crew: bool = Field(default=False, description="listed as crew (PAXLST NAD+FM, DDT)")
    in_transit: bool = Field(
        default=False, description="listed as in transit (PAXLST NAD+DDU, DDT)"
    )
    addresses: tuple[TravelAddress, ...] = Field(
        default=(), description="the traveller's own: residence, destination, or unsaid"
    )
    booking_contacts: tuple[BookingContact, ...] = ()
    message_ref: NonEmptyStr | None = Field(
        default=None,
        description="the message read: interchange control reference and message reference "
        '(UNB and UNH, "IC1/M1"), the message reference alone outside an interchange',
    )

    @model_validator(mode="after")
    def _route(self) -> PassengerRecord:
        if self.departure_airport == self.arrival_airport:
            raise ValueError(f"flight departs from and arrives at {self.departure_airport}")
        return self

    @property
    def departure_date(self) -> date:
        """The flight's date: its scheduled departure, local to the departure airport."""
        return self.scheduled_departure.date()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p)
