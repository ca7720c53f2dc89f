"""Telephony records: subscribers and call-data records.

See ``schema.records`` for every kind and its key."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from schema.base import (
    E164,
    NonEmptyStr,
    PartialDate,
    PostalAddress,
    UtcDatetime,
    check_span,
)
from schema.ids import IdKey
from schema.record import Record


class PhoneSubscriberRecord(Record):
    """Who a communications provider says held a number, and when."""

    label: ClassVar[str] = "PhoneSubscriberRecord"
    id_key: ClassVar[IdKey] = IdKey(
        "rec_subscriber",
        ("number", "subscribed_from", "subscriber_name"),
        casefold=frozenset({"subscriber_name"}),
        optional=frozenset({"subscribed_from", "subscriber_name"}),
    )

    kind: Literal["phone_subscriber"] = "phone_subscriber"
    number: E164
    subscriber_name: NonEmptyStr | None = None
    address: PostalAddress | None = None
    dob: PartialDate | None = None
    subscribed_from: date | None = None
    subscribed_to: date | None = None
    network: NonEmptyStr | None = None
    account_ref: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _span(self) -> PhoneSubscriberRecord:
        try:
            check_span(self.subscribed_from, self.subscribed_to)
        except ValueError as exc:
            raise ValueError(f"subscription {exc}") from exc
        return self


class CallType(StrEnum):
    VOICE = "voice"
    SMS = "sms"

    @classmethod
    def _missing_(cls, value: object) -> CallType | None:
        if isinstance(value, str):
            return cls.__members__.get(value.strip().upper())
        return None


class CallRecord(Record):
    """One call or text from a call-data record."""

    label: ClassVar[str] = "CallRecord"
    id_key: ClassVar[IdKey] = IdKey("rec_call", ("a_number", "b_number", "started_at", "call_type"))

    kind: Literal["call"] = "call"
    a_number: E164 = Field(description="the calling party")
    b_number: E164 = Field(description="the called party")
    started_at: UtcDatetime
    started_at_known: bool = Field(
        default=True,
        description="False when the source gave no time and started_at is the extract's "
        "declared instant (an ordering key, not when the call happened)",
    )
    duration_s: int = Field(ge=0)
    cell_id: NonEmptyStr | None = None
    call_type: CallType = CallType.VOICE

    @property
    def ended_at(self) -> datetime:
        return self.started_at + timedelta(seconds=self.duration_s)
