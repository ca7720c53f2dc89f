"""Planning and applying steps against a small hand-made store that records what it is asked.

The real engine is exercised in test_migration_runner.py; here the runner's logic is checked on
its own: ordering, the ledger, refusals and what a dry run leaves alone.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, cast

import pytest

from graph.results import Counters, Result
from graph.store import GraphStore, Params, SchemaState
from migrations.ledger import LEDGER_UNIQUE, READ_LEDGER, RECORD_STEP
from migrations.ops import CreateFullText, CreateIndex, CreateUnique, DropIndex, RunCypher
from migrations.runner import StepResult, apply, plan
from migrations.step import Step
from schema.errors import ChecksumMismatch, ConstraintViolation, MigrationError, QueryError
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec

PERSON_ID = UniqueSpec(label="Person", property="id")
PERSON_DOB = IndexSpec(label="Person", properties=("dob",))
PERSON_FT = FullTextSpec(label="Person", properties=("name", "aliases"))
FIX = "MATCH (p:Person) WHERE p.name IS NULL SET p.name = $name"
COLUMNS = ("id", "version", "name", "checksum", "applied_at", "duration_ms", "engine")


class RecordingStore:
    """Just enough of a GraphStore for the runner, recording every call."""

    def __init__(self, engine: str = "falkordb") -> None:
        self.engine = engine
        self.location = "memory://test"
        self.calls: list[tuple[str, Any]] = []
        self.schema: set[SchemaObject] = set()
        self.ledger: dict[str, dict[str, Any]] = {}
        self.fail_on: str | None = None
        self.race_on: str | None = None

    def read(self, query: str, params: Params | None = None) -> Result:
        self.calls.append(("read", query))
        assert query == READ_LEDGER
        rows = sorted(self.ledger.values(), key=lambda r: r["version"])
        return Result(columns=COLUMNS, rows=tuple(tuple(r[c] for c in COLUMNS) for r in rows))

    def write(self, query: str, params: Params | None = None) -> Result:
        self.calls.append(("write", query))
        if self.fail_on is not None and self.fail_on in query:
            raise QueryError("engine says no", query=query)
        if query == RECORD_STEP:
            assert params is not None
            if params["id"] in self.ledger or params["id"] == self.race_on:
                assert LEDGER_UNIQUE in self.schema
                raise ConstraintViolation("already exists", query=query)
            self.ledger[params["id"]] = dict(params)
            return Result(columns=("id",), rows=((params["id"],),))
        return Result(columns=(), rows=(), counters=Counters(properties_set=2))

    def apply_schema(self, obj: SchemaObject) -> None:
        self.calls.append(("apply_schema", obj))
        self.schema.add(obj)

    def drop_schema(self, obj: SchemaObject) -> None:
        self.calls.append(("drop_schema", obj))
        self.schema.discard(obj)

    def schema_state(self) -> SchemaState:
        raise NotImplementedError

    def writes(self) -> list[tuple[str, Any]]:
        return [c for c in self.calls if c[0] != "read"]


@pytest.fixture
def fake() -> RecordingStore:
    return RecordingStore()


def as_store(fake: RecordingStore) -> GraphStore:
    return cast(GraphStore, fake)


def step1() -> Step:
    return Step(
        version=1,
        name="initial",
        description="ids and names",
        ops=(CreateUnique(spec=PERSON_ID), CreateFullText(spec=PERSON_FT)),
    )


def step2(fix: RunCypher | None = None) -> Step:
    return Step(
        version=2,
        name="dob_and_names",
        description="dob index, missing names",
        ops=(
            CreateIndex(spec=PERSON_DOB),
            fix or RunCypher(description="fill missing names", default=FIX, params={"name": "?"}),
        ),
    )


# -- operations ------------------------------------------------------------------------------


def test_schema_ops_go_through_the_store(fake: RecordingStore) -> None:
    store = as_store(fake)
    CreateIndex(spec=PERSON_DOB).apply(store)
    DropIndex(spec=PERSON_DOB).apply(store)
    CreateUnique(spec=PERSON_ID).apply(store)
    assert fake.calls == [
        ("apply_schema", PERSON_DOB),
        ("drop_schema", PERSON_DOB),
        ("apply_schema", PERSON_ID),
    ]


def test_op_descriptions() -> None:
    assert (
        CreateIndex(spec=PERSON_DOB).describe() == "create index idx_person_dob on (:Person) (dob)"
    )
    assert (
        CreateIndex(
            spec=IndexSpec(entity="relationship", label="CALLED", properties=("first_seen",))
        ).describe()
        == "create index ridx_called_first_seen on [:CALLED] (first_seen)"
    )
    assert (
        CreateUnique(spec=PERSON_ID).describe()
        == "create unique constraint uniq_person_id on (:Person).id"
    )
    assert (
        CreateFullText(spec=PERSON_FT).describe()
        == "create full-text index ft_person on (:Person) (name, aliases)"
    )
    assert RunCypher(description="x", default=FIX).describe() == "data fix: x [every engine]"
    assert (
        RunCypher(description="x", by_engine={"neo4j": FIX, "falkordb": FIX}).describe()
        == "data fix: x [falkordb, neo4j]"
    )
    assert (
        RunCypher(description="x", default=FIX, by_engine={"neo4j": FIX}).describe()
        == "data fix: x [every engine (own text for neo4j)]"
    )


@pytest.mark.parametrize(
    ("engine", "expected"),
    [("falkordb", "MATCH (n) SET n.f = 1"), ("neo4j", "MATCH (n) SET n.n = 1")],
)
def test_run_cypher_picks_the_engine_text(engine: str, expected: str) -> None:
    fake = RecordingStore(engine)
    op = RunCypher(
        description="x",
        default="MATCH (n) SET n.f = 1",
        by_engine={"neo4j": "MATCH (n) SET n.n = 1"},
    )
    assert op.apply(as_store(fake)) == Counters(properties_set=2)
    assert fake.calls == [("write", expected)]


def test_run_cypher_refuses_an_engine_it_has_no_text_for() -> None:
    fake = RecordingStore("falkordb")
    op = RunCypher(description="re-key phones", by_engine={"neo4j": FIX})
    with pytest.raises(
        MigrationError, match=r"'re-key phones' has no Cypher for engine 'falkordb'"
    ):
        op.apply(as_store(fake))
    assert fake.calls == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({}, "needs a default statement or one per engine"),
        ({"by_engine": {"falkor": FIX}}, "unknown engine"),
        ({"by_engine": {"neo4j": "  "}}, "empty statement"),
        ({"default": ""}, "at least 1 character"),
    ],
)
def test_run_cypher_validation(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RunCypher(description="x", **kwargs)


# -- plan ------------------------------------------------------------------------------------


def test_plan_on_a_fresh_graph_lists_every_step(fake: RecordingStore) -> None:
    p = plan(as_store(fake), [step2(), step1()])
    assert p.ok
    assert not p.up_to_date
    assert p.applied == ()
    assert [(s.version, s.name) for s in p.pending] == [(1, "initial"), (2, "dob_and_names")]
    assert p.pending[1].ops == (
        "create index idx_person_dob on (:Person) (dob)",
        "data fix: fill missing names [every engine]",
    )
    assert p.pending[0].checksum == step1().checksum
    text = p.describe()
    assert "0 applied, 2 pending" in text
    assert "m0002 dob_and_names: dob index, missing names" in text
    assert "    - create index idx_person_dob on (:Person) (dob)" in text
    assert fake.writes() == []


def test_dry_run_reads_only(fake: RecordingStore) -> None:
    report = apply(as_store(fake), [step1(), step2()], dry_run=True)
    assert report.dry_run
    assert report.applied == 0
    assert len(report.plan.pending) == 2
    assert fake.writes() == []
    assert report.describe().startswith("dry run, nothing applied\n")


# -- apply -----------------------------------------------------------------------------------


def test_apply_bootstraps_the_ledger_then_applies_in_order(fake: RecordingStore) -> None:
    seen: list[StepResult] = []
    clock = datetime(2025, 3, 1, 13, 0, tzinfo=timezone(timedelta(hours=1)))
    report = apply(as_store(fake), [step2(), step1()], on_step=seen.append, clock=lambda: clock)

    assert fake.writes() == [
        ("apply_schema", LEDGER_UNIQUE),
        ("apply_schema", PERSON_ID),
        ("apply_schema", PERSON_FT),
        ("write", RECORD_STEP),
        ("apply_schema", PERSON_DOB),
        ("write", FIX),
        ("write", RECORD_STEP),
    ]
    assert report.applied == 2
    assert report.ops == 4
    assert [s.id for s in report.steps] == ["m0001", "m0002"]
    assert seen == list(report.steps)
    assert report.steps[1].counters == Counters(properties_set=2)
    assert all(s.duration_ms >= 0 for s in report.steps)
    assert report.duration_ms >= 0

    row = fake.ledger["m0001"]
    assert row == {
        "id": "m0001",
        "version": 1,
        "name": "initial",
        "checksum": step1().checksum,
        "applied_at": "2025-03-01T12:00:00.000+00:00",
        "duration_ms": row["duration_ms"],
        "engine": "falkordb",
    }
    assert "applied 2 step(s), 4 operation(s)" in report.describe()


def test_second_run_applies_nothing(fake: RecordingStore) -> None:
    apply(as_store(fake), [step1(), step2()])
    fake.calls.clear()
    report = apply(as_store(fake), [step1(), step2()])
    assert report.applied == 0
    assert report.plan.up_to_date
    assert fake.writes() == []
    assert "up to date, nothing applied" in report.describe()
    assert "up to date" in report.plan.describe()


def test_new_step_after_applied_ones(fake: RecordingStore) -> None:
    apply(as_store(fake), [step1()])
    report = apply(as_store(fake), [step1(), step2()])
    assert [s.id for s in report.steps] == ["m0002"]
    assert [e.id for e in report.plan.applied] == ["m0001"]


def test_changed_applied_step_is_refused(fake: RecordingStore) -> None:
    apply(as_store(fake), [step1()])
    recorded = step1().checksum
    edited = step1().model_copy(update={"ops": (CreateUnique(spec=PERSON_ID),)})
    fake.calls.clear()

    p = plan(as_store(fake), [edited, step2()])
    assert not p.ok
    (problem,) = p.problems
    assert isinstance(problem, ChecksumMismatch)
    message = str(problem)
    assert "m0001 initial" in message
    assert recorded in message
    assert edited.checksum in message
    assert "write a new step instead of editing an applied one" in message
    assert "nothing will be applied" in p.describe()

    with pytest.raises(ChecksumMismatch, match="m0001 initial was changed after it was applied"):
        apply(as_store(fake), [edited, step2()])
    assert fake.writes() == []
    # A dry run shows the problem instead of raising it.
    dry = apply(as_store(fake), [edited, step2()], dry_run=True)
    assert [str(x) for x in dry.plan.problems] == [message]


def test_ledger_entry_without_a_step_means_a_newer_clew(fake: RecordingStore) -> None:
    apply(as_store(fake), [step1(), step2()])
    fake.calls.clear()
    p = plan(as_store(fake), [step1()])
    (problem,) = p.problems
    assert type(problem) is MigrationError
    assert "m0002 dob_and_names" in str(problem)
    assert "the graph was migrated by a newer Clew" in str(problem)
    with pytest.raises(MigrationError, match="newer Clew"):
        apply(as_store(fake), [step1()])
    assert fake.writes() == []


def test_several_problems_are_raised_together(fake: RecordingStore) -> None:
    apply(as_store(fake), [step1(), step2()])
    edited = step1().model_copy(update={"ops": (CreateUnique(spec=PERSON_ID),)})
    with pytest.raises(MigrationError, match="2 problems, nothing applied") as info:
        apply(as_store(fake), [edited])
    assert type(info.value) is MigrationError


def test_pending_fix_without_text_for_the_engine_is_refused_before_anything(
    fake: RecordingStore,
) -> None:
    neo4j_only = RunCypher(description="re-key phones", by_engine={"neo4j": FIX})
    p = plan(as_store(fake), [step1(), step2(neo4j_only)])
    (problem,) = p.problems
    assert "step m0002 dob_and_names: data fix 're-key phones' has no Cypher" in str(problem)
    with pytest.raises(MigrationError, match="no Cypher for engine 'falkordb'"):
        apply(as_store(fake), [step1(), step2(neo4j_only)])
    assert fake.writes() == []
    # The same steps are fine on the engine they were written for.
    assert apply(as_store(RecordingStore("neo4j")), [step1(), step2(neo4j_only)]).applied == 2


def test_failure_mid_step_records_nothing_of_it_and_a_rerun_finishes(
    fake: RecordingStore,
) -> None:
    fake.fail_on = "SET p.name"
    with pytest.raises(
        MigrationError, match=r"m0002 dob_and_names failed at operation 2 of 2"
    ) as info:
        apply(as_store(fake), [step1(), step2()])
    assert isinstance(info.value.__cause__, QueryError)
    assert "engine says no" in str(info.value)
    assert set(fake.ledger) == {"m0001"}
    assert PERSON_DOB in fake.schema  # the op before the failure stays: ops are idempotent

    fake.fail_on = None
    report = apply(as_store(fake), [step1(), step2()])
    assert [s.id for s in report.steps] == ["m0002"]
    assert set(fake.ledger) == {"m0001", "m0002"}


def test_a_step_recorded_by_another_migrator_meanwhile(fake: RecordingStore) -> None:
    fake.race_on = "m0001"
    with pytest.raises(MigrationError, match="recorded by another migrator") as info:
        apply(as_store(fake), [step1()])
    assert isinstance(info.value.__cause__, ConstraintViolation)


def test_pending_step_older_than_an_applied_one_is_refused(fake: RecordingStore) -> None:
    fake.ledger["m0002"] = {
        "id": "m0002",
        "version": 2,
        "name": "dob_and_names",
        "checksum": step2().checksum,
        "applied_at": datetime.now(UTC).isoformat(),
        "duration_ms": 1.0,
        "engine": "falkordb",
    }
    p = plan(as_store(fake), [step1(), step2()])
    (problem,) = p.problems
    assert "m0001 initial is pending but a later step (version 2) is already applied" in str(
        problem
    )


def test_unreadable_ledger_row(fake: RecordingStore) -> None:
    fake.ledger["m0001"] = {c: None for c in COLUMNS} | {"id": "m0001", "version": 1}
    with pytest.raises(MigrationError, match="ledger in memory://test holds an unreadable row"):
        plan(as_store(fake), [step1()])
