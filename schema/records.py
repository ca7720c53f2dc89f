"""Source records: one model per kind of row Clew loads.

Every loaded row becomes a record node (``:Record`` plus its kind label, e.g.
``:Record:PersonRecord``) holding the row's fields and its provenance. A record's id is its
source's name and its declared key (``id_key``), so reloading a file, or loading a later extract
that repeats a row, writes the same node again. Records describe; entities (``schema.entities``)
are what the records are resolved to.

Kinds and their keys:

================================  ==============================================================
``PersonRecord``                  nominal_ref (the source's own person number)
``MissingEpisodeRecord``          episode_ref
``CompanyRecord``                 company_number
``OfficerAppointmentRecord``      company, officer ref, role, name, birth date, appointed_on
``PscRecord``                     company_number, psc_ref (Companies House's PSC id)
``PassengerRecord``               flight (carrier, number, local departure date), name, dob,
                                  document number, crew or not
``PhoneSubscriberRecord``         number, subscribed_from, subscriber_name
``CallRecord``                    a_number, b_number, started_at, call_type
``IntelReportRecord``             report_ref
================================  ==============================================================
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AwareDatetime, Field, model_validator

from schema.base import (
    E164,
    AirlineDesignator,
    Codes,
    CompanyNumber,
    CountryAlpha3,
    DocumentNumber,
    DocumentType,
    EmailAddress,
    FlightNumber,
    Gender,
    IataAirport,
    Names,
    NatureOfControl,
    NonEmptyStr,
    PartialDate,
    Pnr,
    PostalAddress,
    Role,
    Seat,
    SicCode,
    StrictModel,
    UtcDatetime,
    check_span,
)
from schema.errors import SchemaError
from schema.grading import Grading, Sensitivity
from schema.ids import IdKey, Keyed, KeyValue
from schema.provenance import PROVENANCE_PROPERTIES, Provenance


class Record(Keyed):
    """A loaded row: its kind, its fields, its provenance."""

    label: ClassVar[str]
    """The node label of the kind, beside ``Record``."""

    provenance: Provenance

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        clash = set(cls.model_fields) & set(PROVENANCE_PROPERTIES)
        if clash:
            raise SchemaError(f"{cls.__name__} fields {sorted(clash)} clash with provenance")

    def _id_scope(self) -> tuple[KeyValue, ...]:
        return (self.provenance.source,)

    @classmethod
    def record_id(cls, source: str, **key: KeyValue) -> str:
        """The id a record of this kind from ``source`` with these key values has."""
        return cls.id_key.id_for(key, scope=(source,))

    @property
    def effective_grading(self) -> Grading | None:
        """The grading that applies to this record (its own, else its source's)."""
        return self.provenance.handling

    @property
    def handling_code(self) -> str | None:
        grading = self.effective_grading
        return None if grading is None else grading.handling_code

    @property
    def sensitivity(self) -> Sensitivity:
        return self.provenance.sensitivity

    def node_properties(self) -> dict[str, Any]:
        """The record as node properties: provenance and scalar fields as they are, lists of
        scalars as lists, nested parts (addresses, contacts) as JSON text (graph properties
        cannot hold maps); temporal values as ISO text."""
        props: dict[str, Any] = {"id": self.id}
        props.update(self.provenance.model_dump(mode="json"))
        fields = self.model_dump(mode="json", exclude={"provenance", "id"})
        for name, value in fields.items():
            props[name] = _flat(value)
        return props


def _flat(value: Any) -> Any:
    if isinstance(value, dict) or (
        isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
    ):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return value


# --- people -------------------------------------------------------------------------------------


class PersonAddress(PostalAddress):
    """An address a person is recorded at, with the dates the source gives."""

    from_date: PartialDate | None = None
    to_date: PartialDate | None = None

    @model_validator(mode="after")
    def _span(self) -> PersonAddress:
        check_span(self.from_date, self.to_date)
        return self


class PersonRecord(Record):
    """A nominal: a person as a police or partner system records them."""

    label: ClassVar[str] = "PersonRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_person", ("nominal_ref",))

    kind: Literal["person"] = "person"
    nominal_ref: NonEmptyStr
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr
    aliases: Names = ()
    dob: PartialDate | None = None
    gender: Gender | None = None
    nationality: NonEmptyStr | None = None
    addresses: tuple[PersonAddress, ...] = ()
    phones: tuple[E164, ...] = ()
    emails: tuple[EmailAddress, ...] = ()
    warning_markers: Codes = ()
    flags: Codes = ()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p)


