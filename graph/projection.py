"""Projections: the part of the graph an algorithm needs, as arrays.

An algorithm asks for node labels, relationship types and a weight property; the store streams
the matching nodes and edges in windows of internal ids (one query per window keeps each reply
small and lets the server stay responsive during a large export) and they are gathered here into
numpy arrays. Arrays, not pydantic models, because a projection holds millions of edges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, field_validator

from schema.specs import check_identifier


class ProjectionSpec(BaseModel):
    """Which nodes and edges to export, and which edge property is the weight."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    node_labels: tuple[str, ...]
    relationship_types: tuple[str, ...]
    weight_property: str | None = None
    default_weight: float = 1.0
    window: int = 100_000

    @field_validator("node_labels", "relationship_types")
    @classmethod
    def _idents(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("name at least one")
        return tuple(check_identifier(x) for x in v)

    @field_validator("weight_property")
    @classmethod
    def _weight(cls, v: str | None) -> str | None:
        return None if v is None else check_identifier(v)

    @field_validator("window")
    @classmethod
    def _window(cls, v: int) -> int:
        if v < 1:
            raise ValueError("window must be positive")
        return v


@dataclass(frozen=True, slots=True)
class NodeChunk:
    """Nodes of one id window: engine-internal ids, business ids and their first label."""

    internal_ids: Sequence[int | str]
    ids: Sequence[str]
    labels: Sequence[str]


@dataclass(frozen=True, slots=True)
class EdgeChunk:
    """Edges of one id window, by the engine-internal ids of their ends."""

    sources: Sequence[int | str]
    targets: Sequence[int | str]
    types: Sequence[str]
    weights: Sequence[float]


@dataclass(frozen=True, slots=True)
class Projection:
    """A directed, typed, weighted edge list over nodes numbered 0..n-1.

    Shapes: ``ids``, ``labels``: n; ``sources``, ``targets``, ``type_codes``, ``weights``: m.
    ``type_names[type_codes[k]]`` is the relationship type of edge k; ``ids[i]`` is node i's
    business id (the ``id`` property every Clew node carries).
    """

    ids: list[str]
    labels: list[str]
    sources: npt.NDArray[np.int64]
    targets: npt.NDArray[np.int64]
    type_codes: npt.NDArray[np.int32]
    type_names: list[str]
    weights: npt.NDArray[np.float64]

    @property
    def node_count(self) -> int:
        return len(self.ids)

    @property
    def edge_count(self) -> int:
        return int(self.sources.shape[0])

    @classmethod
    def gather(cls, nodes: Iterable[NodeChunk], edges: Iterable[EdgeChunk]) -> Projection:
        """Number the nodes densely and translate edge ends; edges to nodes outside the
        projection (another label) are dropped, as an algorithm over these labels expects."""
        index: dict[int | str, int] = {}
        ids: list[str] = []
        labels: list[str] = []
        for node_chunk in nodes:
            for internal, business, label in zip(
                node_chunk.internal_ids, node_chunk.ids, node_chunk.labels, strict=True
            ):
                index[internal] = len(ids)
                ids.append(business)
                labels.append(label)
        src: list[int] = []
        dst: list[int] = []
        codes: list[int] = []
        weights: list[float] = []
        type_index: dict[str, int] = {}
        for edge_chunk in edges:
            for s, t, kind, w in zip(
                edge_chunk.sources,
                edge_chunk.targets,
                edge_chunk.types,
                edge_chunk.weights,
                strict=True,
            ):
                si = index.get(s)
                ti = index.get(t)
                if si is None or ti is None:
                    continue
                src.append(si)
                dst.append(ti)
                codes.append(type_index.setdefault(kind, len(type_index)))
                weights.append(w)
        return cls(
            ids=ids,
            labels=labels,
            sources=np.asarray(src, dtype=np.int64),
            targets=np.asarray(dst, dtype=np.int64),
            type_codes=np.asarray(codes, dtype=np.int32),
            type_names=list(type_index),
            weights=np.asarray(weights, dtype=np.float64),
        )
