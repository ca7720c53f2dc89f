"""Source records, their value types, provenance and ids."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from schema.base import PartialDate, PostalAddress, normalise_phone
from schema.grading import Grading, Sensitivity
from schema.ids import make_id, raw_hash
from schema.provenance import Provenance
from schema.records import (
    RECORD_TYPES,
    AnyRecord,
    CallRecord,
    CallType,
    CompanyRecord,
    IntelReportRecord,
    MissingEpisodeRecord,
    OfficerAppointmentRecord,
    PassengerRecord,
    PersonRecord,
    PhoneSubscriberRecord,
    PscKind,
    PscRecord,
    Record,
    split_officer_name,
)


def prov(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "source": "pnc",
        "source_file": "nominals.csv",
        "line": 2,
        "load_batch": "batch-1",
        "loaded_at": "2024-05-01T10:00:00Z",
        "raw_hash": raw_hash("row"),
    }
    return {**base, **over}


def person(**over: Any) -> PersonRecord:
    data: dict[str, Any] = {"provenance": prov(), "nominal_ref": "N1", "surname": "Smith"}
    return PersonRecord.model_validate({**data, **over})


# --- partial dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "precision", "earliest", "latest"),
    [
        ("1962", "year", date(1962, 1, 1), date(1962, 12, 31)),
        ("1962-07", "month", date(1962, 7, 1), date(1962, 7, 31)),
        ("2000-02", "month", date(2000, 2, 1), date(2000, 2, 29)),
        ("1962-07-14", "day", date(1962, 7, 14), date(1962, 7, 14)),
        (" 1962-7 ", "month", date(1962, 7, 1), date(1962, 7, 31)),
    ],
)
def test_partial_date(text: str, precision: str, earliest: date, latest: date) -> None:
    d = PartialDate.model_validate(text)
    assert d.precision == precision
    assert (d.earliest, d.latest) == (earliest, latest)
    assert PartialDate.model_validate(d.isoformat()) == d
    dumped: object = d.model_dump()
    assert dumped == d.isoformat()


def test_partial_date_from_date_and_parts() -> None:
    assert PartialDate.model_validate(date(1962, 7, 14)).isoformat() == "1962-07-14"
    assert str(PartialDate(year=1962, month=7)) == "1962-07"
    assert PartialDate.model_validate("1962-07-14").to_date() == date(1962, 7, 14)
    assert PartialDate.model_validate("1962-07").to_date() is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1962-13", "less than or equal to 12"),
        ("2001-02-29", "2001-02 has 28 days, not 29"),
        ("14/07/1962", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("62-07", "expected YYYY"),
    ],
)
def test_partial_date_invalid(text: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        PartialDate.model_validate(text)


def test_partial_date_day_needs_month() -> None:
    with pytest.raises(ValidationError, match="needs a month"):
        PartialDate(year=1962, day=3)


def test_partial_date_refuses_datetime() -> None:
    with pytest.raises(ValidationError, match="not a datetime"):
        PartialDate.model_validate(datetime(1962, 7, 14, tzinfo=UTC))


def test_partial_date_could_be() -> None:
    month = PartialDate.model_validate("1962-07")
    assert month.could_be(date(1962, 7, 14))
    assert not month.could_be(date(1962, 8, 1))
    assert month.could_be(PartialDate.model_validate("1962"))


# --- value types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("07700 900123", "+447700900123"),
        ("+44 (0)7700 900-123", "+447700900123"),
        ("0044 7700 900123", "+447700900123"),
        ("447700900123", "+447700900123"),
    ],
)
def test_normalise_phone(text: str, e164: str) -> None:
    assert normalise_phone(text) == e164


def test_e164_refuses_national_numbers_with_a_hint() -> None:
    with pytest.raises(ValidationError, match="national number"):
        person(phones=["07700900123"])
    with pytest.raises(ValidationError, match=r"not an E\.164 number"):
        person(phones=["+0123"])


def test_postal_address_normalised() -> None:
    a = PostalAddress(lines=(" 12  High St ", ""), locality="Leeds", postcode="ls11aa")
    assert a.lines == ("12 High St",)
    assert a.postcode == "LS1 1AA"
    assert a.text == "12 High St, Leeds"
    assert PostalAddress(postcode="75008").postcode == "75008"
    with pytest.raises(ValidationError, match="at least a line"):
        PostalAddress(country="GB")


# --- provenance ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("line", 0, "greater than or equal to 1"),
        ("loaded_at", "2024-05-01T10:00:00", "timezone"),
        ("raw_hash", "abc", "pattern"),
        ("source", "Companies House", "pattern"),
        ("handling", "1A X", "handling code"),
    ],
)
def test_provenance_invalid(field: str, value: object, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Provenance.model_validate(prov(**{field: value}))


def test_provenance_normalised() -> None:
    p = Provenance.model_validate(
        prov(loaded_at="2024-05-01T11:00:00+01:00", handling="1-A-P", sensitivity="SECRET")
    )
    assert p.loaded_at == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert p.handling == Grading.parse("1A P")
    assert p.sensitivity is Sensitivity.SECRET


# --- ids ----------------------------------------------------------------------------------------


def test_record_id_from_source_and_key_only() -> None:
    a = person()
    reloaded = person(provenance=prov(line=99, load_batch="batch-2"), forenames="Kevin")
    assert a.id == reloaded.id
    assert a.id == make_id("rec_person", "pnc", "N1")
    assert a.id == PersonRecord.record_id("pnc", nominal_ref="N1")
    assert person(provenance=prov(source="niche")).id != a.id
    assert person(nominal_ref="N2").id != a.id


def test_record_refuses_unknown_fields_and_is_frozen() -> None:
    with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
        person(shoe_size=9)
    p = person()
    with pytest.raises(ValidationError, match="frozen"):
        p.surname = "Jones"


def test_record_id_checked_on_read_back() -> None:
    dumped = person().model_dump(mode="json")
    with pytest.raises(ValidationError, match="does not match"):
        PersonRecord.model_validate({**dumped, "id": make_id("rec_person", "pnc", "N2")})


# --- kinds --------------------------------------------------------------------------------------


def test_person_record() -> None:
    p = person(
        forenames=" Kevin  David ",
        dob="1962-07",
        gender="M",
        aliases=["Kev", "Kev", " "],
        warning_markers=["we", "WE", " vi "],
        addresses=[{"lines": ["1 A St"], "from_date": "2020", "to_date": "2021-03"}],
    )
    assert p.full_name == "Kevin David Smith"
    assert p.aliases == ("Kev",)
    assert p.warning_markers == ("WE", "VI")
    assert p.gender == "male"
    with pytest.raises(ValidationError, match="before it starts"):
        person(addresses=[{"lines": ["1 A St"], "from_date": "2021", "to_date": "2020-12"}])


def test_missing_episode_points_at_the_child_record() -> None:
    ep = MissingEpisodeRecord(
        provenance=Provenance.model_validate(prov()),
        episode_ref="E1",
        child_ref="N1",
        reported_at=datetime(2024, 3, 1, 22, 0, tzinfo=UTC),
    )
    assert ep.child_record_id == person().id
    with pytest.raises(ValidationError, match="timezone"):
        MissingEpisodeRecord.model_validate(
            {"provenance": prov(), "episode_ref": "E1", "child_ref": "N1", "reported_at": "2024"}
            | {"reported_at": "2024-03-01T22:00:00"}
        )


def episode(**over: Any) -> MissingEpisodeRecord:
    data: dict[str, Any] = {"provenance": prov(), "episode_ref": "E1", "child_ref": "N1"}
    return MissingEpisodeRecord.model_validate({**data, **over})


def test_missing_episode_known_only_to_the_day() -> None:
    day = episode(reported_on="2024-03-01", found_on="2024-03-03")
    assert (day.reported_at, day.reported_on) == (None, date(2024, 3, 1))
    assert (day.found_at, day.found_on) == (None, date(2024, 3, 3))
    assert day.id == episode(reported_at="2024-03-01T22:00:00Z").id  # the key is the episode
    mixed = episode(reported_on="2024-03-01", found_at="2024-03-02T09:00:00Z")
    assert mixed.node_properties()["reported_on"] == "2024-03-01"
    assert mixed.node_properties()["reported_at"] is None


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({}, "needs reported_at \\(a date and time\\) or reported_on \\(a day\\)"),
        (
            {"reported_at": "2024-03-01T22:00:00Z", "reported_on": "2024-03-01"},
            "give reported_at .* or reported_on .*, not both",
        ),
        (
            {
                "reported_on": "2024-03-01",
                "found_on": "2024-03-02",
                "found_at": "2024-03-02T01:00Z",
            },
            "give found_at .* or found_on .*, not both",
        ),
        ({"reported_on": "2024-03"}, "reported_on"),
    ],
)
def test_missing_episode_invalid(over: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        episode(**over)


def test_company_record() -> None:
    c = CompanyRecord.model_validate(
        {
            "provenance": prov(source="companies_house"),
            "company_number": "1234567",
            "name": "ACME LTD",
            "sic_codes": ["70100 - Activities of head offices", "99999"],
            "incorporated_on": "2010-01-05",
            "previous_names": [{"name": "ACME HOLDINGS LTD", "changed_on": "2012-01-01"}],
        }
    )
    assert c.company_number == "01234567"
    assert c.sic_codes == ("70100", "99999")
    assert c.id == CompanyRecord.record_id("companies_house", company_number="01234567")
    with pytest.raises(ValidationError, match="SIC code"):
        CompanyRecord.model_validate(
            {"provenance": prov(), "company_number": "SC12345", "name": "X", "sic_codes": ["n/a"]}
        )
    with pytest.raises(ValidationError, match="company 01234567 ends"):
        CompanyRecord.model_validate(
            {
                "provenance": prov(),
                "company_number": "1234567",
                "name": "X",
                "incorporated_on": "2010-01-05",
                "dissolved_on": "2009-01-01",
            }
        )


def test_company_number_forms() -> None:
    def number(n: str) -> str:
        return CompanyRecord(
            provenance=Provenance.model_validate(prov()), company_number=n, name="X"
        ).company_number

    assert number("SC12345") == "SC012345"
    assert number(" oc300001 ") == "OC300001"
    with pytest.raises(ValidationError, match="Companies House number"):
        number("123456789")


def test_split_officer_name() -> None:
    assert split_officer_name("MR|KEVIN DAVID|SMITH") == {
        "title": "MR",
        "forenames": "KEVIN DAVID",
        "surname": "SMITH",
        "honours": None,
    }
    assert split_officer_name("||ACME SECRETARIES LIMITED")["surname"] == "ACME SECRETARIES LIMITED"
    assert split_officer_name("DR|JANE|DOE|OBE")["honours"] == "OBE"
    with pytest.raises(ValueError, match="no surname"):
        split_officer_name("MR|KEVIN|")


def officer(**over: Any) -> OfficerAppointmentRecord:
    data: dict[str, Any] = {
        "provenance": prov(source="companies_house"),
        "company_number": "01234567",
        "role": "Director",
        **split_officer_name("MR|KEVIN DAVID|SMITH"),
        "birth_date": "1962-07",
        "appointed_on": "2015-06-01",
    }
    return OfficerAppointmentRecord.model_validate({**data, **over})


def test_officer_appointment() -> None:
    o = officer()
    assert o.role == "director"
    assert o.full_name == "KEVIN DAVID SMITH"
    assert officer(surname="smith", forenames="Kevin David").id == o.id
    assert officer(role="secretary").id != o.id
    assert officer(appointed_on="2016-01-01").id != o.id
    assert officer(resigned_on="2020-01-01", occupation="Driver").id == o.id
    with pytest.raises(ValidationError, match="year and month only"):
        officer(birth_date="1962-07-14")
    with pytest.raises(ValidationError, match="appointment ends"):
        officer(resigned_on="2014-01-01")
    with pytest.raises(ValidationError, match="pattern"):
        officer(appointment_type="1")


def test_a_corporate_officer_registration() -> None:
    registration = {
        "identification_type": "uk-limited-company",
        "registration_number": "07654321",
        "place_registered": "Companies House",
        "legal_authority": "Companies Act 2006",
        "legal_form": "Private Limited Company",
    }
    name = {"title": None, "forenames": None, "surname": "HOLDCO LTD", "birth_date": None}
    corporate = officer(corporate=True, **name, **registration)
    assert corporate.registration_number == "07654321"
    assert corporate.id == officer(corporate=True, **name).id  # not part of the key
    for key, value in registration.items():
        with pytest.raises(ValidationError, match="only a corporate officer has a registration"):
            officer(**{key: value})


def psc(**over: Any) -> PscRecord:
    data: dict[str, Any] = {
        "provenance": prov(source="companies_house"),
        "company_number": "01234567",
        "psc_ref": "abc123",
        "psc_kind": "individual",
        "name": "Mr Kevin Smith",
        "natures_of_control": ["ownership-of-shares-75-to-100-percent"],
        "notified_on": "2016-04-06",
    }
    return PscRecord.model_validate({**data, **over})


def test_psc_kinds() -> None:
    assert psc().psc_kind is PscKind.INDIVIDUAL
    corp = psc(psc_kind="corporate-entity", registration_number="07654321", name="HOLDCO LTD")
    assert corp.psc_kind.is_corporate
    statement = psc(
        psc_kind="persons-with-significant-control-statement",
        name=None,
        statement="no-individual-or-entity-with-signficant-control",
        natures_of_control=[],
    )
    assert statement.psc_kind.is_statement
    assert psc(psc_kind="super-secure", name=None).psc_kind is PscKind.SUPER_SECURE
    assert psc(psc_kind="individual-beneficial-owner").psc_kind.value == (
        "individual-beneficial-owner"
    )
    exempt = psc(psc_kind="psc-exemptions", name=None, natures_of_control=[], **EXEMPTIONS)
    assert exempt.psc_kind is PscKind.EXEMPTIONS
    assert exempt.psc_kind.names_no_one
    assert not exempt.psc_kind.is_statement
    assert exempt.exemptions[0].exempt_to is None
    abroad = psc(
        psc_kind="corporate-entity-beneficial-owner",
        name="HOLDCO SA",
        registration_number="B 123",
        place_registered="Registre de Commerce, Luxembourg",
        country_registered="Luxembourg",
        is_sanctioned=True,
    )
    assert (abroad.place_registered, abroad.is_sanctioned) == (
        "Registre de Commerce, Luxembourg",
        True,
    )


EXEMPTIONS: dict[str, Any] = {
    "exemptions": [
        {
            "exemption_type": "psc-exempt-as-trading-on-uk-regulated-market",
            "exempt_from": "2018-06-18",
        }
    ]
}


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"psc_kind": "statement", "name": None}, "needs its statement text"),
        ({"name": None}, "needs a name"),
        ({"registration_number": "123"}, "has no registration number"),
        ({"natures_of_control": ["Ownership of shares!"]}, "not a nature of control"),
        ({"ceased_on": "2015-01-01"}, "control ends"),
        ({"psc_kind": "wizard"}, "psc_kind"),
        ({"psc_kind": "exemptions", "name": None}, "need at least one exemption"),
        (EXEMPTIONS, "a individual-person-with-significant-control has no exemptions"),
        (
            {
                "psc_kind": "exemptions",
                "exemptions": [
                    {"exemption_type": "x", "exempt_from": "2020-01-02", "exempt_to": "2020-01-01"}
                ],
            },
            "x ends",
        ),
    ],
)
def test_psc_invalid(over: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        psc(**over)


def passenger(**over: Any) -> PassengerRecord:
    data: dict[str, Any] = {
        "provenance": prov(source="api"),
        "surname": "SMITH",
        "forenames": "KEVIN",
        "dob": "1962-07-14",
        "gender": "M",
        "nationality": "gbr",
        "document_type": "p",
        "document_number": "123 456-789",
        "document_country": "GBR",
        "carrier": "ba",
        "flight_number": "0123",
        "departure_airport": "lhr",
        "arrival_airport": "AMS",
        "scheduled_departure": "2024-05-01T00:30:00+01:00",
        "seat": "023a",
        "pnr": "abc123",
        "booking_contacts": [{"phone": "+447700900123"}],
    }
    return PassengerRecord.model_validate({**data, **over})


def test_passenger() -> None:
    p = passenger()
    assert (p.carrier, p.flight_number, p.departure_airport) == ("BA", "123", "LHR")
    assert (p.document_number, p.document_type, p.seat, p.pnr) == (
        "123456789",
        "P",
        "23A",
        "ABC123",
    )
    # The flight's date is local: 00:30 BST on 1 May is 23:30 UTC on 30 April.
    assert p.departure_date == date(2024, 5, 1)
    assert passenger(flight_number="123", seat="14C", pnr="ZZZ999").id == p.id
    assert passenger(document_number=None).id != p.id


def test_passenger_countries_crew_addresses_and_message() -> None:
    p = passenger(
        nationality="gb",
        document_country="UK",
        addresses=[{"lines": ["1 A St"], "postcode": "ls11aa", "country": "gb"}],
        booking_contacts=[{"name": "Payer", "address": {"lines": ["2 B St"], "country": "FR"}}],
        message_ref="IC1/M1",
    )
    assert (p.nationality, p.document_country) == ("GBR", "GBR")
    (address,) = p.addresses
    assert (address.postcode, address.country, address.purpose) == ("LS1 1AA", "GBR", None)
    (contact,) = p.booking_contacts
    assert contact.address is not None
    assert (contact.phone, contact.email, contact.address.country) == (None, None, "FRA")
    assert (p.crew, p.in_transit, p.message_ref) == (False, False, "IC1/M1")
    # Countries, addresses, transit and the message are not in the key; crew is.
    assert p.id == passenger().id
    assert passenger(in_transit=True, message_ref="IC2/M9").id == p.id
    assert passenger(crew=True).id != p.id
    assert PassengerRecord.id_key.fields[-1] == "crew"


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"arrival_airport": "LHR"}, "departs from and arrives at LHR"),
        ({"departure_airport": "LHRX"}, "IATA airport code"),
        ({"carrier": "1"}, "airline designator"),
        ({"flight_number": "12345"}, "flight number"),
        ({"seat": "A23"}, "not a seat"),
        ({"pnr": "AB"}, "booking reference"),
        ({"scheduled_departure": "2024-05-01T00:30:00"}, "timezone"),
        ({"booking_contacts": [{"name": "X"}]}, "needs a phone, an e-mail or an address"),
        ({"nationality": "G1"}, "not a country code"),
        ({"addresses": [{"country": "GBR"}]}, "needs at least a line"),
        ({"addresses": [{"lines": ["1 A St"], "country": "Britain"}]}, "not a country code"),
        ({"addresses": [{"lines": ["1 A St"], "purpose": "holiday"}]}, "purpose"),
        ({"booking_contacts": [{"email": "not-an-email"}]}, "not an e-mail address"),
    ],
)
def test_passenger_invalid(over: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        passenger(**over)


def test_phone_subscriber() -> None:
    data: dict[str, Any] = {
        "provenance": prov(source="csp"),
        "number": "+44 7700 900123",
        "subscriber_name": "Kevin Smith",
        "subscribed_from": "2023-01-01",
    }
    s = PhoneSubscriberRecord.model_validate(data)
    assert s.number == "+447700900123"
    same = PhoneSubscriberRecord.model_validate({**data, "subscriber_name": "KEVIN SMITH"})
    assert same.id == s.id
    with pytest.raises(ValidationError, match="subscription ends"):
        PhoneSubscriberRecord.model_validate({**data, "subscribed_to": "2022-12-31"})


def call(**over: Any) -> CallRecord:
    data: dict[str, Any] = {
        "provenance": prov(source="cdr"),
        "a_number": "+447700900123",
        "b_number": "+447700900456",
        "started_at": "2024-01-01T10:00:00+01:00",
        "duration_s": 30,
    }
    return CallRecord.model_validate({**data, **over})


def test_call_record() -> None:
    c = call(call_type="SMS")
    assert c.started_at == datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    assert c.call_type is CallType.SMS
    assert call().id == call(started_at="2024-01-01T09:00:00Z", cell_id="C1").id
    assert call().id != call(call_type="sms").id
    assert call().ended_at == datetime(2024, 1, 1, 9, 0, 30, tzinfo=UTC)
    with pytest.raises(ValidationError, match="greater than or equal to 0"):
        call(duration_s=-1)
    with pytest.raises(ValidationError, match="call_type"):
        call(call_type="fax")


def intel(**over: Any) -> IntelReportRecord:
    data: dict[str, Any] = {
        "provenance": prov(source="intel", handling="1A P"),
        "report_ref": "WY/123",
        "reported_on": "2024-02-02",
        "force": "West Yorkshire",
        "grading": "2B C",
        "tags": ["csae", "county lines"],
        "text": "  Subject seen with a child at the hotel.  ",
        "subjects": [{"name": "Kevin Smith", "dob": "1962-07", "role": "suspect"}],
    }
    return IntelReportRecord.model_validate({**data, **over})


def test_intel_report() -> None:
    r = intel()
    assert r.csae
    assert r.tags == ("CSAE", "COUNTY LINES")
    assert r.text.startswith("  Subject")  # kept as written: mentions are spans into it
    assert r.effective_grading == Grading.parse("2B C")
    assert r.handling_code == "C"
    assert not intel(tags=["drugs"]).csae
    with pytest.raises(ValidationError, match="handling code"):
        intel(grading="2B Q")


def test_intel_report_owned_by_a_force_or_a_unit() -> None:
    assert intel(force=None, unit="ROCU").unit == "ROCU"
    assert intel(unit=None).force == "West Yorkshire"
    with pytest.raises(ValidationError, match="needs the force or the unit that owns it"):
        intel(force=None)


def test_effective_grading_falls_back_to_provenance() -> None:
    p = person(provenance=prov(handling="3x5x2: 1/B/C", sensitivity=1))
    assert p.handling_code == "C"
    assert p.sensitivity is Sensitivity.OFFICIAL_SENSITIVE
    assert person().handling_code is None


# --- every kind ---------------------------------------------------------------------------------


def samples() -> list[Record]:
    return [
        person(addresses=[{"lines": ["1 A St"], "postcode": "LS1 1AA"}], phones=["+447700900123"]),
        MissingEpisodeRecord.model_validate(
            {
                "provenance": prov(),
                "episode_ref": "E1",
                "child_ref": "N1",
                "reported_at": "2024-03-01T22:00:00Z",
            }
        ),
        CompanyRecord.model_validate({"provenance": prov(), "company_number": "1", "name": "X"}),
        officer(),
        psc(),
        passenger(
            crew=True,
            addresses=[{"lines": ["1 A St"], "purpose": "residence"}],
            booking_contacts=[{"email": "a@example.com", "address": {"postcode": "LS1 1AA"}}],
            message_ref="IC1/M1",
        ),
        PhoneSubscriberRecord.model_validate({"provenance": prov(), "number": "+447700900123"}),
        call(),
        intel(),
    ]


def test_every_kind_has_a_sample_and_distinct_prefixes() -> None:
    assert {type(r) for r in samples()} == set(RECORD_TYPES)
    prefixes = [t.id_key.prefix for t in RECORD_TYPES]
    assert len(set(prefixes)) == len(prefixes)
    assert all(p.startswith("rec_") for p in prefixes)


@pytest.mark.parametrize("record", samples(), ids=lambda r: type(r).__name__)
def test_round_trip_through_the_union(record: Record) -> None:
    adapter: TypeAdapter[Any] = TypeAdapter(AnyRecord)
    back = adapter.validate_python(record.model_dump(mode="json"))
    assert type(back) is type(record)
    assert back == record
    assert back.id == record.id


@pytest.mark.parametrize("record", samples(), ids=lambda r: type(r).__name__)
def test_node_properties_are_flat(record: Record) -> None:
    props = record.node_properties()
    assert props["id"] == record.id
    assert props["source"] == record.provenance.source
    assert props["raw_hash"] == record.provenance.raw_hash
    assert "provenance" not in props
    for name, value in props.items():
        assert not isinstance(value, dict), name
        if isinstance(value, list):
            assert all(isinstance(v, str | int | float | bool) for v in value), name
