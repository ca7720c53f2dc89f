"""The graph's schema, declared once: node labels, relationship types and their indexes.

``migrations`` turns ``schema_objects()`` into steps and ``graph`` turns each object into its
engine's DDL; nothing else names an index. The declaration is checked twice:

- ``GraphSchema``'s validator checks it against itself: labels and types declared once, every
  node label keyed on a unique ``id`` (kind labels ride on ``Record``'s), every relationship type
  indexed on ``id``, relationship ends among the declared labels, no index that repeats the
  unique constraint, no two objects with one name.
- ``check_against_models`` checks it against the models, at import: every record kind, entity
  and edge model has its label or type here with the same ends, every one here has its model,
  and every indexed property is one the model writes.

Records are nodes labelled ``Record`` plus their kind (``:Record:PersonRecord``). Range indexes
are single-property (FalkorDB's range indexes are). Full-text indexes cover names with their
aliases (``alias_text``, one string: engines index strings, not lists) and report text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, field_validator, model_validator

from schema.base import StrictModel
from schema.edges import EDGE_TYPES, Edge
from schema.entities import ENTITY_TYPES, Entity
from schema.errors import SchemaError
from schema.ids import Keyed
from schema.provenance import PROVENANCE_PROPERTIES
from schema.records import RECORD_TYPES, Record
from schema.resolution import RESOLUTION_TYPES
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec, check_identifier

RECORD_LABEL = "Record"
KEY_PROPERTY = "id"


class NodeDecl(StrictModel):
    """A node label: its unique key, range-indexed properties and full-text properties.

    A kind label (``secondary_of="Record"``) is always set beside its primary label, whose unique
    key it shares; it has no key of its own.
    """

    label: str
    key: str | None = KEY_PROPERTY
    secondary_of: str | None = None
    indexes: tuple[str, ...] = ()
    fulltext: tuple[str, ...] = ()

    @field_validator("label", "key", "secondary_of")
    @classmethod
    def _ident(cls, v: str | None) -> str | None:
        return None if v is None else check_identifier(v)

    @field_validator("indexes", "fulltext")
    @classmethod
    def _idents(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if len(set(v)) != len(v):
            raise ValueError(f"a property is listed twice: {v}")
        return tuple(check_identifier(p) for p in v)

    @model_validator(mode="after")
    def _keyed(self) -> NodeDecl:
        if (self.key is None) == (self.secondary_of is None):
            raise ValueError(
                f"{self.label}: a label has its own unique key or is secondary to one, not both"
            )
        if self.key is not None and self.key in self.indexes:
            raise ValueError(
                f"{self.label}.{self.key} is unique, so already indexed: do not also range-index it"
            )
        return self


class RelDecl(StrictModel):
    """A relationship type: the labels it joins and its range-indexed properties."""

    type: str
    start: tuple[str, ...]
    end: tuple[str, ...]
    indexes: tuple[str, ...] = (KEY_PROPERTY,)

    @field_validator("type")
    @classmethod
    def _ident(cls, v: str) -> str:
        return check_identifier(v)

    @field_validator("start", "end", "indexes")
    @classmethod
    def _idents(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v or len(set(v)) != len(v):
            raise ValueError(f"needs at least one name, each once: {v}")
        return tuple(check_identifier(p) for p in v)

    @model_validator(mode="after")
    def _keyed(self) -> RelDecl:
        # Relationships are upserted by id; engines have no unique constraint on them here.
        if KEY_PROPERTY not in self.indexes:
            raise ValueError(f"{self.type} must be indexed on {KEY_PROPERTY}")
        return self


class GraphSchema(StrictModel):
    nodes: tuple[NodeDecl, ...]
    relationships: tuple[RelDecl, ...]

    @model_validator(mode="after")
    def _consistent(self) -> GraphSchema:
        _once("node label", (n.label for n in self.nodes))
        _once("relationship type", (r.type for r in self.relationships))
        primary = {n.label for n in self.nodes if n.secondary_of is None}
        for n in self.nodes:
            if n.secondary_of is not None and n.secondary_of not in primary:
                raise ValueError(f"{n.label} is secondary to {n.secondary_of}, not a keyed label")
        labels = {n.label for n in self.nodes}
        for r in self.relationships:
            unknown = [x for x in (*r.start, *r.end) if x not in labels]
            if unknown:
                raise ValueError(f"{r.type} joins undeclared labels {unknown}")
        _once("schema object name", (o.name for o in self.schema_objects()))
        return self

    def node(self, label: str) -> NodeDecl:
        for n in self.nodes:
            if n.label == label:
                return n
        raise KeyError(label)

    def relationship(self, rel_type: str) -> RelDecl:
        for r in self.relationships:
            if r.type == rel_type:
                return r
        raise KeyError(rel_type)

    def schema_objects(self) -> tuple[SchemaObject, ...]:
        """Unique constraints, then node range indexes, then relationship range indexes, then
        full-text indexes, each in declaration order (constraints first: on Neo4j a constraint
        owns its index, and creating it after an equivalent index fails)."""
        unique: list[SchemaObject] = [
            UniqueSpec(label=n.label, property=n.key) for n in self.nodes if n.key is not None
        ]
        node_idx: list[SchemaObject] = [
            IndexSpec(entity="node", label=n.label, properties=(p,))
            for n in self.nodes
            for p in n.indexes
        ]
        rel_idx: list[SchemaObject] = [
            IndexSpec(entity="relationship", label=r.type, properties=(p,))
            for r in self.relationships
            for p in r.indexes
        ]
        fulltext: list[SchemaObject] = [
            FullTextSpec(label=n.label, properties=n.fulltext) for n in self.nodes if n.fulltext
        ]
        return (*unique, *node_idx, *rel_idx, *fulltext)


def _once(what: str, names: Iterable[str]) -> None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise ValueError(f"{what} {name!r} is declared twice")
        seen.add(name)


def _entity(label: str, *indexes: str, fulltext: tuple[str, ...] = ()) -> NodeDecl:
    return NodeDecl(label=label, indexes=indexes, fulltext=fulltext)


def _kind(label: str, *indexes: str) -> NodeDecl:
    return NodeDecl(label=label, key=None, secondary_of=RECORD_LABEL, indexes=indexes)


def _rel(model: type[Edge], *indexes: str) -> RelDecl:
    return RelDecl(
        type=model.rel_type,
        start=model.start_labels,
        end=model.end_labels,
        indexes=(KEY_PROPERTY, *indexes),
    )


_NAMES = ("name", "alias_text")
# Relationship types take their ends from the edge models; all are indexed on id, and these on
# more besides (the resolver lists decisions by judgement).
_REL_INDEXES: dict[str, tuple[str, ...]] = {"RESOLVES_TO": ("judgement",)}

GRAPH_SCHEMA = GraphSchema(
    nodes=(
        NodeDecl(label=RECORD_LABEL, indexes=("source", "load_batch", "raw_hash", "kind")),
        _kind("PersonRecord"),
        _kind("MissingEpisodeRecord"),
        _kind("CompanyRecord"),
        _kind("OfficerAppointmentRecord"),
        _kind("PscRecord"),
        _kind("PassengerRecord"),
        _kind("PhoneSubscriberRecord"),
        _kind("CallRecord", "started_at"),
        _kind("IntelReportRecord", "reported_on"),
        _entity("Person", "surname", "dob", fulltext=_NAMES),
        _entity("Company", "number", "name", fulltext=_NAMES),
        _entity("Phone", "e164"),
        _entity("Address", "postcode", fulltext=("text",)),
        _entity("Email", "address"),
        _entity("Vehicle", "vrm"),
        _entity("Flight", "departure_date", "number"),
        _entity("Airport", "iata"),
        _entity("Airline", "designator"),
        _entity("TravelDocument", "number"),
        _entity("IntelReport", "reported_on", "report_ref", "csae", fulltext=("text",)),
        _entity("MissingEpisode", "reported_at", "reported_on"),
        _entity("Location", "postcode", fulltext=_NAMES),
        # Resolution bookkeeping (schema.resolution): decisions listed by pair, runs by time.
        _entity("MatchDecision", "left_id", "right_id"),
        _entity("ResolutionRun", "started_at"),
    ),
    relationships=tuple(_rel(m, *_REL_INDEXES.get(m.rel_type, ())) for m in EDGE_TYPES),
)
"""Clew's graph schema."""


