from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from loaders.normalise import (
    DateOrder,
    fold_name,
    is_uk_postcode,
    name_key,
    normalise_phone,
    normalise_uk_postcode,
    parse_date,
    parse_datetime,
    parse_full_date,
    split_title,
)
from schema.base import PartialDate

LONDON = ZoneInfo("Europe/London")

# --- phones -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "07700 900123",
        "07700900123",
        "+44 (0)7700 900123",
        "+44 7700 900123",
        "0044 7700 900123",
        "00447700900123",
        "447700900123",
        "+44-7700-900-123",
        "(07700) 900123",
    ],
)
def test_uk_mobile_notations_read_as_one_e164(text: str) -> None:
    assert normalise_phone(text).e164 == "+447700900123"


@pytest.mark.parametrize(
    "text", ["(020) 7946 0000", "020 7946 0000", "+44 (0)20 7946 0000", "0044 20 7946 0000"]
)
def test_london_landline_notations(text: str) -> None:
    reading = normalise_phone(text)
    assert reading.e164 == "+442079460000"
    assert reading.warnings == ()


@pytest.mark.parametrize(
    ("text", "extension"),
    [
        ("020 7946 0000 ext. 123", "123"),
        ("020 7946 0000 x45", "45"),
        ("020 7946 0000 #7", "7"),
        ("020 7946 0000 extension 9", "9"),
    ],
)
def test_extension_is_stripped_and_reported(text: str, extension: str) -> None:
    reading = normalise_phone(text)
    assert reading.e164 == "+442079460000"
    assert reading.extension == extension
    assert any(f"extension {extension} stripped" in w for w in reading.warnings)


def test_unallocated_number_is_kept_with_a_warning() -> None:
    # Ofcom's drama range is possible but never allocated.
    reading = normalise_phone("07700 900123")
    assert reading.e164 == "+447700900123"
    assert any("not in a range allocated" in w for w in reading.warnings)


def test_foreign_numbers_and_default_country() -> None:
    assert normalise_phone("+1 202 555 0143").e164 == "+12025550143"
    assert normalise_phone("01 234 5678", default_country="IE").e164 == "+35312345678"
    assert normalise_phone("+39 06 1234 5678").e164 == "+390612345678"  # Italy keeps its 0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "blank"),
        ("0800 FLOWERS", "only digits"),
        ("call 07700 900123", "only digits"),
        ("+44 20 7946 00", "local number"),
        ("999", "too short"),
        ("077009001234567890", "too long"),
        ("07700 9001", "too short or mistyped"),
        ("0770 090", "too short or mistyped"),
    ],
)
def test_non_numbers_are_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        normalise_phone(text)


# --- names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("JOHN SMITH", "john smith"),
        ("Jóhn  Smíth", "john smith"),
        ("O'Neil", "oneil"),
        ("O\u2019Neil", "oneil"),
        ("Smith-Jones", "smith jones"),
        ("Dvořák", "dvorak"),
        ("Łukasz Øster", "lukasz oster"),
        ("Straße", "strasse"),
        ("\u0429\u0435\u0440\u0431\u0430\u043a\u043e\u0432", "shcherbakov"),  # Cyrillic
        ("\u042e\u0440\u0438\u0439", "iurii"),
        ("\u0392\u03b5\u03bd\u03b9\u03b6\u03ad\u03bb\u03bf\u03c2", "venizelos"),  # Greek
    ],
)
def test_fold_name(text: str, folded: str) -> None:
    assert fold_name(text) == folded


def test_name_key_ignores_order_titles_case_and_accents() -> None:
    keys = {name_key(n) for n in ("Mr John SMITH", "SMITH, John", "jóhn smith", "Dr. Smith John")}
    assert keys == {"john smith"}
    assert name_key("John Smith") != name_key("Jon Smith")


def test_split_title() -> None:
    assert split_title("Dr. Jane Doe") == ("Dr", "Jane Doe")
    assert split_title("Mrs Ann") == ("Mrs", "Ann")
    assert split_title("Jane Doe") == (None, "Jane Doe")
    assert split_title("Miss") == (None, "Miss")  # a title alone is somebody's name


# --- postcodes ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("sw1a1aa", "SW1A 1AA"),
        ("SW1A 1AA", "SW1A 1AA"),
        (" ec1a  1bb ", "EC1A 1BB"),
        ("W1A 0AX", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("B33 8TH", "B33 8TH"),
        ("CR2 6XH", "CR2 6XH"),
        ("DN55 1PT", "DN55 1PT"),
        ("GIR 0AA", "GIR 0AA"),
    ],
)
def test_uk_postcodes_are_written_canonically(text: str, written: str) -> None:
    assert normalise_uk_postcode(text) == written
    assert is_uk_postcode(text)


@pytest.mark.parametrize("text", ["", "XX1 1XX", "QA1 1AA", "SW1A 1AI", "12345", "SW1A", "W1A 0A"])
def test_non_postcodes_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="not a UK postcode"):
        normalise_uk_postcode(text)
    assert not is_uk_postcode(text)


