"""A versioned migration step, its checksum, and checks on a sequence of steps.

A step is applied once per graph and recorded in the ledger with its checksum; from then on it is
immutable. A change to what it does (any operation, any field of one) changes the checksum, and
the runner refuses to go on until the change is undone and written as a new step instead.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field, field_validator

from migrations.ops import Op, schema_effect
from schema.errors import MigrationError
from schema.specs import SchemaObject

MAX_VERSION = 9999
_SLUG = re.compile(r"^[a-z][a-z0-9_]*$")
MODULE_NAME = re.compile(r"^m(?P<version>\d{4})_(?P<name>[a-z][a-z0-9_]*)$")
"""How a step's module is named: ``m0001_initial_schema`` is version 1, ``initial_schema``."""


class Step(BaseModel):
    """One migration step: what it is called and the operations it applies, in order."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    version: int = Field(ge=1, le=MAX_VERSION)
    name: str
    description: str = Field(min_length=1)
    ops: tuple[Op, ...] = Field(min_length=1)

    @field_validator("name")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not _SLUG.match(v):
            raise ValueError(f"{v!r} is not a slug (lower-case letters, digits, underscore)")
        return v

    @property
    def id(self) -> str:
        """The ledger's key for this step: ``m0001``."""
        return f"m{self.version:04d}"

    @property
    def module_name(self) -> str:
        """The module this step must live in: ``m0001_initial_schema``."""
        return f"{self.id}_{self.name}"

    @property
    def checksum(self) -> str:
        """sha256 (hex) of the canonical JSON of the operations: sorted keys, no whitespace."""
        canonical = json.dumps(
            [op.canonical() for op in self.ops],
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=True,
        )
        return hashlib.sha256(canonical.encode("ascii")).hexdigest()

    def label(self) -> str:
        """``m0001 initial_schema``, for messages."""
        return f"{self.id} {self.name}"


def check_sequence(steps: Iterable[Step]) -> tuple[Step, ...]:
    """The steps in version order, refusing duplicate versions or a gap (versions run 1..N)."""
    ordered = sorted(steps, key=lambda s: s.version)
    seen: dict[int, Step] = {}
    for step in ordered:
        if step.version in seen:
            raise MigrationError(
                f"two steps have version {step.version}: {seen[step.version].label()} and "
                f"{step.label()}; give the newer one the next free version"
            )
        seen[step.version] = step
    for expected, step in enumerate(ordered, start=1):
        if step.version != expected:
            raise MigrationError(
                f"step version {expected} is missing (next is {step.label()}); versions must run "
                "1, 2, 3... without gaps"
            )
    return tuple(ordered)


def schema_after(steps: Iterable[Step]) -> frozenset[SchemaObject]:
    """The schema objects that exist once every step has run: created minus dropped, in order."""
    objects: set[SchemaObject] = set()
    for step in steps:
        for op in step.ops:
            effect = schema_effect(op)
            if effect is None:
                continue
            action, spec = effect
            if action == "create":
                objects.add(spec)
            else:
                objects.discard(spec)
    return frozenset(objects)