# --- the declaration against the models ---------------------------------------------------------


def _properties(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields) | set(model.model_computed_fields)


def _record_properties() -> set[str]:
    # Record.node_properties: the id, the kind and the provenance, on every record node.
    return {KEY_PROPERTY, "kind", *PROVENANCE_PROPERTIES}


def _concrete(base: type[Keyed]) -> set[type[Any]]:
    found: set[type[Any]] = set()
    stack: list[type[Any]] = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if "id_key" in cls.__dict__:
            found.add(cls)
    return found


def _label(model: type[Keyed]) -> str:
    label = getattr(model, "label", None)
    if not isinstance(label, str):
        raise SchemaError(f"{model.__name__} is a bookkeeping node model without a label")
    return label


def check_against_models(schema: GraphSchema) -> None:
    """Raise ``SchemaError`` where ``schema`` and the record, entity and edge models disagree."""
    problems: list[str] = []
    for base, registry in (
        (Record, RECORD_TYPES),
        (Entity, ENTITY_TYPES),
        (Edge, EDGE_TYPES),
    ):
        missing = _concrete(base) - set(registry)
        problems += [f"{m.__name__} is not listed in its module's registry" for m in missing]

    expected: dict[str, tuple[set[str], str | None]] = {RECORD_LABEL: (_record_properties(), None)}
    expected.update({m.label: (_properties(m), RECORD_LABEL) for m in RECORD_TYPES})
    expected.update({m.label: (_properties(m), None) for m in ENTITY_TYPES})
    expected.update({_label(m): (_properties(m), None) for m in RESOLUTION_TYPES})
    declared = {n.label: n for n in schema.nodes}
    for label in sorted(expected.keys() - declared.keys()):
        problems.append(f"label {label} has a model but no declaration")
    for label in sorted(declared.keys() - expected.keys()):
        problems.append(f"label {label} is declared but has no model")
    for label, (props, secondary_of) in expected.items():
        decl = declared.get(label)
        if decl is None:
            continue
        if decl.secondary_of != secondary_of:
            problems.append(f"{label} should be secondary to {secondary_of}")
        for p in (*decl.indexes, *decl.fulltext):
            if p not in props:
                problems.append(f"{label}.{p} is indexed but the model has no such property")

    rels = {r.type: r for r in schema.relationships}
    models = {m.rel_type: m for m in EDGE_TYPES}
    for t in sorted(models.keys() - rels.keys()):
        problems.append(f"relationship {t} has a model but no declaration")
    for t in sorted(rels.keys() - models.keys()):
        problems.append(f"relationship {t} is declared but has no model")
    for t, model in models.items():
        rel = rels.get(t)
        if rel is None:
            continue
        if (rel.start, rel.end) != (model.start_labels, model.end_labels):
            problems.append(f"{t} joins {rel.start}->{rel.end}, its model says otherwise")
        props = _properties(model)
        problems += [
            f"{t}.{p} is indexed but not a property" for p in rel.indexes if p not in props
        ]

    if problems:
        raise SchemaError("graph schema and models disagree: " + "; ".join(problems))


check_against_models(GRAPH_SCHEMA)


def schema_objects() -> tuple[SchemaObject, ...]:
    """Every index, unique constraint and full-text index Clew's graph has, in creation order."""
    return GRAPH_SCHEMA.schema_objects()


def node_labels() -> tuple[str, ...]:
    return tuple(n.label for n in GRAPH_SCHEMA.nodes)


def relationship_types() -> tuple[str, ...]:
    return tuple(r.type for r in GRAPH_SCHEMA.relationships)
