"""The request context: store reads under the API's time limit, timed; per-request loaders."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from strawberry.dataloader import DataLoader

from api.auth.identity import Caller, Role
from api.auth.purpose import Purpose
from api.graphql.context import Context
from api.graphql.limits import Limits
from graph.audit_log import AuditLog
from graph.store import GraphStore


def context(store: GraphStore, audit_log: AuditLog) -> tuple[Context, list[float]]:
    now = datetime.now(UTC)
    caller = Caller(
        user="ann",
        roles=frozenset({Role.ANALYST}),
        token_id="t-1",
        issued_at=now,
        expires_at=now + timedelta(hours=1),
        purpose=Purpose.parse("OP-KESTREL"),
    )
    timings: list[float] = []
    made = Context(
        caller=caller,
        store=store,
        audit=audit_log,
        limits=Limits(query_timeout_ms=5_000),
        request_id="r-1",
        observe_store=timings.append,
    )
    return made, timings


def test_a_read_runs_off_the_event_loop_and_is_timed(
    store: GraphStore, audit_log: AuditLog
) -> None:
    ctx, timings = context(store, audit_log)
    result = asyncio.run(ctx.read("RETURN $x AS x", {"x": 7}))
    assert result.records() == [{"x": 7}]
    assert len(timings) == 1
    assert timings[0] > 0


def test_returned_ids_are_collected_and_loaders_live_per_context(
    store: GraphStore, audit_log: AuditLog
) -> None:
    ctx, _ = context(store, audit_log)
    ctx.returned(["person-1", "phone-2"])
    assert ctx.exchange.returned_ids == ["person-1", "phone-2"]
    assert ctx.purpose.reference == "OP-KESTREL"

    async def load(keys: list[str]) -> list[str]:
        return keys

    async def same_loader_twice() -> bool:
        first = ctx.loader("echo", lambda: DataLoader(load_fn=load))
        return first is ctx.loader("echo", lambda: DataLoader(load_fn=load))

    assert asyncio.run(same_loader_twice())
    other, _ = context(store, audit_log)
    assert other.dataloaders == {}
