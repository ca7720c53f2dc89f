"""UN/EDIFACT PAXLST passenger and crew lists (advance passenger information, kind ``paxlst``),
and the part of reading a passenger message that PAXLST and PNRGOV share.

A PAXLST message (D02B, D05B) lists the people on one flight or on the legs of one journey::

    UNH  BGM (745 passenger list, 250 crew list)  [RFF DTM]  [NAD+MS COM]  reporting party
    TDT+20+UA0989+++UA                  a leg: flight identification and carrier
      LOC+125|92+FRA  DTM+189:1701271725:201    departure airport, local date and time
      LOC+87|92+IAD   DTM+232:...               arrival
    NAD+FL+++SURNAME:GIVEN:MIDDLE[+street+city+region+postcode+country]
      ATT+2++F  DTM+329:780706  LOC+178|179+...  NAT+2+GBR  RFF+AVF:PNR  RFF+SEA:12A  COM
      DOC+P+123456789  DTM+36:expiry  LOC+91+issuing country
    CNT+42:passengers  CNT+41:crew  UNT

Every listed person becomes a ``PassengerRecord`` for each leg they travel: from the leg that
departs from their port of embarkation (LOC 178) to the one that arrives at their port of
debarkation (LOC 179), all legs when the list does not say. The party qualifier sets ``crew``
(``FM`` crew, ``DDT`` crew in transit) and ``in_transit`` (``DDU`` passenger in transit,
``DDT``); in a crew list (BGM 250) a person whose qualifier is neither a passenger's (``FL``,
``DDU``) nor a crew member's is crew, and a passenger in one is reported. The address in the
NAD (street lines, city, country sub-entity, postcode, country) is the record's address, its
purpose unsaid: it is what the receiving state asks for (in the US the address while there, for
crew the residence). The legs of one journey share the booking reference (RFF+AVF) where the
list gives one. ``message_ref`` is the interchange control reference and the UNH message
reference ("IC1/M1"). Countries (nationality, document issuer, address) are kept as ISO 3166
alpha-3 whichever form the list writes (``schema.countries``). Departure times are local to
the departure airport (its zone from the airport reference data); two-digit years are read
relative to the interchange's date: flights within 50 years of it, births not after it, document
expiry not more than 20 years after it.

A message is rejected as a whole, with the reason, when its UNT count disagrees (unless the
reader is told ``strict_counts=False``: some senders' counts are wrong, and the GTAS samples'
mostly are; the disagreement is then a warning), when a mandatory segment is missing (BGM, TDT,
CNT), when a date or a value that the record needs cannot be read, or when a departure airport
has no time zone in the reference data. An address that cannot be read (a country that is not
a code, or a country alone) is dropped with a warning; the record stays. What the records cannot
hold is said in warnings: further documents (one per record), a seat on a journey of several
legs (the list does not say on which).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from loaders.column_mapping import rejection_reason
from loaders.edifact import Message, Segment, iter_messages
from loaders.edifact_dates import parse_dtm
from loaders.normalise import normalise_phone
from loaders.openflights import ZoneLookup, localise
from loaders.reading import LoadContext, Parsed, ReadResult, Rejected
from schema.errors import ClewError
from schema.records import AddressPurpose, PassengerRecord, TravelAddress

# --- shared by the passenger message readers ----------------------------------------------------


class InvalidMessage(ClewError):
    """A message that cannot be read into records; the text is the reject reason."""


@dataclass(slots=True)
class Document:
    kind: str | None
    number: str | None
    country: str | None = None
    expiry: date | None = None


@dataclass(slots=True)
class Leg:
    """A flight as a message gives it: departure time local (naive), or a date alone."""

    carrier: str
    number: str
    line: int
    departure: str | None = None
    arrival: str | None = None
    departs: datetime | date | None = None

    @property
    def name(self) -> str:
        return f"{self.carrier}{self.number}"


@dataclass(slots=True)
class Traveller:
    """A person as a message lists them."""

    where: str
    surname: str
    forenames: str | None = None
    dob: date | None = None
    gender: str | None = None
    nationality: str | None = None
    infant: bool = False
    crew: bool = False
    in_transit: bool = False
    pnr: str | None = None
    documents: list[Document] = field(default_factory=list)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[TravelAddress] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.surname}/{self.forenames or ''} ({self.where})"


def reference_year(message: Message, context: LoadContext) -> int:
    """The year two-digit years in a message are read against: the interchange's preparation
    year, else the year of the load."""
    latest = context.loaded_at.year + 1
    if message.interchange is not None:
        year = message.interchange.prepared_year(latest=latest)
        if year is not None:
            return year
    return context.loaded_at.year


def phone_contact(text: str, *, country: str | None = None) -> tuple[str | None, str | None]:
    """A phone number from a message as E.164 (or None) and what to tell the analyst about it
    (why it was not kept). A national number is read only when ``country`` (ISO alpha-2) says
    whose it is."""
    compact = re.sub(r"[\s().\-/]", "", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+") and country is None:
        return None, f"phone {text.strip()!r} has no country code: not recorded"
    try:
        reading = normalise_phone(compact, default_country=country or "ZZ")
    except ValueError as exc:
        return None, f"phone not recorded: {exc}"
    if compact.startswith("+") and reading.e164 != "+" + re.sub(r"\D", "", compact):
        return None, f"phone {text.strip()!r} reads as {reading.e164}, not as written: not recorded"
    return reading.e164, "; ".join(reading.warnings) or None


def travel_address(
    where: str,
    warnings: list[str],
    *,
    lines: Iterable[str] = (),
    locality: str = "",
    region: str = "",
    postcode: str = "",
    country: str = "",
    purpose: AddressPurpose | None = None,
) -> TravelAddress | None:
    """An address from a message's parts; None when they are all blank, or (with a warning
    naming ``where``) when they do not make an address: a wrong address should cost the
    analyst that address, not the traveller's record."""
    street = tuple(lines)
    parts = [p for p in (*street, locality, region, postcode, country) if p.strip()]
    if not parts:
        return None
    try:
        return TravelAddress.model_validate(
            {
                "lines": street,
                "locality": locality or None,
                "region": region or None,
                "postcode": postcode or None,
                "country": country or None,
                "purpose": purpose,
            }
        )
    except ValidationError as exc:
        warnings.append(
            f"{where}: address {' / '.join(parts)!r} not recorded: {rejection_reason(exc)}"
        )
        return None


