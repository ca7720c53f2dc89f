"""UN/EDIFACT dates (DTM and the date elements of passenger messages): code list 2379 forms,
and two-digit years placed relative to the message's own date."""

from __future__ import annotations

from datetime import date, datetime

_DATE_FORMATS = {  # UN/EDIFACT code list 2379: the forms passenger messages use, and lengths
    "101": ("%y%m%d", 6),
    "102": ("%Y%m%d", 8),
    "201": ("%y%m%d%H%M", 10),
    "203": ("%Y%m%d%H%M", 12),
    "204": ("%Y%m%d%H%M%S", 14),
}
_BY_LENGTH = {6: "101", 8: "102", 10: "201", 12: "203", 14: "204"}


def expand_year(two_digits: int, *, latest: int) -> int:
    """The year ending in ``two_digits`` that is ``latest`` or the closest before it."""
    return latest - (latest - two_digits) % 100


def parse_dtm(value: str, code: str = "", *, latest_year: int) -> date | datetime:
    """A DTM value in format ``code`` (101, 102, 201, 203, 204; told by its length when
    absent) as a date or a naive datetime; two-digit years are read as ``expand_year`` does.
    Raises ``ValueError`` naming the value and the form expected."""
    text = value.strip()
    code = code.strip() or _BY_LENGTH.get(len(text), "")
    if code not in _DATE_FORMATS:
        raise ValueError(f"date {text!r}: format {code or 'unknown'} is not one read here")
    form, length = _DATE_FORMATS[code]
    if len(text) != length or not text.isdigit():
        raise ValueError(f"{text!r} is not a date in format {code} ({length} digits, {form})")
    if form.startswith("%y"):
        text = f"{expand_year(int(text[:2]), latest=latest_year):04d}{text[2:]}"
    try:
        parsed = datetime.strptime(
            text, form.replace("%y", "%Y")
        )  # local time: the caller places it
    except ValueError as exc:
        raise ValueError(f"{value.strip()!r} is not a date in format {code} ({form})") from exc
    return parsed if "%H" in form else parsed.date()
