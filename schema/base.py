"""The base model and the small value types every source shares.

``StrictModel`` refuses unknown fields and is immutable. It is not pydantic's ``strict`` mode:
loaders build models from parsed text, so "1962-07-14" is a fine ``date``; where a value has a
canonical written form (phone numbers, postcodes, airport codes, company numbers) the types here
accept the usual variations of spacing and case and store the canonical form, or refuse with a
message that says what was expected.

``PartialDate`` is the date sources often give: a year, a year and month (Companies House birth
dates), or a full date. It reads and writes the ISO forms "1962", "1962-07", "1962-07-14", the
form the graph stores (see ``graph.store``), so partial dates sort and range-scan with full ones.
"""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_serializer,
    model_validator,
)

from schema.countries import country_alpha3


class StrictModel(BaseModel):
    """Every Clew model: unknown fields refused, instances immutable (and so hashable)."""

    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


# --- text ---------------------------------------------------------------------------------------


def _one_line(value: str) -> str:
    return " ".join(value.split())


NonEmptyStr = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_one_line)
]
"""A name, reference or short description: whitespace runs collapsed to one space, refused when
nothing is left. (Free text that spans point into keeps its whitespace and is a plain ``str``.)"""


def _tokens(values: tuple[str, ...]) -> tuple[str, ...]:
    # Codes such as tags and warning markers: compared without regard to case or spacing, so
    # stored upper-case, de-duplicated in first-seen order.
    out: dict[str, None] = {}
    for v in values:
        token = " ".join(v.split()).upper()
        if token:
            out[token] = None
    return tuple(out)


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    out: dict[str, None] = {}
    for v in values:
        text = " ".join(v.split())
        if text:
            out[text] = None
    return tuple(out)


Codes = Annotated[tuple[str, ...], AfterValidator(_tokens)]
"""Upper-case codes (tags, warning markers), blanks dropped, duplicates removed, order kept."""

Names = Annotated[tuple[str, ...], AfterValidator(_distinct)]
"""Names (aliases, previous names), whitespace collapsed, blanks and duplicates dropped."""


# --- time ---------------------------------------------------------------------------------------


def _to_utc(value: datetime) -> datetime:
    return value.astimezone(UTC)


UtcDatetime = Annotated[AwareDatetime, AfterValidator(_to_utc)]
"""A datetime that names its offset, converted to UTC (a naive one is refused: its zone is a
guess, and a guess an hour out puts a call on the wrong side of an episode's start)."""

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


