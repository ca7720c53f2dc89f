"""Migrations against a real store (the ``store`` fixture: FalkorDB, and Neo4j where set up)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from graph.store import GraphStore, SchemaState
from migrations.ledger import LEDGER_UNIQUE, LedgerEntry, read_ledger, record
from migrations.ops import (
    CreateFullText,
    CreateIndex,
    CreateUnique,
    DropFullText,
    DropIndex,
    RunCypher,
)
from migrations.runner import apply, plan
from migrations.step import Step, schema_after
from migrations.steps import discover
from schema.errors import ChecksumMismatch, MigrationError
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec

WIDGET_ID = UniqueSpec(label="Widget", property="id")
WIDGET_SIZE = IndexSpec(label="Widget", properties=("size",))
WIDGET_FT = FullTextSpec(label="Widget", properties=("title",))


def names(state: SchemaState) -> set[str]:
    return {*state.indexes, *state.constraints, *state.fulltext}


def exists(state: SchemaState, obj: SchemaObject) -> bool:
    if isinstance(obj, UniqueSpec):
        return obj.name in state.constraints
    if isinstance(obj, FullTextSpec):
        return obj.name in state.fulltext
    return obj.name in state.indexes


def widget_steps() -> list[Step]:
    return [
        Step(
            version=1,
            name="widgets",
            description="widget ids, sizes and titles",
            ops=(
                CreateUnique(spec=WIDGET_ID),
                CreateIndex(spec=WIDGET_SIZE),
                CreateFullText(spec=WIDGET_FT),
            ),
        ),
        Step(
            version=2,
            name="default_size",
            description="widgets without a size get 0",
            ops=(
                RunCypher(
                    description="default widget size",
                    default="MATCH (w:Widget) WHERE w.size IS NULL SET w.size = $size",
                    params={"size": 0},
                ),
            ),
        ),
    ]


def test_shipped_steps_apply_once(store: GraphStore) -> None:
    steps = discover()
    first = apply(store, steps)
    assert [s.version for s in first.steps] == [s.version for s in steps]
    assert first.ops == sum(len(s.ops) for s in steps)

    state = store.schema_state()
    absent = [o.name for o in schema_after(steps) if not exists(state, o)]
    assert absent == []
    assert exists(state, LEDGER_UNIQUE)

    second = apply(store, steps)
    assert second.applied == 0
    assert second.plan.up_to_date
    assert names(store.schema_state()) == names(state)
    assert len(read_ledger(store)) == len(steps)


def test_ledger_records_each_step(store: GraphStore) -> None:
    before = datetime.now().astimezone()
    report = apply(store, widget_steps())
    ledger = read_ledger(store)
    assert [e.id for e in ledger] == ["m0001", "m0002"]
    for entry, step, result in zip(ledger, widget_steps(), report.steps, strict=True):
        assert entry.version == step.version
        assert entry.name == step.name
        assert entry.checksum == step.checksum
        assert entry.engine == store.engine
        assert entry.applied_at == result.applied_at
        assert entry.duration_ms == pytest.approx(result.duration_ms)
        applied_at = datetime.fromisoformat(entry.applied_at)
        assert applied_at.utcoffset() == timedelta(0)
        assert before - timedelta(seconds=1) <= applied_at <= datetime.now().astimezone()


def test_data_fix_runs_and_counts(store: GraphStore) -> None:
    store.upsert_nodes("Widget", [{"id": "w1"}, {"id": "w2", "size": 5}])
    report = apply(store, widget_steps())
    assert report.steps[1].counters.properties_set == 1
    rows = store.read("MATCH (w:Widget) RETURN w.id, w.size ORDER BY w.id").rows
    assert rows == (("w1", 0), ("w2", 5))


def test_dry_run_touches_nothing(store: GraphStore) -> None:
    before = store.schema_state()
    report = apply(store, widget_steps(), dry_run=True)
    assert report.dry_run
    assert [p.id for p in report.plan.pending] == ["m0001", "m0002"]
    assert store.schema_state() == before
    assert store.read("MATCH (m:ClewMigration) RETURN count(m)").single() == 0
    assert read_ledger(store) == ()


def test_changed_applied_step_is_refused(store: GraphStore) -> None:
    apply(store, widget_steps()[:1])
    edited = Step(
        version=1,
        name="widgets",
        description="widget ids, sizes and titles",
        ops=(CreateUnique(spec=WIDGET_ID), CreateIndex(spec=WIDGET_SIZE)),
    )
    before = store.schema_state()
    with pytest.raises(
        ChecksumMismatch, match="write a new step instead of editing an applied one"
    ):
        apply(store, [edited, widget_steps()[1]])
    assert store.schema_state() == before
    assert [e.id for e in read_ledger(store)] == ["m0001"]


def test_newer_ledger_is_refused(store: GraphStore) -> None:
    apply(store, widget_steps())
    with pytest.raises(MigrationError, match="migrated by a newer Clew"):
        apply(store, widget_steps()[:1])


def test_run_cypher_by_engine(store: GraphStore) -> None:
    step = Step(
        version=1,
        name="mark",
        description="mark which text ran",
        ops=(
            RunCypher(
                description="mark",
                default="MERGE (m:Marker {id: 'm'}) SET m.text = 'default'",
                by_engine={store.engine: "MERGE (m:Marker {id: 'm'}) SET m.text = $engine"},
                params={"engine": store.engine},
            ),
        ),
    )
    apply(store, [step])
    assert store.read("MATCH (m:Marker) RETURN m.text").single() == store.engine


def test_run_cypher_without_text_for_the_engine_is_refused(store: GraphStore) -> None:
    other = "neo4j" if store.engine == "falkordb" else "falkordb"
    steps = [
        *widget_steps()[:1],
        Step(
            version=2,
            name="other_engine_only",
            description="a fix written for the other engine",
            ops=(RunCypher(description="only there", by_engine={other: "MATCH (n) SET n.x = 1"}),),
        ),
    ]
    with pytest.raises(MigrationError, match=f"no Cypher for engine '{store.engine}'"):
        apply(store, steps)
    assert read_ledger(store) == ()
    assert not exists(store.schema_state(), WIDGET_ID)


def test_drops_take_effect(store: GraphStore) -> None:
    steps = [
        *widget_steps(),
        Step(
            version=3,
            name="drop_size_and_title",
            description="sizes and titles are no longer searched",
            ops=(DropIndex(spec=WIDGET_SIZE), DropFullText(spec=WIDGET_FT)),
        ),
    ]
    apply(store, steps)
    state = store.schema_state()
    assert exists(state, WIDGET_ID)
    assert not exists(state, WIDGET_SIZE)
    assert not exists(state, WIDGET_FT)
    assert schema_after(steps) == {WIDGET_ID}


def test_failed_step_is_not_recorded_and_a_rerun_finishes(store: GraphStore) -> None:
    broken = Step(
        version=2,
        name="default_size",
        description="widgets without a size get 0",
        ops=(RunCypher(description="broken", default="MATCH (w:Widget) SET w.size ="),),
    )
    with pytest.raises(MigrationError, match="m0002 default_size failed at operation 1 of 1"):
        apply(store, [widget_steps()[0], broken])
    assert [e.id for e in read_ledger(store)] == ["m0001"]
    report = apply(store, widget_steps())
    assert [s.id for s in report.steps] == ["m0002"]


def test_ledger_refuses_a_second_row_for_a_step(store: GraphStore) -> None:
    apply(store, widget_steps()[:1])
    (entry,) = read_ledger(store)
    again = LedgerEntry.model_validate(entry.model_dump() | {"applied_at": "2030-01-01T00:00:00Z"})
    with pytest.raises(MigrationError, match="recorded by another migrator"):
        record(store, again)
    assert read_ledger(store) == (entry,)


def test_plan_after_apply(store: GraphStore) -> None:
    apply(store, widget_steps()[:1])
    p = plan(store, widget_steps())
    assert [e.id for e in p.applied] == ["m0001"]
    assert [s.id for s in p.pending] == ["m0002"]
    assert "1 applied, 1 pending" in p.describe()
