"""The graph schema declaration: its objects, their order, and its agreement with the models."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from schema.edges import EDGE_TYPES
from schema.entities import ENTITY_TYPES
from schema.errors import SchemaError
from schema.graph_schema import (
    GRAPH_SCHEMA,
    GraphSchema,
    NodeDecl,
    RelDecl,
    check_against_models,
    node_labels,
    relationship_types,
    schema_objects,
)
from schema.records import RECORD_TYPES
from schema.resolution import RESOLUTION_TYPES
from schema.specs import FullTextSpec, IndexSpec, UniqueSpec


def test_labels_and_types_cover_the_models() -> None:
    labels = node_labels()
    assert labels[0] == "Record"
    assert set(labels) == {"Record"} | {t.label for t in RECORD_TYPES} | {
        t.label for t in ENTITY_TYPES
    } | {t.label for t in RESOLUTION_TYPES}
    assert relationship_types() == tuple(t.rel_type for t in EDGE_TYPES)


def test_unique_ids() -> None:
    uniques = [o for o in schema_objects() if isinstance(o, UniqueSpec)]
    assert {(u.label, u.property) for u in uniques} == {("Record", "id")} | {
        (t.label, "id") for t in (*ENTITY_TYPES, *RESOLUTION_TYPES)
    }
    # Kind labels share Record's key.
    assert GRAPH_SCHEMA.node("PersonRecord").key is None
    assert GRAPH_SCHEMA.node("PersonRecord").secondary_of == "Record"


def test_every_relationship_type_indexed_on_id() -> None:
    rel_index = {
        o.label
        for o in schema_objects()
        if isinstance(o, IndexSpec) and o.entity == "relationship" and o.properties == ("id",)
    }
    assert rel_index == set(relationship_types())


def test_expected_indexes_present() -> None:
    names = {o.name for o in schema_objects()}
    for name in (
        "idx_record_source",
        "idx_record_raw_hash",
        "idx_person_dob",
        "idx_phone_e164",
        "idx_company_number",
        "idx_address_postcode",
        "idx_flight_departure_date",
        "idx_intelreport_reported_on",
        "ft_person",
        "ft_company",
        "ft_intelreport",
        "ridx_called_id",
    ):
        assert name in names
    ft = {o.label: o.properties for o in schema_objects() if isinstance(o, FullTextSpec)}
    assert ft["Person"] == ("name", "alias_text")
    assert ft["IntelReport"] == ("text",)


def test_order_is_stable_and_grouped() -> None:
    objs = schema_objects()
    assert objs == schema_objects()
    assert objs[0] == UniqueSpec(label="Record", property="id")

    def group(o: object) -> int:
        if isinstance(o, UniqueSpec):
            return 0
        if isinstance(o, IndexSpec):
            return 1 if o.entity == "node" else 2
        return 3

    groups = [group(o) for o in objs]
    assert groups == sorted(groups)
    names = [o.name for o in objs]
    assert len(names) == len(set(names))
    assert len(objs) == len(set(objs))


def _replace_node(label: str, decl: NodeDecl) -> GraphSchema:
    nodes = tuple(decl if n.label == label else n for n in GRAPH_SCHEMA.nodes)
    return GRAPH_SCHEMA.model_copy(update={"nodes": nodes})


def test_models_check_passes_for_the_declaration() -> None:
    check_against_models(GRAPH_SCHEMA)


def test_models_check_catches_an_unknown_indexed_property() -> None:
    schema = _replace_node("Phone", NodeDecl(label="Phone", indexes=("e164", "colour")))
    with pytest.raises(SchemaError, match=r"Phone\.colour is indexed"):
        check_against_models(schema)


def test_models_check_catches_a_missing_label() -> None:
    nodes = tuple(n for n in GRAPH_SCHEMA.nodes if n.label != "PscRecord")
    schema = GraphSchema(nodes=nodes, relationships=GRAPH_SCHEMA.relationships)
    with pytest.raises(SchemaError, match="label PscRecord has a model but no declaration"):
        check_against_models(schema)


def test_models_check_catches_extra_and_missing_relationships() -> None:
    rels = (
        *(r for r in GRAPH_SCHEMA.relationships if r.type != "CALLED"),
        RelDecl(type="KNOWS", start=("Person",), end=("Person",)),
    )
    schema = GraphSchema(nodes=GRAPH_SCHEMA.nodes, relationships=rels)
    with pytest.raises(SchemaError, match="CALLED has a model") as info:
        check_against_models(schema)
    assert "KNOWS is declared but has no model" in str(info.value)


def test_models_check_catches_wrong_ends() -> None:
    rels = tuple(
        RelDecl(type="CALLED", start=("Phone",), end=("Person",)) if r.type == "CALLED" else r
        for r in GRAPH_SCHEMA.relationships
    )
    schema = GraphSchema(nodes=GRAPH_SCHEMA.nodes, relationships=rels)
    with pytest.raises(SchemaError, match="CALLED joins"):
        check_against_models(schema)


def test_models_check_catches_a_kind_label_with_its_own_key() -> None:
    schema = _replace_node("CallRecord", NodeDecl(label="CallRecord"))
    with pytest.raises(SchemaError, match="CallRecord should be secondary to Record"):
        check_against_models(schema)


@pytest.mark.parametrize(
    ("nodes", "rels", "message"),
    [
        (
            (NodeDecl(label="A"), NodeDecl(label="A")),
            (),
            "node label 'A' is declared twice",
        ),
        (
            (NodeDecl(label="A"),),
            (RelDecl(type="R", start=("A",), end=("B",)),),
            r"R joins undeclared labels \['B'\]",
        ),
        (
            (NodeDecl(label="A"),),
            (
                RelDecl(type="R", start=("A",), end=("A",)),
                RelDecl(type="R", start=("A",), end=("A",)),
            ),
            "relationship type 'R' is declared twice",
        ),
        (
            (NodeDecl(label="K", key=None, secondary_of="Nope"),),
            (),
            "K is secondary to Nope",
        ),
    ],
)
def test_schema_structure_errors(
    nodes: tuple[NodeDecl, ...], rels: tuple[RelDecl, ...], message: str
) -> None:
    with pytest.raises(ValidationError, match=message):
        GraphSchema(nodes=nodes, relationships=rels)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"label": "A", "indexes": ("id",)}, "already indexed"),
        ({"label": "A", "indexes": ("x", "x")}, "listed twice"),
        ({"label": "A", "key": None}, "own unique key or is secondary"),
        ({"label": "A-B"}, "plain identifier"),
    ],
)
def test_node_decl_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        NodeDecl.model_validate(kwargs)


def test_rel_decl_needs_id_index() -> None:
    with pytest.raises(ValidationError, match="must be indexed on id"):
        RelDecl(type="R", start=("A",), end=("A",), indexes=("since",))
