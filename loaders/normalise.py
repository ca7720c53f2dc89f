"""Normalisation of the values people type: phone numbers, names, UK postcodes, dates.

Each function either returns the canonical form, with any warnings an analyst should see, or
raises ``ValueError`` with a message that says what was expected. None of them guesses silently:

- **Phones** are parsed by ``phonenumbers`` (Google's libphonenumber metadata), so every UK
  notation reads the same: "07700 900123", "+44 (0)7700 900123", "0044 7700 900123",
  "447700900123", "(020) 7946 0000". The result is E.164. An extension ("ext 12", "x12", "#12")
  is stripped and reported; a number that is possible but not in an allocated range (Ofcom's
  drama numbers, a typo that still has the right length) is kept, with a warning.
- **Names** keep their written form in records; ``fold_name`` and ``name_key`` are the forms
  compared when matching: transliterated (ICAO Doc 9303 tables for Cyrillic and Greek, the
  tables of machine-readable passports), accents stripped, case folded, punctuation dropped,
  and for ``name_key`` titles dropped and tokens sorted ("SMITH, John" == "John Smith").
  Scripts without a table here (Arabic, CJK) are kept as they are, folded.
- **UK postcodes** are validated against the Royal Mail format (outward code, inward code) and
  written "SW1A 1AA". British Forces (BFPO) and overseas territories' codes are not UK
  postcodes here.
- **Dates** are read in ISO form ("1962-07-14", partial "1962-07", "1962"), with month names
  ("14 Jul 1962", "July 14, 1962") and numerically ("14/07/1962", "14-07-62", "07/1962").
  A numeric day and month are read by the source's declared ``DateOrder``; a value that only
  reads the other way is refused, since the source said how it writes dates. Where the source
  declares nothing and both readings are dates (03/04/2020), the day-first (UK) reading is
  returned with a warning that names the other. Two-digit years are read into the hundred years
  from ``century_from`` and always reported.
- **Date-times** without an offset are read in the source's declared time zone; without one they
  are refused (a guess an hour out puts a call on the wrong side of an episode's start). A local
  time that falls twice (clocks going back) is read as the first, with a warning; one that does
  not exist (clocks going forward) is refused.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from enum import StrEnum

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat, ValidationResult

from schema.base import PartialDate

# --- phones -------------------------------------------------------------------------------------

# Digits, the punctuation people put between them, and an optional extension. Anything else
# (letters, a "call me on" prefix) is refused rather than left to phonenumbers, which would
# read vanity letters as digits and skip leading words.
_PHONE_TEXT = re.compile(
    r"^\s*\+?[\d\s().\-/]+?(?:\s*(?:ext\.?|extn\.?|extension|x|#)\s*\d{1,6})?\s*$",
    re.IGNORECASE,
)

_POSSIBILITY = {
    ValidationResult.INVALID_COUNTRY_CODE: "has no country code that exists",
    ValidationResult.TOO_SHORT: "is too short",
    ValidationResult.TOO_LONG: "is too long",
    ValidationResult.INVALID_LENGTH: "has a length no number in its country has",
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "is a local number without its area code",
}


@dataclass(frozen=True, slots=True)
class PhoneReading:
    """A phone number in E.164, the extension that was stripped, and what to tell the analyst."""

    e164: str
    extension: str | None = None
    warnings: tuple[str, ...] = ()


def normalise_phone(text: str, *, default_country: str = "GB") -> PhoneReading:
    """Read a phone number as E.164; national numbers are read as ``default_country``'s (an
    ISO 3166 alpha-2 region). Raises ``ValueError`` saying why a value is not a number."""
    return _normalise_phone(text, default_country)


# Call records name the same few thousand numbers again and again, and phonenumbers' parse
# and validation were a third of a calls load (bench/RESULTS.md): readings are immutable, so
# remembering the recent ones is safe. Failures are not remembered (they raise).
@functools.lru_cache(maxsize=1 << 16)
def _normalise_phone(text: str, default_country: str) -> PhoneReading:
    if not text.strip():
        raise ValueError("a phone number cannot be blank")
    if not _PHONE_TEXT.match(text):
        raise ValueError(
            f"{text!r} is not a phone number: only digits, '+', spaces, brackets, dots, dashes "
            "and an extension ('ext 12') are read"
        )
    try:
        number = phonenumbers.parse(text, default_country)
    except NumberParseException as exc:
        raise ValueError(f"{text!r} is not a phone number ({exc._msg})") from exc
    return _reading(text, number)


def _reading(text: str, number: PhoneNumber) -> PhoneReading:
    e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != ValidationResult.IS_POSSIBLE:
        why = _POSSIBILITY.get(possible, "is not a possible number")
        raise ValueError(f"{text!r} {why} (read as {e164})")
    valid = phonenumbers.is_valid_number(number)
    if number.italian_leading_zero and not valid:
        # A trunk "0" that phonenumbers could not strip (the rest is too short to be a number)
        # is kept as a leading zero, giving "+44077009001": not a number anywhere.
        raise ValueError(f"{text!r} is too short or mistyped (read as {e164}, with its trunk 0)")
    warnings: list[str] = []
    if number.extension:
        warnings.append(f"extension {number.extension} stripped from {text.strip()!r}")
    if not valid:
        warnings.append(
            f"{e164} is not in a range allocated for use (a test or drama number, or a typo); "
            "kept as written"
        )
    return PhoneReading(e164, number.extension or None, tuple(warnings))


def phone_from_match(number: PhoneNumber, raw: str) -> PhoneReading:
    """The reading of a number ``phonenumbers.PhoneNumberMatcher`` found in ``raw``."""
    return _reading(raw, number)


# --- names --------------------------------------------------------------------------------------

TITLES: frozenset[str] = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "miss",
        "mx",
        "master",
        "dr",
        "doctor",
        "prof",
        "professor",
        "sir",
        "dame",
        "lord",
        "lady",
        "rev",
        "revd",
        "reverend",
        "fr",
        "father",
        "sr",
        "sister",
    }
)
"""Titles as folded (``fold_name``): dropped from matching keys, split off by ``split_title``."""

# ICAO Doc 9303 Part 3 (machine-readable travel documents), lower case, by code point (the
# letters themselves look like Latin ones in source). The soft sign is dropped; Greek is read
# after accents are stripped (final sigma folds to sigma), letter by letter.
_RUSSIAN = (  # U+0430..U+044F, the Russian alphabet less yo
    "a b v g d e zh z i i k l m n o p r s t u f kh ts ch sh shch ie y - e iu ia"
)
_OTHER_CYRILLIC = (  # U+0451..U+045F: yo, then Serbian, Macedonian, Ukrainian, Belarusian
    "e d g ie dz i i j lj nj c k i u dz"
)
_GREEK = "a v g d e z i th i k l m n x o p r s s t y f ch ps o"  # U+03B1..U+03C9, alpha to omega


def _table(first: int, latin: str) -> dict[str, str]:
    return {chr(first + i): ("" if v == "-" else v) for i, v in enumerate(latin.split(" "))}


_CYRILLIC = _table(0x430, _RUSSIAN) | _table(0x451, _OTHER_CYRILLIC) | {"\u0491": "g"}
# Latin letters that carry no combining mark to strip (\u0131: dotless i).
_LATIN = {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "\u0131": "i"}
_TRANSLITERATION = str.maketrans(_CYRILLIC | _table(0x3B1, _GREEK) | _LATIN)
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4]")
_NON_WORD = re.compile(r"[\W_]+")


def fold_name(text: str) -> str:
    """A name as compared: transliterated, accents stripped, case folded, apostrophes removed
    ("O'Neil" -> "oneil"), other punctuation as spaces ("Smith-Jones" -> "smith jones"), token
    order kept."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.translate(_TRANSLITERATION)
    folded = _APOSTROPHES.sub("", folded)
    return " ".join(_NON_WORD.sub(" ", folded).split())