def _departure(leg: Leg, zones: ZoneLookup, warnings: list[str]) -> datetime:
    if leg.departure is None or leg.departs is None:
        raise InvalidMessage(f"leg {leg.name} (line {leg.line}) has no departure airport or time")
    local = leg.departs
    if not isinstance(local, datetime):
        warnings.append(f"leg {leg.name} gives no departure time: recorded as 00:00 local")
        local = datetime.combine(local, time())
    try:
        placed, more = localise(zones, leg.departure, local)
    except ValueError as exc:
        raise InvalidMessage(f"leg {leg.name} (line {leg.line}): {exc}") from exc
    warnings.extend(more)
    return placed


def _document(traveller: Traveller, warnings: list[str]) -> Document | None:
    documents = [d for d in traveller.documents if d.number or d.kind]
    if not documents:
        return None
    # A passport or identity card identifies; a visa rides on one.
    chosen = next((d for d in documents if d.number and d.kind != "V"), documents[0])
    others = {(d.kind, d.number) for d in documents} - {(chosen.kind, chosen.number)}
    if others:
        shown = ", ".join(f"{k or '?'} {n or '?'}" for k, n in sorted(others, key=str))
        warnings.append(f"{traveller.name}: document(s) {shown} not recorded (one per record)")
    return chosen


