"""The links every record writes are built without re-validation: they must equal the
validated models, ids and rows included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from loaders.entities import MAPPING_VERSION, asserted, phone_entity, refers, resolves
from schema.edges import DepartsFrom, Judgement, RefersTo, ResolvesTo
from schema.entities import Airport, Company, Flight, Phone
from schema.grading import Sensitivity
from schema.provenance import Provenance
from schema.records import CallRecord, CompanyRecord, Record

LOADED = datetime(2026, 1, 1, tzinfo=UTC)


def _provenance(sensitivity: Sensitivity) -> Provenance:
    return Provenance(
        source="telco",
        source_file="calls.csv",
        line=2,
        load_batch="b1",
        loaded_at=LOADED,
        raw_hash="0" * 64,
        sensitivity=sensitivity,
    )


@pytest.fixture(params=[Sensitivity.OFFICIAL, Sensitivity.SECRET])
def call(request: pytest.FixtureRequest) -> CallRecord:
    return CallRecord(
        provenance=_provenance(request.param),
        a_number="+447700900001",
        b_number="+447700900002",
        started_at=datetime(2025, 1, 2, 3, 4, tzinfo=UTC),
        duration_s=61,
    )


def _same(built: RefersTo | ResolvesTo, validated: RefersTo | ResolvesTo) -> None:
    assert built == validated
    assert built.id == validated.id
    assert built.upsert_row() == validated.upsert_row()


def test_refers_equals_the_validated_link(call: CallRecord) -> None:
    phone = Phone(e164=call.a_number, sensitivity=call.sensitivity)
    validated = RefersTo(
        start=call.id,
        end=phone.id,
        end_label="Phone",
        role="a_party",
        record_ids=(call.id,),
        sensitivity=call.sensitivity,
    )
    _same(refers(call, phone, "a_party"), validated)


def test_resolves_equals_the_validated_link() -> None:
    record: Record = CompanyRecord(
        provenance=_provenance(Sensitivity.OFFICIAL_SENSITIVE),
        company_number="01234567",
        name="ACME LIMITED",
    )
    company = Company(number="01234567", name="ACME LIMITED")
    validated = ResolvesTo(
        start=record.id,
        end=company.id,
        end_label="Company",
        score=1.0,
        rule="key:company_number",
        rule_version=MAPPING_VERSION,
        judgement=Judgement.POSITIVE,
        decided_by="loader",
        decided_at=LOADED,
        record_ids=(record.id,),
        sensitivity=Sensitivity.OFFICIAL_SENSITIVE,
    )
    _same(resolves(record, company, "company_number"), validated)


def test_asserted_equals_the_validated_edge(call: CallRecord) -> None:
    flight = Flight(carrier="BA", number="0117", departure_date=date(2025, 1, 2))
    airport = Airport(iata="LHR")
    built = asserted(DepartsFrom, flight, airport, call)
    validated = DepartsFrom(
        start=flight.id, end=airport.id, record_ids=(call.id,), sensitivity=call.sensitivity
    )
    assert built == validated
    assert built.upsert_row() == validated.upsert_row()


def test_phone_entities_are_shared_per_number_and_sensitivity() -> None:
    a = phone_entity("+447700900001", Sensitivity.OFFICIAL)
    assert phone_entity("+447700900001", Sensitivity.OFFICIAL) is a
    assert phone_entity("+447700900001", Sensitivity.SECRET).sensitivity is Sensitivity.SECRET
    assert a == Phone(e164="+447700900001")
