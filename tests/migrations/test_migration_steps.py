"""Clew's own steps: they match the declared graph schema and none has been edited."""

from __future__ import annotations

import pytest

from migrations.ledger import LEDGER_UNIQUE
from migrations.ops import RunCypher
from migrations.step import schema_after
from migrations.steps import discover
from schema.specs import SchemaObject

# Checksums of the steps Clew has shipped. A step here may have been applied to a graph
# somewhere, so it must never change: to change the schema, add a step (and its line here).
SHIPPED = {
    "m0001": "b6c7db780951785ad121bf3b294f471e9f430c7cad8cea4293d06ed490e547b6",
    "m0002": "882db5b15372dbdd9ebb50560c1f01fc53bd02b0c26308f528422584f7aeee34",
    "m0003": "246fdeaf78db9150b147c2469026922c6681f74f8beff16010e588bd2cf1dcc2",
    "m0004": "cf3e30a2352c83dfccada50c7a85722fb476a54e6b895b64f5e7a08a0ea5ebe9",
    "m0005": "7a46f188488781e4f2fb71a2b5a689f66ea16360848d1f72e3911063e53a1571",
}


def _names(objects: set[SchemaObject]) -> str:
    return ", ".join(sorted(f"{o.name} ({o!r})" for o in objects))


def test_shipped_steps_are_unchanged() -> None:
    current = {s.id: s.checksum for s in discover()}
    edited = sorted(i for i in SHIPPED if current.get(i) != SHIPPED[i])
    assert not edited, (
        f"shipped step(s) {edited} changed; a step that may have been applied is immutable: "
        "restore it and write a new step instead"
    )
    unlisted = sorted(set(current) - set(SHIPPED))
    assert not unlisted, f"add the checksums of new step(s) {unlisted} to SHIPPED"


def test_steps_create_exactly_the_declared_schema() -> None:
    graph_schema = pytest.importorskip("schema.graph_schema")
    declared: set[SchemaObject] = set(graph_schema.schema_objects())
    migrated = set(schema_after(discover()))
    missing = declared - migrated
    extra = migrated - declared
    assert missing | extra == set(), (
        "schema.graph_schema and the migration steps disagree; write a new step in "
        "migrations/steps/ (never edit an applied one).\n"
        f"declared but no step creates: {_names(missing) or 'none'}\n"
        f"created by steps but not declared: {_names(extra) or 'none'}"
    )


def test_steps_leave_the_ledger_alone() -> None:
    assert LEDGER_UNIQUE not in schema_after(discover())


def test_every_data_fix_runs_on_every_engine() -> None:
    for step in discover():
        for op in step.ops:
            if isinstance(op, RunCypher):
                for engine in ("falkordb", "neo4j"):
                    op.statement(engine)