def passenger_records(
    message: Message,
    itinerary: Iterable[tuple[Traveller, Leg, str | None]],
    context: LoadContext,
    zones: ZoneLookup,
) -> tuple[tuple[PassengerRecord, ...], list[str]]:
    """A record per (traveller, leg, seat); raises ``InvalidMessage`` when one cannot be made."""
    provenance = context.provenance(message.row)
    message_ref = message.qualified_reference or None
    records: list[PassengerRecord] = []
    warnings: list[str] = []
    departures: dict[int, datetime] = {}
    documents: dict[int, Document | None] = {}
    for traveller, leg, seat in itinerary:
        if id(leg) not in departures:
            departures[id(leg)] = _departure(leg, zones, warnings)
        if id(traveller) not in documents:
            documents[id(traveller)] = _document(traveller, warnings)
        document = documents[id(traveller)] or Document(None, None)
        try:
            record = PassengerRecord.model_validate(
                {
                    "provenance": provenance,
                    "surname": traveller.surname,
                    "forenames": traveller.forenames,
                    "dob": traveller.dob,
                    "gender": traveller.gender,
                    "nationality": traveller.nationality,
                    "document_type": document.kind,
                    "document_number": document.number,
                    "document_country": document.country,
                    "document_expiry": document.expiry,
                    "carrier": leg.carrier,
                    "flight_number": leg.number,
                    "departure_airport": leg.departure,
                    "arrival_airport": leg.arrival,
                    "scheduled_departure": departures[id(leg)],
                    "seat": seat,
                    "pnr": traveller.pnr,
                    "infant": traveller.infant,
                    "crew": traveller.crew,
                    "in_transit": traveller.in_transit,
                    "addresses": tuple(dict.fromkeys(traveller.addresses)),
                    "booking_contacts": _distinct(traveller.contacts),
                    "message_ref": message_ref,
                }
            )
        except ValidationError as exc:
            raise InvalidMessage(
                f"{traveller.name} on {leg.name}: {rejection_reason(exc)}"
            ) from exc
        records.append(record)
    return tuple(records), warnings


