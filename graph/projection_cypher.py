"""Cypher for projections (``graph.projection``), as pure builders both engines share.

Each builder returns the text of one query; the engine-internal id comes from the dialect
(``id(n)`` on FalkorDB, ``elementId(n)`` on Neo4j). Two shapes of each query:

- streamed (``windowed=False``): one query for the whole projection, which the driver streams
  record by record (Neo4j; its element ids are strings and cannot be windowed);
- windowed (``windowed=True``): restricted to the integer id window ``$lo <= id < $hi`` of the node
  (for edges: of the start node), one query per window (FalkorDB, where a reply is materialised
  whole and small replies keep the server responsive).

Parameters: ``$default_weight`` for edges (see ``edge_params``), ``$lo`` and ``$hi`` when
windowed. Labels and types are spliced in as literals after being checked as identifiers.

Columns: nodes ``internal_id, id, label``; edges ``source, target, type, weight``.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from graph.cypher import label_filter, type_filter
from graph.projection import ProjectionSpec
from schema.specs import check_identifier


class _InternalId(Protocol):
    # The one thing these builders need of a dialect (graph.dialect.Dialect has it).
    def internal_id(self, variable: str) -> str: ...


def _window(expr: str) -> str:
    return f"{expr} >= $lo AND {expr} < $hi"


def first_label(variable: str, labels: tuple[str, ...]) -> str:
    """The first of ``labels`` (in the spec's order) that the node has.

    Not ``labels(n)[0]``: engines keep a node's labels in an order of their own, and a node
    ``:Record:Person`` projected for ``Person`` must be reported as a ``Person`` on both.
    """
    quoted = ", ".join(f"'{check_identifier(x)}'" for x in labels)
    return f"head([x IN [{quoted}] WHERE x IN labels({variable})])"


def projection_nodes(spec: ProjectionSpec, dialect: _InternalId, *, windowed: bool) -> str:
    """The projection's nodes: ``internal_id, id, label``."""
    internal = dialect.internal_id("n")
    where = label_filter("n", spec.node_labels)
    if windowed:
        where = f"{_window(internal)} AND {where}"
    return (
        f"MATCH (n) WHERE {where} "
        f"RETURN {internal} AS internal_id, n.id AS id, "
        f"{first_label('n', spec.node_labels)} AS label"
    )


def _weight(spec: ProjectionSpec) -> str:
    if spec.weight_property is None:
        return "$default_weight"
    # toFloat: a weight stored as an integer (a call count) must still come back as a float, and
    # one that is not a number falls back to the default rather than failing the export.
    return f"coalesce(toFloat(r.{check_identifier(spec.weight_property)}), $default_weight)"


def projection_edges(spec: ProjectionSpec, dialect: _InternalId, *, windowed: bool) -> str:
    """The projection's relationships between its nodes: ``source, target, type, weight``.

    Both ends are filtered on the projection's labels here rather than left for
    ``Projection.gather`` to drop, so that edges to other kinds of node never cross the wire.
    Windowed, the window is on the start node's internal id.
    """
    source = dialect.internal_id("a")
    target = dialect.internal_id("b")
    start = label_filter("a", spec.node_labels)
    if windowed:
        start = f"{_window(source)} AND {start}"
    return (
        f"MATCH (a) WHERE {start} "
        f"MATCH (a)-[r]->(b) WHERE {type_filter('r', spec.relationship_types)} "
        f"AND {label_filter('b', spec.node_labels)} "
        f"RETURN {source} AS source, {target} AS target, type(r) AS type, "
        f"{_weight(spec)} AS weight"
    )


def edge_params(spec: ProjectionSpec) -> dict[str, Any]:
    """Parameters of ``projection_edges`` besides the window."""
    if not math.isfinite(spec.default_weight):
        raise ValueError(f"default_weight must be a finite number, not {spec.default_weight}")
    return {"default_weight": float(spec.default_weight)}


def window_params(lo: int, hi: int) -> dict[str, int]:
    """The id window ``lo <= id < hi`` of a windowed query."""
    if hi <= lo:
        raise ValueError(f"empty id window [{lo}, {hi})")
    return {"lo": lo, "hi": hi}
