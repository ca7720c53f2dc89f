"""A PNR booking as the PNRGOV reader gathers it, and its documents settled on its travellers.

A PNRGOV message names a booking's travellers (TIF), then their documents (SSR DOCS), infants
(SSR INFT) and addresses (SSR DOCA), often before or apart from the traveller they belong to:
a DOCS names its traveller by reference, by group, or only by name. The reader collects them
here (``Booking``), and ``settle`` gives each to its traveller once all are known.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from loaders.paxlst import Document, Leg, Traveller
from schema.records import TravelAddress


@dataclass(slots=True)
class Docs:
    """An SSR DOCS (travel document) as read, until its traveller is known."""

    kind: str | None
    issuer: str | None
    number: str | None
    nationality: str | None
    dob: date | None
    gender: str | None
    infant: bool
    expiry: date | None
    surname: str | None
    forenames: str | None
    where: str


@dataclass(slots=True)
class Doca:
    """A traveller's address from an SSR DOCA, until its traveller is known."""

    address: TravelAddress
    group_pax: Pax | None
    ref: str
    infant: bool
    where: str


@dataclass(slots=True)
class Pax:
    """A booked traveller (TIF) and the record being built for them."""

    person: Traveller
    ref: str
    booked_surname: str
    with_infant: bool = False
    named_by_document: bool = False


@dataclass(slots=True)
class Booking:
    """One PNR: its travellers, legs, seats, contacts, and the documents, infants and
    addresses still to be given to travellers."""

    line: int
    locator: str | None = None
    travellers: list[Pax] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    docs: list[tuple[Docs, Pax | None, str]] = field(default_factory=list)
    infants: list[tuple[str, str | None, date | None, str, str]] = field(default_factory=list)
    booked: dict[tuple[int, int], str] = field(default_factory=dict)
    taken: dict[tuple[int, int], str] = field(default_factory=dict)
    contacts: list[dict[str, Any]] = field(default_factory=list)
    docas: list[Doca] = field(default_factory=list)

    def by_ref(self, ref: str) -> Pax | None:
        return next((p for p in self.travellers if ref and p.ref == ref), None)


def match_traveller(pax: list[Pax], surname: str | None, forenames: str | None) -> Pax | None:
    """The traveller booked under ``surname`` (and first forename, when given); the only one
    when there is one."""

    def squeeze(text: str | None) -> str:
        return "".join((text or "").split()).upper()

    first = (forenames or "").split()[:1]
    for p in pax:
        if squeeze(p.booked_surname) == squeeze(surname) and (
            not first or (p.person.forenames or "").split()[:1] == first
        ):
            return p
    return pax[0] if len(pax) == 1 else None


def apply_document(docs: Docs, pax: Pax, warnings: list[str]) -> None:
    """``docs`` read into its traveller's record: the document is added, birth date, gender,
    nationality and infancy fill gaps, and the document's name replaces the booked one."""
    person = pax.person
    if docs.number or docs.kind:
        person.documents.append(Document(docs.kind, docs.number, docs.issuer, docs.expiry))
    person.dob = person.dob or docs.dob
    person.gender = person.gender or docs.gender
    person.nationality = person.nationality or docs.nationality
    person.infant = person.infant or docs.infant
    # The first document names the traveller, unless a later one agrees with the booking
    # better (one sample's DOCS has "BEL T" for "BELT").
    agrees = docs.surname == pax.booked_surname and person.surname != pax.booked_surname
    if docs.surname and (not pax.named_by_document or agrees):
        if "".join(docs.surname.split()) != "".join(pax.booked_surname.split()):
            warnings.append(
                f"{docs.where}: booked as {pax.booked_surname}, document names "
                f"{docs.surname}: the document's name is recorded"
            )
        person.surname, person.forenames = docs.surname, docs.forenames
        pax.named_by_document = True


def settle(booking: Booking, warnings: list[str]) -> None:
    """Give each DOCS and SSR INFT to its traveller, once all travellers are known."""
    infants = [p for p in booking.travellers if p.person.infant]
    for surname, given, dob, _adult, where in booking.infants:
        infant = match_traveller(infants, surname, given) if infants else None
        if infant is None:
            person = Traveller(where, surname, given, dob=dob, infant=True)
            infant = Pax(person, "", surname)
            booking.travellers.append(infant)
            infants.append(infant)
            warnings.append(f"{where}: infant {surname}/{given} is named only in an SSR INFT")
        infant.person.dob = infant.person.dob or dob
    adults = [p for p in booking.travellers if not p.person.infant]
    for docs, group_pax, ref in booking.docs:
        owner = (
            booking.by_ref(ref)
            or group_pax
            or match_traveller(adults, docs.surname, docs.forenames)
        )
        if docs.infant and (owner is None or not owner.person.infant):
            owner = match_traveller(infants, docs.surname, docs.forenames) if infants else None
        if owner is None:
            warnings.append(f"{docs.where}: document of {docs.surname} matches no traveller")
            continue
        apply_document(docs, owner, warnings)
    for doca in booking.docas:
        owner = booking.by_ref(doca.ref) or doca.group_pax
        if owner is None and len(adults) == 1:
            owner = adults[0]
        if doca.infant:
            # The SSR names the adult, not which infant: known only when the booking has one.
            owner = infants[0] if len(infants) == 1 else None
        if owner is None:
            warnings.append(f"{doca.where}: address matches no traveller: not recorded")
            continue
        owner.person.addresses.append(doca.address)
    for pax in adults:
        if pax.with_infant and not infants:
            warnings.append(f"{pax.person.name} travels with an infant the PNR does not name")