def name_key(text: str) -> str:
    """A name's order-free matching key: ``fold_name`` without titles, tokens sorted, so that
    "Mr John SMITH", "SMITH, John" and "jóhn smith" share one key."""
    tokens = [t for t in fold_name(text).split() if t not in TITLES]
    return " ".join(sorted(tokens))


def split_title(text: str) -> tuple[str | None, str]:
    """A leading title and the rest: "Dr. Jane Doe" -> ("Dr", "Jane Doe"); no title -> None."""
    parts = text.strip().split(maxsplit=1)
    if len(parts) == 2 and fold_name(parts[0]) in TITLES:
        return parts[0].rstrip("."), parts[1].strip()
    return None, text.strip()


# --- UK postcodes -------------------------------------------------------------------------------

UK_POSTCODE_PATTERN = (
    r"(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?"
    r"\d[ABD-HJLNP-UW-Z]{2})"
)
"""Royal Mail's postcode format: outward code (A9, A99, A9A, AA9, AA99, AA9A, with the letters
each position allows), an optional space, inward code (a digit and two letters)."""

_UK_POSTCODE = re.compile(UK_POSTCODE_PATTERN.replace(" ?", ""))


def normalise_uk_postcode(text: str) -> str:
    """A UK postcode in its written form ("sw1a1aa" -> "SW1A 1AA"); raises ``ValueError`` for
    anything that is not one."""
    compact = re.sub(r"\s+", "", text).upper()
    if not _UK_POSTCODE.fullmatch(compact):
        raise ValueError(f"{text!r} is not a UK postcode (written like 'SW1A 1AA' or 'M1 1AE')")
    return f"{compact[:-3]} {compact[-3:]}"


