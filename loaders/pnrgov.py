"""IATA PNRGOV messages: passenger name records pushed to a government (kind ``pnrgov``).

A PNRGOV message (versions 10 to 13) carries the bookings (PNRs) that touch one flight::

    UNH  MSG  ORG  TVL (the flight pushed for)  EQN (number of PNRs)
    SRC                                     each PNR (group 1)
      RCI+DL:MFN4TI                         record locator
      SSR IFT ADD ...                       booking-wide requests, contacts, contact address
      TIF+SMITH+JOHNMR:A:1[:1]              each traveller (group 2): surname, given name and
                                            title, type (A adult, C child, IN infant), reference,
                                            accompanied-by-infant indicator
        SSR+DOCS:HK::DL:::::/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITH/JOHN   travel document
        SSR CTCE/CTCM, IFT "CTC..", ADD     the traveller's contacts (ADD: an emergency contact)
        SSR DOCA                            the traveller's residence (R) or destination (D)
        TKT ... FOP IFT+4:43+name+address+phone   ticket, payment and its sponsor
      TVL+121210:0915::1230+LHR+JFK+DL+324:B      each leg of the itinerary (group 5)
        SSR+SEAT:...+15A::1                 booked seats by traveller reference
        DAT TRI TIF SSD+15A                 check-in: the seat taken
      EQN RCI | MSG TVL | ABI DAT SAC TIF TVL | LTS     split PNRs, non-air segments (hotels,
                                            cars), history, free text: not read into records
    UNT

Every traveller becomes a ``PassengerRecord`` for every leg of their PNR's itinerary (the
pushed flight when the PNR lists none), linked by the record locator; infants (traveller type
IN, or named only in an SSR INFT) are records of their own, flagged. Names, birth date, gender,
nationality and document come from the traveller's SSR DOCS where given (the document's name is
the one identity is resolved on; a booking name that differs is reported), else from the TIF,
whose trailing title ("JOHNMR", "ISABELLE MRS") is dropped. A DOCS with an infant's gender (MI,
FI) in an adult's group is the infant's. The seat is the one checked in (SSD), else the one
booked (SSR SEAT). Dates and times in TVL are local to the airport; two-digit years are read as
PAXLST's are (``loaders.paxlst``). Contacts (phone numbers with a country code, e-mail written
with "//" for "@") are the PNR's booking contacts, on every traveller of it, and an ADD segment
is a contact with its address: the PNR's contact (group 1), a traveller's emergency contact
(group 2) or the payer (group 4), so it is a ``BookingContact.address``, never the traveller's
own. The traveller's own addresses are their SSR DOCA, with its purpose (residence,
destination); a DOCA for an infant ("/I") goes to the booking's infant when it has only one.
``message_ref`` is the interchange control reference and the UNH message reference. A PNR lists
passengers: ``crew`` and ``in_transit`` are never set.

A message is rejected as a whole when its UNT count disagrees (unless ``strict_counts=False``),
a mandatory segment is missing (MSG, ORG, the pushed TVL, EQN; RCI and a TIF in each PNR), a date
or an SSR DOCS cannot be read, or a departure airport has no time zone. An address that cannot
be read, or a DOCA that matches no traveller, is dropped with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError

from loaders.column_mapping import rejection_reason
from loaders.edifact import Message, Segment
from loaders.edifact_dates import expand_year
from loaders.openflights import ZoneLookup
from loaders.paxlst import (
    InvalidMessage,
    Leg,
    Traveller,
    passenger_records,
    phone_contact,
    read_messages,
    reference_year,
    travel_address,
)
from loaders.pnrgov_bookings import Booking, Doca, Docs, Pax, settle
from loaders.reading import LoadContext, ReadResult
from schema.records import AddressPurpose, BookingContact, PassengerRecord, TravelAddress

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1
    )
}
_DOCS_DATE = re.compile(r"(\d{2})([A-Z]{3})(\d{2}|\d{4})")
_TITLES = ("MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV", "SIR", "LADY")
# Titles airline systems write glued to the given name ("JOHNMR"); not MS or DR, which end too
# many names (WILLIAMS, ALEXANDR).
_GLUED_TITLES = ("MRS", "MISS", "MSTR", "MR")
_INFANT_GENDERS = {"MI": "M", "FI": "F", "UI": "U"}
_CONTACT_PHONES = frozenset({"CTCM", "CTCH", "CTCB", "CTCR", "CTCP", "CTCT", "CTCF"})
_DOCA_PURPOSES = {"R": AddressPurpose.RESIDENCE, "D": AddressPurpose.DESTINATION}


def _given(text: str) -> str | None:
    """A TIF given name without its title: "JOHNMR" -> "JOHN", "ISABELLE MRS" -> "ISABELLE"."""
    words = text.split()
    if len(words) > 1 and words[-1] in _TITLES:
        words = words[:-1]
    elif len(words) > 1 and words[0] in _TITLES:
        words = words[1:]
    elif len(words) == 1:
        for title in _GLUED_TITLES:
            if words[0].endswith(title) and len(words[0]) - len(title) >= 2:
                words = [words[0][: -len(title)]]
                break
    return " ".join(words) or None


def _docs_date(text: str, where: str, *, latest: int) -> date | None:
    if not text:
        return None
    m = _DOCS_DATE.fullmatch(text.upper())
    month = _MONTHS.get(m[2]) if m else None
    if m is None or month is None:
        raise InvalidMessage(f"{where}: {text!r} is not a date (DDMMMYY, e.g. 12JUL64)")
    year = int(m[3]) if len(m[3]) == 4 else expand_year(int(m[3]), latest=latest)
    try:
        return date(year, month, int(m[1]))
    except ValueError as exc:
        raise InvalidMessage(f"{where}: {text!r} is not a date ({exc})") from exc


def _email(text: str) -> str:
    # IATA free text cannot hold "@", "_" or "-": "//", ".." and "./" stand for them.
    value = text.strip()
    if "@" not in value:
        value = value.replace("//", "@").replace("..", "_").replace("./", "-")
    return value


class _Reading:
    """The state of reading one PNRGOV message, segment by segment."""

    def __init__(self, latest_year: int) -> None:
        self.year = latest_year
        self.flight: Leg | None = None
        self.pnr_count: int | None = None
        self.bookings: list[Booking] = []
        self.mode = "header"
        self.pax: Pax | None = None
        self.checkin: Pax | None = None
        self.codeshare: Leg | None = None
        self.warnings: list[str] = []
        self.handlers: dict[str, Callable[[Segment], None]] = {
            "RCI": self.read_rci,
            "TIF": self.read_tif,
            "TKT": self.read_tkt,
            "SSR": self.read_ssr,
            "IFT": self.read_ift,
            "ADD": self.read_add,
            "TVL": self.read_tvl,
            "DAT": self.read_dat,
            "TRI": self.read_tri,
            "SSD": self.read_ssd,
            "EQN": self.read_eqn,
            "MSG": self.read_msg,
            "ABI": self.read_abi,
            "LTS": self.read_lts,
        }

    @property
    def booking(self) -> Booking:
        return self.bookings[-1]

    def read(self, seg: Segment) -> None:
        tag, mode = seg.tag, self.mode
        if mode == "header":
            if tag == "TVL" and self.flight is None:
                self.flight = self.leg(seg)
            elif tag == "EQN" and seg.value(0).isdigit():
                self.pnr_count = int(seg.value(0))
        if tag == "SRC":
            self.bookings.append(Booking(seg.line))
            self.mode, self.pax = "pnr", None
            return
        if mode in ("header", "text"):
            return
        handler = self.handlers.get(tag)
        if handler is not None:
            handler(seg)

    # group 1 and 2: the booking and its travellers ---------------------------------------------

    def read_rci(self, seg: Segment) -> None:
        if self.mode == "pnr" and self.booking.locator is None:
            self.booking.locator = seg.value(0, 1) or None

    def read_tif(self, seg: Segment) -> None:
        if self.mode in ("leg", "checkin"):
            self.check_in_traveller(seg)
            return
        if self.mode not in ("pnr", "traveller", "ticket"):
            return
        surname = seg.value(0, 0)
        if not surname:
            raise InvalidMessage(f"{seg.where()}: no surname")
        if seg.value(0, 1) == "G":
            self.warnings.append(f"{seg.where()}: group name {surname!r} is not a person")
            self.mode, self.pax = "traveller", None
            return
        self.pax = None
        for i in range(1, max(2, len(seg.elements))):
            kind = seg.value(i, 1).upper()
            person = Traveller(
                seg.where(), surname, _given(seg.value(i, 0)), infant=kind.startswith("IN")
            )
            pax = Pax(person, seg.value(i, 2), surname, with_infant=seg.value(i, 3) == "1")
            self.booking.travellers.append(pax)
            self.pax = self.pax or pax
        self.mode = "traveller"

    def read_tkt(self, seg: Segment) -> None:
        if self.mode in ("traveller", "ticket"):
            self.mode = "ticket"

    def read_ssr(self, seg: Segment) -> None:
        if self.mode in ("nonair", "history", "split", "header"):
            return
        kind, text = seg.value(0, 0).upper(), ":".join(seg.elements[0][8:]).strip()
        ref = seg.value(1, 2)
        group_pax = self.pax if self.mode in ("traveller", "ticket") else None
        if kind == "DOCS":
            self.booking.docs.append((self.docs(seg, text), group_pax, ref))
        elif kind == "INFT":
            surname, _, rest = text.partition("/")
            given, _, born = rest.strip().rpartition(" ")
            if not _DOCS_DATE.fullmatch(born):  # no date: "BELT/SOPHY OLIVIA"
                given, born = rest.strip(), ""
            dob = _docs_date(born, seg.where(), latest=self.year)
            self.booking.infants.append(
                (surname.strip(), given.strip() or None, dob, ref, seg.where())
            )
        elif kind == "SEAT":
            self.seats(seg)
        elif kind == "CTCE":
            self.contact(group_pax, email=_email(text), where=seg.where())
        elif kind in _CONTACT_PHONES:
            self.contact(group_pax, phone=text, where=seg.where())
        elif kind == "DOCA":
            self.doca(seg, text, group_pax, ref)

    def read_ift(self, seg: Segment) -> None:
        if self.mode == "ticket" and seg.value(0, 1) == "43":  # the sponsor of a payment
            written = seg.value(2)  # one line of free text: not split into parts it may not have
            address = travel_address(seg.where(), self.warnings, lines=[written] if written else [])
            self.contact(
                self.pax,
                name=seg.value(1),
                phone=seg.value(3) or None,
                address=address,
                where=seg.where(),
            )
            return
        if self.mode not in ("pnr", "traveller"):
            return
        for i in range(1, len(seg.elements)):
            text = seg.value(i).upper()
            code, rest = text[:4], text[4:].strip()
            if code == "CTCE":
                self.contact(self.pax, email=_email(rest), where=seg.where())
            elif code in _CONTACT_PHONES:
                self.contact(self.pax, phone=rest, where=seg.where())

    def read_add(self, seg: Segment) -> None:
        if self.mode not in ("pnr", "traveller", "ticket"):
            return
        kind, free, country = seg.value(1, 0), seg.value(1, 7), seg.value(1, 5).upper()
        street = seg.value(1, 1)
        address = travel_address(
            seg.where(),
            self.warnings,
            lines=[street] if street else [],
            locality=seg.value(1, 2),
            region=seg.value(1, 3) or seg.value(1, 4),
            postcode=seg.value(1, 6),
            country=country,
        )
        # A PNR's ADD is its contact's (group 1), a traveller's emergency or unaccompanied
        # minor's contact (group 2), or a payer's (group 4): never the traveller's own address.
        owner = self.pax if self.mode != "pnr" else None
        email = phone = None
        if "@" in free or "CTCE" in free or kind == "E":
            email = _email(free.replace("CTCE", ""))
        elif free and re.fullmatch(r"[\d\s+()\-.]{7,}", free):
            phone = free
        phone_region = country if len(country) == 2 else None
        self.contact(
            owner,
            phone=phone,
            email=email,
            address=address,
            where=seg.where(),
            country=phone_region,
        )

    def contact(
        self,
        owner: Pax | None,
        *,
        where: str,
        name: str | None = None,
        phone: str | None = None,
        email: str | None = None,
        address: TravelAddress | None = None,
        country: str | None = None,
    ) -> None:
        if phone is not None:
            phone, why = phone_contact(phone, country=country)
            if why is not None:
                self.warnings.append(f"{where}: {why}")
        if email and address is not None:
            # An ADD carries both: an unreadable e-mail should not cost the address with it.
            try:
                BookingContact(email=email)
            except ValidationError as exc:
                self.warnings.append(f"{where}: e-mail not recorded: {rejection_reason(exc)}")
                email = None
        if phone is None and not email and address is None:
            return
        values = {"name": name or None, "phone": phone, "email": email or None, "address": address}
        try:
            BookingContact.model_validate(values)
        except ValidationError as exc:
            self.warnings.append(f"{where}: contact not recorded: {rejection_reason(exc)}")
            return
        (owner.person.contacts if owner is not None else self.booking.contacts).append(values)

    def docs(self, seg: Segment, text: str) -> Docs:
        parts = [p.strip() for p in text.removeprefix("/").split("/")]
        parts += [""] * (10 - len(parts))
        kind, issuer, number, nationality, born, gender, expires, surname, given, middle = parts[
            :10
        ]
        gender = gender.upper()
        if len(text.split("/")) < 8 or gender not in ("", "M", "F", "U", "X", *_INFANT_GENDERS):
            raise InvalidMessage(
                f"{seg.where()}: SSR DOCS {text!r} is not /type/issuer/number/nationality/"
                "birth date/gender/expiry/surname/given names"
            )
        return Docs(
            kind=kind or None,
            issuer=issuer or None,
            number=number or None,
            nationality=nationality or None,
            dob=_docs_date(born, seg.where(), latest=self.year),
            gender=_INFANT_GENDERS.get(gender, gender) or None,
            infant=gender in _INFANT_GENDERS,
            expiry=_docs_date(expires, seg.where(), latest=self.year + 20),
            surname=surname or None,
            forenames=" ".join(w for w in (given, middle) if w) or None,
            where=seg.where(),
        )

    def doca(self, seg: Segment, text: str, group_pax: Pax | None, ref: str) -> None:
        """``/R|D/country/street/city/region/postcode[/I]``: the traveller's (or, with "I",
        their infant's) residence or destination."""
        parts = [p.strip() for p in text.removeprefix("/").split("/")]
        parts += [""] * (7 - len(parts))
        kind, country, street, city, region, postcode, infant = parts[:7]
        address = travel_address(
            seg.where(),
            self.warnings,
            lines=[street] if street else [],
            locality=city,
            region=region,
            postcode=postcode,
            country=country,
            purpose=_DOCA_PURPOSES.get(kind.upper()),
        )
        if address is not None:
            infant_flag = infant.upper() == "I"
            self.booking.docas.append(Doca(address, group_pax, ref, infant_flag, seg.where()))

    # group 5 to 7: the itinerary and check-in --------------------------------------------------

    def read_tvl(self, seg: Segment) -> None:
        if self.mode not in ("pnr", "traveller", "ticket", "leg", "checkin", "open"):
            return
        if not seg.value(0, 0) or not seg.value(4, 0):
            # An OPEN or ARNK segment: no date or no flight, so not a leg; what follows it
            # (seats, check-in) belongs to it.
            self.warnings.append(f"{seg.where()}: no flight date or number (OPEN, ARNK): not a leg")
            self.mode, self.codeshare = "open", None
            return
        leg = self.leg(seg)
        pending, self.codeshare = self.codeshare, None
        if pending is not None and (leg.departure, leg.arrival) == (
            pending.departure,
            pending.arrival,
        ):
            pending.carrier, pending.number = leg.carrier, leg.number  # the operating flight
        else:
            self.booking.legs.append(leg)
            if seg.value(3, 1) and seg.value(3, 1) != leg.carrier:
                self.codeshare = leg
        self.mode, self.checkin = "leg", None

    def leg(self, seg: Segment) -> Leg:
        leg = Leg(seg.value(3, 0).upper(), seg.value(4, 0).upper(), seg.line)
        leg.departure = seg.value(1, 0).upper() or None
        leg.arrival = seg.value(2, 0).upper() or None
        day, clock = seg.value(0, 0), seg.value(0, 1)
        if not re.fullmatch(r"\d{6}", day) or (clock and not re.fullmatch(r"\d{4}", clock)):
            raise InvalidMessage(f"{seg.where()}: {day}:{clock} is not DDMMYY:HHMM")
        try:
            year = expand_year(int(day[4:]), latest=self.year + 50)
            when = datetime(year, int(day[2:4]), int(day[:2]))
            leg.departs = (
                when.replace(hour=int(clock[:2]), minute=int(clock[2:])) if clock else when.date()
            )
        except ValueError as exc:
            raise InvalidMessage(f"{seg.where()}: {day}:{clock} is not a date ({exc})") from exc
        if not (leg.carrier and leg.number and leg.departure and leg.arrival):
            raise InvalidMessage(f"{seg.where()}: a flight needs carrier, number, from and to")
        return leg

    def seats(self, seg: Segment) -> None:
        booking = self.booking
        if self.mode == "open":
            return  # seats on an open segment: no flight to sit on yet
        if self.mode in ("leg", "checkin") and booking.legs:
            index = len(booking.legs) - 1
        else:
            board, off = seg.value(0, 6), seg.value(0, 7)
            index = next(
                (i for i, g in enumerate(booking.legs) if (g.departure, g.arrival) == (board, off)),
                -1,
            )
        for i in range(1, len(seg.elements)):
            seat, pax = seg.value(i, 0), booking.by_ref(seg.value(i, 2))
            if seat and pax is not None and index >= 0:
                booking.booked[(index, id(pax))] = seat
            elif seat:
                self.warnings.append(f"{seg.where()}: seat {seat} matches no traveller or leg")

    def read_dat(self, seg: Segment) -> None:
        if self.mode == "leg":
            self.mode = "checkin"

    def read_tri(self, seg: Segment) -> None:
        if self.mode == "checkin":
            self.checkin = self.booking.by_ref(seg.value(1, 3))

    def check_in_traveller(self, seg: Segment) -> None:
        named = self.booking.by_ref(seg.value(1, 2)) or next(
            (
                p
                for p in self.booking.travellers
                if p.booked_surname == seg.value(0, 0)
                and p.person.forenames == _given(seg.value(1, 0))
            ),
            None,
        )
        if named is not None and self.checkin is not None and named is not self.checkin:
            self.warnings.append(
                f"{seg.where()}: check-in TRI names {self.checkin.person.name}, its TIF "
                f"{named.person.name}: the TIF is taken"
            )
        self.checkin = named or self.checkin

    def read_ssd(self, seg: Segment) -> None:
        if self.mode == "checkin" and self.checkin is not None and seg.value(0):
            self.booking.taken[(len(self.booking.legs) - 1, id(self.checkin))] = seg.value(0)

    def read_eqn(self, seg: Segment) -> None:
        self.mode = "split"

    def read_msg(self, seg: Segment) -> None:
        self.mode = "nonair"

    def read_abi(self, seg: Segment) -> None:
        self.mode = "history"

    def read_lts(self, seg: Segment) -> None:
        self.mode = "text"


