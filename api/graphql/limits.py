"""``Limits``: how much one GraphQL request may ask for (``api.settings`` builds it from the
``CLEW_API_MAX_*`` settings and ``CLEW_QUERY_TIMEOUT_MS``)."""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_PAGE_SIZE = 50
"""What a list or connection returns when the query gives no ``first``."""


@dataclass(frozen=True, slots=True)
class Limits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2_000
    max_cost: int = 10_000
    max_page_size: int = 200
    introspection: bool = True
    query_timeout_ms: int = 60_000
    max_hops: int = 3
    """Deepest network expansion (``expand(hops:)``)."""
    max_path_hops: int = 6
    """Longest path ``paths(maxHops:)`` looks for."""
    max_paths: int = 20
    """Most shortest paths ``paths(all: true)`` returns."""
    hop_budget: int = 1_000
    """Relationships read, and new entities taken, per hop of an expansion or a path search,
    so that one hop through a busy neighbourhood cannot explode."""
    hub_degree: int = 100
    """An entity with more (visible) neighbours than this is returned by an expansion but not
    expanded; its neighbours are summarised as counts by kind."""