class MissingEpisodeRecord(Record):
    """One episode of a child going missing, from report to return.

    ``found_at`` is not required to follow ``reported_at``: reports are sometimes completed after
    the child is back, and dropping the row would hide an episode from the risk score.

    Police exports often give only the day. Such a value is kept as a day (``reported_on``,
    ``found_on``) and the instant is left empty, never filled with a made-up time: midnight, say,
    would order the episode against calls and sightings to the hour on evidence that says only
    the day, and in summer it falls on the previous day in UTC. Each end is one or the other.
    """

    label: ClassVar[str] = "MissingEpisodeRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_missing", ("episode_ref",))

    kind: Literal["missing_episode"] = "missing_episode"
    episode_ref: NonEmptyStr
    child_ref: NonEmptyStr = Field(description="the child's nominal_ref in the same source")
    reported_at: UtcDatetime | None = None
    reported_on: date | None = Field(
        default=None,
        description="the day reported missing when the source gives no time of day (the day as "
        "written, in the source's own zone); reported_at is then empty",
    )
    found_at: UtcDatetime | None = None
    found_on: date | None = Field(
        default=None, description="the day found when the source gives no time of day"
    )
    where_found: NonEmptyStr | None = Field(default=None, description="as the source words it")
    found_address: PostalAddress | None = None

    @model_validator(mode="after")
    def _when(self) -> MissingEpisodeRecord:
        if self.reported_at is None and self.reported_on is None:
            raise ValueError(
                "an episode needs reported_at (a date and time) or reported_on (a day)"
            )
        for end, at, on in (
            ("reported", self.reported_at, self.reported_on),
            ("found", self.found_at, self.found_on),
        ):
            if at is not None and on is not None:
                raise ValueError(f"give {end}_at (a date and time) or {end}_on (a day), not both")
        return self

    @property
    def child_record_id(self) -> str:
        """The id of the child's ``PersonRecord`` from the same source."""
        return PersonRecord.record_id(self.provenance.source, nominal_ref=self.child_ref)


# --- companies ----------------------------------------------------------------------------------


class PreviousName(StrictModel):
    name: NonEmptyStr
    changed_on: date | None = None


class CompanyRecord(Record):
    """A company from Companies House's BasicCompanyData."""

    label: ClassVar[str] = "CompanyRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_company", ("company_number",))

    kind: Literal["company"] = "company"
    company_number: CompanyNumber
    name: NonEmptyStr
    status: NonEmptyStr | None = Field(default=None, description='e.g. "Active", "Dissolved"')
    category: NonEmptyStr | None = Field(default=None, description='e.g. "Private Limited Company"')
    country_of_origin: NonEmptyStr | None = None
    incorporated_on: date | None = None
    dissolved_on: date | None = None
    registered_address: PostalAddress | None = None
    sic_codes: tuple[SicCode, ...] = ()
    previous_names: tuple[PreviousName, ...] = ()

    @model_validator(mode="after")
    def _dates(self) -> CompanyRecord:
        try:
            check_span(self.incorporated_on, self.dissolved_on)
        except ValueError as exc:
            raise ValueError(f"company {self.company_number} {exc}") from exc
        return self


def split_officer_name(text: str) -> dict[str, str | None]:
    """Companies House's piped officer name, "MR|KEVIN DAVID|SMITH" (title, forenames, surname,
    then honours where given), as ``title``, ``forenames``, ``surname``, ``honours``."""
    parts = [" ".join(p.split()) or None for p in text.split("|")]
    if not 1 <= len(parts) <= 4:
        raise ValueError(f"{text!r} is not TITLE|FORENAMES|SURNAME[|HONOURS]")
    if len(parts) == 1:
        parts = [None, None, parts[0]]
    elif len(parts) == 2:
        parts = [None, *parts]
    parts += [None] * (4 - len(parts))
    title, forenames, surname, honours = parts
    if surname is None:
        raise ValueError(f"{text!r} has no surname (or corporate name)")
    return {"title": title, "forenames": forenames, "surname": surname, "honours": honours}