class PartialDate(StrictModel):
    """A date known to the year, the month or the day; written "1962", "1962-07", "1962-07-14".

    Validates from that text, from a ``date``, or from its parts. Serialises as the text.
    """

    year: int = Field(ge=1, le=9999)
    month: int | None = Field(default=None, ge=1, le=12)
    day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, datetime):
            raise ValueError("a partial date takes a date, not a datetime")
        if isinstance(data, date):
            return {"year": data.year, "month": data.month, "day": data.day}
        if isinstance(data, str):
            m = _PARTIAL_DATE.match(data.strip())
            if not m:
                raise ValueError(
                    f"{data!r} is not a partial date: expected YYYY, YYYY-MM or YYYY-MM-DD"
                )
            y, mo, d = m.groups()
            return {
                "year": int(y),
                "month": None if mo is None else int(mo),
                "day": None if d is None else int(d),
            }
        return data

    @model_validator(mode="after")
    def _consistent(self) -> PartialDate:
        if self.day is not None:
            if self.month is None:
                raise ValueError("a partial date with a day needs a month")
            last = calendar.monthrange(self.year, self.month)[1]
            if self.day > last:
                month = f"{self.year:04d}-{self.month:02d}"
                raise ValueError(f"{month} has {last} days, not {self.day}")
        return self

    @model_serializer
    def _as_text(self) -> str:
        return self.isoformat()

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
            if self.day is not None:
                text += f"-{self.day:02d}"
        return text

    def __str__(self) -> str:
        return self.isoformat()

    @property
    def precision(self) -> str:
        """``year``, ``month`` or ``day``."""
        if self.month is None:
            return "year"
        return "month" if self.day is None else "day"

    @property
    def earliest(self) -> date:
        """The first day this partial date could be."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        """The last day this partial date could be."""
        month = self.month or 12
        return date(self.year, month, self.day or calendar.monthrange(self.year, month)[1])

    def to_date(self) -> date | None:
        """The date, when known to the day."""
        return self.earliest if self.day is not None else None

    def could_be(self, other: date | PartialDate) -> bool:
        """Whether the two could name the same day (a full date and its month agree)."""
        lo, hi = (other, other) if isinstance(other, date) else (other.earliest, other.latest)
        return self.earliest <= hi and lo <= self.latest


def check_span(start: date | PartialDate | None, end: date | PartialDate | None) -> None:
    """Refuse a span that ends before it could have started."""
    if start is None or end is None:
        return
    first = start.earliest if isinstance(start, PartialDate) else start
    last = end.latest if isinstance(end, PartialDate) else end
    if last < first:
        raise ValueError(f"ends ({end}) before it starts ({start})")


# --- people -------------------------------------------------------------------------------------


class Gender(StrEnum):
    """Gender as sources record it; "M"/"F"/"X"/"U" and the words are all read."""

    MALE = "male"
    FEMALE = "female"
    OTHER = "other"
    UNKNOWN = "unknown"

    @classmethod
    def _missing_(cls, value: object) -> Gender | None:
        if isinstance(value, str):
            return _GENDER_CODES.get(value.strip().lower())
        return None


_GENDER_CODES = {
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "x": Gender.OTHER,
    "u": Gender.UNKNOWN,
    "<": Gender.UNKNOWN,
    "": Gender.UNKNOWN,
}


# --- telephone ----------------------------------------------------------------------------------

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_PHONE_PUNCT = re.compile(r"[\s\-().]")


def check_e164(value: str) -> str:
    number = _PHONE_PUNCT.sub("", value)
    if _E164.match(number):
        return number
    if number.startswith("0") and not number.startswith("00"):
        raise ValueError(
            f"{value!r} is a national number; E.164 needs the country code "
            "(schema.base.normalise_phone converts UK numbers)"
        )
    raise ValueError(f"{value!r} is not an E.164 number (+ then 7 to 15 digits, no leading 0)")


E164 = Annotated[str, AfterValidator(check_e164)]
"""A phone number in E.164 ("+447700900123"); spaces, dashes, dots and brackets are removed."""


def normalise_phone(text: str, *, country_code: str = "44") -> str:
    """Write a phone number as E.164: "00" becomes "+", a leading trunk "0" becomes the country
    code (UK by default), "(0)" after a country code is dropped. Raises ``ValueError`` when the
    result is not E.164."""
    number = text.strip().replace("(0)", "")
    number = _PHONE_PUNCT.sub("", number)
    if number.startswith("00"):
        number = "+" + number[2:]
    elif number.startswith("0"):
        number = f"+{country_code}{number[1:]}"
    elif not number.startswith("+") and number.startswith(country_code):
        number = "+" + number
    return check_e164(number)


# --- e-mail -------------------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def normalise_email(value: str) -> str:
    """An e-mail address, trimmed and lower-cased (providers treat the local part without case,
    and sources disagree on it)."""
    text = value.strip().lower()
    if not _EMAIL.match(text):
        raise ValueError(f"{value!r} is not an e-mail address")
    return text


EmailAddress = Annotated[str, AfterValidator(normalise_email)]


# --- places -------------------------------------------------------------------------------------

_UK_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")
_NOT_ALNUM = re.compile(r"[^A-Z0-9]")


def normalise_postcode(value: str) -> str:
    """A UK postcode in its written form ("SW1A 1AA"); other countries' codes upper-cased with
    whitespace collapsed (addresses abroad appear in passenger and company data)."""
    compact = _NOT_ALNUM.sub("", value.upper())
    m = _UK_POSTCODE.match(compact)
    if m:
        return f"{m.group(1)} {m.group(2)}"
    text = " ".join(value.upper().split())
    if not text:
        raise ValueError("a postcode cannot be blank")
    return text


Postcode = Annotated[str, AfterValidator(normalise_postcode)]


def _country(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{2,3}", code):
        raise ValueError(f"{value!r} is not a country code (ISO 3166 alpha-2 or alpha-3)")
    return code


CountryCode = Annotated[str, AfterValidator(_country)]
"""ISO 3166-1 alpha-2 or alpha-3, upper case (travel documents use alpha-3, ICAO 9303)."""

CountryAlpha3 = Annotated[str, AfterValidator(country_alpha3)]
"""A country as ISO 3166-1 alpha-3 whichever form the source wrote ("gb" -> "GBR"; ICAO 9303's
own codes such as "GBD" kept): for values that keys or comparisons depend on, such as a travel
document's issuing state (``schema.countries``)."""


def _iata_airport(value: str) -> str:
    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", code):
        raise ValueError(f"{value!r} is not an IATA airport code (three letters)")
    return code


IataAirport = Annotated[str, AfterValidator(_iata_airport)]


def _airline(value: str) -> str:
    code = value.strip().upper()
    # IATA designators are two characters (letters or a letter and a digit); ICAO ones three
    # letters. Both occur in passenger data.
    if not (re.fullmatch(r"[A-Z0-9]{2}", code) and not code.isdigit()) and not re.fullmatch(
        r"[A-Z]{3}", code
    ):
        raise ValueError(
            f"{value!r} is not an airline designator (IATA: two characters, ICAO: three letters)"
        )
    return code


AirlineDesignator = Annotated[str, AfterValidator(_airline)]


