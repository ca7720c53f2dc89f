"""Intelligence records: free-text reports with their grading and named subjects.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from schema.base import (
    Codes,
    NonEmptyStr,
    PartialDate,
    StrictModel,
)
from schema.grading import Grading
from schema.ids import IdKey
from schema.record import Record


class ReportSubject(StrictModel):
    """A person an intelligence report names as a subject."""

    name: NonEmptyStr
    dob: PartialDate | None = None
    nominal_ref: NonEmptyStr | None = None
    role: NonEmptyStr | None = Field(default=None, description='e.g. "suspect", "victim"')


class IntelReportRecord(Record):
    """A free-text intelligence report with its grading and tags.

    It names who owns it by ``force``, ``unit`` or both: some sources give only the unit (a
    regional organised crime unit, a partner agency's team), and either is enough to ask the
    owner about the report.
    """

    label: ClassVar[str] = "IntelReportRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_intel", ("report_ref",))

    kind: Literal["intel_report"] = "intel_report"
    report_ref: NonEmptyStr
    reported_on: date
    force: NonEmptyStr | None = None
    unit: NonEmptyStr | None = None
    grading: Grading
    tags: Codes = ()
    text: str = Field(min_length=1, description="kept as written: mentions are spans into it")
    subjects: tuple[ReportSubject, ...] = ()

    @model_validator(mode="after")
    def _owner(self) -> IntelReportRecord:
        if self.force is None and self.unit is None:
            raise ValueError("a report needs the force or the unit that owns it (neither given)")
        return self

    @property
    def effective_grading(self) -> Grading:
        return self.grading

    @property
    def csae(self) -> bool:
        """Whether the report is tagged as child sexual abuse and exploitation."""
        return "CSAE" in self.tags
