"""``expand`` (the network around entities) and ``paths`` (shortest paths between two), as the
caller may see them; the walks themselves are ``graph.network``'s.

What does not exist for the caller is never traversed, so an answer is the same as it would be
if the hidden things were not in the graph at all: no node reached only through them, no path
only through them, and no count of them in a hub's summary. ``truncated`` says a hop budget
(``Limits.hop_budget``) cut the walk short; it is decided on visible rows only.

An expansion is paged over its entities, ordered by hop and then id; each page carries the
relationships between its entities and those of earlier pages (so each relationship comes once,
with the later of its ends), and the hubs on it. Each page walks again: the cursor is a position,
not a stored result.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from api.auth.identity import Permission
from api.graphql.connection import PageInfo, decode_cursor, encode_cursor
from api.graphql.context import Context
from api.graphql.entities import Entity, Relationship, visible_entities
from api.graphql.errors import InvalidInput, Refused, invalid, refused
from api.graphql.visible import relationship_properties, view_of
from graph.entity_reads import ENTITY_LABELS, label_of
from graph.network import RELATIONSHIP_TYPES, Link, Node, Step, expand, shortest_paths
from schema.access import View

CURSOR_KIND = "expand"


@strawberry.type(description="How many neighbours of one kind a collapsed hub has.")
class KindCount:
    kind: str
    count: int


@strawberry.type(
    description="A hub: an entity with more neighbours than the expansion follows, returned but "
    "not expanded; its neighbours (those the caller may see) counted by kind."
)
class Collapsed:
    entity_id: strawberry.ID
    total: int
    by_kind: list[KindCount]


@strawberry.type(description="A page of the network around some entities.")
class Subgraph:
    nodes: list[Entity] = strawberry.field(description="Entities, by hop and then id.")
    relationships: list[Relationship] = strawberry.field(
        description="Relationships between this page's entities and those of earlier pages."
    )
    collapsed: list[Collapsed] = strawberry.field(description="The hubs on this page.")
    page_info: PageInfo
    truncated: bool = strawberry.field(
        description="A hop took as many relationships or entities as it may "
        "(its budget): the network goes on beyond what is shown."
    )


@strawberry.type(description="One path: its entities in order, and the relationship between each.")
class Path:
    node_ids: list[strawberry.ID]
    relationships: list[Relationship] = strawberry.field(
        description="The relationship crossed between each pair of entities, with its records."
    )


@strawberry.type(description="The shortest paths between two entities.")
class Paths:
    paths: list[Path] = strawberry.field(
        description="The shortest path, or with all: every shortest path (up to the limit); "
        "empty when none within maxHops exists for the caller."
    )
    length: int | None = strawberry.field(description="Relationships on each path.")
    nodes: list[Entity] = strawberry.field(description="The entities on the paths, once each.")
    truncated: bool = strawberry.field(
        description="A hop took as many relationships or entities as it may: a shorter path, "
        "or one where none was found, may lie beyond."
    )


def _relationship(view: View, link: Link) -> Relationship:
    return Relationship(
        id=link.id,
        type=link.type,
        start=link.start,
        end=link.end,
        properties=JSON(relationship_properties(view, link.props)),
        record_ids=link.record_ids,
    )


def _rows(nodes: Sequence[Node]) -> list[dict[str, object]]:
    return [{"label": n.label, "props": n.props} for n in nodes]


def _step(
    ctx: Context,
    relationship_types: Sequence[str] | None,
    node_kinds: Sequence[str] | None = None,
    since: date | None = None,
    until: date | None = None,
) -> Step | InvalidInput:
    types = tuple(dict.fromkeys(relationship_types or RELATIONSHIP_TYPES))
    unknown = [t for t in types if t not in RELATIONSHIP_TYPES]
    if unknown:
        return invalid(
            ctx,
            "relationshipTypes",
            f"unknown relationship type {unknown[0][:80]!r}; "
            f"known: {', '.join(RELATIONSHIP_TYPES)}",
        )
    kinds = tuple(dict.fromkeys(node_kinds or ()))
    strange = [k for k in kinds if k not in ENTITY_LABELS]
    if strange:
        return invalid(
            ctx,
            "nodeKinds",
            f"unknown kind {strange[0][:80]!r}; known: {', '.join(ENTITY_LABELS)}",
        )
    if since is not None and until is not None and since > until:
        return invalid(ctx, "since", f"since ({since}) is after until ({until})")
    return Step(
        types=types,
        kinds=kinds,
        since=None if since is None else since.isoformat(),
        until=None if until is None else until.isoformat(),
    )


def _bad_id(ctx: Context, field: str, text: str) -> InvalidInput:
    return invalid(
        ctx,
        field,
        f"{text[:80]!r} is not an entity id: ids start with their kind, as in person_..., "
        "company_..., phone_...",
    )


async def expand_network(
    info: Info[Context, None],
    ids: list[strawberry.ID],
    hops: int = 1,
    relationship_types: list[str] | None = None,
    node_kinds: list[str] | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int = 200,
    after: str | None = None,
) -> Subgraph | Refused | InvalidInput:
    """``expand``: the network within ``hops`` of ``ids`` (module docstring)."""
    ctx = info.context
    denied = refused(ctx, Permission.EXPAND)
    if denied is not None:
        return denied
    limits = ctx.limits
    seeds = [str(i) for i in ids]
    if not seeds or len(seeds) > limits.max_page_size:
        return invalid(ctx, "ids", f"give from 1 to {limits.max_page_size} entity ids")
    for seed in seeds:
        if label_of(seed) is None:
            return _bad_id(ctx, "ids", seed)
    if not 1 <= hops <= limits.max_hops:
        return invalid(ctx, "hops", f"hops is from 1 to {limits.max_hops}, not {hops}")
    if not 1 <= limit <= limits.max_page_size:
        return invalid(ctx, "limit", f"limit is from 1 to {limits.max_page_size}, not {limit}")
    offset = 0
    if after is not None:
        try:
            offset = decode_cursor(CURSOR_KIND, after)
        except ValueError as exc:
            return invalid(ctx, "after", str(exc))
    step = _step(ctx, relationship_types, node_kinds, since, until)
    if isinstance(step, InvalidInput):
        return step
    view = view_of(ctx.caller)
    # The whole walk in one worker thread: one hop off the event loop, not one per query.
    found = await ctx.run_sync(
        lambda: expand(
            ctx.read_sync,
            view,
            seeds,
            hops=hops,
            step=step,
            budget=limits.hop_budget,
            hub_degree=limits.hub_degree,
        )
    )
    upto = found.nodes[: offset + limit]
    page = found.nodes[offset : offset + limit]
    on_page = {n.id for n in page}
    so_far = {n.id for n in upto}
    links = [
        link
        for link in found.links
        if (link.start in on_page or link.end in on_page)
        and link.start in so_far
        and link.end in so_far
    ]
    collapsed = [
        Collapsed(
            entity_id=strawberry.ID(hub.entity_id),
            total=hub.total,
            by_kind=[KindCount(kind=k, count=c) for k, c in hub.by_kind.items()],
        )
        for n in page
        if (hub := found.collapsed.get(n.id)) is not None
    ]
    end = offset + len(page)
    return Subgraph(
        nodes=await visible_entities(ctx, _rows(page)),
        relationships=[_relationship(view, link) for link in links],
        collapsed=collapsed,
        page_info=PageInfo(
            has_next_page=end < len(found.nodes),
            end_cursor=encode_cursor(CURSOR_KIND, end) if page else None,
        ),
        truncated=found.truncated,
    )


async def find_paths(
    info: Info[Context, None],
    source: Annotated[strawberry.ID, strawberry.argument(name="from")],
    target: Annotated[strawberry.ID, strawberry.argument(name="to")],
    max_hops: int = 4,
    relationship_types: list[str] | None = None,
    all: bool = False,
    limit: int = 20,
) -> Paths | Refused | InvalidInput:
    """``paths``: the shortest path from ``source`` to ``target``, or every one (module
    docstring)."""
    ctx = info.context
    denied = refused(ctx, Permission.PATHS)
    if denied is not None:
        return denied
    limits = ctx.limits
    ends = {"from": str(source), "to": str(target)}
    for field, text in ends.items():
        if label_of(text) is None:
            return _bad_id(ctx, field, text)
    if not 1 <= max_hops <= limits.max_path_hops:
        return invalid(
            ctx, "maxHops", f"maxHops is from 1 to {limits.max_path_hops}, not {max_hops}"
        )
    if not 1 <= limit <= limits.max_paths:
        return invalid(ctx, "limit", f"limit is from 1 to {limits.max_paths}, not {limit}")
    step = _step(ctx, relationship_types)
    if isinstance(step, InvalidInput):
        return step
    view = view_of(ctx.caller)
    found = await ctx.run_sync(
        lambda: shortest_paths(
            ctx.read_sync,
            view,
            ends["from"],
            ends["to"],
            max_hops=max_hops,
            step=step,
            budget=limits.hop_budget,
            cap=limit if all else 1,
        )
    )
    on_paths = sorted(found.nodes.values(), key=lambda n: n.id)
    return Paths(
        paths=[
            Path(
                node_ids=[strawberry.ID(i) for i in p.node_ids],
                relationships=[_relationship(view, link) for link in p.links],
            )
            for p in found.paths
        ],
        length=found.length,
        nodes=await visible_entities(ctx, _rows(on_paths)),
        truncated=found.truncated,
    )
