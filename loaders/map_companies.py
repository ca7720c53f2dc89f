"""Companies House records as graph writes: companies, their addresses, officers and PSCs.

Pure functions, one per record kind, following ``loaders.entities``: a company record describes
its Company (``RESOLVES_TO`` by number) and names its registered address; an appointment and a
PSC name the company they are about, and the company holding the appointment or the control when
it has a registered number, with the ``OFFICER_OF`` or ``PSC_OF`` edge between the two companies.
People get no Person here: entity resolution builds them from the records' ``REFERS_TO`` links.

Roles written (``REFERS_TO``):

============================  =================================================================
record                        roles
============================  =================================================================
``CompanyRecord``             ``registered_address`` (and ``RESOLVES_TO`` its ``Company``)
``OfficerAppointmentRecord``  ``appointed_to``, ``corporate_officer``, ``service_address``
``PscRecord``                 ``controlled_company``, ``controlling_company``, ``address``
============================  =================================================================

Companies House numbers are keys of the GB register, whatever a company's country of origin: a
company's number is its key there, so every Company written from these records is jurisdiction
GB. A corporate officer or corporate PSC registered elsewhere is not keyed: its register is free
text ("Connecticut", "Minnesota, Usa", "Cayman Islands Registrar"), not a country code, and a
guessed jurisdiction would merge two registers' companies that share a number, or split one
company across spellings of its register. So it gets no Company, no ``OFFICER_OF`` and no
``PSC_OF``: its registration stays on the record, for entity resolution to match by name and
number, and it names only its address. The same holds for a corporate officer with no number
(the bulk snapshot carries none).
"""

from __future__ import annotations

from typing import Final

from loaders.companies_house import gb_company_number, on_uk_register
from loaders.entities import GraphWrites, described, named
from schema.base import PostalAddress
from schema.edges import OfficerOf, PscOf, RegisteredAt
from schema.entities import Address, Company
from schema.records import CompanyRecord, OfficerAppointmentRecord, PscRecord, Record

JURISDICTION: Final = "GB"
"""The register Companies House numbers belong to."""


def company_writes(record: CompanyRecord) -> GraphWrites:
    """The company the record describes, and its registered address."""
    company = Company(
        jurisdiction=JURISDICTION,
        number=record.company_number,
        name=record.name,
        aliases=tuple(p.name for p in record.previous_names),
        status=record.status,
        category=record.category,
        incorporated_on=record.incorporated_on,
        dissolved_on=record.dissolved_on,
        sic_codes=record.sic_codes,
        sensitivity=record.sensitivity,
    )
    writes = described(record, company, "number")
    if record.registered_address is not None:
        address = _address(record, record.registered_address)
        writes.add(named(record, address, "registered_address"))
        writes.edges.append(
            RegisteredAt(
                start=company.id,
                end=address.id,
                record_ids=(record.id,),
                sensitivity=record.sensitivity,
                conditional=record.conditional,
            )
        )
    return writes


def officer_writes(record: OfficerAppointmentRecord) -> GraphWrites:
    """The company the appointment is to; for a corporate officer on the GB register, the
    officer company and ``OFFICER_OF`` between the two; the officer's service address."""
    company = _company_by_number(record, record.company_number)
    writes = named(record, company, "appointed_to")
    number = _gb_officer(record)
    if number is not None:
        officer = _company_by_number(record, number, name=record.surname)
        writes.add(named(record, officer, "corporate_officer"))
        writes.edges.append(officer_of(record, officer, company))
    if record.address is not None:
        writes.add(named(record, _address(record, record.address), "service_address"))
    return writes


def _gb_officer(record: OfficerAppointmentRecord) -> str | None:
    """A corporate officer's number when it is on the Companies House register, else None."""
    if not record.corporate:
        return None
    uk = on_uk_register(record.place_registered, identification_type=record.identification_type)
    return gb_company_number(record.registration_number, uk=uk)


def officer_of(record: OfficerAppointmentRecord, officer: Company, company: Company) -> OfficerOf:
    """``officer -[:OFFICER_OF]-> company``, with the appointment's role and dates."""
    return OfficerOf(
        start=officer.id,
        end=company.id,
        start_label=officer.label,
        role=record.role,
        appointment_type=record.appointment_type,
        appointed_on=record.appointed_on,
        resigned_on=record.resigned_on,
        record_ids=(record.id,),
        sensitivity=record.sensitivity,
        conditional=record.conditional,
    )


def psc_writes(record: PscRecord) -> GraphWrites:
    """The controlled company; for a corporate PSC on the GB register, the controlling company
    and ``PSC_OF``; the PSC's address. Statements, exemptions and super-secure PSCs name the
    company only."""
    company = _company_by_number(record, record.company_number)
    writes = named(record, company, "controlled_company")
    kind = record.psc_kind
    if kind.names_no_one or kind.is_super_secure:
        return writes
    number = _gb_registration(record)
    if number is not None:
        controller = _company_by_number(record, number, name=record.name)
        writes.add(named(record, controller, "controlling_company"))
        writes.edges.append(
            PscOf(
                start=controller.id,
                end=company.id,
                start_label=controller.label,
                natures_of_control=record.natures_of_control,
                notified_on=record.notified_on,
                ceased_on=record.ceased_on,
                record_ids=(record.id,),
                sensitivity=record.sensitivity,
                conditional=record.conditional,
            )
        )
    if record.address is not None:
        writes.add(named(record, _address(record, record.address), "address"))
    return writes


def _gb_registration(record: PscRecord) -> str | None:
    """A corporate PSC's number when it is on the Companies House register, else None."""
    if not record.psc_kind.is_corporate:
        return None
    uk = on_uk_register(record.place_registered, record.country_registered)
    return gb_company_number(record.registration_number, uk=uk)


def _company_by_number(record: Record, number: str, name: str | None = None) -> Company:
    # A company named by number only: the name is the number until its own record is loaded
    # (entities merge on their id; a named record's properties win where it has them).
    return Company(
        jurisdiction=JURISDICTION,
        number=number,
        name=name or number,
        sensitivity=record.sensitivity,
    )


def _address(record: Record, address: PostalAddress) -> Address:
    return Address.from_postal(address, sensitivity=record.sensitivity)
