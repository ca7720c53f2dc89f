"""Which mapping turns which kind of record into graph writes (``loaders.entities``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loaders.entities import GraphWrites
from loaders.map_companies import company_writes, officer_writes, psc_writes
from loaders.map_people import call_writes, missing_writes, person_writes, subscriber_writes
from loaders.map_reports import report_writes
from loaders.map_travel import passenger_writes
from schema.records import (
    CallRecord,
    CompanyRecord,
    IntelReportRecord,
    MissingEpisodeRecord,
    OfficerAppointmentRecord,
    PassengerRecord,
    PersonRecord,
    PhoneSubscriberRecord,
    PscRecord,
    Record,
)

MAPPERS: dict[type[Record], Callable[[Any], GraphWrites]] = {
    PersonRecord: person_writes,
    MissingEpisodeRecord: missing_writes,
    CompanyRecord: company_writes,
    OfficerAppointmentRecord: officer_writes,
    PscRecord: psc_writes,
    PassengerRecord: passenger_writes,
    PhoneSubscriberRecord: subscriber_writes,
    CallRecord: call_writes,
    IntelReportRecord: report_writes,
}


def writes_for(record: Record) -> GraphWrites:
    """The entities and relationships ``record`` asserts (none for a kind with no mapping)."""
    mapper = MAPPERS.get(type(record))
    return mapper(record) if mapper is not None else GraphWrites()
