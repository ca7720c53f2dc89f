"""Entities and edges: keys, normalisation, node and edge rows."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

import pytest
from pydantic import BaseModel, ValidationError

from schema.base import PostalAddress
from schema.edges import (
    EDGE_TYPES,
    ENTITY_LABELS,
    Called,
    FoundAt,
    HasPhone,
    Judgement,
    LivesAt,
    Mentions,
    OfficerOf,
    PassengerOn,
    PscOf,
    ResolvesTo,
)
from schema.entities import (
    ENTITY_TYPES,
    Address,
    Airline,
    Airport,
    Company,
    Email,
    Entity,
    Flight,
    IntelReport,
    Location,
    MissingEpisode,
    Person,
    Phone,
    TravelDocument,
    Vehicle,
)
from schema.grading import Sensitivity
from schema.ids import make_id

REC = "rec_person_aaaaaaaaaaaaaaaaaaaaaaaaaa"
M = TypeVar("M", bound=BaseModel)


def ref(name: str) -> str:
    """A well-formed id standing for the node ``name`` ("phone_a": a phone)."""
    prefix, _, suffix = name.rpartition("_")
    return make_id(prefix, suffix)


def build(model: type[M], **data: Any) -> M:
    """Validate from parsed values (text dates, lists), as loaders do."""
    return model.model_validate(data)


def entities() -> list[Entity]:
    return [
        build(Person, seed_record_id=REC, name="Kevin Smith", aliases=("Kev",), dob="1962-07"),
        Company(number="1234567", name="ACME LTD"),
        Phone(e164="+44 7700 900123"),
        Address(text="12 High Street, Leeds", postcode="ls1 1aa"),
        Email(address=" Kevin@Example.COM "),
        Vehicle(vrm="ab12 cde", make="Ford"),
        build(Flight, carrier="BA", number="0123", departure_date="2024-05-01"),
        Airport(iata="lhr", name="Heathrow", country="GB"),
        Airline(designator="ba", name="British Airways"),
        TravelDocument(issuing_country="gbr", number="123 456 789"),
        build(
            IntelReport,
            source="intel",
            report_ref="WY/1",
            reported_on="2024-02-02",
            force="West Yorkshire",
            grading="2B C",
            tags=("csae",),
            text="Seen at the hotel.",
        ),
        build(
            MissingEpisode,
            source="pnc",
            episode_ref="E1",
            reported_at="2024-03-01T22:00:00Z",
            found_at="2024-03-02T10:30:00Z",
        ),
        Location(name="Kirkgate Market", postcode="LS2 7HY", latitude=53.79, longitude=-1.54),
    ]


def test_every_entity_type_has_a_sample() -> None:
    assert [type(e) for e in entities()] == list(ENTITY_TYPES)
    prefixes = [t.id_key.prefix for t in ENTITY_TYPES]
    assert len(set(prefixes)) == len(prefixes)


@pytest.mark.parametrize("entity", entities(), ids=lambda e: type(e).__name__)
def test_node_properties_flat_and_round_trip(entity: Entity) -> None:
    props = entity.node_properties()
    assert props["id"] == entity.id
    assert props["display_name"] == entity.display_name
    for name, value in props.items():
        assert value is None or isinstance(value, str | int | float | bool | list), name
        if isinstance(value, list):
            assert all(isinstance(v, str | int | float | bool) for v in value), name
    back = type(entity).model_validate(props)
    assert back == entity
    assert back.id == entity.id


def test_keys_and_normalisation() -> None:
    assert Phone(e164="+44 7700 900123").id == make_id("phone", "+447700900123")
    assert Phone.entity_id(e164="+447700900123") == Phone(e164="+447700900123").id
    assert Email(address="Kevin@Example.com").address == "kevin@example.com"
    assert Email(address="Kevin@Example.com").id == Email(address="kevin@example.com").id
    assert Email(address="k@example.com").domain == "example.com"
    assert Vehicle(vrm="AB12 CDE").id == Vehicle(vrm="ab12cde").id
    assert Airport(iata="lhr").id == make_id("airport", "LHR")
    assert TravelDocument(issuing_country="GBR", number="123-456").number == "123456"
    # One passport, whichever ISO 3166 form the source wrote its issuing state in.
    assert (
        TravelDocument(issuing_country="gb", number="1").id
        == TravelDocument(issuing_country="GBR", number="1").id
        == make_id("document", "GBR", "1")
    )
    assert TravelDocument(issuing_country="GBD", number="1").issuing_country == "GBD"
    assert [Airline(designator=d).designator_kind for d in ("BA", "U2", "BAW")] == [
        "iata",
        "iata",
        "icao",
    ]
    assert Flight(carrier="BA", number="0123", departure_date=date(2024, 5, 1)).id == make_id(
        "flight", "BA", "123", date(2024, 5, 1)
    )


def test_address_identity_ignores_case_and_punctuation() -> None:
    a = Address(text="12, High St.", postcode="LS11AA")
    b = Address(text="12 HIGH ST", postcode="LS1 1AA")
    assert a.id == b.id
    assert a.match_text == "12 high st"
    assert a.display_name == "12, High St., LS1 1AA"
    assert Address(text="12 High St").id != a.id
    assert Address(text="13 High St", postcode="LS1 1AA").id != a.id


def test_address_from_postal() -> None:
    postal = PostalAddress(lines=("12 High St",), locality="Leeds", postcode="ls11aa")
    a = Address.from_postal(postal, sensitivity=Sensitivity.SECRET)
    assert (a.text, a.postcode, a.sensitivity) == ("12 High St, Leeds", "LS1 1AA", 2)
    assert Address.from_postal(PostalAddress(postcode="LS1 1AA")).text == "LS1 1AA"


def test_company_numbers_by_jurisdiction() -> None:
    assert Company(number="SC12345", name="X").number == "SC012345"
    foreign = Company(jurisdiction="nl", number="12345", name="X BV")
    assert foreign.number == "12345"
    assert foreign.id != Company(number="12345", name="X").id
    with pytest.raises(ValidationError, match="Companies House number"):
        Company(number="1234567890", name="X")


def test_named_entities_search_text() -> None:
    p = Person(seed_record_id=REC, name="Kevin Smith", aliases=("Kev", "K Smith", "Kev"))
    assert p.alias_text == "Kev; K Smith"
    assert p.id == make_id("person", REC)
    assert Location(name="THE PARK").id == Location(name="the park ").id


def test_entity_validation() -> None:
    with pytest.raises(ValidationError, match="not on 2024-05-02"):
        build(
            Flight,
            carrier="BA",
            number="1",
            departure_date="2024-05-02",
            scheduled_departure=datetime(2024, 5, 1, 23, 0, tzinfo=UTC),
        )
    with pytest.raises(ValidationError, match="both latitude and longitude"):
        Location(name="X", latitude=1.0)
    with pytest.raises(ValidationError, match="less than or equal to 90"):
        Location(name="X", latitude=91.0, longitude=0.0)
    with pytest.raises(ValidationError, match="at least 1 character"):
        Person(seed_record_id=REC, name="   ")


def test_derived_properties() -> None:
    report, episode = entities()[10], entities()[11]
    assert isinstance(report, IntelReport)
    assert isinstance(episode, MissingEpisode)
    assert report.csae
    assert report.handling_code == "C"
    assert report.node_properties()["grading"] == "3x5x2:2/B/C"
    assert episode.duration_h == 12.5


def test_an_episode_known_only_to_the_day() -> None:
    day = build(
        MissingEpisode,
        source="pnc",
        episode_ref="E2",
        reported_on="2024-03-01",
        found_at="2024-03-02T10:30:00Z",
    )
    assert (day.reported_at, day.reported_on) == (None, date(2024, 3, 1))
    assert day.duration_h is None  # hours from a day would be made up
    assert day.display_name == "Missing 2024-03-01 (E2)"
    back = MissingEpisode.model_validate(day.node_properties())
    assert back == day
    with pytest.raises(ValidationError, match="reported_at or reported_on, and not both"):
        build(MissingEpisode, source="pnc", episode_ref="E3")
    with pytest.raises(ValidationError, match="reported_at or reported_on, and not both"):
        build(
            MissingEpisode,
            source="pnc",
            episode_ref="E3",
            reported_on="2024-03-01",
            reported_at="2024-03-01T10:00:00Z",
        )
    with pytest.raises(ValidationError, match="found_at or found_on, not both"):
        build(
            MissingEpisode,
            source="pnc",
            episode_ref="E3",
            reported_on="2024-03-01",
            found_on="2024-03-02",
            found_at="2024-03-02T10:00:00Z",
        )


def test_a_report_owned_by_a_unit_alone() -> None:
    report = build(
        IntelReport,
        source="intel",
        report_ref="R/9",
        reported_on="2024-02-02",
        unit="ROCU",
        grading="2B C",
        text="x",
    )
    assert (report.force, report.display_name) == (None, "ROCU R/9 (2024-02-02)")
    with pytest.raises(ValidationError, match="force or the unit"):
        build(
            IntelReport,
            source="intel",
            report_ref="R/9",
            reported_on="2024-02-02",
            grading="2B C",
            text="x",
        )


def test_a_company_can_be_officer_of_a_company() -> None:
    edge = officer_of(start=COMPANY, start_label="Company", end=Company(number="2", name="B").id)
    assert (edge.start_label, edge.end_label) == ("Company", "Company")


# --- edges --------------------------------------------------------------------------------------

PERSON = Person(seed_record_id=REC, name="Kevin Smith").id
COMPANY = Company(number="1234567", name="ACME LTD").id


def officer_of(**over: Any) -> OfficerOf:
    data: dict[str, Any] = {
        "start": PERSON,
        "start_label": "Person",
        "end": COMPANY,
        "record_ids": [ref("rec_officer_b"), ref("rec_officer_a"), ref("rec_officer_b")],
        "role": "Director",
        "appointed_on": "2015-06-01",
    }
    return OfficerOf.model_validate({**data, **over})


def test_edge_single_labels_filled_and_records_sorted() -> None:
    e = officer_of()
    assert e.end_label == "Company"
    assert e.record_ids == tuple(sorted((ref("rec_officer_a"), ref("rec_officer_b"))))
    assert e.role == "director"


def test_edge_ids() -> None:
    e = officer_of()
    assert e.id == make_id("officer_of", PERSON, COMPANY, "director", date(2015, 6, 1))
    assert officer_of(record_ids=[ref("rec_officer_c")], resigned_on="2020-01-01").id == e.id
    assert officer_of(appointed_on="2021-01-01").id != e.id
    assert officer_of(role="secretary").id != e.id
    assert officer_of(appointed_on=None).id == make_id(
        "officer_of", PERSON, COMPANY, "director", None
    )


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"start_label": None}, "give start_label, one of Person, Company"),
        ({"start_label": "Phone"}, "OFFICER_OF cannot start at Phone; allowed: Person, Company"),
        ({"end_label": "Person"}, "cannot end at Person"),
        ({"record_ids": []}, "at least 1 item"),
        ({"record_ids": ["N1"]}, "should match pattern"),
        ({"end": "01234567"}, "should match pattern"),
        ({"resigned_on": "2014-01-01"}, "before it starts"),
        ({"appointment_type": "director"}, "pattern"),
        ({"weight": 1.0}, "Extra inputs"),
    ],
)
def test_edge_invalid(over: dict[str, Any], message: str) -> None:
    data = officer_of().model_dump()
    data.update(over)
    if data["start_label"] is None:
        del data["start_label"]
    with pytest.raises(ValidationError, match=message):
        OfficerOf.model_validate(data)


def test_upsert_row() -> None:
    e = build(LivesAt, start=PERSON, end=ref("address_x"), record_ids=[REC], from_date="2020")
    row = e.upsert_row()
    assert set(row) == {"id", "start", "end", "props"}
    assert row["id"] == e.id
    assert row["start"] == PERSON
    assert row["props"] == {
        "record_ids": [REC],
        "sensitivity": 0,
        "from_date": "2020",
        "to_date": None,
        "conditional": False,
        "see_any": 0,
        "see_plain": 0,
    }


def test_dated_edge_span() -> None:
    with pytest.raises(ValidationError, match="LIVES_AT ends"):
        build(
            LivesAt,
            start=PERSON,
            end=ref("address_a"),
            record_ids=[REC],
            from_date="2021",
            to_date="2020-12",
        )
    # A partial date is a range: "2020" could end after "2020-06-01" started.
    build(
        LivesAt,
        start=PERSON,
        end=ref("address_a"),
        record_ids=[REC],
        from_date="2020-06-01",
        to_date="2020",
    )
    build(HasPhone, start=COMPANY, start_label="Company", end=ref("phone_x"), record_ids=[REC])


def resolves(**over: Any) -> ResolvesTo:
    data: dict[str, Any] = {
        "start": REC,
        "end": PERSON,
        "end_label": "Person",
        "score": 0.93,
        "rule": "fellegi-sunter",
        "rule_version": "1.0",
        "judgement": "positive",
        "decided_by": "resolver",
        "decided_at": "2024-05-01T10:00:00Z",
    }
    return ResolvesTo.model_validate({**data, **over})


def test_resolves_to() -> None:
    r = resolves()
    assert r.start_label == "Record"
    assert r.record_ids == (REC,)
    assert r.judgement is Judgement.POSITIVE
    assert r.id == make_id("resolves_to", REC, PERSON)
    assert resolves(judgement="negative", decided_by="analyst:123").id == r.id
    assert set(ResolvesTo.end_labels) == set(ENTITY_LABELS)


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"score": 1.5}, "less than or equal to 1"),
        ({"score": float("nan")}, "score"),
        ({"judgement": "maybe"}, "judgement"),
        ({"decided_at": "2024-05-01T10:00:00"}, "timezone"),
        ({"end_label": "Record"}, "cannot end at Record"),
    ],
)
def test_resolves_to_invalid(over: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        resolves(**over)


def test_called() -> None:
    c = build(
        Called,
        start=ref("phone_a"),
        end=ref("phone_b"),
        record_ids=[ref("rec_call_1"), ref("rec_call_2")],
        count=2,
        total_duration_s=95,
        first_seen="2024-01-01T09:00:00Z",
        last_seen="2024-01-03T09:00:00+01:00",
    )
    assert c.last_seen == datetime(2024, 1, 3, 8, 0, tzinfo=UTC)
    with pytest.raises(ValidationError, match="before first seen"):
        build(
            Called,
            start=ref("phone_a"),
            end=ref("phone_b"),
            record_ids=[ref("rec_call_1")],
            count=1,
            total_duration_s=0,
            first_seen="2024-01-02T00:00:00Z",
            last_seen="2024-01-01T00:00:00Z",
        )


def test_mentions_span() -> None:
    m = build(
        Mentions,
        start=ref("report_x"),
        end=PERSON,
        end_label="Person",
        record_ids=[ref("rec_intel_x")],
        span_start=10,
        span_end=21,
        matched_text="Kevin Smith",
        extractor="names-v1",
    )
    assert m.id != m.model_copy(update={"span_start": 30, "span_end": 41}).id
    with pytest.raises(ValidationError, match="span 10-20 is 10 characters"):
        build(
            Mentions,
            start=ref("report_x"),
            end=PERSON,
            end_label="Person",
            record_ids=[ref("rec_intel_x")],
            span_start=10,
            span_end=20,
            matched_text="Kevin Smith",
            extractor="names-v1",
        )


def test_other_edges() -> None:
    p = build(
        PscOf,
        start=PERSON,
        start_label="Person",
        end=COMPANY,
        record_ids=[ref("rec_psc_1")],
        natures_of_control=["Ownership-Of-Shares-75-To-100-Percent"],
        notified_on="2016-04-06",
    )
    assert p.natures_of_control == ("ownership-of-shares-75-to-100-percent",)
    on = build(
        PassengerOn,
        start=PERSON,
        end=ref("flight_x"),
        record_ids=[ref("rec_passenger_1")],
        seat="23A",
    )
    assert on.end_label == "Flight"
    with pytest.raises(ValidationError, match="end_label"):
        build(
            FoundAt, start=ref("episode_x"), end=ref("address_x"), record_ids=[ref("rec_missing_1")]
        )
    found = build(
        FoundAt,
        start=ref("episode_x"),
        end=ref("location_x"),
        end_label="Location",
        record_ids=[ref("rec_missing_1")],
    )
    assert found.start_label == "MissingEpisode"


def test_edge_types_distinct() -> None:
    types = [t.rel_type for t in EDGE_TYPES]
    prefixes = [t.id_key.prefix for t in EDGE_TYPES]
    assert len(set(types)) == len(types)
    assert prefixes == [t.lower() for t in types]
    assert all(t.id_key.fields[:2] == ("start", "end") for t in EDGE_TYPES)