def _flight_number(value: str) -> str:
    text = value.strip().upper()
    m = re.fullmatch(r"(\d{1,4})([A-Z]?)", text)
    if not m:
        raise ValueError(f"{value!r} is not a flight number (1 to 4 digits, optional letter)")
    # "0123" and "123" are the same flight; systems differ in padding.
    return f"{int(m.group(1))}{m.group(2)}"


FlightNumber = Annotated[str, AfterValidator(_flight_number)]


def normalise_company_number(value: str) -> str:
    """A Companies House number as it is registered: eight characters, digits zero-padded
    ("1234567" -> "01234567", "SC12345" -> "SC012345"); spreadsheets drop the zeros."""
    text = value.strip().upper().replace(" ", "")
    m = re.fullmatch(r"([A-Z]{2})?(\d{1,8})", text)
    if m:
        prefix = m.group(1) or ""
        digits = m.group(2)
        if len(prefix) + len(digits) <= 8:
            text = prefix + digits.zfill(8 - len(prefix))
    if not re.fullmatch(r"[A-Z0-9]{8}", text):
        raise ValueError(f"{value!r} is not a Companies House number (eight letters and digits)")
    return text


CompanyNumber = Annotated[str, AfterValidator(normalise_company_number)]


def _document_number(value: str) -> str:
    text = re.sub(r"[\s\-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{1,20}", text):
        raise ValueError(f"{value!r} is not a travel document number (letters and digits)")
    return text


DocumentNumber = Annotated[str, AfterValidator(_document_number)]
"""A passport or identity card number, upper case, spaces and dashes removed."""


def _vrm(value: str) -> str:
    text = re.sub(r"[\s\-]", "", value).upper()
    if not re.fullmatch(r"[A-Z0-9]{1,10}", text):
        raise ValueError(f"{value!r} is not a vehicle registration mark (letters and digits)")
    return text


Vrm = Annotated[str, AfterValidator(_vrm)]
"""A vehicle registration mark as compared: "AB12 CDE" -> "AB12CDE"."""


class PostalAddress(StrictModel):
    """An address as a source writes it, in parts (Companies House: care of, PO box, lines,
    post town, county, country, postcode)."""

    lines: Names = ()
    locality: NonEmptyStr | None = None
    region: NonEmptyStr | None = None
    postcode: Postcode | None = None
    country: NonEmptyStr | None = None

    @model_validator(mode="after")
    def _something(self) -> PostalAddress:
        if not (self.lines or self.locality or self.postcode):
            raise ValueError("an address needs at least a line, a locality or a postcode")
        return self

    @property
    def text(self) -> str:
        """One line, without the postcode and country: "12 High Street, Leeds"."""
        parts = [*self.lines, *(p for p in (self.locality, self.region) if p)]
        return ", ".join(parts)

    def __str__(self) -> str:
        parts = [self.text, self.postcode or "", self.country or ""]
        return ", ".join(p for p in parts if p)


# --- companies and travel -----------------------------------------------------------------------


def _sic(value: str) -> str:
    # Companies House writes "70100 - Activities of head offices"; the code is what compares.
    code = value.strip().split(" ", 1)[0]
    if not re.fullmatch(r"\d{4,5}", code):
        raise ValueError(f"{value!r} is not a SIC code (four or five digits)")
    return code


SicCode = Annotated[str, AfterValidator(_sic)]


def _role(value: str) -> str:
    # Companies House writes roles as "director", "llp-designated-member"; bulk files as words.
    return "-".join(value.strip().lower().replace("_", " ").split())


Role = Annotated[NonEmptyStr, AfterValidator(_role)]


def _nature(value: str) -> str:
    text = value.strip().lower()
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", text):
        raise ValueError(
            f"{value!r} is not a nature of control "
            '(Companies House form, e.g. "ownership-of-shares-75-to-100-percent")'
        )
    return text


NatureOfControl = Annotated[str, AfterValidator(_nature)]


def _seat(value: str) -> str:
    text = value.strip().upper()
    m = re.fullmatch(r"0*(\d{1,3})([A-Z])", text)
    if not m:
        raise ValueError(f"{value!r} is not a seat (row number and letter, e.g. 23A)")
    return f"{m.group(1)}{m.group(2)}"


Seat = Annotated[str, AfterValidator(_seat)]
"""A seat, row and letter: "023a" -> "23A"."""


def _document_type(value: str) -> str:
    text = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,2}", text):
        raise ValueError(f"{value!r} is not a document type code (ICAO 9303: P, I, ID, ...)")
    return text


DocumentType = Annotated[str, AfterValidator(_document_type)]


def _pnr(value: str) -> str:
    text = value.strip().upper()
    if not re.fullmatch(r"[A-Z0-9]{5,8}", text):
        raise ValueError(f"{value!r} is not a booking reference (5 to 8 letters and digits)")
    return text


Pnr = Annotated[str, AfterValidator(_pnr)]
"""A booking record locator."""