class OfficerAppointmentRecord(Record):
    """One appointment of an officer (director, secretary, LLP member...) to a company.

    A corporate officer's name is in ``surname``, as Companies House writes it, and its
    registration, where the source gives one (the API's ``identification``), in
    ``registration_number`` and the fields after it: a number on the Companies House register is
    written as a company number, others as the source writes them. The registration is not part
    of the key: the same appointment read from a source without it keeps its id.
    """

    label: ClassVar[str] = "OfficerAppointmentRecord"
    id_key: ClassVar[IdKey] = IdKey(
        "rec_officer",
        (
            "company_number",
            "officer_ref",
            "role",
            "surname",
            "forenames",
            "birth_date",
            "appointed_on",
        ),
        casefold=frozenset({"surname", "forenames"}),
        optional=frozenset({"officer_ref", "forenames", "birth_date", "appointed_on"}),
    )

    kind: Literal["officer_appointment"] = "officer_appointment"
    company_number: CompanyNumber
    officer_ref: NonEmptyStr | None = Field(
        default=None, description="Companies House person number or officer id"
    )
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr
    honours: NonEmptyStr | None = None
    corporate: bool = False
    birth_date: PartialDate | None = Field(
        default=None, description="year and month only, as Companies House publishes"
    )
    appointment_type: str | None = Field(
        default=None, pattern=r"^\d{2}$", description='bulk-file code, e.g. "01" director'
    )
    role: Role
    appointed_on: date | None = None
    resigned_on: date | None = None
    nationality: NonEmptyStr | None = None
    occupation: NonEmptyStr | None = None
    country_of_residence: NonEmptyStr | None = None
    address: PostalAddress | None = None
    identification_type: NonEmptyStr | None = Field(
        default=None, description='"uk-limited-company", "eea", "non-eea"... as the API gives it'
    )
    registration_number: NonEmptyStr | None = Field(
        default=None, description="a corporate officer's own registration number"
    )
    place_registered: NonEmptyStr | None = None
    legal_authority: NonEmptyStr | None = None
    legal_form: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _check(self) -> OfficerAppointmentRecord:
        if self.birth_date is not None and self.birth_date.day is not None:
            raise ValueError("an officer's birth date is published as year and month only")
        registration = (
            self.identification_type,
            self.registration_number,
            self.place_registered,
            self.legal_authority,
            self.legal_form,
        )
        if not self.corporate and any(v is not None for v in registration):
            raise ValueError("only a corporate officer has a registration (identification)")
        try:
            check_span(self.appointed_on, self.resigned_on)
        except ValueError as exc:
            raise ValueError(f"appointment {exc}") from exc
        return self

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p)


