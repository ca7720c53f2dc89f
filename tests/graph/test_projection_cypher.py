"""Text of the projection builders (graph.projection_cypher), for both engines' dialects."""

from __future__ import annotations

import pytest

from graph.dialect import FalkorDialect, Neo4jDialect
from graph.projection import ProjectionSpec
from graph.projection_cypher import (
    edge_params,
    first_label,
    projection_edges,
    projection_nodes,
    window_params,
)

SPEC = ProjectionSpec(node_labels=("Person", "Company"), relationship_types=("CALLED", "PSC_OF"))
WEIGHTED = ProjectionSpec(
    node_labels=("Person",), relationship_types=("CALLED",), weight_property="calls"
)


def test_first_label_is_the_specs_order_not_the_engines() -> None:
    assert (
        first_label("n", ("Person", "Company"))
        == "head([x IN ['Person', 'Company'] WHERE x IN labels(n)])"
    )


def test_first_label_refuses_a_non_identifier() -> None:
    with pytest.raises(ValueError, match="plain identifier"):
        first_label("n", ("Person']) //",))


def test_nodes_streamed_on_neo4j() -> None:
    assert projection_nodes(SPEC, Neo4jDialect(), windowed=False) == (
        "MATCH (n) WHERE (n:Person OR n:Company) "
        "RETURN elementId(n) AS internal_id, n.id AS id, "
        "head([x IN ['Person', 'Company'] WHERE x IN labels(n)]) AS label"
    )


def test_nodes_windowed_on_falkordb() -> None:
    assert projection_nodes(SPEC, FalkorDialect(), windowed=True) == (
        "MATCH (n) WHERE id(n) >= $lo AND id(n) < $hi AND (n:Person OR n:Company) "
        "RETURN id(n) AS internal_id, n.id AS id, "
        "head([x IN ['Person', 'Company'] WHERE x IN labels(n)]) AS label"
    )


def test_edges_streamed_on_neo4j_with_the_default_weight() -> None:
    assert projection_edges(SPEC, Neo4jDialect(), windowed=False) == (
        "MATCH (a) WHERE (a:Person OR a:Company) "
        "MATCH (a)-[r]->(b) WHERE type(r) IN ['CALLED', 'PSC_OF'] "
        "AND (b:Person OR b:Company) "
        "RETURN elementId(a) AS source, elementId(b) AS target, type(r) AS type, "
        "$default_weight AS weight"
    )


def test_edges_windowed_on_the_start_node_with_a_weight_property() -> None:
    assert projection_edges(WEIGHTED, FalkorDialect(), windowed=True) == (
        "MATCH (a) WHERE id(a) >= $lo AND id(a) < $hi AND (a:Person) "
        "MATCH (a)-[r]->(b) WHERE type(r) IN ['CALLED'] AND (b:Person) "
        "RETURN id(a) AS source, id(b) AS target, type(r) AS type, "
        "coalesce(toFloat(r.calls), $default_weight) AS weight"
    )


def test_edge_params_carry_the_default_weight() -> None:
    spec = SPEC.model_copy(update={"default_weight": 2})
    assert edge_params(spec) == {"default_weight": 2.0}
    assert isinstance(edge_params(spec)["default_weight"], float)


@pytest.mark.parametrize("bad", [float("inf"), float("nan")])
def test_edge_params_refuse_a_non_finite_default(bad: float) -> None:
    spec = ProjectionSpec(
        node_labels=("Person",), relationship_types=("CALLED",), default_weight=bad
    )
    with pytest.raises(ValueError, match="finite"):
        edge_params(spec)


def test_window_params() -> None:
    assert window_params(0, 100) == {"lo": 0, "hi": 100}
    with pytest.raises(ValueError, match="empty"):
        window_params(5, 5)
