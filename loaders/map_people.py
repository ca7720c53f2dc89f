"""What people, missing-episode, subscriber and call records write besides their own nodes.

Pure functions ``(record) -> GraphWrites`` following ``loaders.entities``: keyed entities, the
``REFERS_TO`` link from the record to each entity it names (``role`` is the field), the
``RESOLVES_TO`` link to the entity a record describes, and the relationships between keyed
entities a record asserts. No ``Person`` is written here: entity resolution builds people from
the records and their ``REFERS_TO`` links.

Roles written:

=========================  =====================================================================
record                     roles
=========================  =====================================================================
``PersonRecord``           ``phone``, ``email``, ``address``
``MissingEpisodeRecord``   ``found_at`` (and ``RESOLVES_TO`` its ``MissingEpisode``, rule
                           ``key:episode_ref``; a day given without a time stays a day on
                           the episode, ``reported_on``/``found_on``)
``PhoneSubscriberRecord``  ``subscribed_number``, ``address``
``CallRecord``             ``a_party``, ``b_party``
=========================  =====================================================================

Entities carry the sensitivity of the record that names them (named entities are created when
missing, never updated: the first record to name one sets it). ``CALLED`` edges are not written
per call: a call adds its phone pair to ``called_pairs`` and ``graph.called.refresh_called``
recomputes the edge from the call records' ``a_party`` and ``b_party`` links.
"""

from __future__ import annotations

from loaders.entities import GraphWrites, described, named, phone_entity
from schema.base import PostalAddress
from schema.edges import FoundAt
from schema.entities import Address, Email, Entity, Location, MissingEpisode, Phone
from schema.grading import Sensitivity
from schema.records import (
    CallRecord,
    MissingEpisodeRecord,
    PersonRecord,
    PhoneSubscriberRecord,
    Record,
)


def _address(address: PostalAddress, sensitivity: Sensitivity) -> Address:
    return Address.from_postal(address, sensitivity=sensitivity)


def _phone(e164: str, record: Record, network: str | None = None) -> Phone:
    return phone_entity(e164, record.sensitivity, network)


def person_writes(record: PersonRecord) -> GraphWrites:
    """A nominal's phones, e-mails and addresses, each named by the record."""
    out = GraphWrites()
    for number in record.phones:
        out.add(named(record, _phone(number, record), "phone"))
    for email in record.emails:
        out.add(named(record, Email(address=email, sensitivity=record.sensitivity), "email"))
    for address in record.addresses:
        out.add(named(record, _address(address, record.sensitivity), "address"))
    return out


def found_place(record: MissingEpisodeRecord) -> Address | Location | None:
    """Where the child was found, as a keyed entity: the found address when the source gives
    one (its wording stays on the episode's ``where_found``), else a ``Location`` named by the
    source's wording; None when the source says neither."""
    if record.found_address is not None:
        return _address(record.found_address, record.sensitivity)
    if record.where_found is not None:
        return Location(name=record.where_found, sensitivity=record.sensitivity)
    return None


def missing_writes(record: MissingEpisodeRecord) -> GraphWrites:
    """The episode the record describes and, when the source says, where the child was found:
    ``REFERS_TO {role: "found_at"}`` and ``FOUND_AT`` from the episode to the place."""
    episode = MissingEpisode(
        source=record.provenance.source,
        episode_ref=record.episode_ref,
        reported_at=record.reported_at,
        reported_on=record.reported_on,
        found_at=record.found_at,
        found_on=record.found_on,
        where_found=record.where_found,
        sensitivity=record.sensitivity,
    )
    out = described(record, episode, "episode_ref")
    place = found_place(record)
    if place is not None:
        out.add(named(record, place, "found_at"))
        out.edges.append(_found_at(record, episode, place))
    return out


def _found_at(record: Record, episode: MissingEpisode, place: Entity) -> FoundAt:
    return FoundAt(
        start=episode.id,
        end=place.id,
        end_label=place.label,
        record_ids=(record.id,),
        sensitivity=record.sensitivity,
        conditional=record.conditional,
    )


def subscriber_writes(record: PhoneSubscriberRecord) -> GraphWrites:
    """The subscribed number (with the provider's network) and the subscriber's address."""
    out = named(record, _phone(record.number, record, record.network), "subscribed_number")
    if record.address is not None:
        out.add(named(record, _address(record.address, record.sensitivity), "address"))
    return out


def call_writes(record: CallRecord) -> GraphWrites:
    """The calling and called phones, and their pair in ``called_pairs``: ``CALLED`` is
    recomputed from these links after the batch (``graph.called.refresh_called``), never
    written per call."""
    a, b = _phone(record.a_number, record), _phone(record.b_number, record)
    out = named(record, a, "a_party").add(named(record, b, "b_party"))
    out.called_pairs.append((a.id, b.id))
    return out
