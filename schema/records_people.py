"""Records of people: nominals (with their addresses) and missing-person episodes.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from schema.base import (
    E164,
    Codes,
    EmailAddress,
    Gender,
    Names,
    NonEmptyStr,
    PartialDate,
    PostalAddress,
    UtcDatetime,
    check_span,
)
from schema.ids import IdKey
from schema.record import Record


class PersonAddress(PostalAddress):
    """An address a person is recorded at, with the dates the source gives."""

    from_date: PartialDate | None = None
    to_date: PartialDate | None = None

    @model_validator(mode="after")
    def _span(self) -> PersonAddress:
        check_span(self.from_date, self.to_date)
        return self


class PersonRecord(Record):
    """A nominal: a person as a police or partner system records them."""

    label: ClassVar[str] = "PersonRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_person", ("nominal_ref",))

    kind: Literal["person"] = "person"
    nominal_ref: NonEmptyStr
    title: NonEmptyStr | None = None
    forenames: NonEmptyStr | None = None
    surname: NonEmptyStr
    aliases: Names = ()
    dob: PartialDate | None = None
    gender: Gender | None = None
    nationality: NonEmptyStr | None = None
    addresses: tuple[PersonAddress, ...] = ()
    phones: tuple[E164, ...] = ()
    emails: tuple[EmailAddress, ...] = ()
    warning_markers: Codes = ()
    flags: Codes = ()

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.forenames, self.surname) if p)


class MissingEpisodeRecord(Record):
    """One episode of a child going missing, from report to return.

    ``found_at`` is not required to follow ``reported_at``: reports are sometimes completed after
    the child is back, and dropping the row would hide an episode from the risk score.

    Police exports often give only the day. Such a value is kept as a day (``reported_on``,
    ``found_on``) and the instant is left empty, never filled with a made-up time: midnight, say,
    would order the episode against calls and sightings to the hour on evidence that says only
    the day, and in summer it falls on the previous day in UTC. Each end is one or the other.
    """

    label: ClassVar[str] = "MissingEpisodeRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_missing", ("episode_ref",))

    kind: Literal["missing_episode"] = "missing_episode"
    episode_ref: NonEmptyStr
    child_ref: NonEmptyStr = Field(description="the child's nominal_ref in the same source")
    reported_at: UtcDatetime | None = None
    reported_on: date | None = Field(
        default=None,
        description="the day reported missing when the source gives no time of day (the day as "
        "written, in the source's own zone); reported_at is then empty",
    )
    found_at: UtcDatetime | None = None
    found_on: date | None = Field(
        default=None, description="the day found when the source gives no time of day"
    )
    where_found: NonEmptyStr | None = Field(default=None, description="as the source words it")
    found_address: PostalAddress | None = None

    @model_validator(mode="after")
    def _when(self) -> MissingEpisodeRecord:
        if self.reported_at is None and self.reported_on is None:
            raise ValueError(
                "an episode needs reported_at (a date and time) or reported_on (a day)"
            )
        for end, at, on in (
            ("reported", self.reported_at, self.reported_on),
            ("found", self.found_at, self.found_on),
        ):
            if at is not None and on is not None:
                raise ValueError(f"give {end}_at (a date and time) or {end}_on (a day), not both")
        return self

    @property
    def child_record_id(self) -> str:
        """The id of the child's ``PersonRecord`` from the same source."""
        return PersonRecord.record_id(self.provenance.source, nominal_ref=self.child_ref)
