"""Relationships: records to the entities they describe, and entities to each other.

Every edge names its ends by id (``start``, ``end``) and label (``start_label``, ``end_label``:
filled in when the type allows one label, checked against the type's labels otherwise), carries
the ids of the records that assert it (``record_ids``, at least one) and a sensitivity no lower
than theirs. Its own id comes from its type, its ends and whatever tells two edges between the
same ends apart (an appointment's role and date, a mention's span), so re-deriving an edge
writes the same relationship again.

Relationships that have dates of their own keep them: an address lived at, a phone held, a
directorship, control of a company, the first and last call between two phones.

``RESOLVES_TO`` is a decision, and is recorded like one (nomenklatura's resolver edges): a
``Judgement``, the score and rule (with its version) behind it, who decided, when and why.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field, field_validator, model_validator

from schema.access import NEVER, Access
from schema.base import (
    NatureOfControl,
    NonEmptyStr,
    PartialDate,
    Pnr,
    Role,
    Seat,
    UtcDatetime,
    check_span,
)
from schema.entities import ENTITY_TYPES
from schema.grading import Sensitivity
from schema.ids import Id, IdKey, Keyed

_ENDS = ("start", "end")
ENTITY_LABELS: tuple[str, ...] = tuple(t.label for t in ENTITY_TYPES)


class Judgement(StrEnum):
    """An entity-resolution decision about a record and an entity (or two entities)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    UNSURE = "unsure"
    NO_JUDGEMENT = "no_judgement"


