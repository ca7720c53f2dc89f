"""Where a record came from: every loaded row carries one ``Provenance``.

A record node keeps these as properties (``Record.node_properties``), so that any fact in the
graph can be traced to a file, a line and the exact bytes that were read (``raw_hash``), and so
that the grading and sensitivity of the row flow to what is derived from it.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from schema.base import NonEmptyStr, StrictModel, UtcDatetime
from schema.grading import Grading, Sensitivity

SourceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
"""A source's short name: "companies_house", "pnc", "api_passengers"."""


class Provenance(StrictModel):
    """The load that produced a record."""

    source: SourceName
    source_file: NonEmptyStr
    line: int = Field(ge=1, description="1-based line (or row) in source_file")
    load_batch: NonEmptyStr
    loaded_at: UtcDatetime
    raw_hash: Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")] = Field(
        description="SHA-256 of the raw row (schema.ids.raw_hash)"
    )
    handling: Grading | None = Field(
        default=None, description="grading and handling code of the source or row"
    )
    sensitivity: Sensitivity = Sensitivity.OFFICIAL


PROVENANCE_PROPERTIES: tuple[str, ...] = tuple(Provenance.model_fields)
"""The property names a record node takes from its provenance."""
