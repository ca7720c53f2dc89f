"""The GraphQL schema: strawberry types, the request context, and the protections.

- ``limits``: ``Limits``, the typed protection settings (depth, aliases, tokens, cost, page size);
- ``context``: ``Context``, what one request's resolvers receive (caller, store, audit log,
  DataLoaders, the entity ids returned) and ``Exchange``, what the request did;
- ``errors``: the expected outcomes as data (``UserError``: ``Refused``, ``InvalidInput``);
- ``connection``: Relay-style connections (``Connection[T]``, ``Edge[T]``, ``PageInfo``);
- ``me`` and ``audit``: the first queries (``me``, ``auditLog``);
- ``cost`` and ``protection``: the query cost limit and the schema extensions;
- ``documents``: what the extensions work out about a parsed document, kept with it;
- ``schema``: ``build_schema``; ``sdl``: the exported SDL (``schema.graphql`` beside this file).
"""

from api.graphql.context import Context, Exchange
from api.graphql.limits import Limits
from api.graphql.schema import build_schema

__all__ = ["Context", "Exchange", "Limits", "build_schema"]
