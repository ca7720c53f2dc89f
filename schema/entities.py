"""Entities: the things records describe, one node each in the graph.

Records are resolved to entities (``RESOLVES_TO``); relationships between entities
(``schema.edges``) carry the ids of the records that assert them. An entity's sensitivity is the
most restrictive of the records behind it (``schema.grading.most_restrictive``).

Every entity's id comes from its declared key:

==================  ===========================================================================
``Person``          seed_record_id: the record entity resolution founded the person on (people
                    have no natural key; the resolver keeps the seed so the id survives re-runs)
``Company``         jurisdiction and registered number
``Phone``           the E.164 number
``Address``         the one-line address compared without case or punctuation, and postcode
``Email``           the address, lower case
``Vehicle``         the registration mark
``Flight``          carrier, flight number and local departure date
``Airport``         IATA code
``Airline``         IATA or ICAO designator, as the source gives it (``designator_kind`` says
                    which)
``TravelDocument``  issuing country (ISO 3166 alpha-3, whichever form the source wrote) and
                    document number
``IntelReport``     source and report reference
``MissingEpisode``  source and episode reference
``Location``        name (without case) and postcode
==================  ===========================================================================

Node properties are flat (``node_properties``): graph properties hold scalars and lists, never
maps, so entities have no nested models; dates and gradings are written as their ISO or canonical
text.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import (
    AwareDatetime,
    Field,
    ValidationInfo,
    computed_field,
    field_validator,
    model_validator,
)

from schema.base import (
    E164,
    AirlineDesignator,
    Codes,
    CountryAlpha3,
    CountryCode,
    DocumentNumber,
    DocumentType,
    EmailAddress,
    FlightNumber,
    Gender,
    IataAirport,
    Names,
    NonEmptyStr,
    PartialDate,
    PostalAddress,
    Postcode,
    UtcDatetime,
    Vrm,
    normalise_company_number,
)
from schema.grading import Grading, Sensitivity
from schema.ids import Id, IdKey, Keyed, KeyValue, normalise_key_text
from schema.provenance import SourceName


class Entity(Keyed):
    """A node in the resolved graph: its id, label, display name, aliases and sensitivity."""

    label: ClassVar[str]

    aliases: Names = ()
    sensitivity: Sensitivity = Sensitivity.OFFICIAL

    @classmethod
    def entity_id(cls, **key: KeyValue) -> str:
        """The id an entity of this label with these key values has."""
        return cls.id_key.id_for(key)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def display_name(self) -> str:
        """How an analyst sees the entity named in a list or on the canvas."""
        return self._display()

    def _display(self) -> str:
        raise NotImplementedError

    def node_properties(self) -> dict[str, Any]:
        """The entity as node properties (computed ones included, temporal values as text)."""
        return self.model_dump(mode="json")


class NamedEntity(Entity):
    """An entity known by a name, searched by its name and aliases."""

    name: NonEmptyStr

    @computed_field  # type: ignore[prop-decorator]
    @property
    def alias_text(self) -> str:
        """The aliases as one string, for full-text indexes (engines index strings, not lists)."""
        return "; ".join(self.aliases)

    def _display(self) -> str:
        return self.name


class Person(NamedEntity):
    label: ClassVar[str] = "Person"
    id_key: ClassVar[IdKey] = IdKey("person", ("seed_record_id",))

    seed_record_id: Id
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr | None = None
    dob: PartialDate | None = None
    gender: Gender | None = None
    nationality: NonEmptyStr | None = None
    warning_markers: Codes = ()


class Company(NamedEntity):
    label: ClassVar[str] = "Company"
    id_key: ClassVar[IdKey] = IdKey("company", ("jurisdiction", "number"))

    jurisdiction: CountryCode = "GB"
    number: NonEmptyStr = Field(description="registered number (Companies House form in GB)")
    status: NonEmptyStr | None = None
    category: NonEmptyStr | None = None
    incorporated_on: date | None = None
    dissolved_on: date | None = None
    sic_codes: tuple[str, ...] = ()

    @field_validator("number")
    @classmethod
    def _number(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("jurisdiction") in ("GB", "GBR"):
            return normalise_company_number(value)
        return value.upper()


class Phone(Entity):
    label: ClassVar[str] = "Phone"
    id_key: ClassVar[IdKey] = IdKey("phone", ("e164",))

    e164: E164
    network: NonEmptyStr | None = None

    def _display(self) -> str:
        return self.e164


_PUNCT = re.compile(r"[^\w]+")


class Address(Entity):
    label: ClassVar[str] = "Address"
    id_key: ClassVar[IdKey] = IdKey(
        "address", ("match_text", "postcode"), optional=frozenset({"postcode"})
    )

    text: NonEmptyStr = Field(description='one line, without postcode: "12 High Street, Leeds"')
    postcode: Postcode | None = None
    country: NonEmptyStr | None = None

    @classmethod
    def from_postal(
        cls, address: PostalAddress, *, sensitivity: Sensitivity = Sensitivity.OFFICIAL
    ) -> Address:
        return cls(
            text=address.text or address.postcode or "",
            postcode=address.postcode,
            country=address.country,
            sensitivity=sensitivity,
        )

    @property
    def match_text(self) -> str:
        """The text as compared for identity: casefolded, punctuation as spaces."""
        return normalise_key_text(_PUNCT.sub(" ", self.text), casefold=True)

    def _display(self) -> str:
        return f"{self.text}, {self.postcode}" if self.postcode else self.text


class Email(Entity):
    label: ClassVar[str] = "Email"
    id_key: ClassVar[IdKey] = IdKey("email", ("address",))

    address: EmailAddress

    @property
    def domain(self) -> str:
        return self.address.rsplit("@", 1)[1]

    def _display(self) -> str:
        return self.address


class Vehicle(Entity):
    label: ClassVar[str] = "Vehicle"
    id_key: ClassVar[IdKey] = IdKey("vehicle", ("vrm",))

    vrm: Vrm
    make: NonEmptyStr | None = None
    model: NonEmptyStr | None = None
    colour: NonEmptyStr | None = None

    def _display(self) -> str:
        return self.vrm


class Flight(Entity):
    label: ClassVar[str] = "Flight"
    id_key: ClassVar[IdKey] = IdKey("flight", ("carrier", "number", "departure_date"))

    carrier: AirlineDesignator
    number: FlightNumber
    departure_date: date = Field(description="local to the departure airport")
    departure_airport: IataAirport | None = None
    arrival_airport: IataAirport | None = None
    scheduled_departure: AwareDatetime | None = None

    @model_validator(mode="after")
    def _date(self) -> Flight:
        sched = self.scheduled_departure
        if sched is not None and sched.date() != self.departure_date:
            raise ValueError(
                f"scheduled departure {sched.isoformat()} is not on {self.departure_date}"
            )
        return self

    def _display(self) -> str:
        return f"{self.carrier}{self.number} {self.departure_date.isoformat()}"


class Airport(Entity):
    label: ClassVar[str] = "Airport"
    id_key: ClassVar[IdKey] = IdKey("airport", ("iata",))

    iata: IataAirport
    name: NonEmptyStr | None = None
    country: CountryCode | None = None

    def _display(self) -> str:
        return f"{self.name} ({self.iata})" if self.name else self.iata


class Airline(Entity):
    """An airline by one designator. IATA (two characters) and ICAO (three letters) designators
    are different entities: OpenFlights reference data writes one for each with the airline's
    name, and a passenger list names the one it carries. Mapping ICAO to IATA would need the
    reference data at read time, and Flight keys on the same designator, so it is not done."""

    label: ClassVar[str] = "Airline"
    id_key: ClassVar[IdKey] = IdKey("airline", ("designator",))

    designator: AirlineDesignator
    name: NonEmptyStr | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def designator_kind(self) -> Literal["iata", "icao"]:
        """Which standard the designator is from (the lengths do not overlap)."""
        return "iata" if len(self.designator) == 2 else "icao"

    def _display(self) -> str:
        return f"{self.name} ({self.designator})" if self.name else self.designator


class TravelDocument(Entity):
    label: ClassVar[str] = "TravelDocument"
    id_key: ClassVar[IdKey] = IdKey("document", ("issuing_country", "number"))

    issuing_country: CountryAlpha3
    number: DocumentNumber
    document_type: DocumentType | None = Field(default=None, description="ICAO 9303: P, I, ...")
    expiry: date | None = None

    def _display(self) -> str:
        return f"{self.issuing_country} {self.number}"


class IntelReport(Entity):
    label: ClassVar[str] = "IntelReport"
    id_key: ClassVar[IdKey] = IdKey("report", ("source", "report_ref"))

    source: SourceName
    report_ref: NonEmptyStr
    reported_on: date
    force: NonEmptyStr | None = Field(default=None, description="this or unit, or both")
    unit: NonEmptyStr | None = None
    grading: Grading
    tags: Codes = ()
    text: str = Field(min_length=1)

    @model_validator(mode="after")
    def _owner(self) -> IntelReport:
        if self.force is None and self.unit is None:
            raise ValueError("a report needs the force or the unit that owns it (neither given)")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def csae(self) -> bool:
        """Tagged as child sexual abuse and exploitation (a signal for the risk score)."""
        return "CSAE" in self.tags

    @computed_field  # type: ignore[prop-decorator]
    @property
    def handling_code(self) -> str:
        return self.grading.handling_code

    def _display(self) -> str:
        return f"{self.force or self.unit} {self.report_ref} ({self.reported_on.isoformat()})"


class MissingEpisode(Entity):
    """An episode's ends are instants (``*_at``) or, where the source gives no time of day,
    days (``*_on``), as ``MissingEpisodeRecord`` keeps them; never both."""

    label: ClassVar[str] = "MissingEpisode"
    id_key: ClassVar[IdKey] = IdKey("episode", ("source", "episode_ref"))

    source: SourceName
    episode_ref: NonEmptyStr
    reported_at: UtcDatetime | None = None
    reported_on: date | None = None
    found_at: UtcDatetime | None = None
    found_on: date | None = None
    where_found: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _when(self) -> MissingEpisode:
        if (self.reported_at is None) == (self.reported_on is None):
            raise ValueError("an episode needs reported_at or reported_on, and not both")
        if self.found_at is not None and self.found_on is not None:
            raise ValueError("give found_at or found_on, not both")
        return self

    @computed_field  # type: ignore[prop-decorator]
    @property
    def duration_h(self) -> float | None:
        """Hours missing, when the child has been found and both ends have a time of day (a
        day-only end would make the hours up)."""
        if self.found_at is None or self.reported_at is None:
            return None
        return round((self.found_at - self.reported_at).total_seconds() / 3600, 2)

    def _display(self) -> str:
        day = self.reported_on if self.reported_at is None else self.reported_at.date()
        return f"Missing {day} ({self.episode_ref})"


class Location(NamedEntity):
    """A place that is not (only) a postal address: a park, a station, a hotel car park."""

    label: ClassVar[str] = "Location"
    id_key: ClassVar[IdKey] = IdKey(
        "location",
        ("name", "postcode"),
        casefold=frozenset({"name"}),
        optional=frozenset({"postcode"}),
    )

    postcode: Postcode | None = None
    location_type: NonEmptyStr | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @model_validator(mode="after")
    def _point(self) -> Location:
        if (self.latitude is None) != (self.longitude is None):
            raise ValueError("a location needs both latitude and longitude, or neither")
        return self


ENTITY_TYPES: tuple[type[Entity], ...] = (
    Person,
    Company,
    Phone,
    Address,
    Email,
    Vehicle,
    Flight,
    Airport,
    Airline,
    TravelDocument,
    IntelReport,
    MissingEpisode,
    Location,
)
