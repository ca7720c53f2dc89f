"""Steps, checksums and sequence checks: no store needed."""

from __future__ import annotations

import hashlib

import pytest
from pydantic import ValidationError

from migrations.ops import (
    CreateFullText,
    CreateIndex,
    CreateUnique,
    DropFullText,
    DropIndex,
    Op,
    RunCypher,
)
from migrations.step import Step, check_sequence, schema_after
from schema.errors import MigrationError
from schema.specs import FullTextSpec, IndexSpec, UniqueSpec

PERSON_ID = UniqueSpec(label="Person", property="id")
PERSON_DOB = IndexSpec(label="Person", properties=("dob",))
PERSON_FT = FullTextSpec(label="Person", properties=("name",))


def make(version: int, *ops: Op, name: str = "step", description: str = "a step") -> Step:
    return Step(
        version=version,
        name=name,
        description=description,
        ops=ops or (CreateUnique(spec=PERSON_ID),),
    )


def test_id_and_module_name() -> None:
    step = make(12, name="add_dob_index")
    assert step.id == "m0012"
    assert step.module_name == "m0012_add_dob_index"
    assert step.label() == "m0012 add_dob_index"


@pytest.mark.parametrize("name", ["Bad", "1abc", "has-dash", "", "spa ce"])
def test_name_must_be_a_slug(name: str) -> None:
    with pytest.raises(ValidationError, match=r"slug|at least"):
        make(1, name=name)


@pytest.mark.parametrize("version", [0, -1, 10_000])
def test_version_range(version: int) -> None:
    with pytest.raises(ValidationError):
        make(version)


def test_a_step_needs_operations() -> None:
    with pytest.raises(ValidationError):
        Step(version=1, name="empty", description="nothing", ops=())


def test_ops_keep_their_types() -> None:
    step = make(1, CreateIndex(spec=PERSON_DOB), DropIndex(spec=PERSON_DOB))
    assert [type(op) for op in step.ops] == [CreateIndex, DropIndex]


def test_checksum_is_sha256_hex_and_stable() -> None:
    a = make(1, CreateUnique(spec=PERSON_ID), CreateIndex(spec=PERSON_DOB))
    b = make(1, CreateUnique(spec=PERSON_ID), CreateIndex(spec=PERSON_DOB))
    assert len(a.checksum) == 64
    assert int(a.checksum, 16) >= 0
    assert a.checksum == b.checksum


def test_checksum_pinned() -> None:
    # The canonical form is part of the ledger's format: a change here (pydantic dumping
    # differently, a renamed op) would make every applied step look edited.
    step = make(1, CreateUnique(spec=PERSON_ID))
    canonical = b'[{"op":"create_unique","spec":{"label":"Person","property":"id"}}]'
    assert step.checksum == hashlib.sha256(canonical).hexdigest()


def test_checksum_ignores_name_and_description() -> None:
    a = make(1, CreateIndex(spec=PERSON_DOB), name="one", description="first words")
    b = make(1, CreateIndex(spec=PERSON_DOB), name="two", description="other words")
    assert a.checksum == b.checksum


def test_checksum_ignores_defaults_spelled_out() -> None:
    implicit = make(1, CreateIndex(spec=IndexSpec(label="Person", properties=("dob",))))
    explicit = make(
        1, CreateIndex(spec=IndexSpec(entity="node", label="Person", properties=("dob",)))
    )
    assert implicit.checksum == explicit.checksum


@pytest.mark.parametrize(
    ("before", "after"),
    [
        # another property
        (
            CreateIndex(spec=PERSON_DOB),
            CreateIndex(spec=IndexSpec(label="Person", properties=("x",))),
        ),
        # create vs drop of the same spec
        (CreateIndex(spec=PERSON_DOB), DropIndex(spec=PERSON_DOB)),
        # node vs relationship index
        (
            CreateIndex(spec=IndexSpec(label="CALLED", properties=("first_seen",))),
            CreateIndex(
                spec=IndexSpec(entity="relationship", label="CALLED", properties=("first_seen",))
            ),
        ),
        # full-text properties
        (
            CreateFullText(spec=PERSON_FT),
            CreateFullText(spec=FullTextSpec(label="Person", properties=("name", "aliases"))),
        ),
        # a data fix's text, its engine text, its parameters, its description
        (
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = 1"),
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = 2"),
        ),
        (
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = 1"),
            RunCypher(
                description="fix",
                default="MATCH (n:A) SET n.x = 1",
                by_engine={"neo4j": "MATCH (n:A) SET n.x = 1"},
            ),
        ),
        (
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = $v", params={"v": 1}),
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = $v", params={"v": 2}),
        ),
        (
            RunCypher(description="fix", default="MATCH (n:A) SET n.x = 1"),
            RunCypher(description="fix it", default="MATCH (n:A) SET n.x = 1"),
        ),
    ],
)
def test_any_change_to_an_op_changes_the_checksum(before: Op, after: Op) -> None:
    assert make(1, before).checksum != make(1, after).checksum


def test_order_of_ops_changes_the_checksum() -> None:
    a, b = CreateUnique(spec=PERSON_ID), CreateIndex(spec=PERSON_DOB)
    assert make(1, a, b).checksum != make(1, b, a).checksum


def test_check_sequence_orders() -> None:
    steps = [make(3), make(1), make(2)]
    assert [s.version for s in check_sequence(steps)] == [1, 2, 3]
    assert check_sequence([]) == ()


def test_check_sequence_refuses_duplicates() -> None:
    with pytest.raises(MigrationError, match=r"two steps have version 2: m0002 one and m0002 two"):
        check_sequence([make(1), make(2, name="one"), make(2, name="two")])


def test_check_sequence_refuses_gaps() -> None:
    with pytest.raises(MigrationError, match=r"step version 2 is missing \(next is m0003 step\)"):
        check_sequence([make(1), make(3)])
    with pytest.raises(MigrationError, match="step version 1 is missing"):
        check_sequence([make(2)])


def test_schema_after_folds_creates_and_drops_in_order() -> None:
    steps = [
        make(1, CreateUnique(spec=PERSON_ID), CreateIndex(spec=PERSON_DOB)),
        make(2, DropIndex(spec=PERSON_DOB), CreateFullText(spec=PERSON_FT)),
        make(3, RunCypher(description="fix", default="MATCH (n) SET n.x = 1")),
        make(4, DropFullText(spec=PERSON_FT), CreateFullText(spec=PERSON_FT)),
    ]
    assert schema_after(steps) == {PERSON_ID, PERSON_FT}
    assert schema_after(steps[:1]) == {PERSON_ID, PERSON_DOB}