def _distinct(contacts: list[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for c in contacts:
        seen.setdefault((c.get("name"), c.get("phone"), c.get("email"), c.get("address")), c)
    return tuple(seen.values())


def read_messages(
    path: Path,
    kind: str,
    strict_counts: bool,
    parse: Callable[[Message], tuple[tuple[PassengerRecord, ...], list[str]]],
) -> Iterator[ReadResult]:
    """The common loop of a passenger message reader: envelope results pass through; each
    message of type ``kind`` is handed to ``parse(message) -> (records, warnings)``."""
    for item in iter_messages(path):
        if not isinstance(item, Message):
            yield item
            continue
        if item.message_type != kind.upper():
            yield Rejected(
                item.row,
                f"message {item.reference} is {item.message_type or 'of no type'}, not "
                f"{kind.upper()}: load it as its own kind",
            )
            continue
        warnings = list(item.warnings)
        if item.count_problem is not None:
            if strict_counts:
                yield Rejected(item.row, item.count_problem)
                continue
            warnings.append(item.count_problem)
        try:
            records, more = parse(item)
        except InvalidMessage as exc:
            yield Rejected(item.row, f"message {item.reference}: {exc}")
            continue
        yield Parsed(item.row, records, tuple(warnings + more))


# --- PAXLST -------------------------------------------------------------------------------------

_FLIGHT = re.compile(r"(?P<carrier>[A-Z]{3}|[A-Z0-9]{2})(?P<number>\d{1,4}[A-Z]?)")
_CREW_ROLES = frozenset({"FM", "DDT"})
_PASSENGER_ROLES = frozenset({"FL", "DDU"})
_TRANSIT_ROLES = frozenset({"DDU", "DDT"})
_CREW_LIST = "250"
_PHONE_QUALIFIERS = frozenset({"TE", "MB", "AL", "AJ", "HP", "WP"})


def _flight(segment: Segment) -> Leg:
    ident = segment.value(1).replace(" ", "").upper()
    carrier = segment.value(4).upper()
    if ident.endswith("MCL"):
        raise InvalidMessage(f"{segment.where()}: {ident} is a master crew list, not a flight")
    if carrier and ident.startswith(carrier) and ident[len(carrier) :]:
        return Leg(carrier, ident[len(carrier) :], segment.line)
    if carrier and ident.isdigit():
        return Leg(carrier, ident, segment.line)
    if m := _FLIGHT.fullmatch(ident):
        return Leg(m["carrier"], m["number"], segment.line)
    raise InvalidMessage(f"{segment.where()}: {ident!r} is not a carrier and flight number")


@dataclass(slots=True)
class _List:
    legs: list[Leg] = field(default_factory=list)
    travellers: list[tuple[Traveller, str | None, str | None, str | None]] = field(
        default_factory=list
    )
    totals: dict[str, int] = field(default_factory=dict)
    document_type: str | None = None


class _Reading:
    """The state of reading one PAXLST message, segment by segment."""

    def __init__(self, latest_year: int) -> None:
        self.year = latest_year
        self.out = _List()
        self.leg: Leg | None = None
        self.traveller: Traveller | None = None
        self.embark: str | None = None
        self.debark: str | None = None
        self.seat: str | None = None
        self.document: Document | None = None
        self.warnings: list[str] = []

    def date(self, segment: Segment, latest: int) -> date | datetime:
        try:
            return parse_dtm(segment.value(0, 1), segment.value(0, 2), latest_year=latest)
        except ValueError as exc:
            raise InvalidMessage(f"{segment.where()}: {exc}") from exc

    def close_traveller(self) -> None:
        if self.traveller is not None:
            self.out.travellers.append((self.traveller, self.embark, self.debark, self.seat))
        self.traveller = self.document = None
        self.embark = self.debark = self.seat = None

    def read(self, segment: Segment) -> None:
        tag = segment.tag
        if tag == "BGM":
            self.out.document_type = segment.value(0)
        elif tag == "TDT":
            self.close_traveller()
            self.leg = _flight(segment)
            self.out.legs.append(self.leg)
        elif tag == "NAD":
            self.close_traveller()
            self.leg = None
            if segment.value(0) != "MS":
                crew_list = self.out.document_type == _CREW_LIST
                self.traveller = _traveller(segment, crew_list, self.warnings)
        elif tag == "CNT":
            self.close_traveller()
            for element in range(len(segment.elements)):
                qualifier, count = segment.value(element, 0), segment.value(element, 1)
                if not count and element + 1 < len(segment.elements):
                    count = segment.value(element + 1)  # "CNT+41+8": the count one element on
                if count.isdigit():
                    self.out.totals[qualifier] = int(count)
                    break
        elif self.leg is not None:
            self.read_leg(segment, self.leg)
        elif self.traveller is not None:
            self.read_traveller(segment, self.traveller)

    def read_leg(self, segment: Segment, leg: Leg) -> None:
        code, place = segment.value(0), segment.value(1).upper()
        if segment.tag == "LOC":
            if code == "125" or (code == "92" and leg.departure is None):
                leg.departure = place
            elif code in ("87", "92") or (code == "130" and leg.arrival is None):
                leg.arrival = place
        elif segment.tag == "DTM" and segment.value(0, 0) == "189":
            leg.departs = self.date(segment, self.year + 50)

    def read_traveller(self, segment: Segment, person: Traveller) -> None:
        tag, code = segment.tag, segment.value(0, 0)
        if tag == "ATT" and code == "2":
            person.gender = segment.value(2) or None
        elif tag == "DTM" and code == "329":
            person.dob = _day(self.date(segment, self.year))
        elif tag == "DTM" and code == "36" and self.document is not None:
            self.document.expiry = _day(self.date(segment, self.year + 20))
        elif tag == "LOC":
            place = segment.value(1).upper() or None
            if code == "178":
                self.embark = place
            elif code == "179":
                self.debark = place
            elif code == "91" and self.document is not None:
                self.document.country = place
        elif tag == "NAT":
            person.nationality = segment.value(1) or person.nationality
        elif tag == "RFF":
            if code == "AVF":
                person.pnr = segment.value(0, 1) or None
            elif code == "SEA":
                self.seat = segment.value(0, 1) or None
        elif tag == "DOC":
            self.document = Document(segment.value(0) or None, segment.value(1) or None)
            person.documents.append(self.document)
        elif tag == "COM":
            for element in segment.elements:
                number, qualifier = (*element, "", "")[:2]
                if qualifier.strip() == "EM" and number.strip():
                    person.contacts.append({"email": number.strip()})
                elif qualifier.strip() in _PHONE_QUALIFIERS and number.strip():
                    phone, why = phone_contact(number)
                    if phone is not None:
                        person.contacts.append({"phone": phone})
                    if why is not None:
                        self.warnings.append(f"{person.name}: {why}")


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def _traveller(segment: Segment, crew_list: bool, warnings: list[str]) -> Traveller:
    names = [c.strip() for c in segment.elements[3]] if len(segment.elements) > 3 else []
    if not names or not names[0]:
        raise InvalidMessage(f"{segment.where()}: no surname (NAD+{segment.value(0)}+++SURNAME)")
    role = segment.value(0)
    forenames = " ".join(n for n in names[1:] if n) or None
    # The party qualifier says what each person is; a crew list (BGM 250) makes crew of those
    # whose qualifier does not say (a passenger named in one is kept a passenger, and reported).
    crew = role in _CREW_ROLES or (crew_list and role not in _PASSENGER_ROLES)
    person = Traveller(
        segment.where(), names[0], forenames, crew=crew, in_transit=role in _TRANSIT_ROLES
    )
    if crew_list and not crew:
        warnings.append(f"{person.name}: a passenger (NAD+{role}) in a crew list (BGM 250)")
    street = segment.elements[4] if len(segment.elements) > 4 else ()
    address = travel_address(
        person.name,
        warnings,
        lines=[line.strip() for line in street if line.strip()],
        locality=segment.value(5),
        region=segment.value(6, 3) or segment.value(6, 0),
        postcode=segment.value(7),
        country=segment.value(8),
    )
    if address is not None:
        person.addresses.append(address)
    return person


def _itinerary(data: _List, warnings: list[str]) -> Iterator[tuple[Traveller, Leg, str | None]]:
    legs = data.legs
    for person, embark, debark, seat in data.travellers:
        first = next((i for i, leg in enumerate(legs) if leg.departure == embark), 0)
        last = next(
            (i for i in range(len(legs) - 1, -1, -1) if legs[i].arrival == debark),
            len(legs) - 1,
        )
        if first > last:
            warnings.append(
                f"{person.name}: embarks at {embark} after debarking at {debark} on this "
                "route; listed on every leg"
            )
            first, last = 0, len(legs) - 1
        travelled = legs[first : last + 1]
        if seat is not None and len(travelled) > 1:
            warnings.append(
                f"{person.name}: seat {seat} not recorded: the list does not say on which of "
                f"{len(travelled)} legs"
            )
            seat = None
        for leg in travelled:
            yield person, leg, seat


def parse_paxlst(
    message: Message, context: LoadContext, zones: ZoneLookup
) -> tuple[tuple[PassengerRecord, ...], list[str]]:
    """A PAXLST message's records and warnings; raises ``InvalidMessage``."""
    reading = _Reading(reference_year(message, context))
    for segment in message.segments[1:-1]:
        reading.read(segment)
    reading.close_traveller()
    data = reading.out
    present = {s.tag for s in message.segments}
    missing = [tag for tag in ("BGM", "TDT", "CNT") if tag not in present]
    if missing:
        raise InvalidMessage(f"mandatory segment(s) {', '.join(missing)} missing")
    for leg in data.legs:
        if leg.departure is None or leg.arrival is None or leg.departs is None:
            what = [
                n
                for n, v in (
                    ("departure airport (LOC 125/92)", leg.departure),
                    ("arrival airport (LOC 87/92)", leg.arrival),
                    ("departure time (DTM 189)", leg.departs),
                )
                if v is None
            ]
            raise InvalidMessage(f"TDT at line {leg.line} ({leg.name}) has no {', '.join(what)}")
    warnings = reading.warnings
    records, more = passenger_records(message, list(_itinerary(data, warnings)), context, zones)
    people = [p for p, *_ in data.travellers]
    for qualifier, label, found in (
        ("42", "passengers", sum(1 for p in people if not p.crew)),
        ("41", "crew", sum(1 for p in people if p.crew)),
    ):
        if qualifier in data.totals and data.totals[qualifier] != found:
            warnings.append(f"CNT says {data.totals[qualifier]} {label}, {found} are listed")
    if not people:
        warnings.append("the list names no one")
    return records, warnings + more


@dataclass(frozen=True, slots=True)
class PaxlstReader:
    """Reads files of PAXLST messages: a ``Parsed`` per message (its records, one per person
    per leg) or a ``Rejected`` with the reason; ``zones`` places local departure times."""

    zones: ZoneLookup
    strict_counts: bool = True
    kind: str = field(default="paxlst", init=False)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_messages(
            path,
            "paxlst",
            self.strict_counts,
            lambda message: parse_paxlst(message, context, self.zones),
        )