def is_uk_postcode(text: str) -> bool:
    return _UK_POSTCODE.fullmatch(re.sub(r"\s+", "", text).upper()) is not None


# --- dates --------------------------------------------------------------------------------------


class DateOrder(StrEnum):
    """How a source writes numeric dates: day first (UK), month first (US), year first (ISO)."""

    DMY = "dmy"
    MDY = "mdy"
    YMD = "ymd"


@dataclass(frozen=True, slots=True)
class DateReading:
    value: PartialDate
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DatetimeReading:
    value: datetime
    """In UTC."""
    warnings: tuple[str, ...] = ()


_MONTHS = {
    name: number
    for number in range(1, 13)
    for name in (
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    )
} | {"sept": 9}
_ORD = r"(?:st|nd|rd|th)?"
_SEP = r"[\s\-/.,]+"
_ISO = re.compile(r"^(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?$")
_NUMERIC = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{2}|\d{4})$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{4})$")
_DAY_MONTHNAME = re.compile(rf"^(\d{{1,2}}){_ORD}{_SEP}([a-z]+)\.?{_SEP}(\d{{2}}|\d{{4}})$")
_MONTHNAME_DAY = re.compile(rf"^([a-z]+)\.?{_SEP}(\d{{1,2}}){_ORD}{_SEP}(\d{{4}})$")
_MONTHNAME_YEAR = re.compile(rf"^([a-z]+)\.?{_SEP}(\d{{4}})$")

_FORMS = (
    "YYYY-MM-DD, YYYY-MM, YYYY, DD/MM/YYYY (or the source's declared order), DD-MM-YY, "
    "'14 Jul 1962', 'July 14, 1962', 'Jul 1962', MM/YYYY"
)


def _partial(year: int, month: int | None = None, day: int | None = None) -> PartialDate:
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None and month is not None:
        last = calendar.monthrange(year, month)[1]
        if not 1 <= day <= last:
            raise ValueError(f"{year:04d}-{month:02d} has {last} days, not {day}")
    if not 1 <= year <= 9999:
        raise ValueError(f"year {year} is out of range")
    return PartialDate(year=year, month=month, day=day)


def _year(text: str, century_from: int, warnings: list[str]) -> int:
    if len(text) == 4:
        return int(text)
    short = int(text)
    year = century_from + (short - century_from % 100) % 100
    warnings.append(f"two-digit year {text!r} read as {year}")
    return year


def _month_name(text: str) -> int:
    month = _MONTHS.get(text.lower())
    if month is None:
        raise ValueError(f"{text!r} is not a month name")
    return month


def parse_date(
    text: str, *, order: DateOrder | None = None, century_from: int = 1930
) -> DateReading:
    """Read a full or partial date; raises ``ValueError`` naming the forms read. ``order`` is
    the source's declared convention for numeric day and month (None: not declared)."""
    raw = text.strip()
    s = raw.lower()
    warnings: list[str] = []
    try:
        if m := _ISO.match(s):
            y, mo, d = m.groups()
            value = _partial(int(y), _int(mo), _int(d))
        elif m := _NUMERIC.match(s):
            year = _year(m[3], century_from, warnings)
            value, ambiguity = _numeric(raw, int(m[1]), int(m[2]), year, order)
            if ambiguity:
                warnings.append(ambiguity)
        elif m := _MONTH_YEAR.match(s):
            value = _partial(int(m[2]), int(m[1]))
        elif m := _DAY_MONTHNAME.match(s):
            value = _partial(_year(m[3], century_from, warnings), _month_name(m[2]), int(m[1]))
        elif m := _MONTHNAME_DAY.match(s):
            value = _partial(int(m[3]), _month_name(m[1]), int(m[2]))
        elif m := _MONTHNAME_YEAR.match(s):
            value = _partial(int(m[2]), _month_name(m[1]))
        else:
            raise ValueError(f"{raw!r} is not a date; read forms: {_FORMS}")
    except ValueError as exc:
        if str(exc).startswith(repr(raw)):
            raise
        raise ValueError(f"{raw!r} is not a date: {exc}") from exc
    return DateReading(value, tuple(warnings))


def _int(text: str | None) -> int | None:
    return None if text is None else int(text)


def _try(year: int, month: int, day: int) -> PartialDate | None:
    try:
        return _partial(year, month, day)
    except ValueError:
        return None


