"""``auditLog``: the read audit, newest first, for the auditor role (``audit:read``).

Entries are shown as stored; ``clew audit verify`` checks their chain. Reading the audit log is
itself a request, and is audited like any other.
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from api.auth.identity import Permission
from api.graphql.connection import Connection, Edge, PageInfo, decode_cursor, encode_cursor
from api.graphql.context import Context
from api.graphql.errors import InvalidInput, Refused, invalid, refused
from api.graphql.limits import DEFAULT_PAGE_SIZE
from api.graphql.me import Clearance
from schema.audit import AuditEntry as StoredEntry

CURSOR_KIND = "audit"


@strawberry.enum(description="How a request ended.")
class AuditOutcome(Enum):
    OK = "ok"
    REFUSED = "refused"
    ERROR = "error"


@strawberry.type(description="The entity ids a request returned (the first 1,000, and a digest).")
class ReturnedIds:
    count: int
    ids: list[str]
    digest: str | None = strawberry.field(
        description="sha256 of the full list's canonical JSON, when the ids are truncated."
    )


@strawberry.type(description="One request, as the read audit recorded it.")
class AuditEntry:
    seq: int
    at: datetime
    user: str
    roles: list[str]
    clearance: Clearance | None
    purpose: str | None
    operation: str
    query: str
    query_sha256: str
    variables: JSON
    returned: ReturnedIds
    outcome: AuditOutcome
    error_code: str | None
    duration_ms: float
    client_address: str | None
    hash: str
    prev_hash: str

    @classmethod
    def of(cls, entry: StoredEntry) -> AuditEntry:
        return cls(
            seq=entry.seq,
            at=entry.at,
            user=entry.user,
            roles=list(entry.roles),
            clearance=None if entry.clearance is None else Clearance.of(entry.clearance),
            purpose=entry.purpose,
            operation=entry.operation,
            query=entry.query,
            query_sha256=entry.query_sha256,
            variables=JSON(entry.variables),
            returned=ReturnedIds(
                count=entry.returned.count,
                ids=list(entry.returned.ids),
                digest=entry.returned.digest,
            ),
            outcome=AuditOutcome(entry.outcome.value),
            error_code=entry.error_code,
            duration_ms=entry.duration_ms,
            client_address=entry.client_address,
            hash=entry.hash,
            prev_hash=entry.prev_hash,
        )


AuditEntryConnection = Connection[AuditEntry]
AuditLogResult = Annotated[
    AuditEntryConnection | Refused | InvalidInput, strawberry.union("AuditLogResult")
]


def _utc(moment: datetime | None) -> datetime | None:
    # A time without an offset is read as UTC, as `clew audit show` reads one.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


async def audit_log(
    ctx: Context,
    *,
    after: str | None,
    user: str | None,
    since: datetime | None,
    until: datetime | None,
    first: int,
) -> AuditEntryConnection | Refused | InvalidInput:
    if (refusal := refused(ctx, Permission.READ_AUDIT)) is not None:
        return refusal
    most = ctx.limits.max_page_size
    if not 1 <= first <= most:
        return invalid(ctx, "first", f"first is {first}: ask for 1 to {most} entries a page")
    before_seq = None
    if after is not None:
        try:
            before_seq = decode_cursor(CURSOR_KIND, after)
        except ValueError as exc:
            return invalid(ctx, "after", f"after: {exc}; pass a page's pageInfo.endCursor")
    start, end = _utc(since), _utc(until)
    if start is not None and end is not None and start >= end:
        return invalid(ctx, "until", "until must be later than since")
    page = await ctx.run_sync(
        lambda: ctx.audit.read(
            before_seq=before_seq, since=start, until=end, user=user, limit=first
        )
    )
    edges = [
        Edge(cursor=encode_cursor(CURSOR_KIND, e.seq), node=AuditEntry.of(e)) for e in page.entries
    ]
    # A read scans a bounded stretch of the log, so a short page can still have a next one: its
    # cursor is where the scan stopped, which may lie past the last entry shown.
    end_cursor = (
        encode_cursor(CURSOR_KIND, page.next)
        if page.next is not None
        else (edges[-1].cursor if edges else None)
    )
    return AuditEntryConnection(
        edges=edges, page_info=PageInfo(has_next_page=page.next is not None, end_cursor=end_cursor)
    )


__all__ = ["DEFAULT_PAGE_SIZE", "AuditEntry", "AuditLogResult", "audit_log"]
