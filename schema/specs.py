"""Declarations of graph schema objects: indexes, unique constraints and full-text indexes.

These are data, not DDL: ``graph`` turns each into the statement its engine needs (through the
dialect), ``migrations`` records which have been applied, and ``schema.graph_schema`` declares the
ones Clew's graph has. Names are deterministic so that the same declaration always names the same
index on every engine.
"""

from __future__ import annotations

import builtins
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, field_validator

_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

EntityKind = Literal["node", "relationship"]


def check_identifier(value: str) -> str:
    # Labels and property names are spliced into DDL (engines take no parameters there), so they
    # are restricted to plain identifiers here, at the boundary.
    if not _IDENT.match(value):
        raise ValueError(f"{value!r} is not a plain identifier (letters, digits, underscore)")
    return value


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class IndexSpec(_Spec):
    """A range (exact and ordered lookup) index on one or more properties."""

    entity: EntityKind = "node"
    label: str
    properties: tuple[str, ...]

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        return check_identifier(v)

    @field_validator("properties")
    @classmethod
    def _props(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("an index needs at least one property")
        return tuple(check_identifier(p) for p in v)

    @property
    def name(self) -> str:
        prefix = "idx" if self.entity == "node" else "ridx"
        return f"{prefix}_{self.label}_{'_'.join(self.properties)}".lower()


class UniqueSpec(_Spec):
    """A uniqueness constraint on one node property (engines index it as well)."""

    label: str
    property: str

    @field_validator("label", "property")
    @classmethod
    def _ident(cls, v: str) -> str:
        return check_identifier(v)

    @builtins.property  # the field named `property` shadows the builtin here
    def name(self) -> str:
        return f"uniq_{self.label}_{self.property}".lower()


class FullTextSpec(_Spec):
    """A full-text index over text properties of one node label."""

    label: str
    properties: tuple[str, ...]

    @field_validator("label")
    @classmethod
    def _label(cls, v: str) -> str:
        return check_identifier(v)

    @field_validator("properties")
    @classmethod
    def _props(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        if not v:
            raise ValueError("a full-text index needs at least one property")
        return tuple(check_identifier(p) for p in v)

    @property
    def name(self) -> str:
        return f"ft_{self.label}".lower()


SchemaObject = IndexSpec | UniqueSpec | FullTextSpec