class Edge(Keyed):
    """A relationship between two nodes, with the records that assert it."""

    rel_type: ClassVar[str]
    start_labels: ClassVar[tuple[str, ...]]
    end_labels: ClassVar[tuple[str, ...]]

    start: Id = Field(description="id of the start node")
    end: Id = Field(description="id of the end node")
    start_label: str = Field(default="", description="filled in when the type has one")
    end_label: str = Field(default="", description="filled in when the type has one")
    record_ids: tuple[Id, ...] = Field(min_length=1)
    sensitivity: Sensitivity = Sensitivity.OFFICIAL
    conditional: bool = Field(
        default=False, description="a record behind it has a handling code with conditions"
    )
    see_any: int | None = Field(
        default=None,
        description="least restrictive marking among its records (schema.access); "
        "None: the edge's own sensitivity",
    )
    see_plain: int | None = Field(
        default=None,
        description="the same among its unconditional records; None: derived from "
        "sensitivity and conditional, as for one record",
    )

    @model_validator(mode="before")
    @classmethod
    def _single_labels(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            if not data.get("start_label") and len(cls.start_labels) == 1:
                data["start_label"] = cls.start_labels[0]
            if not data.get("end_label") and len(cls.end_labels) == 1:
                data["end_label"] = cls.end_labels[0]
        return data

    @field_validator("record_ids")
    @classmethod
    def _records(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        # Sorted so that the same assertion from records found in another order is equal.
        return tuple(sorted(set(value)))

    @model_validator(mode="after")
    def _labels(self) -> Edge:
        for end, label, allowed in (
            ("start", self.start_label, self.start_labels),
            ("end", self.end_label, self.end_labels),
        ):
            if not label:
                raise ValueError(
                    f"{self.rel_type} can {end} at several labels: "
                    f"give {end}_label, one of {', '.join(allowed)}"
                )
            if label not in allowed:
                raise ValueError(
                    f"{self.rel_type} cannot {end} at {label}; allowed: {', '.join(allowed)}"
                )
        return self

    def upsert_row(self) -> dict[str, Any]:
        """The row ``GraphStore.upsert_edges`` takes: ``id``, ``start``, ``end``, ``props``."""
        props = self.model_dump(
            mode="json", exclude={"id", "start", "end", "start_label", "end_label"}
        )
        props.update(self.access().properties())
        return {"id": self.id, "start": self.start, "end": self.end, "props": props}

    def access(self) -> Access:
        """Its access properties (``schema.access``): as given for an edge several records
        assert, else those of the one record behind it (its sensitivity and handling)."""
        level = int(self.sensitivity)
        see_any = level if self.see_any is None else self.see_any
        if self.see_plain is not None:
            see_plain = self.see_plain
        else:
            see_plain = NEVER if self.conditional else level
        return Access(see_any, see_plain, level, bool(self.conditional))


class DatedEdge(Edge):
    """An edge that holds for a time, as far as the sources say."""

    from_date: PartialDate | None = None
    to_date: PartialDate | None = None

    @model_validator(mode="after")
    def _span(self) -> DatedEdge:
        try:
            check_span(self.from_date, self.to_date)
        except ValueError as exc:
            raise ValueError(f"{self.rel_type} {exc}") from exc
        return self


# --- resolution ---------------------------------------------------------------------------------


class _FromRecord(Edge):
    """An edge from a record: the record at its start is the one that asserts it."""

    start_labels: ClassVar[tuple[str, ...]] = ("Record",)

    @model_validator(mode="before")
    @classmethod
    def _asserted_by_start(cls, data: Any) -> Any:
        if isinstance(data, dict) and "record_ids" not in data and "start" in data:
            data = {**data, "record_ids": (data["start"],)}
        return data


class ResolvesTo(_FromRecord):
    """A record describes this entity (or, with a negative judgement, does not)."""

    rel_type: ClassVar[str] = "RESOLVES_TO"
    start_labels: ClassVar[tuple[str, ...]] = ("Record",)
    end_labels: ClassVar[tuple[str, ...]] = ENTITY_LABELS
    id_key: ClassVar[IdKey] = IdKey("resolves_to", _ENDS)

    score: float = Field(ge=0.0, le=1.0)
    rule: NonEmptyStr = Field(description="the rule or model that scored the pair")
    rule_version: NonEmptyStr
    judgement: Judgement
    decided_by: NonEmptyStr = Field(description='"resolver" or the analyst who decided')
    decided_at: UtcDatetime
    reason: NonEmptyStr | None = None


class RefersTo(_FromRecord):
    """A record names a keyed entity in one of its fields (its phone, its registered address,
    the company it is an appointment to): what the record itself says, before resolution.

    Entity resolution reads these links (records that share a phone) and derives the
    entity-level relationships (``HAS_PHONE``...) of the people it builds, with the records
    behind each; ``role`` says which field the link comes from.
    """

    rel_type: ClassVar[str] = "REFERS_TO"
    start_labels: ClassVar[tuple[str, ...]] = ("Record",)
    end_labels: ClassVar[tuple[str, ...]] = ENTITY_LABELS
    id_key: ClassVar[IdKey] = IdKey("refers_to", (*_ENDS, "role"))

    role: NonEmptyStr = Field(description='the field: "phone", "registered_address", "company"...')


# --- people, companies and their contacts -------------------------------------------------------

_HOLDERS = ("Person", "Company")


class HasPhone(DatedEdge):
    rel_type: ClassVar[str] = "HAS_PHONE"
    start_labels: ClassVar[tuple[str, ...]] = _HOLDERS
    end_labels: ClassVar[tuple[str, ...]] = ("Phone",)
    id_key: ClassVar[IdKey] = IdKey("has_phone", _ENDS)


class HasEmail(DatedEdge):
    rel_type: ClassVar[str] = "HAS_EMAIL"
    start_labels: ClassVar[tuple[str, ...]] = _HOLDERS
    end_labels: ClassVar[tuple[str, ...]] = ("Email",)
    id_key: ClassVar[IdKey] = IdKey("has_email", _ENDS)


class LivesAt(DatedEdge):
    rel_type: ClassVar[str] = "LIVES_AT"
    start_labels: ClassVar[tuple[str, ...]] = ("Person",)
    end_labels: ClassVar[tuple[str, ...]] = ("Address",)
    id_key: ClassVar[IdKey] = IdKey("lives_at", _ENDS)


class RegisteredAt(DatedEdge):
    """A company's registered office (shared offices reveal formation agents)."""

    rel_type: ClassVar[str] = "REGISTERED_AT"
    start_labels: ClassVar[tuple[str, ...]] = ("Company",)
    end_labels: ClassVar[tuple[str, ...]] = ("Address",)
    id_key: ClassVar[IdKey] = IdKey("registered_at", _ENDS)


class OfficerOf(Edge):
    """An appointment; a reappointment after resigning is a second edge."""

    rel_type: ClassVar[str] = "OFFICER_OF"
    start_labels: ClassVar[tuple[str, ...]] = _HOLDERS
    end_labels: ClassVar[tuple[str, ...]] = ("Company",)
    id_key: ClassVar[IdKey] = IdKey(
        "officer_of", (*_ENDS, "role", "appointed_on"), optional=frozenset({"appointed_on"})
    )

    role: Role
    appointment_type: str | None = Field(default=None, pattern=r"^\d{2}$")
    appointed_on: date | None = None
    resigned_on: date | None = None

    @model_validator(mode="after")
    def _span(self) -> OfficerOf:
        check_span(self.appointed_on, self.resigned_on)
        return self


class PscOf(Edge):
    """Significant control of a company, from notification to cessation."""

    rel_type: ClassVar[str] = "PSC_OF"
    start_labels: ClassVar[tuple[str, ...]] = _HOLDERS
    end_labels: ClassVar[tuple[str, ...]] = ("Company",)
    id_key: ClassVar[IdKey] = IdKey(
        "psc_of", (*_ENDS, "notified_on"), optional=frozenset({"notified_on"})
    )

    natures_of_control: tuple[NatureOfControl, ...] = ()
    notified_on: date | None = None
    ceased_on: date | None = None

    @model_validator(mode="after")
    def _span(self) -> PscOf:
        check_span(self.notified_on, self.ceased_on)
        return self


class HoldsDocument(Edge):
    rel_type: ClassVar[str] = "HOLDS_DOCUMENT"
    start_labels: ClassVar[tuple[str, ...]] = ("Person",)
    end_labels: ClassVar[tuple[str, ...]] = ("TravelDocument",)
    id_key: ClassVar[IdKey] = IdKey("holds_document", _ENDS)


# --- travel -------------------------------------------------------------------------------------


class PassengerOn(Edge):
    rel_type: ClassVar[str] = "PASSENGER_ON"
    start_labels: ClassVar[tuple[str, ...]] = ("Person",)
    end_labels: ClassVar[tuple[str, ...]] = ("Flight",)
    id_key: ClassVar[IdKey] = IdKey("passenger_on", _ENDS)

    seat: Seat | None = None
    pnr: Pnr | None = Field(default=None, description="booking record locator")
    document_id: Id | None = Field(
        default=None, description="id of the TravelDocument travelled on"
    )
    infant: bool = False


class DepartsFrom(Edge):
    rel_type: ClassVar[str] = "DEPARTS_FROM"
    start_labels: ClassVar[tuple[str, ...]] = ("Flight",)
    end_labels: ClassVar[tuple[str, ...]] = ("Airport",)
    id_key: ClassVar[IdKey] = IdKey("departs_from", _ENDS)


class ArrivesAt(Edge):
    rel_type: ClassVar[str] = "ARRIVES_AT"
    start_labels: ClassVar[tuple[str, ...]] = ("Flight",)
    end_labels: ClassVar[tuple[str, ...]] = ("Airport",)
    id_key: ClassVar[IdKey] = IdKey("arrives_at", _ENDS)


class OperatedBy(Edge):
    rel_type: ClassVar[str] = "OPERATED_BY"
    start_labels: ClassVar[tuple[str, ...]] = ("Flight",)
    end_labels: ClassVar[tuple[str, ...]] = ("Airline",)
    id_key: ClassVar[IdKey] = IdKey("operated_by", _ENDS)


# --- telephony ----------------------------------------------------------------------------------


class Called(Edge):
    """Calls and texts from one phone to another, aggregated from call records."""

    rel_type: ClassVar[str] = "CALLED"
    start_labels: ClassVar[tuple[str, ...]] = ("Phone",)
    end_labels: ClassVar[tuple[str, ...]] = ("Phone",)
    id_key: ClassVar[IdKey] = IdKey("called", _ENDS)

    count: int = Field(ge=1)
    total_duration_s: int = Field(ge=0)
    first_seen: UtcDatetime
    last_seen: UtcDatetime

    @model_validator(mode="after")
    def _seen(self) -> Called:
        if self.last_seen < self.first_seen:
            raise ValueError(
                f"last seen ({self.last_seen.isoformat()}) is before first seen "
                f"({self.first_seen.isoformat()})"
            )
        return self


# --- intelligence and missing episodes ----------------------------------------------------------


class Mentions(Edge):
    """A report names an entity: where in its text, and which extractor found it."""

    rel_type: ClassVar[str] = "MENTIONS"
    start_labels: ClassVar[tuple[str, ...]] = ("IntelReport",)
    end_labels: ClassVar[tuple[str, ...]] = ENTITY_LABELS
    id_key: ClassVar[IdKey] = IdKey("mentions", (*_ENDS, "span_start", "span_end"))

    span_start: int = Field(ge=0, description="offset of the first character (code points)")
    span_end: int = Field(gt=0, description="offset after the last character")
    matched_text: str = Field(min_length=1, description="the text at the span, as written")
    extractor: NonEmptyStr
    extractor_version: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _span(self) -> Mentions:
        if self.span_end - self.span_start != len(self.matched_text):
            raise ValueError(
                f"span {self.span_start}-{self.span_end} is {self.span_end - self.span_start} "
                f"characters, matched text {self.matched_text!r} is {len(self.matched_text)}"
            )
        return self


class ReportedMissing(Edge):
    """A child and one of their missing episodes."""

    rel_type: ClassVar[str] = "REPORTED_MISSING"
    start_labels: ClassVar[tuple[str, ...]] = ("Person",)
    end_labels: ClassVar[tuple[str, ...]] = ("MissingEpisode",)
    id_key: ClassVar[IdKey] = IdKey("reported_missing", _ENDS)


class SubjectOf(Edge):
    """A person is a named subject of a report (as suspect, victim...), derived by entity
    resolution from the report's subject mention that resolved to them."""

    rel_type: ClassVar[str] = "SUBJECT_OF"
    start_labels: ClassVar[tuple[str, ...]] = ("Person",)
    end_labels: ClassVar[tuple[str, ...]] = ("IntelReport",)
    id_key: ClassVar[IdKey] = IdKey("subject_of", _ENDS)

    role: NonEmptyStr | None = None


class FoundAt(Edge):
    """Where a missing child was found."""

    rel_type: ClassVar[str] = "FOUND_AT"
    start_labels: ClassVar[tuple[str, ...]] = ("MissingEpisode",)
    end_labels: ClassVar[tuple[str, ...]] = ("Address", "Location")
    id_key: ClassVar[IdKey] = IdKey("found_at", _ENDS)


EDGE_TYPES: tuple[type[Edge], ...] = (
    ResolvesTo,
    RefersTo,
    HasPhone,
    HasEmail,
    LivesAt,
    RegisteredAt,
    OfficerOf,
    PscOf,
    HoldsDocument,
    PassengerOn,
    DepartsFrom,
    ArrivesAt,
    OperatedBy,
    Called,
    Mentions,
    ReportedMissing,
    SubjectOf,
    FoundAt,
)
