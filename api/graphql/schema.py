"""The GraphQL schema: ``Query`` and ``build_schema``.

Data queries (search, network expansion, paths) are added here as fields that delegate to one
module each, as ``me`` and ``auditLog`` do.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Annotated

import strawberry
from graphql import GraphQLError
from strawberry.schema.config import StrawberryConfig
from strawberry.types import ExecutionContext, Info

from api.graphql import audit, entities
from api.graphql import network as network_api
from api.graphql import resolution as resolution_api
from api.graphql import search as search_api
from api.graphql.audit import AuditLogResult
from api.graphql.context import Context
from api.graphql.errors import InvalidInput, Refused
from api.graphql.limits import DEFAULT_PAGE_SIZE, Limits
from api.graphql.me import Me, me_of
from api.graphql.protection import is_unexpected, schema_extensions

log = logging.getLogger("clew.api")


def _me(info: Info[Context, None]) -> Me:
    return me_of(info.context)


async def _audit_log(
    info: Info[Context, None],
    after: str | None = None,
    user: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    first: int = DEFAULT_PAGE_SIZE,
) -> AuditLogResult:
    return await audit.audit_log(
        info.context, after=after, user=user, since=since, until=until, first=first
    )


async def _entity(
    info: Info[Context, None],
    id: strawberry.ID,
) -> entities.Entity | Refused | InvalidInput | None:
    return await entities.entity(info, id)


async def _search(
    info: Info[Context, None],
    text: str,
    kinds: list[search_api.SearchKind] | None = None,
    limit: int = search_api.DEFAULT_LIMIT,
) -> search_api.SearchHits | Refused | InvalidInput:
    return await search_api.search(info.context, text, kinds, limit)


async def _resolution(
    info: Info[Context, None], entity_id: strawberry.ID
) -> resolution_api.Resolution | Refused | InvalidInput | None:
    return await resolution_api.resolution(info, entity_id)


async def _decide(
    info: Info[Context, None],
    left_mention: str,
    right_mention: str,
    judgement: resolution_api.Judgement,
    reason: str,
) -> resolution_api.Decision | Refused | InvalidInput:
    return await resolution_api.decide(info, left_mention, right_mention, judgement, reason)


@strawberry.type
class Mutation:
    decide: Annotated[
        resolution_api.Decision | Refused | InvalidInput,
        strawberry.union("DecisionResult"),
    ] = strawberry.field(
        resolver=_decide,
        description="Record that two person mentions are the same person or different people; "
        "every later resolution run honours it (the latest decision on a pair wins). Needs "
        "resolution:decide.",
    )


@strawberry.type
class Query:
    entity: (
        Annotated[
            entities.Entity | Refused | InvalidInput,
            strawberry.union("EntityResult"),
        ]
        | None
    ) = strawberry.field(
        resolver=_entity,
        description="One entity with its properties, aliases and records (provenance); null "
        "when no entity with that id exists for the caller. Needs entities:read.",
    )
    search: Annotated[
        search_api.SearchHits | Refused | InvalidInput, strawberry.union("SearchResult")
    ] = strawberry.field(
        resolver=_search,
        description="Fuzzy search over people (names, aliases, date of birth), companies (name, "
        "number), phones (any notation), addresses and postcodes, and report text; ranked best "
        "first, each hit with why it matched, on what the caller may see. Needs entities:search.",
    )
    resolution: (
        Annotated[
            resolution_api.Resolution | Refused | InvalidInput,
            strawberry.union("ResolutionResult"),
        ]
        | None
    ) = strawberry.field(
        resolver=_resolution,
        description="Why a person's records are one person: each visible mention with its "
        "strongest link explained comparison by comparison. Needs resolution:read.",
    )
    me: Me = strawberry.field(
        resolver=_me, description="Who the API takes the caller to be, and the stated purpose."
    )
    audit_log: AuditLogResult = strawberry.field(
        resolver=_audit_log,
        description="The read audit, newest first; needs permission audit:read (auditor).",
    )
    expand: Annotated[
        network_api.Subgraph | Refused | InvalidInput, strawberry.union("ExpandResult")
    ] = strawberry.field(
        resolver=network_api.expand_network,
        description="The network within hops (at most 3) of some entities, as the caller may "
        "see it, filtered by relationship type, entity kind and a time window on dated "
        "relationships; hubs are returned but not expanded, their neighbours counted by kind. "
        "Paged over entities (limit, after). Needs network:expand.",
    )
    paths: Annotated[
        network_api.Paths | Refused | InvalidInput, strawberry.union("PathsResult")
    ] = strawberry.field(
        resolver=network_api.find_paths,
        description="The shortest path between two entities within maxHops, or with all every "
        "shortest path (up to limit), each relationship with its records; only through what "
        "the caller may see. Needs network:paths.",
    )


class ClewSchema(strawberry.Schema):
    """The schema, logging each error once, as raised (before masking), with the request id,
    and noting it in the request's ``Exchange`` for the audit entry."""

    def process_errors(
        self, errors: list[GraphQLError], execution_context: ExecutionContext | None = None
    ) -> None:
        context = execution_context.context if execution_context is not None else None
        request_id = None
        if isinstance(context, Context):
            context.exchange.errors.extend(errors)
            request_id = context.request_id
        for error in errors:
            if is_unexpected(error):
                log.error(
                    "unexpected error in a GraphQL request: %s",
                    error.message,
                    exc_info=error.original_error,
                    extra={"request_id": request_id},
                )
            else:
                log.debug("GraphQL error: %s", error.message, extra={"request_id": request_id})


def build_schema(
    limits: Limits, *, query: type = Query, mutation: type | None = Mutation
) -> strawberry.Schema:
    """The schema with the protections of ``limits``, rooted at ``query`` (Clew's ``Query``, or
    a type that extends it)."""
    return ClewSchema(
        query=query,
        mutation=mutation,
        extensions=schema_extensions(limits),
        config=StrawberryConfig(
            # Suggestions ("did you mean ...?") would describe the schema to callers for whom
            # introspection is off.
            disable_field_suggestions=not limits.introspection,
        ),
    )