class PscKind(StrEnum):
    """The kinds of line in Companies House's PSC snapshot that describe a company's control:
    PSCs, overseas entities' beneficial owners, statements, and exemptions from keeping a PSC
    register (short forms such as "individual", "statement" and "psc-exemptions" are read as
    well). The snapshot's closing totals line is no record, and so no kind."""

    INDIVIDUAL = "individual-person-with-significant-control"
    CORPORATE_ENTITY = "corporate-entity-person-with-significant-control"
    LEGAL_PERSON = "legal-person-person-with-significant-control"
    SUPER_SECURE = "super-secure-person-with-significant-control"
    STATEMENT = "persons-with-significant-control-statement"
    EXEMPTIONS = "exemptions"
    INDIVIDUAL_BENEFICIAL_OWNER = "individual-beneficial-owner"
    CORPORATE_ENTITY_BENEFICIAL_OWNER = "corporate-entity-beneficial-owner"
    LEGAL_PERSON_BENEFICIAL_OWNER = "legal-person-beneficial-owner"
    SUPER_SECURE_BENEFICIAL_OWNER = "super-secure-beneficial-owner"

    @classmethod
    def _missing_(cls, value: object) -> PscKind | None:
        if not isinstance(value, str):
            return None
        short = value.strip().lower().replace("_", "-").replace(" ", "-")
        if short in ("statement", "statements"):
            return cls.STATEMENT
        if short in ("exemption", "psc-exemption", "psc-exemptions"):
            return cls.EXEMPTIONS
        for kind in cls:
            if kind.value == short or kind.value == f"{short}-person-with-significant-control":
                return kind
        return None

    @property
    def is_statement(self) -> bool:
        return self is PscKind.STATEMENT

    @property
    def is_exemptions(self) -> bool:
        return self is PscKind.EXEMPTIONS

    @property
    def names_no_one(self) -> bool:
        """Statements and exemptions are about the company's register, not a controller."""
        return self.is_statement or self.is_exemptions

    @property
    def is_super_secure(self) -> bool:
        return self.value.startswith("super-secure")

    @property
    def is_corporate(self) -> bool:
        return self.value.startswith(("corporate-entity", "legal-person"))


class PscExemption(StrictModel):
    """A period in which a company was exempt from keeping a PSC register, and why
    (``exemption_type`` as Companies House writes it, e.g.
    "psc-exempt-as-trading-on-uk-regulated-market")."""

    exemption_type: NonEmptyStr
    exempt_from: date
    exempt_to: date | None = None

    @model_validator(mode="after")
    def _span(self) -> PscExemption:
        try:
            check_span(self.exempt_from, self.exempt_to)
        except ValueError as exc:
            raise ValueError(f"{self.exemption_type} {exc}") from exc
        return self


class PscRecord(Record):
    """A person with significant control (or statement, overseas beneficial owner, or a
    company's exemptions from keeping a PSC register)."""

    label: ClassVar[str] = "PscRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_psc", ("company_number", "psc_ref"))

    kind: Literal["psc"] = "psc"
    company_number: CompanyNumber
    psc_ref: NonEmptyStr = Field(description="Companies House's id for the PSC or statement")
    psc_kind: PscKind
    name: NonEmptyStr | None = None
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr | None = None
    birth_date: PartialDate | None = None
    nationality: NonEmptyStr | None = None
    country_of_residence: NonEmptyStr | None = None
    address: PostalAddress | None = None
    natures_of_control: tuple[NatureOfControl, ...] = ()
    notified_on: date | None = None
    ceased_on: date | None = None
    registration_number: NonEmptyStr | None = Field(
        default=None, description="a corporate PSC's own registration number"
    )
    legal_form: NonEmptyStr | None = None
    legal_authority: NonEmptyStr | None = None
    place_registered: NonEmptyStr | None = Field(
        default=None, description='the register, as written: "Companies House", "Delaware"'
    )
    country_registered: NonEmptyStr | None = None
    is_sanctioned: bool | None = Field(
        default=None, description="an overseas entity's beneficial owner under sanctions"
    )
    statement: NonEmptyStr | None = None
    exemptions: tuple[PscExemption, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> PscRecord:
        kind = self.psc_kind
        if kind.is_statement and self.statement is None:
            raise ValueError("a PSC statement needs its statement text")
        if kind.is_exemptions != bool(self.exemptions):
            raise ValueError(
                "a company's PSC exemptions need at least one exemption"
                if kind.is_exemptions
                else f"a {kind.value} has no exemptions"
            )
        if not kind.names_no_one and not kind.is_super_secure and self.name is None:
            raise ValueError(f"a {kind.value} needs a name")
        if self.registration_number is not None and not kind.is_corporate:
            raise ValueError(f"a {kind.value} has no registration number")
        try:
            check_span(self.notified_on, self.ceased_on)
        except ValueError as exc:
            raise ValueError(f"control {exc}") from exc
        return self


# --- travel -------------------------------------------------------------------------------------


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


# --- telephony ----------------------------------------------------------------------------------


class PhoneSubscriberRecord(Record):
    """Who a communications provider says held a number, and when."""

    label: ClassVar[str] = "PhoneSubscriberRecord"
    id_key: ClassVar[IdKey] = IdKey(
        "rec_subscriber",
        ("number", "subscribed_from", "subscriber_name"),
        casefold=frozenset({"subscriber_name"}),
        optional=frozenset({"subscribed_from", "subscriber_name"}),
    )

    kind: Literal["phone_subscriber"] = "phone_subscriber"
    number: E164
    subscriber_name: NonEmptyStr | None = None
    address: PostalAddress | None = None
    dob: PartialDate | None = None
    subscribed_from: date | None = None
    subscribed_to: date | None = None
    network: NonEmptyStr | None = None
    account_ref: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _span(self) -> PhoneSubscriberRecord:
        try:
            check_span(self.subscribed_from, self.subscribed_to)
        except ValueError as exc:
            raise ValueError(f"subscription {exc}") from exc
        return self


class CallType(StrEnum):
    VOICE = "voice"
    SMS = "sms"

    @classmethod
    def _missing_(cls, value: object) -> CallType | None:
        if isinstance(value, str):
            return cls.__members__.get(value.strip().upper())
        return None


class CallRecord(Record):
    """One call or text from a call-data record."""

    label: ClassVar[str] = "CallRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_call", ("a_number", "b_number", "started_at", "call_type"))

    kind: Literal["call"] = "call"
    a_number: E164 = Field(description="the calling party")
    b_number: E164 = Field(description="the called party")
    started_at: UtcDatetime
    started_at_known: bool = Field(
        default=True,
        description="False when the source gave no time and started_at is the extract's "
        "declared instant (an ordering key, not when the call happened)",
    )
    duration_s: int = Field(ge=0)
    cell_id: NonEmptyStr | None = None
    call_type: CallType = CallType.VOICE

    @property
    def ended_at(self) -> datetime:
        return self.started_at + timedelta(seconds=self.duration_s)


