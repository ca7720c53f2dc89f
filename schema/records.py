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

from typing import Annotated

from pydantic import Field

from schema.record import (
    Record,
)
from schema.records_companies import (
    CompanyRecord,
    OfficerAppointmentRecord,
    PreviousName,
    PscExemption,
    PscKind,
    PscRecord,
    split_officer_name,
)
from schema.records_intel import (
    IntelReportRecord,
    ReportSubject,
)
from schema.records_people import (
    MissingEpisodeRecord,
    PersonAddress,
    PersonRecord,
)
from schema.records_phones import (
    CallRecord,
    CallType,
    PhoneSubscriberRecord,
)
from schema.records_travel import (
    AddressPurpose,
    BookingContact,
    PassengerRecord,
    TravelAddress,
)

__all__ = [
    "RECORD_TYPES",
    "AddressPurpose",
    "AnyRecord",
    "BookingContact",
    "CallRecord",
    "CallType",
    "CompanyRecord",
    "IntelReportRecord",
    "MissingEpisodeRecord",
    "OfficerAppointmentRecord",
    "PassengerRecord",
    "PersonAddress",
    "PersonRecord",
    "PhoneSubscriberRecord",
    "PreviousName",
    "PscExemption",
    "PscKind",
    "PscRecord",
    "Record",
    "ReportSubject",
    "TravelAddress",
    "split_officer_name",
]

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
