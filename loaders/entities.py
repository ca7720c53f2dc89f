"""From records to what they say about keyed entities: the graph writes a load makes.

A record describes something, and names other things in its fields. At load time Clew writes
what follows from the record alone, without judging who is who:

- entities with a natural key, merged on their deterministic id: Company (number), Phone
  (E.164), Email, Address, Flight, TravelDocument, Vehicle, IntelReport, MissingEpisode...;
- ``RESOLVES_TO`` from a record to the keyed entity it describes (a company record to its
  Company), rule ``key:<field>``, score 1, decided by the loader: a key match is not a judgement;
- ``REFERS_TO`` from a record to each keyed entity it names, with the field as ``role``
  (a nominal's phone, an appointment's company);
- relationships between keyed entities that the record asserts (a company REGISTERED_AT its
  address, a flight DEPARTS_FROM an airport, a report MENTIONS a phone, phones that CALLED),
  each carrying the ids of the records behind it, accumulated across loads.

People have no natural key: records that describe a person get no Person here. Entity
resolution (``algorithms``) builds people from records, reading their REFERS_TO links, and
derives their relationships (HAS_PHONE, LIVES_AT, OFFICER_OF...) with the records behind each.

Every derived edge carries the sensitivity of the record that asserts it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Final, TypeVar

from schema.edges import Edge, Judgement, RefersTo, ResolvesTo
from schema.entities import Entity, Phone
from schema.grading import Sensitivity
from schema.records import Record

MAPPING_VERSION: Final = "load-1"
"""Names the rules below on the RESOLVES_TO links they write; change it when they change."""


@dataclass
class GraphWrites:
    """What one record adds to the graph besides its own node."""

    entities: list[Entity] = field(default_factory=list)
    """Entities the record describes: their known values are written (absent ones erase none)."""
    referenced: list[Entity] = field(default_factory=list)
    """Entities the record only names: created when missing, never updated (an appointment's
    company number says nothing about the company's name or status)."""
    edges: list[Edge] = field(default_factory=list)
    called_pairs: list[tuple[str, str]] = field(default_factory=list)
    """Phone-id pairs whose CALLED relationship is recomputed from their call records after
    the batch (aggregates are derived, never accumulated, so reloads cannot double count)."""

    @property
    def all_entities(self) -> list[Entity]:
        """Described, then named."""
        return [*self.entities, *self.referenced]

    def add(self, other: GraphWrites) -> GraphWrites:
        self.entities += other.entities
        self.referenced += other.referenced
        self.edges += other.edges
        self.called_pairs += other.called_pairs
        return self


# Every record writes one or more of the links below, so they are the hottest models of a load.
# Their inputs are already validated (the record, the entity, a role from the mapping code): the
# links are built with ``Keyed.trusted``, which skips checking them again (their ids are still
# derived from their key fields). tests/loaders/test_entities.py proves each equals
# the validated model.


def refers(record: Record, entity: Entity, role: str) -> RefersTo:
    """``record -[:REFERS_TO {role}]-> entity``."""
    return RefersTo.trusted(
        start=record.id,
        start_label="Record",
        end=entity.id,
        end_label=entity.label,
        role=role,
        record_ids=(record.id,),
        sensitivity=record.sensitivity,
        conditional=record.conditional,
    )


E = TypeVar("E", bound=Edge)


def asserted(edge_type: type[E], start: Entity, end: Entity, record: Record) -> E:
    """``start -[edge_type]-> end``, asserted by ``record`` alone (built as the links above)."""
    return edge_type.trusted(
        start=start.id,
        start_label=start.label,
        end=end.id,
        end_label=end.label,
        record_ids=(record.id,),
        sensitivity=record.sensitivity,
        conditional=record.conditional,
    )


# A calls file or a flight's passenger list names the same numbers thousands of times over;
# entities are immutable, so one model per number, network and sensitivity serves them all.
@functools.lru_cache(maxsize=1 << 16)
def phone_entity(e164: str, sensitivity: Sensitivity, network: str | None = None) -> Phone:
    """The Phone entity for ``e164`` (validated once per distinct value)."""
    return Phone(e164=e164, network=network, sensitivity=sensitivity)


def resolves(record: Record, entity: Entity, key_field: str) -> ResolvesTo:
    """``record -[:RESOLVES_TO]-> entity`` by its natural key."""
    return ResolvesTo.trusted(
        start=record.id,
        start_label="Record",
        end=entity.id,
        end_label=entity.label,
        score=1.0,
        rule=f"key:{key_field}",
        rule_version=MAPPING_VERSION,
        judgement=Judgement.POSITIVE,
        decided_by="loader",
        decided_at=record.provenance.loaded_at,
        record_ids=(record.id,),
        sensitivity=record.sensitivity,
        conditional=record.conditional,
    )


def described(record: Record, entity: Entity, key_field: str) -> GraphWrites:
    """The record describes ``entity``: the entity and the RESOLVES_TO link."""
    return GraphWrites(entities=[entity], edges=[resolves(record, entity, key_field)])


def named(record: Record, entity: Entity, role: str) -> GraphWrites:
    """The record names ``entity`` in its field ``role``: the entity (created if missing) and
    the REFERS_TO link."""
    return GraphWrites(referenced=[entity], edges=[refers(record, entity, role)])