# --- intelligence -------------------------------------------------------------------------------


class ReportSubject(StrictModel):
    """A person an intelligence report names as a subject."""

    name: NonEmptyStr
    dob: PartialDate | None = None
    nominal_ref: NonEmptyStr | None = None
    role: NonEmptyStr | None = Field(default=None, description='e.g. "suspect", "victim"')


class IntelReportRecord(Record):
    """A free-text intelligence report with its grading and tags.

    It names who owns it by ``force``, ``unit`` or both: some sources give only the unit (a
    regional organised crime unit, a partner agency's team), and either is enough to ask the
    owner about the report.
    """

    label: ClassVar[str] = "IntelReportRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_intel", ("report_ref",))

    kind: Literal["intel_report"] = "intel_report"
    report_ref: NonEmptyStr
    reported_on: date
    force: NonEmptyStr | None = None
    unit: NonEmptyStr | None = None
    grading: Grading
    tags: Codes = ()
    text: str = Field(min_length=1, description="kept as written: mentions are spans into it")
    subjects: tuple[ReportSubject, ...] = ()

    @model_validator(mode="after")
    def _owner(self) -> IntelReportRecord:
        if self.force is None and self.unit is None:
            raise ValueError("a report needs the force or the unit that owns it (neither given)")
        return self

    @property
    def effective_grading(self) -> Grading:
        return self.grading

    @property
    def csae(self) -> bool:
        """Whether the report is tagged as child sexual abuse and exploitation."""
        return "CSAE" in self.tags


AnyRecord = Annotated[
    PersonRecord
    | MissingEpisodeRecord
    | CompanyRecord
    | OfficerAppointmentRecord
    | PscRecord
    | PassengerRecord
    | PhoneSubscriberRecord
    | CallRecord
    | IntelReportRecord,
    Field(discriminator="kind"),
]
"""Any record, told apart by ``kind`` (for reading records back from JSON or the graph)."""

RECORD_TYPES: tuple[type[Record], ...] = (
    PersonRecord,
    MissingEpisodeRecord,
    CompanyRecord,
    OfficerAppointmentRecord,
    PscRecord,
    PassengerRecord,
    PhoneSubscriberRecord,
    CallRecord,
    IntelReportRecord,
)