def parse_pnrgov(
    message: Message, context: LoadContext, zones: ZoneLookup
) -> tuple[tuple[PassengerRecord, ...], list[str]]:
    """A PNRGOV message's records and warnings; raises ``InvalidMessage``."""
    reading = _Reading(reference_year(message, context))
    for segment in message.segments[1:-1]:
        reading.read(segment)
    header = {
        s.tag
        for s in message.segments[
            : next(
                (i for i, s in enumerate(message.segments) if s.tag == "SRC"), len(message.segments)
            )
        ]
    }
    missing = [t for t in ("MSG", "ORG", "TVL", "EQN") if t not in header]
    if missing:
        raise InvalidMessage(f"mandatory segment(s) {', '.join(missing)} missing before SRC")
    warnings = reading.warnings
    if reading.pnr_count is not None and reading.pnr_count != len(reading.bookings):
        warnings.append(f"EQN says {reading.pnr_count} PNRs, {len(reading.bookings)} were read")
    itinerary: list[tuple[Traveller, Leg, str | None]] = []
    for booking in reading.bookings:
        if booking.locator is None:
            raise InvalidMessage(f"the PNR at line {booking.line} (SRC) has no RCI locator")
        if not booking.travellers:
            raise InvalidMessage(f"PNR {booking.locator} (line {booking.line}) has no TIF")
        settle(booking, warnings)
        legs = booking.legs or ([reading.flight] if reading.flight else [])
        for pax in booking.travellers:
            person = pax.person
            person.pnr = booking.locator
            person.contacts = booking.contacts + person.contacts
            for index, leg in enumerate(legs):
                key = (index, id(pax))
                itinerary.append((person, leg, booking.taken.get(key) or booking.booked.get(key)))
    records, more = passenger_records(message, itinerary, context, zones)
    return records, warnings + more


@dataclass(frozen=True, slots=True)
class PnrgovReader:
    """Reads files of PNRGOV messages: a ``Parsed`` per message (its records, one per traveller
    per leg) or a ``Rejected`` with the reason; ``zones`` places local departure times."""

    zones: ZoneLookup
    strict_counts: bool = True
    kind: str = field(default="pnrgov", init=False)

    def read(self, path: Path, context: LoadContext) -> Iterator[ReadResult]:
        return read_messages(
            path,
            "pnrgov",
            self.strict_counts,
            lambda message: parse_pnrgov(message, context, self.zones),
        )