def _numeric(
    raw: str, first: int, second: int, year: int, order: DateOrder | None
) -> tuple[PartialDate, str | None]:
    day_first = _try(year, second, first)
    month_first = _try(year, first, second)
    if order in (DateOrder.DMY, DateOrder.MDY):
        declared, other = (
            (day_first, month_first) if order is DateOrder.DMY else (month_first, day_first)
        )
        said, unsaid = (
            ("day-first", "month-first") if order is DateOrder.DMY else ("month-first", "day-first")
        )
        if declared is not None:
            return declared, None
        if other is not None:
            raise ValueError(
                f"{raw!r} is not a {said} date; it reads only {unsaid} ({other}), but the "
                f"source declares {said} dates: check the value or the source's date_order"
            )
        raise ValueError(f"{raw!r} is not a date either way round")
    # No declared order (a year-first source writing a year-last date says nothing either).
    if day_first is not None and month_first is not None:
        if day_first == month_first:
            return day_first, None
        return day_first, (
            f"{raw!r} is ambiguous: read day-first as {day_first}; month-first it would be "
            f"{month_first}; declare the source's date_order"
        )
    if day_first is not None:
        return day_first, None
    if month_first is not None:
        return month_first, None
    raise ValueError(f"{raw!r} is not a date either way round")


def parse_full_date(
    text: str, *, order: DateOrder | None = None, century_from: int = 1930
) -> tuple[date, tuple[str, ...]]:
    """A date known to the day, with warnings; a partial date is refused."""
    reading = parse_date(text, order=order, century_from=century_from)
    value = reading.value.to_date()
    if value is None:
        raise ValueError(f"{text.strip()!r} is known only to the {reading.value.precision}")
    return value, reading.warnings


_DATE_TIME = re.compile(r"^(.+?)[T\s]+(\d{1,2}:\d{2}.*)$")
_TIME = re.compile(
    r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,6}))?)?\s*(z|[+-]\d{2}(?::?\d{2})?)?$",
    re.IGNORECASE,
)


def parse_datetime(
    text: str,
    *,
    order: DateOrder | None = None,
    zone: tzinfo | None = None,
    century_from: int = 1930,
) -> DatetimeReading:
    """Read a date and time (ISO 8601, or a date as ``parse_date`` reads it, a space or "T",
    and "HH:MM[:SS[.ffffff]]" with an optional offset) as UTC. A time without an offset is read
    in ``zone``; without a zone it is refused."""
    raw = " ".join(text.split())
    if not raw:
        raise ValueError("a date and time cannot be blank")
    warnings: list[str] = []
    parsed: datetime | None = None
    if re.match(r"^\d{4}-\d{2}-\d{2}[T ]\d", raw):
        try:
            parsed = datetime.fromisoformat(raw)
        except ValueError:
            parsed = None
    if parsed is None:
        parsed = _split_datetime(raw, order, century_from, warnings)
    if parsed.tzinfo is None:
        if zone is None:
            raise ValueError(
                f"{raw!r} has no UTC offset and the source declares no time zone: add the offset "
                "or declare the source's timezone"
            )
        parsed = _localise(raw, parsed, zone, warnings)
    return DatetimeReading(parsed.astimezone(UTC), tuple(warnings))


def _split_datetime(
    raw: str, order: DateOrder | None, century_from: int, warnings: list[str]
) -> datetime:
    split = _DATE_TIME.match(raw)
    if not split:
        raise ValueError(f"{raw!r} has no time of day (a date and time is needed)")
    head, tail = split[1], split[2]
    reading = parse_date(head, order=order, century_from=century_from)
    day = reading.value.to_date()
    if day is None:
        raise ValueError(f"{raw!r}: the date is known only to the {reading.value.precision}")
    warnings.extend(reading.warnings)
    m = _TIME.match(tail.strip())
    if not m:
        raise ValueError(f"{raw!r}: {tail!r} is not a time (HH:MM[:SS] with an optional offset)")
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    micro = int((m[4] or "0").ljust(6, "0"))
    try:
        clock = time(hour, minute, second, micro)
    except ValueError as exc:
        raise ValueError(f"{raw!r}: {exc}") from exc
    tz = _offset(m[5]) if m[5] else None
    return datetime.combine(day, clock, tzinfo=tz)


def _offset(text: str) -> tzinfo:
    if text.lower() == "z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:] or 0)
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _localise(raw: str, naive: datetime, zone: tzinfo, warnings: list[str]) -> datetime:
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        raise ValueError(f"{raw!r} does not exist in {zone} (the clocks went forward)")
    if first.utcoffset() != second.utcoffset():
        warnings.append(
            f"{raw!r} happened twice in {zone} (the clocks went back): read as the first, "
            f"{first.isoformat()}"
        )
    return first
