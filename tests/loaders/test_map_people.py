"""What people, missing-episode, subscriber and call records write: entities and links."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from loaders.entities import MAPPING_VERSION, GraphWrites
from loaders.map_people import call_writes, missing_writes, person_writes, subscriber_writes
from loaders.people import MissingEpisodeReader, PeopleReader
from loaders.phones import CallReader, SubscriberReader
from loaders.reading import LoadContext, Parsed, Reader
from schema.edges import FoundAt, Judgement, RefersTo, ResolvesTo
from schema.entities import Address, Email, Location, MissingEpisode, Phone
from schema.grading import Sensitivity
from schema.records import (
    CallRecord,
    MissingEpisodeRecord,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
)

LOADED = datetime(2026, 1, 1, tzinfo=UTC)
CONTEXT = LoadContext(
    source="pnc", load_batch="b1", loaded_at=LOADED, sensitivity=Sensitivity.OFFICIAL_SENSITIVE
)


def records(reader: Reader, path: Path, text: str) -> list[Record]:
    path.write_text(text, encoding="utf-8")
    results = list(reader.read(path, CONTEXT))
    assert all(isinstance(r, Parsed) for r in results), results
    return [rec for r in results if isinstance(r, Parsed) for rec in r.records]


def links(writes: GraphWrites) -> list[tuple[str, str, str, str]]:
    """(start, role, end, end label) of each REFERS_TO."""
    return [(e.start, e.role, e.end, e.end_label) for e in writes.edges if isinstance(e, RefersTo)]


def assert_asserted_by(writes: GraphWrites, record: Record) -> None:
    for edge in writes.edges:
        assert edge.record_ids == (record.id,)
        assert edge.sensitivity is record.sensitivity is Sensitivity.OFFICIAL_SENSITIVE
    for entity in writes.all_entities:
        assert entity.sensitivity is record.sensitivity


def test_person_names_phones_emails_addresses_and_no_person(tmp_path: Path) -> None:
    (p,) = records(
        PeopleReader(),
        tmp_path / "people.csv",
        "nominal_ref,surname,forenames,address,town,postcode,phones,emails\n"
        'N1,SMITH,John,"12 High St, Flat 2",Leeds,ls11ab,07700 900123|+442079460000,J@X.COM\n',
    )
    assert isinstance(p, PersonRecord)
    writes = person_writes(p)
    phone1 = Phone.entity_id(e164="+447700900123")
    phone2 = Phone.entity_id(e164="+442079460000")
    email = Email.entity_id(address="j@x.com")
    address = Address.entity_id(match_text="12 high st flat 2 leeds", postcode="LS1 1AB")
    assert writes.entities == []  # no Person: the record only names what it holds
    assert [e.id for e in writes.all_entities] == [phone1, phone2, email, address]
    assert [e.label for e in writes.all_entities] == ["Phone", "Phone", "Email", "Address"]
    addr = writes.all_entities[3]
    assert isinstance(addr, Address)
    assert (addr.text, addr.postcode) == ("12 High St, Flat 2, Leeds", "LS1 1AB")
    assert links(writes) == [
        (p.id, "phone", phone1, "Phone"),
        (p.id, "phone", phone2, "Phone"),
        (p.id, "email", email, "Email"),
        (p.id, "address", address, "Address"),
    ]
    assert all(isinstance(e, RefersTo) for e in writes.edges)
    assert_asserted_by(writes, p)


def test_a_person_with_nothing_keyed_writes_nothing(tmp_path: Path) -> None:
    (p,) = records(PeopleReader(), tmp_path / "p.csv", "nominal_ref,surname\nN2,JONES\n")
    assert isinstance(p, PersonRecord)
    writes = person_writes(p)
    assert (writes.all_entities, writes.edges) == ([], [])


def episodes(tmp_path: Path) -> list[MissingEpisodeRecord]:
    rows = records(
        MissingEpisodeReader(),
        tmp_path / "missing.csv",
        "episode_ref,child_ref,reported_at,found_at,where_found,found_address,found_town,"
        "found_postcode\n"
        "E1,N1,2020-04-03T22:00:00+01:00,2020-04-05T09:30:00Z,friend's flat,"
        '"Flat 3, 1 Low Rd",Leeds,LS2 7AA\n'
        "E2,N1,2020-05-01T10:00:00Z,2020-05-02T10:00:00Z,Leeds bus station,,,\n"
        "E3,N1,2020-06-01T10:00:00Z,,,,,\n",
    )
    assert all(isinstance(r, MissingEpisodeRecord) for r in rows)
    return [r for r in rows if isinstance(r, MissingEpisodeRecord)]


def test_missing_episode_found_at_an_address(tmp_path: Path) -> None:
    e1 = episodes(tmp_path)[0]
    writes = missing_writes(e1)
    episode_id = MissingEpisode.entity_id(source="pnc", episode_ref="E1")
    address = Address.entity_id(match_text="flat 3 1 low rd leeds", postcode="LS2 7AA")
    assert [(e.label, e.id) for e in writes.all_entities] == [
        ("MissingEpisode", episode_id),
        ("Address", address),
    ]
    assert [e.label for e in writes.entities] == ["MissingEpisode"]  # described
    episode = writes.all_entities[0]
    assert isinstance(episode, MissingEpisode)
    assert episode.reported_at == datetime(2020, 4, 3, 21, tzinfo=UTC)
    assert episode.found_at == datetime(2020, 4, 5, 9, 30, tzinfo=UTC)
    assert episode.where_found == "friend's flat"

    resolves, _refers, found = writes.edges
    assert isinstance(resolves, ResolvesTo)
    assert (resolves.start, resolves.end, resolves.end_label) == (
        e1.id,
        episode_id,
        "MissingEpisode",
    )
    assert (resolves.rule, resolves.rule_version, resolves.score) == (
        "key:episode_ref",
        MAPPING_VERSION,
        1.0,
    )
    assert (resolves.judgement, resolves.decided_by, resolves.decided_at) == (
        Judgement.POSITIVE,
        "loader",
        LOADED,
    )
    assert links(writes) == [(e1.id, "found_at", address, "Address")]
    assert writes.called_pairs == []
    assert isinstance(found, FoundAt)
    assert (found.start, found.start_label, found.end, found.end_label) == (
        episode_id,
        "MissingEpisode",
        address,
        "Address",
    )
    assert found.id == FoundAt.id_key.id_for({"start": episode_id, "end": address})
    assert_asserted_by(writes, e1)


def test_a_day_without_a_time_stays_a_day_on_the_episode(tmp_path: Path) -> None:
    (record,) = records(
        MissingEpisodeReader(),
        tmp_path / "missing.csv",
        "episode_ref,child_ref,reported_at,found_at\nE9,N1,2020-04-03,2020-04-05T09:30:00Z\n",
    )
    assert isinstance(record, MissingEpisodeRecord)
    episode = missing_writes(record).all_entities[0]
    assert isinstance(episode, MissingEpisode)
    assert (episode.reported_at, episode.reported_on) == (None, date(2020, 4, 3))
    assert (episode.found_at, episode.found_on) == (datetime(2020, 4, 5, 9, 30, tzinfo=UTC), None)
    assert episode.duration_h is None  # a day-only end has no hours to count
    assert episode.display_name == "Missing 2020-04-03 (E9)"
    props = episode.node_properties()
    assert (props["reported_at"], props["reported_on"]) == (None, "2020-04-03")


def test_missing_episode_found_at_a_named_place_or_nowhere_said(tmp_path: Path) -> None:
    _, e2, e3 = episodes(tmp_path)
    writes = missing_writes(e2)
    location = Location.entity_id(name="leeds bus station", postcode=None)
    assert [(e.label, e.id) for e in writes.all_entities] == [
        ("MissingEpisode", MissingEpisode.entity_id(source="pnc", episode_ref="E2")),
        ("Location", location),
    ]
    assert links(writes) == [(e2.id, "found_at", location, "Location")]
    found = writes.edges[-1]
    assert isinstance(found, FoundAt)
    assert (found.end, found.end_label) == (location, "Location")
    assert_asserted_by(writes, e2)

    bare = missing_writes(e3)
    assert [e.label for e in bare.all_entities] == ["MissingEpisode"]
    assert [type(e) for e in bare.edges] == [ResolvesTo]


def test_subscriber_names_its_number_and_address(tmp_path: Path) -> None:
    s1, s2 = records(
        SubscriberReader(),
        tmp_path / "subs.csv",
        "number,subscriber_name,address,town,postcode,network\n"
        '07700 900123,J SMITH,"12 High St",Leeds,LS1 1AB,EE\n'
        "+447700900124,,,,,\n",
    )
    assert isinstance(s1, PhoneSubscriberRecord)
    assert isinstance(s2, PhoneSubscriberRecord)
    phone = Phone.entity_id(e164="+447700900123")
    address = Address.entity_id(match_text="12 high st leeds", postcode="LS1 1AB")
    writes = subscriber_writes(s1)
    assert [(e.label, e.id) for e in writes.all_entities] == [
        ("Phone", phone),
        ("Address", address),
    ]
    assert isinstance(writes.all_entities[0], Phone)
    assert writes.all_entities[0].network == "EE"
    assert links(writes) == [
        (s1.id, "subscribed_number", phone, "Phone"),
        (s1.id, "address", address, "Address"),
    ]
    assert_asserted_by(writes, s1)

    only = subscriber_writes(s2)
    assert links(only) == [
        (s2.id, "subscribed_number", Phone.entity_id(e164="+447700900124"), "Phone")
    ]


def test_call_names_both_parties_and_writes_no_called_edge(tmp_path: Path) -> None:
    c1, c2 = records(
        CallReader(undated_at=datetime(2013, 9, 1, tzinfo=UTC)),
        tmp_path / "calls.csv",
        "a_number,b_number,start,duration_s\n"
        "07700 900001,07700900002,2024-03-01T09:00:00Z,30\n"
        "07700 900001,07700900001,,0\n",
    )
    assert isinstance(c1, CallRecord)
    assert isinstance(c2, CallRecord)
    a = Phone.entity_id(e164="+447700900001")
    b = Phone.entity_id(e164="+447700900002")
    writes = call_writes(c1)
    assert [e.id for e in writes.referenced] == [a, b]
    assert writes.called_pairs == [(a, b)]
    assert links(writes) == [(c1.id, "a_party", a, "Phone"), (c1.id, "b_party", b, "Phone")]
    assert all(isinstance(e, RefersTo) for e in writes.edges)
    assert_asserted_by(writes, c1)

    # a call to oneself: two links to one phone, told apart by role
    own = call_writes(c2)
    assert not c2.started_at_known
    assert links(own) == [(c2.id, "a_party", a, "Phone"), (c2.id, "b_party", a, "Phone")]
    assert own.edges[0].id != own.edges[1].id
    assert own.called_pairs == [(a, a)]
