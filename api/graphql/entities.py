"""Entities, relationships and source records as GraphQL types, and ``entity(id)``.

Every resolver that returns entities builds them with ``visible_entities``: one store query per
label for the entities, one for the visible records of the persons the caller does not see whole
(``api.graphql.visible``), whatever the number of entities. An entity's ``records`` and a
relationship's ``records`` go through per-request DataLoaders, so a page of entities with their
records costs one query per label, not one per entity.

An id that does not exist, and one that exists only through records the caller may not see, get
the same answer: ``null``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON
from strawberry.types import Info

from api.auth.identity import Permission
from api.graphql.connection import PageInfo, decode_key_cursor, encode_key_cursor
from api.graphql.context import Context
from api.graphql.errors import InvalidInput, Refused, invalid, refused
from api.graphql.me import Clearance
from api.graphql.visible import (
    display_name,
    entity_properties,
    shown,
    view_of,
    visible_mentions,
)
from graph.entity_reads import (
    by_label,
    entities_query,
    label_of,
    person_mentions_query,
    record_kind,
    records_by_id_query,
    records_of_query,
)
from schema.access import View
from schema.grading import Grading, Sensitivity

RECORDS_PAGE: int = 20
"""Records shown per entity unless the caller asks for more."""

_PROVENANCE = ("source", "file", "line", "batch_id", "loaded_at", "raw_hash")


@strawberry.type(description="A source record: a loaded row, with where it came from.")
class SourceRecord:
    id: str
    kind: str = strawberry.field(description="The record kind, e.g. PersonRecord, CallRecord.")
    source: str
    file: str | None
    line: int | None
    loaded_at: str | None
    marking: Clearance = strawberry.field(description="Its protective marking.")
    grading: str | None = strawberry.field(description="Grading and handling code (3x5x2/5x5x5).")
    handling: str | None = strawberry.field(description="The handling code in words.")
    link: str | None = strawberry.field(
        description="How it is linked to the entity it was reached from: RESOLVES_TO "
        "(describes it) or REFERS_TO (names it)."
    )
    role: str | None = strawberry.field(description="The field that names the entity.")
    fields: JSON = strawberry.field(description="The record's own fields, as loaded.")

    @classmethod
    def of(
        cls,
        labels: Sequence[str],
        props: Mapping[str, Any],
        link: str | None = None,
        role: str | None = None,
    ) -> SourceRecord:
        grading_text = props.get("handling")
        described = None
        if grading_text:
            try:
                described = Grading.parse(str(grading_text)).describe()
            except ValueError:
                described = None
        own = {
            k: _plain(v)
            for k, v in shown(props).items()
            if k not in (*_PROVENANCE, "id", "handling", "label")
        }
        line = props.get("line")
        return cls(
            id=str(props["id"]),
            kind=record_kind(labels),
            source=str(props.get("source") or ""),
            file=None if props.get("file") is None else str(props["file"]),
            line=int(line) if isinstance(line, int) else None,
            loaded_at=None if props.get("loaded_at") is None else str(props["loaded_at"]),
            marking=Clearance.of(Sensitivity(int(props.get("sensitivity") or 0))),
            grading=None if not grading_text else str(grading_text),
            handling=described,
            link=link,
            role=role,
            fields=JSON(own),
        )


def _plain(value: Any) -> Any:
    # Nested parts are stored as JSON text (graph properties hold no maps): shown as data.
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


async def _entity_records(
    root: Entity, info: Info[Context, None], first: int = RECORDS_PAGE, after: str | None = None
) -> RecordConnection:
    ctx = info.context
    first = max(1, min(first, ctx.limits.max_page_size))
    start = ""
    if after is not None:
        try:
            start = _record_cursor(after)
        except ValueError:
            start = "\uffff"  # a damaged cursor ends the list rather than restart it
    loader = ctx.loader(
        f"records_of:{start}:{first}", partial(_records_of_loader, ctx, start, first + 1)
    )
    rows = await loader.load(root.id)
    page = rows[:first]
    edges = [RecordEdge(cursor=_encode_record_cursor(r.id), node=r) for r in page]
    return RecordConnection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first,
            end_cursor=edges[-1].cursor if edges else None,
        ),
    )


async def _relationship_records(
    root: Relationship, info: Info[Context, None]
) -> list[SourceRecord]:
    loader = info.context.loader("records_by_id", partial(_records_by_id_loader, info.context))
    found = await loader.load_many(root.record_ids)
    return [r for r in found if r is not None]


@strawberry.type(description="A relationship between two entities, with the records behind it.")
class Relationship:
    id: str
    type: str
    start: str = strawberry.field(description="The id of the entity it starts at.")
    end: str = strawberry.field(description="The id of the entity it ends at.")
    properties: JSON = strawberry.field(
        description="Its own properties (dates, roles, counts), where the caller sees every "
        "record behind it."
    )
    record_ids: strawberry.Private[list[str]]
    records: list[SourceRecord] = strawberry.field(
        resolver=_relationship_records,
        description="The records that assert it, as far as the caller may see.",
    )


@strawberry.type(description="A record and how it is linked to the entity.")
class RecordEdge:
    cursor: str
    node: SourceRecord


@strawberry.type(description="A page of an entity's records.")
class RecordConnection:
    edges: list[RecordEdge]
    page_info: PageInfo


@strawberry.type(description="A resolved entity: a person, company, phone, address, report...")
class Entity:
    id: str
    kind: str = strawberry.field(description="Person, Company, Phone, Address, IntelReport...")
    name: str = strawberry.field(description="What an analyst reads for it: its name or its key.")
    aliases: list[str]
    properties: JSON = strawberry.field(
        description="Its properties, from the records the caller may see."
    )
    records: RecordConnection = strawberry.field(
        resolver=_entity_records,
        description="The records that describe or name it (provenance), by record id.",
    )


RECORDS_CURSOR = "record"


def _encode_record_cursor(record_id: str) -> str:
    return encode_key_cursor(RECORDS_CURSOR, record_id)


def _record_cursor(cursor: str) -> str:
    return decode_key_cursor(RECORDS_CURSOR, cursor)


async def _records_of_loader_rows(
    ctx: Context, after: str, limit: int, ids: Sequence[str]
) -> dict[str, list[SourceRecord]]:
    view = view_of(ctx.caller)
    out: dict[str, list[SourceRecord]] = {}
    for label, some in by_label(ids).items():
        params = {**view.params(), "ids": some, "after": after, "limit": limit}
        result = await ctx.read(records_of_query(label, view), params)
        for row in result.records():
            out.setdefault(str(row["entity"]), []).append(
                SourceRecord.of(row["labels"], row["props"], row["link"], row["role"])
            )
    return out


def _records_of_loader(ctx: Context, after: str, limit: int) -> DataLoader[str, list[SourceRecord]]:
    async def load(ids: list[str]) -> list[list[SourceRecord]]:
        found = await _records_of_loader_rows(ctx, after, limit, ids)
        return [found.get(i, []) for i in ids]

    return DataLoader(load_fn=load)


def _records_by_id_loader(ctx: Context) -> DataLoader[str, SourceRecord | None]:
    async def load(ids: list[str]) -> list[SourceRecord | None]:
        view = view_of(ctx.caller)
        result = await ctx.read(records_by_id_query(view), {**view.params(), "ids": ids})
        found = {
            str(row["props"]["id"]): SourceRecord.of(row["labels"], row["props"])
            for row in result.records()
        }
        return [found.get(i) for i in ids]

    return DataLoader(load_fn=load)


async def visible_entities(
    ctx: Context, raw: Sequence[Mapping[str, Any]], *, note: bool = True
) -> list[Entity]:
    """Entities as the caller is shown them, from store rows (``label`` and ``props``) that
    already exist for the caller; in the order given. Noted as returned for the audit unless
    ``note`` is false (candidates the caller will not be shown: note the ones shown)."""
    view = view_of(ctx.caller)
    partial_persons = [
        str(r["props"]["id"])
        for r in raw
        if r["label"] == "Person" and not view.sees_whole(r["props"])
    ]
    mentions = {}
    if partial_persons:
        result = await ctx.read(
            person_mentions_query(view), {**view.params(), "ids": partial_persons}
        )
        mentions = visible_mentions(result.records())
    out = [
        entity_of(view, str(r["label"]), r["props"], mentions.get(str(r["props"]["id"]), []))
        for r in raw
    ]
    if note:
        ctx.returned(e.id for e in out)
    return out


def entity_of(view: View, label: str, props: Mapping[str, Any], mentions: Sequence[Any]) -> Entity:
    """One entity as ``view`` is shown it (``api.graphql.visible``)."""
    seen = entity_properties(view, label, props, mentions)
    aliases = seen.get("aliases") or []
    return Entity(
        id=str(props["id"]),
        kind=label,
        name=display_name(label, seen),
        aliases=[str(a) for a in aliases] if isinstance(aliases, list) else [str(aliases)],
        properties=JSON({k: _plain(v) for k, v in seen.items() if k not in ("id", "aliases")}),
    )


async def load_entities(ctx: Context, ids: Sequence[str]) -> dict[str, Entity]:
    """The entities ``ids`` that exist for the caller, as it is shown them, by id."""
    view = view_of(ctx.caller)
    raw: list[dict[str, Any]] = []
    for label, some in by_label(ids).items():
        result = await ctx.read(entities_query(label, view), {**view.params(), "ids": some})
        raw.extend({"label": label, "props": dict(r["props"])} for r in result.records())
    return {e.id: e for e in await visible_entities(ctx, raw)}


async def entity(
    info: Info[Context, None],
    id: strawberry.ID,
) -> Entity | Refused | InvalidInput | None:
    """``entity(id)``: the entity, or null when it does not exist for the caller."""
    ctx = info.context
    denied = refused(ctx, Permission.READ_ENTITIES)
    if denied is not None:
        return denied
    text = str(id)
    if label_of(text) is None:
        return invalid(
            ctx,
            "id",
            f"{text[:80]!r} is not an entity id: ids start with their kind, as in "
            "person_..., company_..., phone_...",
        )
    return (await load_entities(ctx, [text])).get(text)
