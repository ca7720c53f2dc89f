"""What a migration step does, one operation at a time.

Operations are data (frozen pydantic models): a step lists them literally, its checksum is taken
over them, and a plan prints them. Each applies itself through the ``GraphStore`` protocol, so a
step is written once and runs on every engine; the one thing written per engine is the Cypher of
a data fix (``RunCypher.by_engine``), where the engines' dialects differ.

Every operation must be idempotent: the runner applies a step's operations and then records the
step in the ledger, so a crash between the two leaves the step unrecorded and the next run applies
all of its operations again. Schema operations are idempotent by the store's contract
(``apply_schema`` creates if missing, ``drop_schema`` drops if present); a data fix must be
written so that running it twice changes nothing the second time (MERGE, or a WHERE clause that
matches only what still needs fixing).
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, field_validator, model_validator

from graph.results import Counters
from graph.store import GraphStore
from schema.errors import MigrationError
from schema.specs import FullTextSpec, IndexSpec, SchemaObject, UniqueSpec

ENGINES: tuple[str, ...] = ("falkordb", "neo4j")
"""The engine names a ``RunCypher`` may be written for (``GraphStore.engine`` values)."""


class _Op(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    # The checksum is taken over ``canonical()``, which names the operation by ``op`` and leaves
    # out fields at their defaults: a field added later to an operation or a spec, with a default
    # that keeps the old behaviour, does not change the checksums of steps already applied.
    op: ClassVar[str]

    def canonical(self) -> dict[str, Any]:
        """This operation as plain JSON data, the input to the step's checksum."""
        return {"op": self.op, **self.model_dump(mode="json", exclude_defaults=True)}

    def describe(self) -> str:
        """One line for a plan."""
        raise NotImplementedError

    def apply(self, store: GraphStore) -> Counters:
        """Apply this operation; safe to repeat (see the module docstring)."""
        raise NotImplementedError


def _on(spec: SchemaObject) -> str:
    if isinstance(spec, UniqueSpec):
        return f"(:{spec.label}).{spec.property}"
    props = ", ".join(spec.properties)
    if isinstance(spec, IndexSpec) and spec.entity == "relationship":
        return f"[:{spec.label}] ({props})"
    return f"(:{spec.label}) ({props})"


class CreateIndex(_Op):
    """Create a range index, if it does not exist."""

    op: ClassVar[str] = "create_index"
    spec: IndexSpec

    def describe(self) -> str:
        return f"create index {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.apply_schema(self.spec)
        return Counters()


class DropIndex(_Op):
    """Drop a range index, if it exists."""

    op: ClassVar[str] = "drop_index"
    spec: IndexSpec

    def describe(self) -> str:
        return f"drop index {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.drop_schema(self.spec)
        return Counters()


class CreateUnique(_Op):
    """Create a uniqueness constraint, if it does not exist."""

    op: ClassVar[str] = "create_unique"
    spec: UniqueSpec

    def describe(self) -> str:
        return f"create unique constraint {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.apply_schema(self.spec)
        return Counters()


class DropUnique(_Op):
    """Drop a uniqueness constraint, if it exists."""

    op: ClassVar[str] = "drop_unique"
    spec: UniqueSpec

    def describe(self) -> str:
        return f"drop unique constraint {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.drop_schema(self.spec)
        return Counters()


class CreateFullText(_Op):
    """Create a full-text index, if it does not exist."""

    op: ClassVar[str] = "create_fulltext"
    spec: FullTextSpec

    def describe(self) -> str:
        return f"create full-text index {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.apply_schema(self.spec)
        return Counters()


class DropFullText(_Op):
    """Drop a full-text index, if it exists."""

    op: ClassVar[str] = "drop_fulltext"
    spec: FullTextSpec

    def describe(self) -> str:
        return f"drop full-text index {self.spec.name} on {_on(self.spec)}"

    def apply(self, store: GraphStore) -> Counters:
        store.drop_schema(self.spec)
        return Counters()


class RunCypher(_Op):
    """A data fix: one parameterised write statement.

    ``default`` is the text for every engine; ``by_engine`` holds the text for an engine whose
    Cypher differs (and overrides ``default`` there). A step whose fix has no text for the store's
    engine is refused before anything of it is applied. The statement must be idempotent.
    """

    op: ClassVar[str] = "run_cypher"
    description: str = Field(min_length=1)
    default: str | None = Field(default=None, min_length=1)
    by_engine: dict[str, str] = Field(default_factory=dict)
    params: dict[str, JsonValue] = Field(default_factory=dict)

    @field_validator("by_engine")
    @classmethod
    def _engines(cls, v: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(v) - set(ENGINES))
        if unknown:
            raise ValueError(f"unknown engine(s) {unknown}: by_engine keys must be in {ENGINES}")
        if any(not text.strip() for text in v.values()):
            raise ValueError("by_engine holds an empty statement")
        return v

    @model_validator(mode="after")
    def _has_text(self) -> RunCypher:
        if self.default is None and not self.by_engine:
            raise ValueError("a RunCypher needs a default statement or one per engine")
        return self

    def statement(self, engine: str) -> str:
        """The statement for ``engine``; ``MigrationError`` if this fix has none for it."""
        text = self.by_engine.get(engine, self.default)
        if text is None:
            written = ", ".join(sorted(self.by_engine))
            raise MigrationError(
                f"data fix {self.description!r} has no Cypher for engine {engine!r} "
                f"(it is written for: {written}); add by_engine[{engine!r}] or a default"
            )
        return text

    def describe(self) -> str:
        engines = "every engine" if self.default is not None else ", ".join(sorted(self.by_engine))
        if self.default is not None and self.by_engine:
            engines += f" (own text for {', '.join(sorted(self.by_engine))})"
        return f"data fix: {self.description} [{engines}]"

    def apply(self, store: GraphStore) -> Counters:
        return store.write(self.statement(store.engine), self.params).counters


Op = CreateIndex | DropIndex | CreateUnique | DropUnique | CreateFullText | DropFullText | RunCypher
"""Every operation a step may hold."""

_CREATES = (CreateIndex, CreateUnique, CreateFullText)
_DROPS = (DropIndex, DropUnique, DropFullText)


def schema_effect(op: Op) -> tuple[Literal["create", "drop"], SchemaObject] | None:
    """What ``op`` does to the set of schema objects, or None for a data fix."""
    if isinstance(op, _CREATES):
        return "create", op.spec
    if isinstance(op, _DROPS):
        return "drop", op.spec
    return None