# --- dates --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("1962-07-14", "1962-07-14"),
        ("1962-7-4", "1962-07-04"),
        ("1962/07/14", "1962-07-14"),
        ("1962-07", "1962-07"),
        ("1962", "1962"),
        ("14/07/1962", "1962-07-14"),
        ("14.07.1962", "1962-07-14"),
        ("14 Jul 1962", "1962-07-14"),
        ("14-JUL-1962", "1962-07-14"),
        ("14th July 1962", "1962-07-14"),
        ("July 14, 1962", "1962-07-14"),
        ("Jul 1962", "1962-07"),
        ("Sept 2001", "2001-09"),
        ("07/1962", "1962-07"),
        ("13/04/2020", "2020-04-13"),  # only day-first is a date
        ("04/13/2020", "2020-04-13"),  # only month-first is a date
        ("05/05/2020", "2020-05-05"),  # the same either way
    ],
)
def test_unambiguous_dates_read_without_warning(text: str, iso: str) -> None:
    reading = parse_date(text)
    assert reading.value.isoformat() == iso
    assert reading.warnings == ()


def test_ambiguous_day_month_is_read_day_first_and_reported() -> None:
    reading = parse_date("03/04/2020")
    assert reading.value == PartialDate(year=2020, month=4, day=3)
    (warning,) = reading.warnings
    assert "ambiguous" in warning
    assert "2020-03-04" in warning
    assert "date_order" in warning


def test_declared_order_reads_without_warning() -> None:
    assert parse_date("03/04/2020", order=DateOrder.DMY).value.isoformat() == "2020-04-03"
    assert parse_date("03/04/2020", order=DateOrder.MDY).value.isoformat() == "2020-03-04"
    assert parse_date("03/04/2020", order=DateOrder.DMY).warnings == ()


def test_value_that_only_parses_against_the_declared_order_is_refused() -> None:
    with pytest.raises(ValueError, match="reads only month-first") as info:
        parse_date("04/13/2020", order=DateOrder.DMY)
    assert "2020-04-13" in str(info.value)
    with pytest.raises(ValueError, match="reads only day-first"):
        parse_date("13/04/2020", order=DateOrder.MDY)


def test_two_digit_years_are_reported() -> None:
    reading = parse_date("14-07-62", order=DateOrder.DMY)
    assert reading.value.isoformat() == "1962-07-14"
    assert reading.warnings == ("two-digit year '62' read as 1962",)
    assert parse_date("01-02-05", order=DateOrder.DMY).value.year == 2005
    assert parse_date("01-02-05", order=DateOrder.DMY, century_from=1900).value.year == 1905


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("31/02/2020", "either way round"),
        ("2020-02-30", "29 days"),
        ("2020-13", "month 13"),
        ("14 Jly 1962", "not a month name"),
        ("yesterday", "not a date"),
        ("", "not a date"),
    ],
)
def test_bad_dates_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_date(text)


def test_full_date_refuses_partial() -> None:
    assert parse_full_date("14/07/1962")[0].isoformat() == "1962-07-14"
    with pytest.raises(ValueError, match="known only to the month"):
        parse_full_date("1962-07")


# --- date-times ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2020-04-03T14:05:00+01:00",
        "2020-04-03 13:05:00Z",
        "2020-04-03T13:05Z",
        "03/04/2020 14:05 +01:00",
        "3 Apr 2020 13:05:00 +0000",
    ],
)
def test_datetimes_with_offsets_become_utc(text: str) -> None:
    reading = parse_datetime(text, order=DateOrder.DMY)
    assert reading.value == datetime(2020, 4, 3, 13, 5, tzinfo=UTC)


def test_datetime_without_offset_needs_the_source_zone() -> None:
    with pytest.raises(ValueError, match="no UTC offset"):
        parse_datetime("2020-04-03 14:05")
    reading = parse_datetime("03/04/2020 14:05:30.25", order=DateOrder.DMY, zone=LONDON)
    assert reading.value == datetime(2020, 4, 3, 13, 5, 30, 250000, tzinfo=UTC)


def test_clock_changes() -> None:
    with pytest.raises(ValueError, match="does not exist"):
        parse_datetime("2020-03-29 01:30", zone=LONDON)
    reading = parse_datetime("2020-10-25 01:30", zone=LONDON)
    assert reading.value == datetime(2020, 10, 25, 0, 30, tzinfo=UTC)
    assert "happened twice" in reading.warnings[0]


def test_datetime_warnings_carry_the_date_ambiguity() -> None:
    reading = parse_datetime("03/04/2020 14:05Z")
    assert reading.value == datetime(2020, 4, 3, 14, 5, tzinfo=UTC)
    assert "ambiguous" in reading.warnings[0]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-04-03", "no time of day"),
        ("2020-04 14:05Z", "known only to the month"),
        ("2020-04-03 25:00Z", "hour must be in"),
        ("2020-04-03 noon", "no time of day"),
        ("2020-04-03 14:5", "no time of day"),
        ("2020-04-03 14:05 BST", "not a time"),
        ("", "blank"),
    ],
)
def test_bad_datetimes_are_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_datetime(text, zone=LONDON)
